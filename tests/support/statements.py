"""Where each statement runs: a spy on `Connection.run` for the tests of what stays off the
event loop."""

from __future__ import annotations

from typing import Any

import pytest

from bot.storage.connection import Connection, Params, Rows


def statements_run(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """From now on, every statement run through a Connection, in order: its SQL, and True when
    it runs on aiosqlite's thread (False: on the event loop)."""
    seen: list[tuple[str, bool]] = []
    real_run = Connection.run

    async def spy(self: Connection, sql: str, parameters: Params = (), **kw: Any) -> Rows:
        seen.append((sql, bool(kw.get("off_loop")) or not self.inline))
        return await real_run(self, sql, parameters, **kw)

    monkeypatch.setattr(Connection, "run", spy)
    return seen
