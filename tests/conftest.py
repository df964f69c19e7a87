"""Markers by place: every test under tests/e2e starts run_bot.py as a process (``e2e``).

``python -m pytest -m "not e2e and not browser"`` is the fast inner loop; plain
``python -m pytest`` runs everything. A process or browser test elsewhere marks its own module
with ``pytestmark`` (tests/sandbox/test_process.py, tests/sandbox/test_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent / "e2e"


# tryfirst: the marks must be on the items before `-m` selects among them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)
