"""`run_bot.py export` reads the database as it is (a read-only snapshot, never migrated): a
database whose schema is older or newer than this bot's is refused with one clear line and
exit status 2, before anything fails on a missing column; the bot's own schema is exported."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.db import MIGRATIONS, Database
from tests.support.configs import hotline_config

ROOT = Path(__file__).resolve().parents[2]


def export(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "export", "--config", str(config),
         "--project", "village", "--from", "2026-11-01", "--to", "2026-11-30",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "hotline.toml"
    path.write_text(hotline_config(), encoding="utf-8")

    async def migrate() -> None:  # the bot's schema, as a started bot leaves it
        db = Database(tmp_path / "hotline.db")
        await db.open()
        await db.close()

    asyncio.run(migrate())
    return path


def set_version(db: Path, version: int) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version={version}")


@pytest.mark.parametrize("offset", [-1, +1])
def test_a_database_of_another_schema_version_is_refused_in_one_line(
    config: Path, tmp_path: Path, offset: int
) -> None:
    version = len(MIGRATIONS) + offset
    set_version(tmp_path / "hotline.db", version)
    done = export(config, tmp_path / "out.xlsx")
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in done.stderr
    assert f"schema version {version}, this bot expects {len(MIGRATIONS)}" in line
    if offset < 0:
        assert "start the bot once to upgrade it" in line
    assert not (tmp_path / "out.xlsx").exists()
    # Refused, not upgraded: the export never migrates.
    with sqlite3.connect(tmp_path / "hotline.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (version,)


def test_the_bots_own_schema_is_exported(config: Path, tmp_path: Path) -> None:
    done = export(config, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.xlsx").stat().st_size > 0
