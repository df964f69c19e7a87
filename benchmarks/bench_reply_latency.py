"""Replies first: how long a customer waits for the bot's answer while thousands of reminders
are queued.

The hotline bot (``run_bot.py``, temporary config and database) runs as a subprocess against
the in-process Bot API emulator with Telegram's flood limits on (30 messages/s overall, about
1/s per chat after a burst) and its default ``messages_per_second = 25``. Staff open the bot,
``--customers`` customers register; then ``--reminders`` reminders (outbox rows of the
reminder class, as a storm of deadline reminders leaves them) are written into the database
for ``--reminders / 20`` engineers' chats, and the bot starts sending them at Telegram's pace.
A few seconds later every customer runs a full /report dialog (level C; by default with zero
think time, ``--think S``: S seconds to read each question before answering it).

Measured: each step's wait, from the customer's message or button press to the bot's answer
(p50, p95, max over all steps of all dialogs), and, once the queue has drained, that every
reminder arrived exactly once. Before the priority classes (issue 13) a reply queued behind
the reminders: minutes at 25 messages/s.

    python benchmarks/bench_reply_latency.py                     # 10 000 reminders, ~7 min
    python benchmarks/bench_reply_latency.py --reminders 2000    # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench_report_dialogs import STEPS
from common import (
    TOKEN,
    BotApiEmulator,
    BotProcess,
    FloodLimits,
    Inbox,
    Message,
    button_data,
    hotline_argv,
    join_customer,
    join_staff,
    machine_description,
    median,
    percentile,
    write_config,
)

CUSTOMERS_BASE = 100_000
ENGINEERS_BASE = 200_000  # the reminders' recipients (they opened the bot before)
PER_CHAT = 20
REMINDER_RE = re.compile(r"reminder (\d+)$")


def queue_reminders(db: Path, chats: list[int], count: int) -> None:
    """`count` reminder rows, round-robin over `chats`, straight into the outbox."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with sqlite3.connect(db, timeout=30) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(outbox)")}
        has_priority = "priority" in columns  # before issue 13 there were no classes
        rows = []
        for n in range(count):
            chat = chats[n % len(chats)]
            payload = json.dumps({"chat_id": chat, "text": f"⏰ reminder {n}"})
            row = [chat, "sendMessage", payload, "reminder", now, now]
            rows.append([*row, 2] if has_priority else row)
        sql = ("INSERT INTO outbox (chat_id, method, payload, purpose, next_attempt_at, "
               "created_at" + (", priority) VALUES (?,?,?,?,?,?,?)" if has_priority
                               else ") VALUES (?,?,?,?,?,?)"))
        conn.executemany(sql, rows)


async def dialog(
    emu: BotApiEmulator, inbox: Inbox, uid: int, seconds: float, think: float
) -> list[float]:
    """One customer's /report; each step's wait for the bot's answer (the customer takes
    `think` seconds to read each question before answering it)."""
    waits = []
    target: Message | None = None
    for step, ((kind, value), expect) in enumerate(STEPS):
        if step and think:
            await asyncio.sleep(think)
        index = inbox.count(uid)
        t = time.perf_counter()
        if kind == "send":
            emu.send_text(uid, value)
        else:
            assert target is not None
            data = button_data(target, value)
            assert data is not None
            emu.press(uid, int(target["message_id"]), data)
        _, target = await inbox.wait(uid, index, expect, seconds)
        waits.append(time.perf_counter() - t)
    return waits


async def run(args: argparse.Namespace, work: Path) -> int:
    config = write_config(work, 25.0)
    emu = BotApiEmulator(TOKEN, flood=FloodLimits())
    await emu.start()
    inbox = Inbox(emu)
    bot = BotProcess(hotline_argv(config), emu.base_url, work / "hotline.log", "hotline bot")
    customers = [CUSTOMERS_BASE + i for i in range(1, args.customers + 1)]
    engineers = [ENGINEERS_BASE + i for i in range(max(1, args.reminders // PER_CHAT))]
    failures = []
    try:
        await bot.start()
        await join_staff(emu, inbox, 120)
        await asyncio.gather(*(join_customer(emu, inbox, uid, 300) for uid in customers))
        for uid in engineers:
            emu.add_user(uid, f"Engineer{uid}", started=True)
        await asyncio.sleep(2.0)  # the registrations' last messages go out
        t_queue = time.perf_counter()
        await asyncio.to_thread(queue_reminders, work / "hotline.db", engineers, args.reminders)
        print(f"  {args.reminders} reminders queued for {len(engineers)} chats; "
              f"{len(customers)} dialogs start in {args.lead:g} s (think time "
              f"{args.think:g} s)", flush=True)
        await asyncio.sleep(args.lead)
        t0 = time.perf_counter()
        results = await asyncio.gather(
            *(dialog(emu, inbox, uid, args.timeout, args.think) for uid in customers),
            return_exceptions=True,
        )
        took = time.perf_counter() - t0
        waits = [w for r in results if isinstance(r, list) for w in r]
        failures += [str(r)[:300] for r in results if isinstance(r, BaseException)]
        done = sum(isinstance(r, list) for r in results)
        sent_before = sum(1 for m in inbox.messages.get(engineers[0], []))
        print(f"  {done}/{len(customers)} dialogs done in {took:.1f} s; every step's wait for "
              f"the bot's answer ({len(waits)} steps): p50 {median(waits):.2f} s, p95 "
              f"{percentile(waits, 95):.2f} s, max {max(waits, default=0):.2f} s", flush=True)
        # Every reminder still arrives, exactly once (at Telegram's pace: minutes).
        deadline = time.perf_counter() + args.reminders / 20 + 120
        seen: Counter[int] = Counter()
        while time.perf_counter() < deadline:
            seen = Counter(
                int(found.group(1))
                for uid in engineers
                for m in inbox.messages.get(uid, [])
                if (found := REMINDER_RE.search(m.get("text") or ""))
            )
            if len(seen) >= args.reminders:
                break
            await asyncio.sleep(2.0)
        twice = sum(1 for n in seen.values() if n > 1)
        print(f"  reminders delivered: {len(seen)}/{args.reminders} distinct, {twice} twice; "
              f"all sent {time.perf_counter() - t_queue:.0f} s after they were queued "
              f"({sent_before} had reached the first chat when the dialogs ended)", flush=True)
        if len(seen) != args.reminders or twice:
            failures.append("reminders lost or repeated")
    finally:
        code = await bot.stop()
        await emu.stop()
    if code != 0 or "Traceback" in bot.output():
        failures.append(f"bot exited with {code}; log {bot.log}:\n{bot.output()[-2000:]}")
    for failure in failures[:5]:
        print(f"  FAILURE: {failure}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a customer takes to read a question and answer it "
                        "(default 0: answers the moment it arrives)")
    parser.add_argument("--lead", type=float, default=5.0,
                        help="seconds between queueing the reminders and the first /report")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds a step may wait for its answer")
    parser.add_argument("--tmpdir", help="where the temporary database goes (default: TMPDIR)")
    args = parser.parse_args()
    print(machine_description())
    with tempfile.TemporaryDirectory(prefix="hotline-bench-", dir=args.tmpdir) as tmp:
        return asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
