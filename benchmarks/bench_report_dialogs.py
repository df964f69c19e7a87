"""Completed /report dialogs per second with many customers reporting at the same moment.

The hotline bot (``run_bot.py``, temporary config and database) runs as a subprocess against
the in-process Bot API emulator. The five staff members open the bot and ``--customers``
customers register (/start INVITE, name, unit, phone); none of that is timed. Then every
customer sends /report at the same moment and answers each question as soon as it arrives
(zero think time): "No" to both severity questions (level C), a site, a symptom, "Done" (no
photos), "Skip" (model), "Use" (the profile phone), "Confirm". Timed: from the first /report
until the last receipt ("已受理 ... #N"). The on-duty engineers are paged for every ticket.

Two scenarios in one run:

  telegram-limits  the emulator enforces Telegram's flood limits (30 messages/s over all
                   chats, about 1/s per chat after a burst of 20) and the bot sends at its
                   default messages_per_second = 25
  bot-capacity     no flood limits, messages_per_second = 1000: what the bot itself can do

    python benchmarks/bench_report_dialogs.py                   # 200 customers, both scenarios
    python benchmarks/bench_report_dialogs.py --customers 20    # a quick look
    python benchmarks/bench_report_dialogs.py --scenario capacity --profile /tmp/report.prof
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    TOKEN,
    BotApiEmulator,
    BotProcess,
    CpuTimes,
    FloodLimits,
    Inbox,
    Message,
    button_data,
    contains,
    has_button,
    hotline_argv,
    join_customer,
    join_staff,
    machine_description,
    median,
    percentile,
    write_config,
)

CUSTOMERS_BASE = 100_000
ENGINEERS_ON_DUTY = (1001, 1002)
MESSAGE_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto",
                   "sendLocation", "sendDocument", "editMessageCaption"}
RECEIPT = "已受理"
TICKET_RE = re.compile(r"#(\d+)")

# (what the customer does, what the bot must show next). A press goes to the message that
# satisfied the previous expectation, on its button whose callback_data is the given prefix.
Action = tuple[str, str]  # ("send", text) | ("press", callback_data)
Expect = Callable[[Message], bool]
STEPS: list[tuple[Action, Expect]] = [
    (("send", "/report"), has_button("sev:whole:0")),
    (("press", "sev:whole:0"), has_button("sev:partial:0")),
    (("press", "sev:partial:0"), contains("故障地点")),
    (("send", "Village 7, crossroads camera"), contains("故障现象")),
    (("send", "Camera offline since this morning, screen is black"),
     has_button("rep:photos:done")),
    (("press", "rep:photos:done"), has_button("rep:model:skip")),
    (("press", "rep:model:skip"), has_button("rep:phone:keep")),
    (("press", "rep:phone:keep"), has_button("rep:confirm:ok")),
    (("press", "rep:confirm:ok"), contains(RECEIPT)),
]


@dataclass
class Scenario:
    key: str
    title: str
    flood: FloodLimits
    messages_per_second: float


SCENARIOS = [
    Scenario("limits", "telegram-limits (flood limits on, 25 msg/s)", FloodLimits(), 25.0),
    Scenario("capacity", "bot-capacity (no flood limits, 1000 msg/s)",
             FloodLimits(enabled=False), 1000.0),
]


@dataclass
class Outcome:
    scenario: Scenario
    customers: int
    setup_seconds: float = 0.0
    seconds: float = 0.0
    durations: list[float] = field(default_factory=list)
    tickets: list[int] = field(default_factory=list)
    db_tickets: tuple[int, int] | None = None  # (rows, distinct customers) after the run
    message_calls: int = 0
    pages: int = 0
    cpu: CpuTimes | None = None
    refusals: Counter[str] = field(default_factory=Counter)
    setup_refusals: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    timed_out: bool = False
    profile: Path | None = None

    @property
    def completed(self) -> int:
        return len(self.durations)

    @property
    def tickets_ok(self) -> bool:
        distinct = len(set(self.tickets)) == len(self.tickets) == self.customers
        in_db = self.db_tickets == (self.customers, self.customers)
        return distinct and in_db


async def dialog(emu: BotApiEmulator, inbox: Inbox, uid: int, go: asyncio.Event,
                 step_seconds: float) -> tuple[float, int]:
    """One customer's /report, start to receipt; returns (seconds, ticket number)."""
    await go.wait()
    started = time.perf_counter()
    target: Message | None = None
    for (kind, value), expect in STEPS:
        index = inbox.count(uid)
        if kind == "send":
            emu.send_text(uid, value)
        else:
            assert target is not None
            data = button_data(target, value)
            assert data is not None
            emu.press(uid, int(target["message_id"]), data)
        _, target = await inbox.wait(uid, index, expect, step_seconds)
    assert target is not None
    found = TICKET_RE.search(target.get("text") or "")
    if found is None:
        raise RuntimeError(f"customer {uid}: receipt without a ticket number: {target['text']}")
    return time.perf_counter() - started, int(found.group(1))


def refusal_counts(refusals: list[dict[str, object]]) -> Counter[str]:
    return Counter(f"{r['method']} {r['error_code']} {str(r['description'])[:50]}"
                   for r in refusals)


def prepare(work: Path, messages_per_second: float) -> Path:
    work.mkdir()
    return write_config(work, messages_per_second)


def count_tickets(db: Path) -> tuple[int, int] | None:
    if not db.exists():
        return None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows, customers = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM tickets"
        ).fetchone()
    return int(rows), int(customers)


def default_timeout(sc: Scenario, customers: int) -> float:
    # About 19 message calls per dialog (questions, button clean-ups, receipt, two pages).
    rate = min(sc.messages_per_second, sc.flood.global_per_second if sc.flood.enabled else 1e9)
    return max(180.0, 60.0 + customers * 19 / rate * 2.5)


async def run_scenario(sc: Scenario, args: argparse.Namespace, work: Path) -> Outcome:
    out = Outcome(sc, args.customers)
    config = prepare(work, sc.messages_per_second)
    emu = BotApiEmulator(TOKEN, flood=sc.flood)
    await emu.start()
    inbox = Inbox(emu)
    profile = None
    if args.profile:
        profile = args.profile.with_name(f"{args.profile.stem}.{sc.key}{args.profile.suffix}")
        out.profile = profile
    bot = BotProcess(hotline_argv(config, profile), emu.base_url, work / "hotline.log",
                     "hotline bot")
    customers = [CUSTOMERS_BASE + i for i in range(1, args.customers + 1)]
    timeout = args.timeout or default_timeout(sc, args.customers)
    try:
        await bot.start()
        t_setup = time.perf_counter()
        await join_staff(emu, inbox, 120)
        await asyncio.gather(*(join_customer(emu, inbox, uid, timeout) for uid in customers))
        out.setup_seconds = time.perf_counter() - t_setup
        out.setup_refusals = refusal_counts(emu.refusals)
        await asyncio.sleep(1.0)  # let the last registration messages' bookkeeping finish
        print(f"  {len(customers)} customers registered in {out.setup_seconds:.1f}s; "
              f"{len(customers)} dialogs start now (timeout {timeout:.0f}s)", flush=True)

        refusals0, calls0 = len(emu.refusals), len(emu.calls)
        pages0 = {uid: inbox.count(uid) for uid in ENGINEERS_ON_DUTY}
        go = asyncio.Event()
        tasks = [asyncio.create_task(dialog(emu, inbox, uid, go, timeout)) for uid in customers]
        cpu0 = bot.cpu()
        t0 = time.perf_counter()
        go.set()
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        t1 = time.perf_counter()
        out.cpu = bot.cpu() - cpu0
        out.seconds = t1 - t0
        out.timed_out = bool(pending)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception() is not None:
                out.failures.append(str(task.exception())[:300])
            else:
                seconds, number = task.result()
                out.durations.append(seconds)
                out.tickets.append(number)
        if pending:
            stuck = customers[tasks.index(next(iter(pending)))]
            out.failures.append(
                f"{len(pending)} dialogs unfinished after {timeout:.0f}s; customer {stuck}'s "
                f"chat ends with:\n" + "\n".join(emu.transcript(stuck).splitlines()[-6:])
            )
        calls = emu.calls[calls0:]
        out.message_calls = sum(1 for c in calls if c["ok"] and c["method"] in MESSAGE_METHODS)
        out.pages = sum(
            1
            for uid in ENGINEERS_ON_DUTY
            for m in inbox.messages.get(uid, [])[pages0[uid]:]
            if "新故障" in (m.get("text") or "")
        )
        out.refusals = refusal_counts(emu.refusals[refusals0:])
    finally:
        code = await bot.stop()
        await emu.stop()
    log = bot.output()
    if code != 0 or "Traceback" in log:
        out.failures.append(f"bot exited with {code}; log {bot.log}:\n{log[-2000:]}")
    out.db_tickets = await asyncio.to_thread(count_tickets, work / "hotline.db")
    return out


def report(o: Outcome) -> str:
    sc = o.scenario
    lines = [f"{sc.title}"]
    if o.completed:
        rate = o.completed / o.seconds
        lines.append(
            f"  {o.completed}/{o.customers} dialogs completed in {o.seconds:.2f}s: "
            f"{rate:.2f} dialogs/s; dialog duration p50 {median(o.durations):.2f}s, "
            f"p99 {percentile(o.durations, 99):.2f}s, max {max(o.durations):.2f}s"
        )
    else:
        lines.append(f"  no dialog completed in {o.seconds:.1f}s")
    distinct = len(set(o.tickets))
    rows = "?" if o.db_tickets is None else f"{o.db_tickets[0]} rows, {o.db_tickets[1]} customers"
    lines.append(
        f"  tickets: {len(o.tickets)} receipts, {distinct} distinct numbers "
        f"(#{min(o.tickets, default=0)}..#{max(o.tickets, default=0)}); database: {rows} -> "
        + ("OK" if o.tickets_ok else "MISMATCH")
    )
    lines.append(
        f"  Bot API message calls (send/edit) in the timed window: {o.message_calls} = "
        f"{o.message_calls / o.seconds:.1f}/s ({o.message_calls / max(1, o.customers):.1f} per "
        f"dialog); pages delivered to the 2 on-duty engineers by then: {o.pages} of "
        f"{2 * o.customers}"
    )
    if o.cpu is not None:
        lines.append(
            f"  bot CPU in the timed window: {o.cpu.total:.2f}s "
            f"({o.cpu.total / o.seconds * 100:.0f}% of one core; "
            f"{o.cpu.total / max(1, o.completed) * 1e3:.1f} ms per dialog; main thread "
            f"{o.cpu.main_thread:.2f}s, other threads {o.cpu.other_threads:.2f}s)"
        )
    total = sum(o.refusals.values())
    lines.append(f"  emulator refusals in the timed window: {total}")
    for what, n in o.refusals.most_common(6):
        lines.append(f"    {n:6d}  {what}")
    setup = sum(o.setup_refusals.values())
    if setup:
        lines.append(f"  (during set-up: {setup} refusals, e.g. "
                     f"{o.setup_refusals.most_common(1)[0][0]!r})")
    lines.append(f"  set-up (staff + registration, not timed): {o.setup_seconds:.1f}s")
    if o.profile is not None:
        lines.append(f"  cProfile of the bot (CPU figures inflated by it): {o.profile}")
    for failure in o.failures[:5]:
        lines.append(f"  FAILURE: {failure}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    print(machine_description())
    chosen = [s for s in SCENARIOS if args.scenario in ("both", s.key)]
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="hotline-bench-", dir=args.tmpdir) as tmp:
        for sc in chosen:
            print(f"\n{sc.title}: {args.customers} customers ...", flush=True)
            outcome = await run_scenario(sc, args, Path(tmp) / sc.key)
            outcomes.append(outcome)
            print(report(outcome), flush=True)
    print("\nsummary")
    print(f"  {'scenario':<46} {'dialogs/s':>9} {'p50 s':>7} {'p99 s':>7} {'tickets':>8} "
          f"{'msg/s':>6} {'refusals':>8}")
    for o in outcomes:
        rate = o.completed / o.seconds if o.seconds else 0.0
        print(f"  {o.scenario.title:<46} {rate:>9.2f} {median(o.durations):>7.2f} "
              f"{percentile(o.durations, 99):>7.2f} "
              f"{str(len(set(o.tickets))) + (' ok' if o.tickets_ok else ' !!'):>8} "
              f"{o.message_calls / o.seconds if o.seconds else 0:>6.1f} "
              f"{sum(o.refusals.values()):>8}")
    return 0 if all(o.tickets_ok and not o.failures for o in outcomes) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=200, help="concurrent customers")
    parser.add_argument("--scenario", choices=("both", "limits", "capacity"), default="both")
    parser.add_argument("--timeout", type=float, default=0.0,
                        help="seconds for all dialogs (default: from the sending rate)")
    parser.add_argument("--profile", type=Path,
                        help="run the bot under cProfile; X.prof becomes X.<scenario>.prof")
    parser.add_argument("--tmpdir", help="where the temporary database goes (default: TMPDIR)")
    args = parser.parse_args()
    if args.customers < 1:
        parser.error("--customers must be positive")
    if args.profile:
        args.profile = args.profile.resolve()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
