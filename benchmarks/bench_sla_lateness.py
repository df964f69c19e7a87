"""Lateness of SLA reminders with 10,000 open tickets.

The database is built before the bot starts, with the project's own code: on a ``FakeClock``,
it opens each ticket through the storage repositories, starts its clocks with
``Sla.on_event(uow, ticket, "reported")`` and accepts it for an engineer (``"accepted"``), so
every timer row is the real one. The tickets are reported at spread moments such that the 50 %
warning of their ``arrive`` clock (``sla:<ticket>:arrive:warn:50pct``) falls due over
``--window`` seconds starting ``--lead`` seconds after the bot process is spawned. The owners
have started the bot (users table and emulator).

Then ``run_bot.py`` runs as a subprocess against the in-process strict Bot API emulator (flood
limits off, 127.0.0.1 only). For each warning the emulator's arrival time is recorded;
lateness = arrival - the timer's ``due_at`` (read from the database after the run). Also from
the database: the timer-firing lateness alone (``timers.fired_at - due_at``) and the time the
message waited in the outbox (``outbox.sent_at - created_at``).

    python benchmarks/bench_sla_lateness.py                       # 10,000 tickets, 1000/s, 25/s
    python benchmarks/bench_sla_lateness.py --rates 1000          # only the fast sender
    python benchmarks/bench_sla_lateness.py --tickets 1000 --window 10 --rates 1000  # quick
    python benchmarks/bench_sla_lateness.py --profile /tmp/sla.prof --rates 1000  # cProfile
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.clock import FakeClock  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.domain.ticket import Level, Status, Ticket  # noqa: E402
from bot.sandbox.emulator import BotApiEmulator, FloodLimits  # noqa: E402
from bot.services.roster import Roster  # noqa: E402
from bot.services.sla import Sla, promised  # noqa: E402
from bot.storage.db import Database, from_ts  # noqa: E402
from bot.storage.uow import unit_of_work  # noqa: E402
from tests.support.configs import Person, hotline_config, policy_toml, project_toml  # noqa: E402

TOKEN = "123456:BENCH-SLA-TOKEN"
ENGINEER_BASE = 1001
CUSTOMER_BASE = 500_000
CUSTOMERS = 1000
MANAGERS = {"cm": (1901, "customer_manager"), "pm": (1902, "project_manager")}
ARRIVE_TARGET = timedelta(hours=2)  # 50 % warning 1 h after the report, 80 % 36 min later
WARN_KEY = "sla:%:arrive:warn:50pct"  # the measured timers (a LIKE pattern)
WARN_RE = re.compile(r"^⏰ 工单 #(\d+)")  # catalog "sla.warn" (zh)
BATCH = 500  # tickets per transaction while building


def config_text(engineers: int, messages_per_second: float) -> str:
    keys = [f"eng{i + 1}" for i in range(engineers)]
    staff = [
        Person(key, f"Engineer {i + 1}", ENGINEER_BASE + i, "engineer", f"138000{i + 1:05d}")
        for i, key in enumerate(keys)
    ] + [
        Person(key, f"Manager {key}", uid, role, f"1390000{uid:04d}")
        for key, (uid, role) in MANAGERS.items()
    ]
    village = project_toml(on_duty=keys, escalation=["cm", "pm"])
    return hotline_config(
        staff=staff,
        projects=[village],
        policies=policy_toml(arrive="2h", warn=["50%", "80%"]),
        messages_per_second=messages_per_second,
    )


def staff_ids(engineers: int) -> list[int]:
    return [ENGINEER_BASE + i for i in range(engineers)] + [u for u, _ in MANAGERS.values()]


# --------------------------------------------------------------------------- database


async def build_database(config: Path, tickets: int, engineers: int, first_due: datetime,
                         window: float) -> float:
    """Open ``tickets`` accepted tickets whose arrive-warning falls due over the window.

    Returns the seconds the build took."""
    started = time.monotonic()
    settings = load_settings(config)
    clock = FakeClock(datetime.now(UTC))
    sla = Sla(settings, clock, Roster(settings, clock))
    policy = settings.sla_policy("village")
    half = ARRIVE_TARGET / 2
    db = Database(settings.database)
    await db.open()
    try:
        async with unit_of_work(db) as uow:
            for uid in staff_ids(engineers):
                await uow.users.seen(uid, f"Staff{uid}", "zh", clock.now())
                await uow.users.mark_started(uid, clock.now())
            for c in range(CUSTOMERS):
                uid = CUSTOMER_BASE + c
                await uow.users.seen(uid, f"Customer{uid}", "zh", clock.now())
                await uow.users.join_project(uid, "village")
                await uow.users.save_profile(uid, f"Customer {uid}", "Village Police Station",
                                             f"139{uid:08d}")
                await uow.users.mark_started(uid, clock.now())
        levels = (Level.A, Level.B, Level.C)
        for start in range(0, tickets, BATCH):
            async with unit_of_work(db) as uow:
                for i in range(start, min(tickets, start + BATCH)):
                    due = first_due + timedelta(seconds=window * i / tickets)
                    reported = due - half
                    clock.set(reported)
                    level = levels[i % 3]
                    ticket = await uow.tickets.add(Ticket(
                        id=0,
                        project_key="village",
                        customer_id=CUSTOMER_BASE + i % CUSTOMERS,
                        level=level,
                        status=Status.NEW,
                        reported_at=reported,
                        deadlines=promised(policy, level, reported),
                        site=f"Village {i} police station",
                        symptom="Query terminal does not start",
                        contact_name=f"Customer {CUSTOMER_BASE + i % CUSTOMERS}",
                        contact_phone=f"139{CUSTOMER_BASE + i % CUSTOMERS:08d}",
                    ))
                    actor = f"customer:{ticket.customer_id}"
                    await uow.timeline.append(ticket.id, reported, actor, "reported",
                                              level=level.value)
                    await sla.on_event(uow, ticket, "reported")
                    # Accepted a moment later by its engineer (首问负责制): the respond clock
                    # stops, the arrive clock runs and warns the owner alone.
                    clock.set(reported + timedelta(seconds=30))
                    owner = f"eng{i % engineers + 1}"
                    ticket = await uow.tickets.save(ticket.accept(owner, clock.now()))
                    await uow.timeline.append(ticket.id, clock.now(), f"staff:{owner}",
                                              "accepted")
                    await sla.on_event(uow, ticket, "accepted")
    finally:
        await db.close()
    return time.monotonic() - started


@dataclass
class DbFacts:
    due: dict[int, datetime]  # ticket -> due_at of its 50 % arrive warning
    fired: dict[int, datetime]
    outbox_wait: list[float]  # sent_at - created_at of the warnings (seconds)
    other_fired: Counter[str]  # timers of other kinds/points that fired during the run
    pending_outbox: int


def read_database(path: Path) -> DbFacts:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        due: dict[int, datetime] = {}
        fired: dict[int, datetime] = {}
        for ticket_id, due_at, fired_at in conn.execute(
            "SELECT ticket_id, due_at, fired_at FROM timers WHERE key LIKE ?", (WARN_KEY,)
        ):
            due[ticket_id] = _req(from_ts(due_at))
            if fired_at is not None:
                fired[ticket_id] = _req(from_ts(fired_at))
        other: Counter[str] = Counter()
        for (key,) in conn.execute(
            "SELECT key FROM timers WHERE state = 'fired' AND key NOT LIKE ?", (WARN_KEY,)
        ):
            parts = key.split(":")
            other[":".join(parts[2:]) if parts[0] == "sla" else parts[0]] += 1
        waits = [
            (_req(from_ts(sent)) - _req(from_ts(created))).total_seconds()
            for sent, created in conn.execute(
                "SELECT sent_at, created_at FROM outbox WHERE status = 'sent' "
                "AND payload LIKE '%⏰%'"
            )
        ]
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()
        return DbFacts(due, fired, waits, other, int(pending[0]))
    finally:
        conn.close()


def _req(value: datetime | None) -> datetime:
    assert value is not None
    return value


# --------------------------------------------------------------------------- bot process


class BotProcess:
    """``run_bot.py`` as a subprocess; SIGTERM, then SIGKILL after a grace period."""

    def __init__(self, config: Path, base_url: str, log: Path,
                 profile: Path | None = None) -> None:
        self.config = config
        self.base_url = base_url
        self.log = log
        self.profile = profile
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN,
               "TELEGRAM_API_BASE_URL": self.base_url, "PYTHONUNBUFFERED": "1"}
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                    "all_proxy"):
            env.pop(key, None)  # only loopback traffic
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        argv = [sys.executable]
        if self.profile is not None:
            argv += ["-m", "cProfile", "-o", str(self.profile)]
        argv += [str(ROOT / "run_bot.py"), "--config", str(self.config)]
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                *argv, cwd=ROOT, env=env, stdout=out, stderr=out,
                stdin=asyncio.subprocess.DEVNULL,
            )

    async def stop(self, grace: float = 20.0) -> int:
        if self.proc is None:
            return -1
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except TimeoutError:
                print(f"  bot ignored SIGTERM for {grace:g}s: killing it")
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode if self.proc.returncode is not None else -1


# --------------------------------------------------------------------------- one scenario


@dataclass
class Scenario:
    rate: float
    tickets: int
    build_seconds: float = 0.0
    ready_seconds: float = float("nan")  # spawn -> first getUpdates
    lateness: list[float] = field(default_factory=list)  # arrival - due (s)
    fire_lateness: list[float] = field(default_factory=list)  # fired_at - due (s)
    outbox_wait: list[float] = field(default_factory=list)
    received: int = 0
    unique: int = 0
    doubled: int = 0
    missing: int = 0
    delivery_span: float = float("nan")  # first to last warning arrival (s)
    other_fired: Counter[str] = field(default_factory=Counter)
    pending_outbox: int = 0
    exit_code: int = 0
    bot_cpu: float = float("nan")  # utime+stime of the bot process, spawn to stop (s)
    bot_main_cpu: float = float("nan")  # ... of its main thread (the rest: SQLite's thread)
    bench_cpu: float = float("nan")  # this process (emulator) over the same span (s)
    run_seconds: float = float("nan")  # spawn to stop (wall)
    api_calls: Counter[str] = field(default_factory=Counter)
    load: tuple[float, float] = (float("nan"), float("nan"))  # 1-min load average: spawn, stop
    code: str = ""  # the commit the bot ran


def process_cpu(pid: int, thread: int | None = None) -> float:
    """utime + stime of a process (all its threads) or of one thread, from /proc."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    with open(path, encoding="ascii") as f:
        raw = f.read()
    fields = raw[raw.rindex(")") + 2 :].split()  # comm may contain spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def code_version() -> str:
    """The commit of the bot code a run used, "+dirty" with uncommitted changes in bot/."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), *args],
                                  capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--", "bot", "run_bot.py") else "")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def write_config(work: Path, text: str) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    config = work / "hotline.toml"
    config.write_text(text, encoding="utf-8")
    return config


def file_megabytes(path: Path) -> float:
    return path.stat().st_size / 1e6


async def run_scenario(rate: float, args: argparse.Namespace, work: Path) -> Scenario:
    sc = Scenario(rate=rate, tickets=args.tickets)
    config = write_config(work, config_text(args.engineers, rate))
    # The bot is spawned at `spawn_at`; the first warning is due `lead` seconds later. The
    # build must finish before `spawn_at` (its budget is a knob; it is checked).
    spawn_at = time.time() + args.build_budget
    first_due = datetime.fromtimestamp(spawn_at + args.lead, UTC)
    print(f"[{rate:g}/s] building {args.tickets} tickets ...", flush=True)
    sc.build_seconds = await build_database(config, args.tickets, args.engineers, first_due,
                                            args.window)
    print(f"[{rate:g}/s] built in {sc.build_seconds:.1f}s "
          f"({file_megabytes(work / 'hotline.db'):.1f} MB)", flush=True)
    if time.time() > spawn_at:
        raise SystemExit(f"the build took {sc.build_seconds:.0f}s, more than --build-budget "
                         f"{args.build_budget:g}s: raise it")

    emu = BotApiEmulator(TOKEN, flood=FloodLimits(enabled=False))
    arrivals: list[tuple[float, int, int]] = []  # (wall time, chat, ticket)
    first_poll: list[float] = []

    def on_event(event: str, payload: dict[str, Any]) -> None:
        if event != "message" or not payload.get("from_bot"):
            return
        match = WARN_RE.match(payload.get("text") or "")
        if match:
            arrivals.append((time.time(), int(payload["chat_id"]), int(match.group(1))))

    emu.add_listener(on_event)
    # The first getUpdates marks the bot as ready: wrap the emulator's handler to see it
    # arrive (the call itself is a long poll and is recorded only when it returns).
    name, get_updates = emu._methods["getupdates"]

    async def timed_get_updates(params: Any) -> Any:
        if not first_poll:
            first_poll.append(time.time())
        return await get_updates(params)

    emu._methods["getupdates"] = (name, timed_get_updates)
    await emu.start()
    bot = BotProcess(config, emu.base_url, work / "bot.log", args.profile)
    try:
        for uid in staff_ids(args.engineers):
            emu.add_user(uid, f"Staff{uid}", language_code="zh")
            emu.send_text(uid, "/start")  # engineers must have started the bot
        await asyncio.sleep(max(0.0, spawn_at - time.time()))
        sc.code = await asyncio.to_thread(code_version)
        spawned = time.time()
        bench_cpu = time.process_time()
        load_at_spawn = os.getloadavg()[0]
        await bot.start()
        # Expected: the window, then the sender's pace, plus a generous margin.
        limit = args.lead + args.window + args.tickets / rate * 1.5 + args.grace
        deadline = time.monotonic() + limit
        shown = 0.0
        while len(arrivals) < args.tickets and time.monotonic() < deadline:
            if bot.proc is not None and bot.proc.returncode is not None:
                print(f"[{rate:g}/s] the bot exited early ({bot.proc.returncode}); "
                      f"see {work / 'bot.log'}")
                break
            await asyncio.sleep(0.5)
            if time.monotonic() - shown >= 10:
                shown = time.monotonic()
                print(f"[{rate:g}/s] {time.time() - spawned:5.0f}s after spawn: "
                      f"{len(arrivals)}/{args.tickets} warnings received", flush=True)
        await asyncio.sleep(args.settle)  # time for a doubled warning to show up
        if first_poll:
            sc.ready_seconds = first_poll[0] - spawned
        if bot.proc is not None and bot.proc.returncode is None:
            sc.bot_cpu = process_cpu(bot.proc.pid)
            sc.bot_main_cpu = process_cpu(bot.proc.pid, bot.proc.pid)
        sc.bench_cpu = time.process_time() - bench_cpu
        sc.run_seconds = time.time() - spawned
        sc.load = (load_at_spawn, os.getloadavg()[0])
    finally:
        sc.exit_code = await bot.stop()
        await emu.stop()
    sc.api_calls = Counter(call["method"] for call in emu.calls)

    facts = read_database(work / "hotline.db")
    counts = Counter(ticket for _, _, ticket in arrivals)
    sc.received = len(arrivals)
    sc.unique = len(counts)
    sc.doubled = sum(1 for n in counts.values() if n > 1)
    sc.missing = sum(1 for t in facts.due if t not in counts)
    first_arrival: dict[int, float] = {}
    for at, _, ticket in arrivals:
        first_arrival.setdefault(ticket, at)
    sc.lateness = [at - facts.due[t].timestamp() for t, at in first_arrival.items()
                   if t in facts.due]
    sc.fire_lateness = [(facts.fired[t] - facts.due[t]).total_seconds() for t in facts.fired]
    sc.outbox_wait = facts.outbox_wait
    sc.other_fired = facts.other_fired
    sc.pending_outbox = facts.pending_outbox
    if arrivals:
        sc.delivery_span = arrivals[-1][0] - arrivals[0][0]
    return sc


# --------------------------------------------------------------------------- report


def stats_row(label: str, values: list[float]) -> str:
    if not values:
        return f"| {label} | – | – | – | – |"
    return (f"| {label} | {percentile(values, 50):.3f} | {percentile(values, 99):.3f} | "
            f"{max(values):.3f} | {min(values):.3f} |")


def report(scenarios: list[Scenario], args: argparse.Namespace) -> str:
    lines = [
        f"{len(os.sched_getaffinity(0))} CPUs (nproc), Python {platform.python_version()}; "
        f"{args.tickets} tickets, warnings due over {args.window:g}s from "
        f"{args.lead:g}s after spawn; {args.engineers} engineer(s)",
        "",
    ]
    for sc in scenarios:
        lines += [
            f"### messages_per_second = {sc.rate:g}",
            "",
            f"- warnings received: {sc.received} ({sc.unique} tickets, {sc.doubled} doubled, "
            f"{sc.missing} missing) of {sc.tickets}",
            f"- bot ready (spawn → first getUpdates): {sc.ready_seconds:.2f}s; "
            f"DB build {sc.build_seconds:.1f}s",
            f"- first → last warning arrival: {sc.delivery_span:.1f}s "
            f"(≈ {sc.received / sc.delivery_span if sc.delivery_span else 0:.0f} msg/s)",
            f"- other timers fired during the run: {dict(sc.other_fired) or 'none'}; "
            f"outbox rows still pending at stop: {sc.pending_outbox}; bot exit code "
            f"{sc.exit_code}",
            f"- CPU over the {sc.run_seconds:.0f}s run: bot {sc.bot_cpu:.1f}s (main thread "
            f"{sc.bot_main_cpu:.1f}s, other threads {sc.bot_cpu - sc.bot_main_cpu:.1f}s), "
            f"this process "
            f"(emulator) {sc.bench_cpu:.1f}s; Bot API calls: {dict(sc.api_calls)}",
            f"- machine load (1-min load average) at spawn {sc.load[0]:.2f}, at stop "
            f"{sc.load[1]:.2f}; bot code {sc.code}",
            "",
            "| seconds | p50 | p99 | max | min |",
            "|---|---|---|---|---|",
            stats_row("lateness: emulator arrival − due_at", sc.lateness),
            stats_row("timer firing: fired_at − due_at", sc.fire_lateness),
            stats_row("outbox wait: sent_at − created_at", sc.outbox_wait),
            "",
        ]
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    scenarios = []
    with tempfile.TemporaryDirectory(prefix="bench-sla-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        for rate in args.rates:
            scenarios.append(await run_scenario(rate, args, base / f"rate-{rate:g}"))
    text = report(scenarios, args)
    print(text)
    ok = all(sc.received == sc.tickets and sc.unique == sc.tickets for sc in scenarios)
    if not ok:
        print("FAILED: not exactly one warning per ticket")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=60.0,
                        help="seconds over which the warnings fall due")
    parser.add_argument("--lead", type=float, default=20.0,
                        help="seconds from spawning the bot to the first due warning")
    parser.add_argument("--rates", type=float, nargs="+", default=[1000.0, 25.0],
                        help="messages_per_second of each scenario")
    parser.add_argument("--engineers", type=int, default=1,
                        help="owners of the tickets, round robin (each its own chat)")
    parser.add_argument("--build-budget", type=float, default=120.0,
                        help="seconds allowed for building the database before the spawn")
    parser.add_argument("--grace", type=float, default=600.0,
                        help="seconds allowed beyond the window and the sender's pace")
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds to wait after the last warning for doubles")
    parser.add_argument("--profile", type=Path, default=None,
                        help="run the bot under cProfile, writing this file")
    parser.add_argument("--keep", default=None, help="keep the work files in this folder")
    args = parser.parse_args()
    if args.profile is not None and len(args.rates) > 1:
        parser.error("--profile needs a single --rates value")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
