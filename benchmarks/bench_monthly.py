"""Monthly summary at scale: 1 000 000 tickets in the database, 100 000 of them in the month
of one project. Goals: the summary computed in ≤2 s; made and sent (message, chart, workbook,
PDF) in ≤5 s.

Run by hand: `python benchmarks/bench_monthly.py [--tmpdir DIR] [--keep]` (~2 min to build
the database; `--reuse DIR` measures again on a database kept with `--keep`). Rows are written
straight into the tables with executemany (tests/support/monthly_data.py: tickets, their three
clocks, pauses, surveys, complaints), then measured in this process:
1. the summary (SQL aggregates) three times: the first on a cold page cache of this process;
2. the rows behind it (the workbook's sheets);
3. each file: chart PNG, workbook XLSX (100 000 rows on the Tickets sheet), PDF;
4. `/monthly village 2026-11` from the project manager through the real PTB application (the
   dialog tests' recording Bot API): the update and its short transaction ("preparing…"
   queued), then the document job (snapshot, summary, files, archive, one transaction that
   queues the four calls) and the sender's calls with their uploads: what the user waits for,
   minus the network. The writer lock's hold times are recorded meanwhile.

`--tickets N` builds a smaller database (N tickets, a tenth of them in the month).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_description
from bot.clock import FakeClock
from bot.domain.monthly import month_period
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.render.monthly import MonthlyPages, Words, chart, printable, workbook
from tests.dialog.harness import Harness
from tests.support.configs import hotline_config
from tests.support.monthly_data import fill

TZ = ZoneInfo("Asia/Shanghai")
TOTAL = 1_000_000


class TimedLock(asyncio.Lock):
    """The database's writer lock, recording how long each holder kept it."""

    def __init__(self) -> None:
        super().__init__()
        self.holds: list[float] = []
        self._since = 0.0

    async def acquire(self) -> bool:
        got = await super().acquire()
        self._since = time.perf_counter()
        return got

    def release(self) -> None:
        self.holds.append(time.perf_counter() - self._since)
        super().release()


def build(path: Path, total: int) -> None:
    """1 000 000 tickets: the village's November (100 000, with pauses, surveys and
    complaints), nine more village months and a year of another project."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    nxt = 1
    t = time.perf_counter()
    target = month_period("village", 2026, 11, TZ)
    nxt = fill(conn, "village", target.start, target.end, total // 10, seed=11, first_id=nxt)
    rest = total - total // 10
    for i, month in enumerate((2, 3, 4, 5, 6, 7, 8, 9, 10)):
        p = month_period("village", 2026, month, TZ)
        nxt = fill(conn, "village", p.start, p.end, rest // 18, seed=month, first_id=nxt,
                   with_details=False, open_share=0.002)
        conn.commit()
        print(f"  village 2026-{month:02d} written ({i + 2}/19)", flush=True)
    for month in range(1, 13):
        p = month_period("other", 2026, month, TZ)
        count = rest // 2 // 12 + (1 if month <= (rest // 2) % 12 else 0)
        nxt = fill(conn, "other", p.start, p.end, count, seed=100 + month, first_id=nxt,
                   with_details=False, open_share=0.002)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    (n,) = conn.execute("SELECT count(*) FROM tickets").fetchone()
    conn.close()
    print(f"built {n} tickets in {time.perf_counter() - t:.0f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")


async def measure(tmp: Path, reuse: bool, total: int) -> None:
    config = tmp / "hotline.toml"
    config.write_text(hotline_config(), encoding="utf-8")
    db_path = tmp / "hotline.db"
    db = Database(db_path)
    await db.open()  # migrations: the tables and the monthly summary's indexes
    await db.close()
    if not reuse:
        build(db_path, total)
    else:  # the recording Bot API numbers its updates from 1 again: forget the old ones
        with sqlite3.connect(db_path) as conn:
            conn.execute("DELETE FROM handled_updates")

    period = month_period("village", 2026, 11, TZ)
    now = datetime(2026, 12, 1, 2, tzinfo=UTC)
    db = Database(db_path)
    await db.open()
    try:
        for run in range(3):
            t = time.perf_counter()
            async with unit_of_work(db) as uow:
                summary = await uow.monthly.summary(period, period.days(TZ), now)
            print(f"summary, run {run + 1}: {time.perf_counter() - t:.2f} s "
                  f"(reported {summary.reported}, unresolved {summary.unresolved})")
        t = time.perf_counter()
        async with unit_of_work(db) as uow:
            details = await uow.monthly.details(period)
        print(f"rows behind it: {time.perf_counter() - t:.2f} s "
              f"({len(details.tickets)} tickets, {len(details.unresolved)} unresolved)")
    finally:
        await db.close()

    h = Harness(tmp, hotline_config(), FakeClock(now))
    pages = MonthlyPages(h.settings, h.clock)
    w = Words(h.settings, "zh", "village")
    t = time.perf_counter()
    png = chart(w, summary, "Village")
    print(f"chart PNG: {time.perf_counter() - t:.2f} s ({len(png) / 1e3:.0f} kB)")
    t = time.perf_counter()
    book = workbook(w, summary, details, "Village")
    print(f"workbook XLSX: {time.perf_counter() - t:.2f} s ({len(book) / 1e6:.1f} MB)")
    t = time.perf_counter()
    pdf = printable(w, summary, "Village", png, now)
    print(f"PDF: {time.perf_counter() - t:.2f} s ({len(pdf) / 1e3:.0f} kB)")
    del pages

    await h.start()
    try:
        assert h.hb is not None
        pm = await h.staff(1012)
        lock = h.hb.db._lock = TimedLock()
        drain = h.drain
        marks: list[float] = []

        async def timed_drain() -> None:  # runs right after the update's transaction
            marks.append(time.perf_counter())
            await drain()

        h.drain = timed_drain  # type: ignore[method-assign]
        for run in range(2):
            lock.holds.clear()
            marks.clear()
            t = time.perf_counter()
            await pm.send("/monthly village 2026-11")
            took = time.perf_counter() - t
            sent = [m.kind for m in pm.messages()[-5:]]
            holds = sorted(lock.holds, reverse=True)
            print(f"/monthly, run {run + 1}: answered ('preparing…' queued) after "
                  f"{(marks[0] - t) * 1000:.0f} ms; everything sent ({', '.join(sent)}) after "
                  f"{took:.2f} s")
            print(f"  writer lock: {len(holds)} holds, longest {holds[0] * 1000:.0f} ms, "
                  f"next {', '.join(f'{x * 1000:.0f}' for x in holds[1:4])} ms, "
                  f"total {sum(holds) * 1000:.0f} ms")
        del h.drain
    finally:
        await h.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tmpdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--tickets", type=int, default=TOTAL,
                        help="tickets in the database, a tenth in the month (default 1 000 000)")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="measure again on a directory kept with --keep (no rebuild)")
    args = parser.parse_args()
    print(machine_description())
    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="bench-monthly-", dir=args.tmpdir))
    asyncio.run(measure(tmp, reuse=args.reuse is not None, total=args.tickets))
    if not args.keep and args.reuse is None:
        shutil.rmtree(tmp)  # the database and the archive's folders


if __name__ == "__main__":
    main()
