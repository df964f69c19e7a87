"""Bounded storage: what the nightly pruning takes out of a 100,000-ticket database.

The database is the start-up benchmark's (``bench_startup.build_database``): a year of closed
tickets with their timeline, clocks, fired and cancelled timers and every message the bot
sent about them, plus the newest open tickets. The file is made by the project's migrations,
so it vacuums incrementally like every new database of the bot.

The pruning runs in this process as the bot runs it: the ``prune`` timer's handler
(``bot/services/retention.py``) on the real storage, each batch in its own transaction (its
write-lock time is measured), the next batch being the timer that batch scheduled. Reported:
the size of each table (``dbstat``) and of the file before and after, the number of batches,
the total time and the longest time a batch held the write lock.

    python benchmarks/bench_retention.py                     # 100,000 tickets (~2 min)
    python benchmarks/bench_retention.py --tickets 10000 --open 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_startup import ROOT, build_database, config_text

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.clock import FakeClock
from bot.config import load_settings
from bot.services.retention import Retention
from bot.services.uow import Timer
from bot.storage.db import Database, from_ts
from bot.storage.uow import unit_of_work

TABLES = ("outbox", "timers", "tickets", "ticket_events", "ticket_clocks")


def req(at: datetime | None) -> datetime:
    assert at is not None
    return at


def table_megabytes(path: Path) -> dict[str, float]:
    """Each table's pages with its indexes (dbstat), in MB, and the whole file."""
    conn = sqlite3.connect(path)
    try:
        sizes: dict[str, float] = {}
        for _name, table, size in conn.execute(
            "SELECT s.name, m.tbl_name, SUM(s.pgsize) FROM dbstat s "
            "JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name"
        ):
            sizes[table] = sizes.get(table, 0.0) + size / 1e6
        return sizes
    finally:
        conn.close()


async def prune(path: Path, config: Path) -> tuple[int, float, list[float]]:
    """Run the nightly chain to its end: (batches, seconds, each batch's lock time)."""
    db = Database(path)
    await db.open()
    settings = load_settings(config)
    clock = FakeClock(datetime.now(UTC))
    service = Retention(settings, clock)
    async with unit_of_work(db) as uow:
        await service.arm(uow)
    held: list[float] = []
    started = time.perf_counter()
    try:
        while True:
            async with db.conn.execute(
                "SELECT id, key, due_at, payload FROM timers "
                "WHERE kind = 'prune' AND state = 'pending' ORDER BY due_at LIMIT 1"
            ) as cur:
                row = await cur.fetchone()
            if row is None or (len(held) and from_ts(row["due_at"]) > clock.now()):
                break  # the next night's
            timer = Timer(row["id"], row["key"], "prune", None, None,
                          req(from_ts(row["due_at"])), json.loads(row["payload"]))
            clock.set(max(clock.now(), timer.due_at))
            began = time.perf_counter()
            async with unit_of_work(db) as uow:
                await uow.timers.mark_fired(timer.id, clock.now())
                await service.fire(uow, timer)
            held.append(time.perf_counter() - began)
            if len(held) > 10_000:
                raise RuntimeError("the chain does not end")
        await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await db.close()
    return len(held), time.perf_counter() - started, held


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "hotline.db"
        config = work / "hotline.toml"
        config.write_text(config_text().replace("data/hotline.db", str(path)), encoding="utf-8")
        built = await build_database(path, args.tickets, args.open)
        print(f"built in {built.seconds:.0f} s: {built.megabytes:.0f} MB", flush=True)
        before, file_before = table_megabytes(path), path.stat().st_size / 1e6
        batches, seconds, held = await prune(path, config)
        after, file_after = table_megabytes(path), path.stat().st_size / 1e6
        print(f"\n{args.tickets} tickets ({args.open} open), retention 90 days\n")
        print("| | before (MB) | after (MB) |\n|---|---|---|")
        for table in TABLES:
            print(f"| {table} | {before.get(table, 0):.0f} | {after.get(table, 0):.0f} |")
        print(f"| **file** | **{file_before:.0f}** | **{file_after:.0f}** |")
        held.sort()
        print(f"\n{batches} batches in {seconds:.1f} s; write lock held per batch: "
              f"median {held[len(held) // 2] * 1000:.0f} ms, max {held[-1] * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=10_000)
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
