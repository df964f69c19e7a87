"""How long signing a daily report part holds the write lock, and how long another chat waits.

A temporary database and the standard test config: the engineer (zh) has a day of maintenance
work (``--lines`` items added with "Add work") and signs it; the signed part's PDF goes to them
and to the project manager (en), so it is typeset in two languages. Each round adds one more
item and signs the addendum (part 2, 3, ...). Meanwhile another chat writes a small transaction
every 20 ms, as a customer's update would.

Timed, per round: how long the sign's transaction held the writer lock (BEGIN IMMEDIATE to
COMMIT, its wait for the lock excluded); the document worker's transactions after it (when the
PDFs are made after the commit); the longest the other chat's transaction took meanwhile (lock
wait + its own work); from the press to the PDFs queued.

    python benchmarks/bench_daily_sign.py              # 5 rounds, 8 lines
    python benchmarks/bench_daily_sign.py --rounds 10 --lines 30
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_export import WHO, TimedDatabase
from common import machine_description

from bot.clock import FakeClock
from bot.config.loading import load_settings
from bot.domain.daily import local_day
from bot.services.notices import Outcome
from bot.services.uow import UnitOfWork
from bot.storage.uow import unit_of_work
from tests.support.configs import hotline_config

ENG, PM = 1001, 1012  # eng1 (zh) and the village's project manager (en)


async def run(rounds: int, lines: int) -> None:
    from bot.app import services
    from bot.telegram.dispatch import Dispatcher
    from bot.telegram.postman import Postman
    from bot.telegram.render import Renderer

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hotline.toml"
        config.write_text(hotline_config(), encoding="utf-8")
        settings = load_settings(config)
        clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))  # 18:00 in Shanghai
        s = services(settings, clock)
        db = TimedDatabase(settings.database)
        await db.open()
        dispatcher = Dispatcher(db, Postman(settings, Renderer(settings, clock), clock), clock)
        worker = None
        if getattr(s, "jobs", None) is not None:
            from bot.telegram.document_jobs import DocumentWorker

            worker = DocumentWorker(settings.database, s.jobs, dispatcher)
        day = local_day(clock.now(), settings.tz)
        async with unit_of_work(db) as uow:
            eng = await uow.users.seen(ENG, "Engineer", "zh", clock.now())
            await uow.users.seen(PM, "Manager", "en", clock.now())
            for i in range(lines):
                text = f"巡检 {i} 号点位：UPS 电池电压正常，机柜除尘"
                await uow.daily.add_work("eng1", "village", day, clock.now(), text)
        signs: list[float] = []
        after: list[float] = []
        waits: list[float] = []
        queued: list[float] = []
        for r in range(rounds):
            if r:
                async with unit_of_work(db) as uow:
                    await uow.daily.add_work("eng1", "village", day, clock.now(), f"补充 {r}")
            async with unit_of_work(db) as uow:
                view = await s.daily.view(uow, "eng1", "village", day)
            assert view.draft is not None
            part, digest = view.draft.part, view.draft.digest

            async def sign(uow: UnitOfWork, part: int = part, digest: str = digest) -> Outcome:
                return await s.daily.sign(uow, eng, "village", day, part, digest)

            done = asyncio.Event()
            mine: list[float] = []

            async def other_chat(
                mine: list[float] = mine, done: asyncio.Event = done, r: int = r
            ) -> None:
                WHO.set("other")
                n = 0
                while not done.is_set():
                    t = time.perf_counter()
                    async with unit_of_work(db) as uow:
                        await uow.handled_updates.claim(10**9 + r * 10**6 + n, clock.now())
                    mine.append(time.perf_counter() - t)
                    n += 1
                    await asyncio.sleep(0.02)

            chatting = asyncio.create_task(other_chat())
            await asyncio.sleep(0.05)
            first = len(db.holds)
            t0 = time.perf_counter()
            WHO.set("sign")
            await dispatcher.run(sign)
            WHO.set("worker")
            if worker is not None:
                await worker.drain()
            queued.append(time.perf_counter() - t0)
            done.set()
            await chatting
            holds = db.holds[first:]
            signs += [h for who, h in holds if who == "sign"]
            after += [h for who, h in holds if who == "worker"]
            waits.append(max(mine))
            clock.advance(timedelta(minutes=1))
        async with db.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE method = 'sendDocument'"
        ) as cur:
            row = await cur.fetchone()
        await db.close()
        assert row is not None and row[0] == 2 * rounds, row and row[0]

    def ms(xs: list[float]) -> str:
        return (f"median {statistics.median(xs) * 1000:7.1f} ms, max {max(xs) * 1000:7.1f} ms"
                if xs else "none")  # fmt: skip

    print(machine_description())
    print(f"daily report sign, {rounds} rounds, {lines} lines, PDFs in zh and en")
    print(f"  sign's transaction holds the write lock     {ms(signs)}")
    print(f"  worker's transactions after the commit      {ms(after)} ({len(after)} in all)")
    print(f"  another chat's transaction meanwhile, worst {ms(waits)}")
    print(f"  press to both PDFs queued                   {ms(queued)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lines", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.rounds, args.lines))


if __name__ == "__main__":
    main()
