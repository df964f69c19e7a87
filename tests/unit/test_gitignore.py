"""The operator's config holds real people's ids and phones: git must never pick it up."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_real_config_is_ignored_and_the_example_is_not() -> None:
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "config/hotline.toml" in patterns
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return  # an unpacked archive: the pattern above is what git will read

    def ignored(path: str) -> bool:
        return subprocess.run(
            [git, "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False
        ).returncode == 0

    assert ignored("config/hotline.toml")
    assert not ignored("config/hotline.example.toml")
    assert not ignored("config/sandbox.toml")
