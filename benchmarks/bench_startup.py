"""Start-up time and memory with 100,000 tickets of which 10,000 are open.

The database gets its schema from the project's own migrations (``Database.open()``) and is
then filled in bulk (``executemany`` in one transaction): a year of closed tickets with their
timeline, stopped clocks, fired/cancelled timers and sent outbox rows, plus the open tickets,
reported during the last hour, with their running clocks and pending timers (the earliest due
an hour after the build, so nothing fires while the bot is measured). See ``build_database``
for the exact composition.

Each run copies the built file to a fresh folder, spawns ``run_bot.py`` against the in-process
strict Bot API emulator (127.0.0.1 only) and measures the time from spawn until the bot's first
``getUpdates`` reaches the emulator (the bot has opened the database, fired what was due and
started polling), the bot's CPU time by then, and ``VmRSS``/``VmHWM`` from
``/proc/<pid>/status`` ``--settle`` seconds later; then SIGTERM (SIGKILL after a grace
period). The same is done with an empty database (created by the bot's migrations at start).

    python benchmarks/bench_startup.py                      # 100,000 tickets, 3 runs each
    python benchmarks/bench_startup.py --tickets 10000 --open 1000 --repeats 1   # quick
    python benchmarks/bench_startup.py --profile /tmp/startup.prof   # one run under cProfile
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.sandbox.emulator import BotApiEmulator, FloodLimits  # noqa: E402
from bot.storage.db import Database, ts  # noqa: E402
from tests.support.configs import Person, hotline_config, policy_toml, project_toml  # noqa: E402

TOKEN = "123456:BENCH-STARTUP-TOKEN"
STAFF = [  # key, telegram id, role
    ("eng1", 1001, "engineer"),
    ("eng2", 1002, "engineer"),
    ("eng3", 1003, "engineer"),
    ("eng4", 1004, "engineer"),
    ("cm", 1005, "customer_manager"),
    ("pm", 1006, "project_manager"),
    ("lead", 1007, "project_lead"),
]
ENGINEERS = [key for key, _, role in STAFF if role == "engineer"]
CUSTOMER_BASE = 100_000
CUSTOMERS = 20_000
CLOCKS = ("respond", "arrive", "repair")
# Long targets, so the open tickets' pending timers all fall due after the measurement.
TARGETS = {"respond": 4 * 3600.0, "arrive": 8 * 3600.0, "repair": 24 * 3600.0}
# --overdue: short targets, so that the open tickets' timers fell due while the bot was down.
OVERDUE_TARGETS = {"respond": 60.0, "arrive": 120.0, "repair": 300.0}
WARN = ((0.5, "50pct"), (0.8, "80pct"))

def config_text() -> str:
    staff = [Person(k, f"Staff {k}", uid, role, f"1380000{uid:04d}") for k, uid, role in STAFF]
    village = project_toml(
        on_duty=["eng1", "eng2"], members=["eng3", "eng4"], escalation=["cm", "pm", "lead"]
    )
    policy = policy_toml(respond="4h", arrive="8h", repair="24h", warn=["50%", "80%"])
    return hotline_config(staff=staff, projects=[village], policies=policy)


# --------------------------------------------------------------------------- database


@dataclass
class Built:
    seconds: float
    megabytes: float
    rows: dict[str, int]


class Rows:
    """Rows per table, inserted with executemany in chunks."""

    def __init__(self) -> None:
        self.tables: dict[str, tuple[str, list[tuple[Any, ...]]]] = {}

    def add(self, table: str, columns: str, row: tuple[Any, ...]) -> None:
        self.tables.setdefault(table, (columns, []))[1].append(row)


def _payload(chat_id: int, text: str, buttons: bool) -> str:
    body: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
    if buttons:
        body["reply_markup"] = {"inline_keyboard": [[
            {"text": "接单 Accept", "callback_data": "t:acc:1"},
            {"text": "详情 Details", "callback_data": "t:show:1"},
        ]]}
    return json.dumps(body, ensure_ascii=False)


def generate(
    tickets: int,
    open_tickets: int,
    now: datetime,
    rng: random.Random,
    targets: dict[str, float] = TARGETS,
) -> Rows:
    """Closed tickets over the past year; the newest ``open_tickets`` are still open."""
    rows = Rows()
    user_columns = ("telegram_id, first_name, language, project_key, name, unit, phone, "
                    "profile_done, started_at, created_at")
    for key, uid, _ in STAFF:
        rows.add("users", user_columns,
                 (uid, f"Staff {key}", "zh", None, f"Staff {key}", "", f"1380000{uid:04d}", 1,
                  ts(now - timedelta(days=400)), ts(now - timedelta(days=400))))
    for c in range(CUSTOMERS):
        uid = CUSTOMER_BASE + c
        joined = ts(now - timedelta(days=400 - c % 365))
        rows.add("users", user_columns,
                 (uid, f"Customer{uid}", "zh", "village", f"Customer {uid}",
                  f"Village {c % 500} police station", f"139{uid:08d}", 1, joined, joined))
    closed = tickets - open_tickets
    year = 365 * 86400.0
    for n in range(tickets):
        tid = n + 1
        is_open = n >= closed
        if is_open:  # reported during the last hour
            reported = now - timedelta(seconds=3600 * (tickets - n) / max(1, open_tickets))
        else:
            reported = now - timedelta(seconds=year * (closed - n) / max(1, closed) + 3600)
        customer = CUSTOMER_BASE + rng.randrange(CUSTOMERS)
        owner = ENGINEERS[n % len(ENGINEERS)]
        level = "ABC"[n % 3]
        stage = 6 if not is_open else n % 4  # 0 new, 1 accepted, 2 on way, 3 on site, 6 closed
        at = {
            "reported": reported,
            "accepted": reported + timedelta(minutes=5 + n % 7),
            "on_way": reported + timedelta(minutes=12 + n % 11),
            "on_site": reported + timedelta(minutes=50 + n % 23),
            "resolved": reported + timedelta(minutes=130 + n % 37),
            "closed": reported + timedelta(minutes=190 + n % 53),
        }
        if is_open:  # the open tickets moved along only within the last hour
            span = (now - reported) / 5
            at.update(accepted=reported + span, on_way=reported + 2 * span,
                      on_site=reported + 3 * span)
        events = ["reported", "accepted", "on_way", "on_site", "resolved", "closed"][:stage + 1]
        status = {0: "new", 1: "accepted", 2: "on_way", 3: "on_site", 6: "closed"}[stage]

        def when(event: str, events: list[str] = events, at: dict[str, datetime] = at) -> Any:
            return ts(at[event]) if event in events else None

        respond_due = reported + timedelta(seconds=targets["respond"])
        arrive_due = reported + timedelta(seconds=targets["arrive"])
        repair_due = (at["on_site"] + timedelta(seconds=targets["repair"])
                      if "on_site" in events else None)
        rows.add(
            "tickets",
            "id, project_key, customer_id, level, status, reported_at, respond_due, arrive_due, "
            "repair_due, site, symptom, model, contact_name, contact_unit, contact_phone, "
            "owner_key, accepted_at, on_way_at, on_site_at, resolved_at, closed_at, cause, "
            "resolution, version",
            (tid, "village", customer, level, status, ts(reported), ts(respond_due),
             ts(arrive_due), None if repair_due is None else ts(repair_due),
             f"Village {n % 500} police station, No. {n % 97} Main Road",
             "The query terminal shows a network error and cannot reach the server",
             f"QT-{n % 40:03d}", f"Customer {customer}", f"Village {n % 500} police station",
             f"139{customer:08d}", owner if stage >= 1 else None, when("accepted"),
             when("on_way"), when("on_site"), when("resolved"), when("closed"),
             "hardware" if stage == 6 else "", "Replaced the network card" if stage == 6 else "",
             len(events)),
        )
        for event in events:
            actor = f"customer:{customer}" if event in ("reported", "closed") else \
                f"staff:{owner}"
            detail = {"level": level} if event == "reported" else {}
            rows.add("ticket_events", "ticket_id, at, actor, kind, detail",
                     (tid, ts(at[event]), actor, event, json.dumps(detail)))
        # Clocks: respond (reported -> accepted), arrive (-> on site), repair (on site ->
        # resolved); a clock's timers are its two warnings and its deadline.
        spans = {
            "respond": ("reported", "accepted"),
            "arrive": ("reported", "on_site"),
            "repair": ("on_site", "resolved"),
        }
        for clock, (start, stop) in spans.items():
            if start not in events:
                continue
            started = at[start]
            stopped = at[stop] if stop in events else None
            target = targets[clock]
            rows.add("ticket_clocks", "ticket_id, name, started_at, target_seconds, stopped_at",
                     (tid, clock, ts(started), target,
                      None if stopped is None else ts(stopped)))
            points = [(f"warn:{key}", "sla_warn", started + timedelta(seconds=target * f))
                      for f, key in WARN]
            points.append(("due", "sla_breach", started + timedelta(seconds=target)))
            for suffix, kind, due in points:
                if stopped is None:
                    state, fired = "pending", None
                elif due <= stopped:
                    state, fired = "fired", ts(due)
                else:
                    state, fired = "cancelled", None
                rows.add("timers", "key, kind, ticket_id, due_at, state, payload, fired_at",
                         (f"sla:{tid}:{clock}:{suffix}", kind, tid, ts(due), state,
                          json.dumps({"clock": clock}), fired))
        # What the bot sent about the ticket (the outbox keeps every row).
        sends = [(customer, "reported", "ticket.receipt", False)]
        sends += [(1001, "reported", "page", True), (1002, "reported", "page", True)]
        if stage >= 1:
            sends += [(customer, "accepted", "", False), (1001, "accepted", "", True)]
        if stage >= 3:
            sends += [(customer, "on_site", "", False)]
        if stage == 6:
            sends += [(customer, "resolved", "", True), (1001, "closed", "", False)]
        for i, (chat, event, purpose, buttons) in enumerate(sends):
            text = (f"🔧 工单 #{tid}（{level} 级）{event}：Village {n % 500} police station — "
                    "The query terminal shows a network error and cannot reach the server. "
                    f"联系人 Customer {customer} 139{customer:08d}")
            sent = at[event] + timedelta(seconds=1 + i)
            rows.add("outbox", "chat_id, method, payload, ticket_id, purpose, status, attempts, "
                     "next_attempt_at, created_at, sent_at, message_id",
                     (chat, "sendMessage", _payload(chat, text, buttons), tid,
                      "page" if purpose == "page" else "", "sent", 1, ts(sent), ts(sent),
                      ts(sent), tid * 10 + i))
    return rows


async def build_database(
    path: Path, tickets: int, open_tickets: int, overdue: bool = False
) -> Built:
    started = time.monotonic()
    now = datetime.now(UTC)
    targets = OVERDUE_TARGETS if overdue else TARGETS
    rows = await asyncio.to_thread(
        generate, tickets, open_tickets, now, random.Random(7), targets
    )
    db = Database(path)
    await db.open()  # the project's migrations make the schema
    counts: dict[str, int] = {}
    try:
        async with db.transaction() as conn:
            for table, (columns, values) in rows.tables.items():
                marks = ",".join("?" * len(columns.split(",")))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                for i in range(0, len(values), 20_000):
                    await conn.executemany(sql, values[i : i + 20_000])
                counts[table] = len(values)
        await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    finally:
        await db.close()
    return Built(time.monotonic() - started, await asyncio.to_thread(_megabytes, path), counts)


def _megabytes(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


# --------------------------------------------------------------------------- one start


@dataclass
class Start:
    ready: float  # spawn -> first getUpdates (s)
    first_reply: float  # first getUpdates -> the bot's answer to a /whoami sent then
    cpu_at_ready: float  # bot utime+stime by then (s)
    rss_kb: int
    hwm_kb: int
    load: float  # 1-min load average at spawn
    code: str  # the commit the bot ran
    all_fired: float | None = None  # --overdue: spawn -> no overdue timer left pending (s)


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


def proc_status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def process_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        raw = f.read()
    fields = raw[raw.rindex(")") + 2 :].split()  # comm may contain spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare_run(work: Path, source: Path | None) -> Path:
    """A fresh folder with the config and a copy of the built database (if any)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / "hotline.toml").write_text(config_text(), encoding="utf-8")
    if source is not None:
        shutil.copyfile(source, work / "hotline.db")
    return work / "hotline.toml"


async def overdue_fired(db: Path, spawned: float, seconds: float) -> float:
    """Seconds from spawn until no timer due before the spawn is pending any more."""
    due = datetime.fromtimestamp(spawned, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    deadline = time.monotonic() + seconds

    def pending() -> int:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            row = conn.execute(
                "SELECT count(*) FROM timers WHERE state = 'pending' AND due_at <= ?", (due,)
            ).fetchone()
        return int(row[0])

    while time.monotonic() < deadline:  # the bot's file, read from outside: polled
        if not await asyncio.to_thread(pending):
            break
        await asyncio.sleep(0.25)
    return time.time() - spawned


def last_outbox_id(db: Path) -> int:
    """The newest outbox row before the bot starts (the built history's)."""
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0])


async def delivered_once(
    db: Path, emu: BotApiEmulator, after_id: int, seconds: float
) -> tuple[int, int, int, int]:
    """Once the outbox is empty (or after `seconds`): (messages the bot queued and recorded
    as sent since it started, those Telegram received more than once, those it never
    received, those still queued), comparing the outbox with the emulator's accepted
    sendMessage calls by chat and text."""
    deadline = time.monotonic() + seconds

    def outbox() -> tuple[int, Counter[tuple[int, str]]]:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            pending = conn.execute(
                "SELECT count(*) FROM outbox WHERE status = 'pending'"
            ).fetchone()[0]
            rows = conn.execute(
                "SELECT chat_id, payload FROM outbox WHERE status = 'sent' "
                "AND method = 'sendMessage' AND id > ?", (after_id,)
            ).fetchall()
        return int(pending), Counter((int(c), json.loads(p)["text"]) for c, p in rows)

    while True:
        pending, sent = await asyncio.to_thread(outbox)
        if not pending or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    received = Counter(
        (int(c["params"]["chat_id"]), str(c["params"]["text"]))
        for c in emu.calls
        if c["ok"] and c["method"] == "sendMessage"
    )
    twice = sum(max(0, received[k] - n) for k, n in sent.items())
    missing = sum(max(0, n - received[k]) for k, n in sent.items())
    for chat, text in [k for k, n in sent.items() if n > received[k]][:3]:
        print(f"  recorded as sent, not received: chat {chat}: {text[:100]!r}")
    return sum(sent.values()), twice, missing, pending


async def one_start(config: Path, args: argparse.Namespace, profile: Path | None) -> Start:
    emu = BotApiEmulator(TOKEN, flood=FloodLimits(enabled=False))
    first_poll: list[float] = []
    name, get_updates = emu._methods["getupdates"]

    async def timed_get_updates(params: Any) -> Any:
        if not first_poll:
            first_poll.append(time.time())
        return await get_updates(params)

    emu._methods["getupdates"] = (name, timed_get_updates)
    await emu.start()
    for _, uid, _ in STAFF:
        emu.add_user(uid, f"Staff{uid}", language_code="zh")
        emu.send_text(uid, "/start")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": emu.base_url,
           "PYTHONUNBUFFERED": "1"}
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                "all_proxy"):
        env.pop(key, None)  # only loopback traffic
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    argv = [sys.executable]
    if profile is not None:
        argv += ["-m", "cProfile", "-o", str(profile)]
    argv += [str(ROOT / "run_bot.py"), "--config", str(config)]
    log = await asyncio.to_thread(open, config.parent / "bot.log", "ab")
    proc: asyncio.subprocess.Process | None = None
    try:
        code = await asyncio.to_thread(code_version)
        load = os.getloadavg()[0]
        history = await asyncio.to_thread(last_outbox_id, config.parent / "hotline.db")
        spawned = time.time()
        proc = await asyncio.create_subprocess_exec(
            *argv, cwd=ROOT, env=env, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL
        )
        deadline = time.monotonic() + args.timeout
        while not first_poll:
            if proc.returncode is not None or time.monotonic() > deadline:
                raise SystemExit(f"the bot did not start polling (exit {proc.returncode}); "
                                 f"see {config.parent / 'bot.log'}")
            await asyncio.sleep(0.005)
        ready = first_poll[0] - spawned
        cpu = process_cpu(proc.pid)
        # A person writes the moment the bot polls: how long until they are answered (the
        # timers that fell due while the bot was down are firing meanwhile).
        uid = STAFF[0][1]
        seen = emu.bot_messages(uid)
        asked = time.time()
        emu.send_text(uid, "/whoami")
        await emu.wait_for_message(
            uid, lambda m: "Telegram" in (m.text or "") and str(uid) in (m.text or ""),
            timeout=args.timeout, after=seen[-1].message_id if seen else 0,
        )
        first_reply = time.time() - asked
        drained = None
        if args.overdue:  # every timer that fell due while the bot was down fires, once
            drained = await overdue_fired(config.parent / "hotline.db", spawned, args.timeout)
            sent, twice, missing, queued = await delivered_once(
                config.parent / "hotline.db", emu, history, args.timeout
            )
            print(f"  overdue timers' messages: {sent} recorded as sent, {twice} received "
                  f"twice, {missing} never received; {queued} still queued", flush=True)
        await asyncio.sleep(args.settle)
        status = proc_status(proc.pid)
        return Start(ready, first_reply, cpu, status["VmRSS"], status["VmHWM"], load, code,
                     drained)
    finally:
        if proc is not None and proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), args.grace)
            except TimeoutError:
                print(f"  the bot ignored SIGTERM for {args.grace:g}s: killing it")
                proc.kill()
                await proc.wait()
        log.close()
        await emu.stop()


# --------------------------------------------------------------------------- main


def summary(label: str, starts: list[Start]) -> str:
    med = statistics.median

    def spread(values: list[float], fmt: str) -> str:
        return ", ".join(format(v, fmt) for v in values)

    return (
        f"| {label} | {med(s.ready for s in starts):.2f} "
        f"({spread([s.ready for s in starts], '.2f')}) | "
        f"{med(s.first_reply for s in starts):.2f} "
        f"({spread([s.first_reply for s in starts], '.2f')}) | "
        f"{med(s.cpu_at_ready for s in starts):.2f} | "
        f"{med(s.rss_kb for s in starts) / 1024:.1f} "
        f"({spread([s.rss_kb / 1024 for s in starts], '.1f')}) | "
        f"{med(s.hwm_kb for s in starts) / 1024:.1f} | "
        f"{spread([s.load for s in starts], '.2f')} |"
    )


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        await asyncio.to_thread(base.mkdir, parents=True, exist_ok=True)
        built_path = base / "built" / "hotline.db"
        await asyncio.to_thread(prepare_run, built_path.parent, None)
        print(f"building {args.tickets} tickets ({args.open} open) ...", flush=True)
        built = await build_database(built_path, args.tickets, args.open, args.overdue)
        print(f"built in {built.seconds:.1f}s: {built.megabytes:.1f} MB, rows {built.rows}",
              flush=True)
        if args.profile is not None:
            config = await asyncio.to_thread(prepare_run, base / "profile", built_path)
            start = await one_start(config, args, args.profile)
            print(f"profiled start: ready {start.ready:.2f}s; profile in {args.profile}")
            return 0
        results: dict[str, list[Start]] = {"full": [], "empty": []}
        for i in range(args.repeats):
            for label, source in (("full", built_path), ("empty", None)):
                config = await asyncio.to_thread(prepare_run, base / f"{label}-{i + 1}", source)
                start = await one_start(config, args, None)
                results[label].append(start)
                print(f"run {i + 1} {label}: ready {start.ready:.2f}s, "
                      f"first reply {start.first_reply:.2f}s after the first poll, "
                      + (f"every overdue timer fired {start.all_fired:.1f}s after spawn, "
                         if start.all_fired is not None else "")
                      + f"cpu {start.cpu_at_ready:.2f}s, RSS {start.rss_kb / 1024:.1f} MB, "
                      f"HWM {start.hwm_kb / 1024:.1f} MB",
                      flush=True)
    print()
    print(f"{len(os.sched_getaffinity(0))} CPUs (nproc), Python {platform.python_version()}; "
          f"database {built.megabytes:.1f} MB ({args.tickets} tickets, {args.open} open); "
          f"medians of {args.repeats} runs (each run's value in brackets)")
    print(f"rows: {built.rows}")
    codes = sorted({s.code for starts in results.values() for s in starts})
    print(f"bot code: {', '.join(codes)}")
    print()
    print("| database | ready: spawn → first getUpdates (s) | first reply after it (s) | "
          f"bot CPU by then (s) | VmRSS {args.settle:g}s later (MB) | VmHWM (MB) | "
          "load avg at spawn |")
    print("|---|---|---|---|---|---|---|")
    print(summary(f"{args.tickets:,} tickets, {args.open:,} open", results["full"]))
    print(summary("empty", results["empty"]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds after the first getUpdates before reading the RSS")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed from spawn to the first getUpdates")
    parser.add_argument("--grace", type=float, default=20.0,
                        help="seconds between SIGTERM and SIGKILL")
    parser.add_argument("--profile", type=Path, default=None,
                        help="one start under cProfile (writes this file), no measurement")
    parser.add_argument("--keep", default=None, help="keep the work files in this folder")
    parser.add_argument("--overdue", action="store_true",
                        help="short deadlines: the open tickets' timers fell due while the bot "
                        "was down (with --open 3000: about 10 000 overdue timers)")
    args = parser.parse_args()
    if args.open > args.tickets:
        parser.error("--open cannot exceed --tickets")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
