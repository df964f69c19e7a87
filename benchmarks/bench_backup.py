"""The daily backup and a /metrics scrape on a big database, with a writer going on.

Run by hand: `python benchmarks/bench_backup.py [--tickets 20000] [--outbox 200000]`. Seeds a
temporary database like bench_export (N closed tickets with their timelines, clocks, surveys,
pauses), adds M sent outbox rows and 1 000 due ones, 300 archived 200 KB "PDFs"; then, while
another "chat" commits a tiny transaction through the bot's writer every 20 ms, times:

  backup    make_backup (online copy, integrity check, tar with the documents), its size
  writer    the longest a chat's transaction waited meanwhile (the backup takes no write lock)
  scrape    read_facts (the gauges of /metrics and /healthz), ten times, the slowest
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_export import seed
from bot.storage import backup
from bot.storage.db import Database, ts
from bot.storage.health import read_facts
from bot.storage.uow import unit_of_work

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


async def run(tickets: int, outbox: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data" / "hotline.db"
        db = Database(path)
        await db.open()
        t0 = time.perf_counter()
        await seed(db, tickets)
        async with unit_of_work(db) as uow:
            at = ts(NOW - timedelta(days=1))
            await uow.conn.executemany(
                "INSERT INTO outbox (chat_id, method, payload, status, next_attempt_at, "
                "created_at, sent_at) VALUES (?, 'sendMessage', ?, ?, ?, ?, ?)",
                [(5000 + i % 500, '{"text": "' + "提醒 " * 40 + '"}',
                  "sent" if i >= 1000 else "pending", at, at, at) for i in range(outbox + 1000)],
            )  # fmt: skip
        reports = path.parent / "reports"
        reports.mkdir()
        for i in range(300):
            (reports / f"report-{i}-v1-zh.pdf").write_bytes(bytes(200_000))
        size = path.stat().st_size / 1e6
        print(f"seeded {tickets} tickets, {outbox + 1000} outbox rows, 300 documents in "
              f"{time.perf_counter() - t0:.1f} s; database {size:.0f} MB")  # fmt: skip

        waits: list[float] = []
        done = asyncio.Event()

        async def other_chat() -> None:
            while not done.is_set():
                asked = time.perf_counter()
                async with db.transaction() as conn:
                    waits.append(time.perf_counter() - asked)
                    await conn.execute(
                        "INSERT INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
                        (len(waits), ts(NOW)),
                    )
                await asyncio.sleep(0.02)

        chat = asyncio.create_task(other_chat())
        t1 = time.perf_counter()
        made = await asyncio.to_thread(backup.make_backup, path, Path(tmp) / "backups", NOW)
        took = time.perf_counter() - t1
        done.set()
        await chat
        print(f"backup    {took:6.2f} s   file {made.size / 1e6:.0f} MB   "
              f"{made.documents} documents")  # fmt: skip
        print(f"writer    {len(waits)} transactions meanwhile, longest wait "
              f"{max(waits) * 1000:.1f} ms")  # fmt: skip
        scrapes = []
        for _ in range(10):
            t2 = time.perf_counter()
            facts = read_facts(path, NOW, range(1001, 1013))
            scrapes.append(time.perf_counter() - t2)
        print(f"scrape    slowest of 10: {max(scrapes) * 1000:.1f} ms "
              f"(backlog {facts.outbox_backlog})")  # fmt: skip
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--outbox", type=int, default=200_000)
    args = parser.parse_args()
    asyncio.run(run(args.tickets, args.outbox))


if __name__ == "__main__":
    main()
