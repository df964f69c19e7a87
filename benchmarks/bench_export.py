"""The auditor's export: how long a workbook of N tickets takes, and how big it is.

Run by hand: `python benchmarks/bench_export.py [--tickets 10000]`. Seeds a temporary database
through the storage layer with N resolved tickets of one project in one month (each: 9 timeline
entries, 3 clocks, a survey for every second ticket, an ended force-majeure pause for every
tenth, hostile text in the symptom), then times, with the same code the bot and the command
line use:

  collect   reading the tickets and their records (5 queries) and computing each deadline
  workbook  writing the XLSX (openpyxl write-only) in Chinese
  total     both; plus the file size and the process's peak memory (ru_maxrss)

then /export as the bot runs it, a document job (bot/services/jobs.py): the command's short
transaction records the job; the document worker reads a read-only snapshot, makes the workbook
in a thread, archives it and delivers it in a second short transaction. Meanwhile another
"chat" runs a tiny write transaction every 20 ms. It prints how long the one writer connection's
lock was held by each transaction of the export, the longest wait of the other chat's
transactions, and the size of the document's outbox row.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock
from bot.config import Settings
from bot.config.loading import load_settings
from bot.domain.clocks import ClockState
from bot.domain.survey import Survey
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.access import Access
from bot.services.export import Export
from bot.services.notices import Outcome
from bot.services.roster import Roster
from bot.services.sla import Sla
from bot.services.uow import UnitOfWork
from bot.storage.connection import Connection
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.render.export import workbook_maker
from tests.support.configs import hotline_config

PM = 1012  # the project manager of "village" in the test config


MONTH_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026-11-01 00:00 in Shanghai
HOSTILE = "=HYPERLINK(\"x\") <b>黑屏</b> \u202eRTL\u202c 😀 终端无法登录，重启后仍然报错 " * 3


async def seed(db: Database, n: int) -> None:
    async with unit_of_work(db) as uow:
        for i in range(n):
            at = MONTH_START + timedelta(minutes=4 * i + 1)  # 10 000 tickets: within 28 days
            deadlines = Deadlines(at + timedelta(minutes=15), at + timedelta(hours=2), None)
            t = await uow.tickets.add(
                Ticket(
                    id=0, project_key="village", customer_id=5001 + i % 50,
                    level=(Level.A, Level.B, Level.C)[i % 3], status=Status.CLOSED,
                    reported_at=at, deadlines=deadlines, site=f"Village {i % 97} office",
                    symptom=HOSTILE, model="DS-2CD", serial=f"SN{i:06d}",
                    contact_name="Customer", contact_unit="Village Police Station",
                    contact_phone="13900000000", owner_key=("eng1", "eng2")[i % 2],
                    accepted_at=at + timedelta(minutes=5), on_way_at=at + timedelta(minutes=10),
                    on_site_at=at + timedelta(minutes=70), resolved_at=at + timedelta(hours=3),
                    closed_at=at + timedelta(hours=4), cause="power",
                    resolution="更换电源模块 +86 =1", reopen_count=i % 7 == 0,
                )
            )  # fmt: skip
            steps = [
                (0, "customer:5001", "reported", {"level": "B"}),
                (5, "staff:eng1", "accepted", {}),
                (6, "staff:eng1", "note", {"text": "已电话联系客户 " * 5}),
                (7, "staff:eng1", "blocked", {"old": "", "new": "transmission"}),
                (10, "staff:eng1", "on_way", {}),
                (70, "staff:eng1", "arrived", {}),
                (180, "staff:eng1", "resolved", {"cause": "power", "note": "更换电源模块"}),
                (240, "customer:5001", "confirmed", {"name": "Customer"}),
                (241, "customer:5001", "rated", {"stars": 4}),
            ]
            for minutes, actor, kind, detail in steps:
                await uow.timeline.append(t.id, at + timedelta(minutes=minutes), actor, kind,
                                          **detail)  # fmt: skip
            for name, target, stop in (("respond", 900, 5), ("arrive", 7200, 70),
                                       ("repair", 10800, 180)):  # fmt: skip
                await uow.clocks.put(ClockState(
                    t.id, name, at, target, False, stopped_at=at + timedelta(minutes=stop)))
            if i % 2 == 0:
                await uow.surveys.add(Survey(t.id, t.customer_id, 4, at + timedelta(hours=5),
                                             "工程师很专业 @all"))  # fmt: skip
            if i % 10 == 0:
                pause = await uow.pauses.add(t.id, "force_majeure", "=道路中断", "active",
                                             "staff:eng1", at + timedelta(minutes=20))
                await uow.pauses.end(pause.id, at + timedelta(minutes=50))


WHO: ContextVar[str] = ContextVar("who", default="export")


class TimedDatabase(Database):
    """The database, noting how long each transaction held the writer connection's lock
    (from taking the lock to releasing it, BEGIN IMMEDIATE and COMMIT included) and whose."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self.holds: list[tuple[str, float]] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        held = 0.0
        try:
            async with super().transaction() as conn:
                # The lock is taken and BEGIN done (on the event loop: µs); COMMIT included.
                held = time.perf_counter()
                yield conn
        finally:
            if held:
                self.holds.append((WHO.get(), time.perf_counter() - held))


async def as_a_job(settings: Settings, clock: FakeClock, n: int) -> None:
    """/export through the document job path, with another chat writing meanwhile."""
    from bot.app import services
    from bot.telegram.dispatch import Dispatcher
    from bot.telegram.document_jobs import DocumentWorker
    from bot.telegram.postman import Postman
    from bot.telegram.render import Renderer

    s = services(settings, clock)
    db = TimedDatabase(settings.database)
    await db.open()
    dispatcher = Dispatcher(db, Postman(settings, Renderer(settings, clock), clock), clock)
    worker = DocumentWorker(settings.database, s.jobs, dispatcher)

    async def ask(uow: UnitOfWork) -> Outcome:
        return await s.export.export(uow, PM, None, "2026-11-01", "2026-11-30")

    t0 = time.perf_counter()
    await dispatcher.run(ask)
    waits: list[float] = []
    done = asyncio.Event()

    async def other_chat() -> None:
        WHO.set("other")
        while not done.is_set():
            t = time.perf_counter()
            async with unit_of_work(db) as uow:
                await uow.handled_updates.claim(10**9 + len(waits), clock.now())
            waits.append(time.perf_counter() - t)
            await asyncio.sleep(0.02)

    chatting = asyncio.create_task(other_chat())
    made = await worker.drain()
    total = time.perf_counter() - t0
    done.set()
    await chatting
    async with db.conn.execute(
        "SELECT length(payload) FROM outbox WHERE method = 'sendDocument'"
    ) as cur:
        row = await cur.fetchone()
    await db.close()
    assert made == 1 and row is not None
    mine = [f"{h * 1000:.1f}" for who, h in db.holds if who == "export"]
    print(f"as a document job ({n} tickets): request to delivery {total:6.2f} s")
    print(f"  writer lock held by the export's transactions: {', '.join(mine)} ms "
          "(request, delivery)")
    print(f"  another chat's {len(waits)} transactions meanwhile: longest "
          f"{max(waits) * 1000:.1f} ms (lock wait + its own work)")
    print(f"  the document's outbox row: {row[0]} bytes (the workbook stays in the archive)")


async def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hotline.toml"
        config.write_text(hotline_config(), encoding="utf-8")
        settings = load_settings(config)
        clock = FakeClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        roster = Roster(settings, clock)
        make = workbook_maker(settings, clock)
        export = Export(settings, clock, Access(settings, roster), Sla(settings, clock, roster),
                        make)  # fmt: skip
        db = Database(settings.database)
        await db.open()
        started = time.perf_counter()
        await seed(db, n)
        print(f"seeded {n} tickets in {time.perf_counter() - started:.1f} s")
        project = settings.find_project("village")
        assert project is not None
        t0 = time.perf_counter()
        async with unit_of_work(db) as uow:
            book = await export.collect(uow, project, date(2026, 11, 1), date(2026, 11, 30))
        t1 = time.perf_counter()
        data, _ = make(book, "zh")
        t2 = time.perf_counter()
        await db.close()
        assert len(book.tickets) == n, len(book.tickets)
        events = sum(len(x.timeline) for x in book.tickets)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"tickets {n}, timeline rows {events}")
        print(f"collect   {t1 - t0:6.2f} s")
        print(f"workbook  {t2 - t1:6.2f} s")
        print(f"total     {t2 - t0:6.2f} s   file {len(data) / 1e6:.1f} MB   "
              f"peak RSS {peak:.0f} MB")  # fmt: skip
        del book, data
        await as_a_job(settings, clock, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    asyncio.run(run(parser.parse_args().tickets))


if __name__ == "__main__":
    main()
