"""The auditor's export: how long a workbook of N tickets takes, and how big it is.

Run by hand: `python benchmarks/bench_export.py [--tickets 10000]`. Seeds a temporary database
through the storage layer with N resolved tickets of one project in one month (each: 9 timeline
entries, 3 clocks, a survey for every second ticket, an ended force-majeure pause for every
tenth, hostile text in the symptom), then times, with the same code the bot and the command
line use:

  collect   reading the tickets and their records (5 queries) and computing each deadline
  workbook  writing the XLSX (openpyxl write-only) in Chinese
  total     both; plus the file size and the process's peak memory (ru_maxrss)
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock
from bot.config.loading import load_settings
from bot.domain.clocks import ClockState
from bot.domain.survey import Survey
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.access import Access
from bot.services.export import Export
from bot.services.roster import Roster
from bot.services.sla import Sla
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.render.export import workbook_maker
from tests.support.configs import hotline_config

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
    print(f"total     {t2 - t0:6.2f} s   file {len(data) / 1e6:.1f} MB   peak RSS {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    asyncio.run(run(parser.parse_args().tickets))


if __name__ == "__main__":
    main()
