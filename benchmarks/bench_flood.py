"""A stuck client: one customer sends 100 messages at once while others ask the bot something.

The hotline bot (``run_bot.py``, temporary config and database) runs as a subprocess against
the in-process Bot API emulator with Telegram's flood limits on. Staff open the bot, the
flooder and ``--others`` customers register. Then the flooder's ``--flood`` messages are put
in the update queue at once, and in the middle of them each other customer sends /my.

Measured: each other customer's wait for the answer to /my (p50, max); what the flooder got
(replies, slow-down answers) and the outbox rows written for them. ``--burst 1000`` lifts the
guard ([guard] burst) to compare with a bot that handles everything.

    python benchmarks/bench_flood.py                 # the default guard
    python benchmarks/bench_flood.py --burst 1000    # as before the guard
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import (
    TOKEN,
    BotApiEmulator,
    BotProcess,
    FloodLimits,
    Inbox,
    contains,
    hotline_argv,
    join_customer,
    join_staff,
    machine_description,
    median,
)

from tests.support.configs import VILLAGE_PROJECT, hotline_config  # (common: on sys.path)

FLOODER = 100_000
OTHERS_BASE = 100_100
SLOW = "消息太多太快"


async def run(args: argparse.Namespace, work: Path) -> int:
    config = work / "hotline.toml"
    config.write_text(hotline_config(projects=[VILLAGE_PROJECT], guard_burst=args.burst),
                      encoding="utf-8")
    emu = BotApiEmulator(TOKEN, flood=FloodLimits())
    await emu.start()
    inbox = Inbox(emu)
    bot = BotProcess(hotline_argv(config), emu.base_url, work / "hotline.log", "hotline bot")
    others = [OTHERS_BASE + i for i in range(args.others)]
    try:
        await bot.start()
        await join_staff(emu, inbox, 60)
        for uid in [FLOODER, *others]:
            await join_customer(emu, inbox, uid, 60)
        await asyncio.sleep(args.burst_refill)  # the joining used some of each bucket
        rows_before = _outbox_rows(work / "hotline.db")
        before = inbox.count(FLOODER)
        starts = {uid: inbox.count(uid) for uid in others}
        half = args.flood // 2
        for i in range(half):
            emu.send_text(FLOODER, f"hello {i}")
        asked = time.monotonic()
        for uid in others:
            emu.send_text(uid, "/my")
        for i in range(half, args.flood):
            emu.send_text(FLOODER, f"hello {i}")

        async def answered(uid: int) -> float:
            await inbox.wait(uid, starts[uid], contains("我的未结工单"), 60)
            return time.monotonic() - asked

        waits = await asyncio.gather(*(answered(uid) for uid in others))
        await asyncio.sleep(args.settle)
        got = inbox.messages.get(FLOODER, [])[before:]
        slow = sum(1 for m in got if SLOW in (m.get("text") or ""))
        rows = _outbox_rows(work / "hotline.db") - rows_before
    finally:
        await bot.stop()
        await emu.stop()
    print(machine_description())
    print(f"guard burst: {'default (20)' if args.burst is None else args.burst}; "
          f"{args.flood} messages of one customer at once, /my from {args.others} others")
    print(f"others' wait for /my: p50 {median(list(waits)):.2f} s, max {max(waits):.2f} s")
    print(f"flooder: {len(got)} messages received within {args.settle:g} s after the others "
          f"were answered ({slow} slow-down); outbox rows written for the flooder by the "
          f"flood: {rows}")
    return 0


def _outbox_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:  # WAL: a reader beside the bot's writer
        (rows,) = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (FLOODER,)
        ).fetchone()
    return int(rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--flood", type=int, default=100, help="the flooder's messages (100)")
    p.add_argument("--others", type=int, default=10, help="other customers asking (10)")
    p.add_argument("--burst", type=int, default=None,
                   help="[guard] burst, at most 1000 (default: the config's default, 20)")
    p.add_argument("--burst-refill", type=float, default=5.0, help=argparse.SUPPRESS)
    p.add_argument("--settle", type=float, default=5.0,
                   help="seconds to count the flooder's answers after the others' (5)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as tmp:
        return asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
