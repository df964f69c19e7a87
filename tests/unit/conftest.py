"""Fixtures of the storage tests: a temp-file database and one open transaction on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.uow import SqliteUnitOfWork, unit_of_work


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "data" / "bot.db")
    await database.open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def uow(db: Database) -> AsyncIterator[SqliteUnitOfWork]:
    async with unit_of_work(db) as u:
        yield u
