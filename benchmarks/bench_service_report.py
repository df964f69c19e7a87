"""Service report PDF: typesetting time per report (median of 20) and peak memory.

Run by hand: `python benchmarks/bench_service_report.py`. Builds one realistic report (a
resolved B ticket with a long timeline, Chinese and hostile text) and typesets it with the
same code the bot uses, in this process; memory is the process's peak RSS (ru_maxrss) before
and after, and tracemalloc's peak of Python allocations during one report.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock
from bot.config.loading import load_settings
from bot.domain.reports import ServiceReport, SignOff
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.records import Typesetter
from bot.telegram.render.records import layout, typesetter
from tests.support.configs import hotline_config

RUNS = 20
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def report(emoji: bool = True) -> ServiceReport:
    hostile = ("<b>x</b> *_[]~ مرحبا " + ("👩‍🔧 " if emoji else "")) * 20
    ticket = Ticket(
        id=12,
        project_key="village",
        customer_id=5001,
        level=Level.B,
        status=Status.RESOLVED,
        reported_at=T0,
        deadlines=Deadlines(
            T0 + timedelta(minutes=15), T0 + timedelta(hours=2), T0 + timedelta(hours=6)
        ),
        site="县公安局三楼机房",
        symptom="查询终端全部死机。" + hostile,
        model="S5720-28X",
        contact_name="测试客户",
        contact_unit="某某派出所",
        contact_phone="13900000000",
        owner_key="eng1",
        accepted_at=T0 + timedelta(minutes=5),
        on_way_at=T0 + timedelta(minutes=10),
        on_site_at=T0 + timedelta(hours=1),
        resolved_at=T0 + timedelta(hours=2),
        cause="hardware",
        resolution="更换电源模块。" * 30,
    )
    kinds = ["reported", "accepted", "on_way", "arrived", "note", "resolved"] * 8
    timeline = tuple(
        TimelineEntry(12, T0 + timedelta(minutes=5 * i), "staff:eng1", k, {"note": hostile[:80]})
        for i, k in enumerate(kinds)
    )
    return ServiceReport(
        ticket, 1, "issued", T0 + timedelta(hours=2), timeline, (), ("eng1",), SignOff("pending")
    )


def measure(typeset: Typesetter, r: ServiceReport, label: str) -> None:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    first = time.perf_counter()
    data, _ = typeset(r, "zh")
    first = time.perf_counter() - first
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        typeset(r, "zh")
        times.append(time.perf_counter() - start)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    typeset(r, "zh")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"== {label}")
    print(f"PDF size: {len(data) / 1024:.0f} KiB")
    print(f"first report in this run: {first * 1000:.0f} ms")
    print(
        f"median of {RUNS}: {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    print(f"peak RSS: {rss0 / 1024:.0f} MiB before, {rss1 / 1024:.0f} MiB after")
    print(f"Python allocations, peak during one report: {peak / 1024 / 1024:.1f} MiB")


def main() -> None:
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    (tmp / "hotline.toml").write_text(hotline_config(), encoding="utf-8")
    settings = load_settings(tmp / "hotline.toml")
    typeset = typesetter(settings, FakeClock(T0))
    # Without emoji first: each colour-emoji glyph is a bitmap image in the PDF, the costly part.
    # What a transaction does now (the layout); the PDF is typeset after the commit.
    lay_out = layout(settings, FakeClock(T0))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        lay_out(report(emoji=True), "zh")
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(f"== layout only (inside the transaction): median {median:.1f} ms")
    measure(typeset, report(emoji=False), "Chinese, Latin and RTL text, no emoji")
    measure(typeset, report(emoji=True), "the same with 40+ emoji per field (hostile input)")


if __name__ == "__main__":
    main()
