"""Per-update handling cost: a bare PTB echo bot versus the hotline bot, in one run.

Both bots run as subprocesses against the same in-process Bot API emulator (flood limits off,
127.0.0.1 only). Each gets ``--updates`` plain text messages from ``--users`` users after a
warm-up; every message must get exactly one reply (the echo, or the hotline's idle hint for a
registered customer with no open dialog). The cost is the bot process's CPU time (utime+stime
of all its threads, from /proc/<pid>/stat) between the first measured update and the last
reply, divided by the number of updates. The emulator and the simulated users run in this
process, so their cost is not in the figure (it is shown separately as "bench"). The bots
alternate over ``--rounds`` rounds (fresh processes, the hotline keeps its database), and the
median round of each is compared: a noisy machine hits both.

    python benchmarks/bench_update_cost.py                  # 3 rounds x 2000 updates, 20 users
    python benchmarks/bench_update_cost.py --updates 200 --rounds 1   # a quick look
    python benchmarks/bench_update_cost.py --mode burst     # all updates queued at once
    python benchmarks/bench_update_cost.py --unpaced        # the hotline's own pacing off
    python benchmarks/bench_update_cost.py --profile /tmp/hotline.prof   # hotline under cProfile
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import (
    BENCH_DIR,
    TOKEN,
    BotApiEmulator,
    BotProcess,
    CpuTimes,
    FloodLimits,
    Inbox,
    Message,
    hotline_argv,
    join_customer,
    machine_description,
    write_config,
)

ECHO_USERS_BASE = 7000
HOTLINE_USERS_BASE = 8000
IDLE_HINT = "如需报障请发送 /report"  # catalog "hint.idle" (zh)
SETTLE_SECONDS = 0.5  # after the last reply: time for a stray second reply to show up

Expect = Callable[[Message, str], bool]


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    cpu: CpuTimes
    bench_cpu: float  # this process: emulator + simulated users

    @property
    def per_update_us(self) -> float:
        return self.cpu.total / self.updates * 1e6

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds


def split(total: int, users: list[int]) -> dict[int, int]:
    base, extra = divmod(total, len(users))
    return {uid: base + (1 if i < extra else 0) for i, uid in enumerate(users)}


async def drive(
    emu: BotApiEmulator,
    inbox: Inbox,
    counts: dict[int, int],
    *,
    tag: str,
    mode: str,
    expect: Expect,
    reply_seconds: float,
    think: float = 0.0,
) -> None:
    """Send the messages and wait for every reply; raise if any reply is wrong or missing."""
    base = {uid: inbox.count(uid) for uid in counts}
    sent: dict[int, list[str]] = {uid: [] for uid in counts}
    if mode == "closed":
        # Each user sends the next message as soon as the previous one is answered (and,
        # with --think, that many seconds later: the same arrival rate for both bots).
        async def user(uid: int) -> None:
            for i in range(counts[uid]):
                text = f"{tag} {uid} {i} 摄像头离线"
                start = inbox.count(uid)
                sent[uid].append(text)
                emu.send_text(uid, text)
                await inbox.wait(uid, start, lambda m: True, reply_seconds)
                if think:
                    await asyncio.sleep(think)

        await asyncio.gather(*(user(uid) for uid in counts))
    else:
        # Burst: every message is queued before the bot sees the first one.
        for i in range(max(counts.values(), default=0)):
            for uid, n in counts.items():
                if i < n:
                    text = f"{tag} {uid} {i} 摄像头离线"
                    sent[uid].append(text)
                    emu.send_text(uid, text)
        await asyncio.gather(
            *(inbox.wait_count(uid, base[uid] + n, reply_seconds) for uid, n in counts.items())
        )
    await asyncio.sleep(SETTLE_SECONDS)
    problems = []
    for uid, texts in sent.items():
        replies = inbox.messages.get(uid, [])[base[uid]:]
        if len(replies) != len(texts):
            problems.append(f"user {uid}: {len(texts)} messages, {len(replies)} replies")
            continue
        for text, reply in zip(texts, replies, strict=True):
            if not expect(reply, text):
                problems.append(f"user {uid}: {text!r} answered with {reply.get('text')!r}")
                break
    if problems:
        raise RuntimeError("replies are not one per update:\n  " + "\n  ".join(problems[:10]))


async def measure(
    name: str,
    bot: BotProcess,
    emu: BotApiEmulator,
    inbox: Inbox,
    users: list[int],
    args: argparse.Namespace,
    expect: Expect,
) -> Result:
    if args.warmup:
        await drive(emu, inbox, split(args.warmup, users), tag="warm-up", mode=args.mode,
                    expect=expect, reply_seconds=args.timeout)
    counts = split(args.updates, users)
    cpu0, bench0, t0 = bot.cpu(), time.process_time(), time.perf_counter()
    # The SETTLE_SECONDS sleep inside drive() is taken off the wall time below.
    await drive(emu, inbox, counts, tag="measured", mode=args.mode, expect=expect,
                reply_seconds=args.timeout, think=args.think)
    t1, bench1, cpu1 = time.perf_counter(), time.process_time(), bot.cpu()
    return Result(name, args.updates, t1 - t0 - SETTLE_SECONDS, cpu1 - cpu0, bench1 - bench0)


def echo_expect(reply: Message, text: str) -> bool:
    return reply.get("text") == text


def hotline_expect(reply: Message, text: str) -> bool:
    return IDLE_HINT in (reply.get("text") or "")


async def finish(bot: BotProcess) -> None:
    code = await bot.stop()
    out = bot.output()
    if code != 0 or "Traceback" in out:
        print(f"  warning: {bot.name} exited with {code}; log {bot.log}:\n{out[-3000:]}")


async def run_echo(emu: BotApiEmulator, inbox: Inbox, args: argparse.Namespace,
                   work: Path, first: bool) -> Result:
    users = [ECHO_USERS_BASE + i for i in range(1, args.users + 1)]
    if first:
        for uid in users:
            emu.add_user(uid, f"User{uid}", language_code="zh")
            emu.send_text(uid, "/start")  # Telegram: a bot may only answer users who started it
    argv = [sys.executable, str(BENCH_DIR / "echo_bot.py")]
    bot = BotProcess(argv, emu.base_url, work / "echo.log", "echo bot")
    await bot.start()
    try:
        # The first reply doubles as "the bot is up and polling".
        start = inbox.count(users[0])
        emu.send_text(users[0], "ready?")
        await inbox.wait(users[0], start, lambda m: True, 60)
        return await measure("echo (bare PTB)", bot, emu, inbox, users, args, echo_expect)
    finally:
        await finish(bot)
        left = len(emu.pending_updates())
        if left:
            print(f"  note: the echo bot left {left} updates unconfirmed")


async def run_hotline(emu: BotApiEmulator, inbox: Inbox, args: argparse.Namespace,
                      work: Path, first: bool) -> Result:
    users = [HOTLINE_USERS_BASE + i for i in range(1, args.users + 1)]
    config = work / "hotline.toml"  # written by main_async; the database stays between rounds
    profile: Path | None = args.profile if first else None
    argv = hotline_argv(config, profile)
    if args.unpaced:
        argv = [sys.executable, str(BENCH_DIR / "unpaced_run_bot.py"), "--config", str(config)]
    bot = BotProcess(argv, emu.base_url, work / "hotline.log", "hotline bot")
    await bot.start()
    try:
        if first:
            # Registration (not measured) doubles as "the bot is up and polling".
            await asyncio.gather(*(join_customer(emu, inbox, uid, 60) for uid in users))
        return await measure("hotline (run_bot.py)", bot, emu, inbox, users, args,
                             hotline_expect)
    finally:
        await finish(bot)


def row(r: Result, label: str) -> str:
    return (
        f"{label:<28} {r.seconds:>7.2f} {r.throughput:>9.0f} "
        f"{r.cpu.total:>7.2f} {r.per_update_us:>13.0f} "
        f"{r.cpu.main_thread / r.updates * 1e6:>8.0f} "
        f"{r.cpu.other_threads / r.updates * 1e6:>9.0f} "
        f"{r.bench_cpu / r.updates * 1e6:>12.0f}"
    )


def table(rounds: list[list[Result]], args: argparse.Namespace) -> str:
    head = (f"{'bot':<28} {'wall s':>7} {'updates/s':>9} {'CPU s':>7} "
            f"{'µs CPU/update':>13} {'main thr':>8} {'other thr':>9} {'bench µs/upd':>12}")
    lines = [head, "-" * len(head)]
    for i, results in enumerate(rounds, start=1):
        for r in results:
            lines.append(row(r, f"{r.name} #{i}" if len(rounds) > 1 else r.name))
    medians: list[Result] = []
    if len(rounds) > 1:
        lines.append("-" * len(head))
        for column in range(len(rounds[0])):
            # The round whose CPU per update is the median stands for the bot.
            ordered = sorted((rs[column] for rs in rounds), key=lambda r: r.per_update_us)
            medians.append(ordered[len(ordered) // 2])
            lines.append(row(medians[-1], f"{medians[-1].name} median"))
    else:
        medians = rounds[0]
    if len(medians) == 2 and medians[0].per_update_us > 0:
        echo, ours = medians
        lines.append(
            f"ratio hotline/echo: CPU per update {ours.per_update_us / echo.per_update_us:.1f}x"
            f", throughput {ours.throughput / echo.throughput:.2f}x"
            + (" (medians)" if len(rounds) > 1 else "")
        )
    lines.append(
        f"({args.updates} updates per bot and round, mode {args.mode}, think {args.think:g} s, "
        f"hotline pacing {'off' if args.unpaced else 'on'}, {args.users} users, "
        f"warm-up {args.warmup} updates excluded; main thr / other thr: µs CPU per update in "
        "the bot's main thread / its other threads (aiosqlite); bench: this process, emulator "
        "+ users, not counted)"
    )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    print(machine_description())
    print(f"load average before the run: {os.getloadavg()[0]:.2f}")
    emu = BotApiEmulator(TOKEN, flood=FloodLimits(enabled=False))
    await emu.start()
    inbox = Inbox(emu)
    rounds: list[list[Result]] = []
    with tempfile.TemporaryDirectory(prefix="hotline-bench-", dir=args.tmpdir) as tmp:
        work = Path(tmp)
        write_config(work, messages_per_second=1000)
        try:
            for i in range(args.rounds):
                results: list[Result] = []
                # Alternate the bots, so that a slow spell of the machine hits both.
                if args.only in ("both", "echo"):
                    print(f"round {i + 1}: echo bot, {args.updates} updates ...", flush=True)
                    first = len(emu.calls)
                    results.append(await run_echo(emu, inbox, args, work, i == 0))
                    methods = Counter(c["method"] for c in emu.calls[first:])
                    print("  Bot API calls in the round (incl. warm-up): "
                          + ", ".join(f"{m} {n}" for m, n in methods.most_common()), flush=True)
                if args.only in ("both", "hotline"):
                    print(f"round {i + 1}: hotline bot, {args.updates} updates ...", flush=True)
                    first = len(emu.calls)
                    results.append(await run_hotline(emu, inbox, args, work, i == 0))
                    methods = Counter(c["method"] for c in emu.calls[first:])
                    print("  Bot API calls in the round (incl. registration and warm-up): "
                          + ", ".join(f"{m} {n}" for m, n in methods.most_common()), flush=True)
                rounds.append(results)
        finally:
            await emu.stop()
    refused = [r for r in emu.refusals if r["method"] != "getUpdates"]
    print()
    print(table(rounds, args))
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    print(f"emulator refusals: {len(refused)}")
    for r in refused[:5]:
        print(f"  {r['method']}: {r['error_code']} {r['description']}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="measured updates per bot")
    parser.add_argument("--users", type=int, default=20, help="simulated users per bot")
    parser.add_argument("--warmup", type=int, default=100, help="updates before measuring")
    parser.add_argument("--mode", choices=("closed", "burst"), default="closed",
                        help="closed: each user waits for the reply before the next message; "
                        "burst: all updates queued at once")
    parser.add_argument("--think", type=float, default=0.0,
                        help="closed mode: seconds each user waits after a reply before the "
                        "next message (1.0: about one message a second per chat, under "
                        "Telegram's per-chat limit, so both bots see the same arrival rate)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating echo/hotline rounds (fresh processes); medians shown")
    parser.add_argument("--only", choices=("both", "echo", "hotline"), default="both")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for any one reply (closed) or all replies (burst)")
    parser.add_argument("--unpaced", action="store_true",
                        help="the hotline's own per-chat pacing off (unpaced_run_bot.py), so "
                        "that both bots get the same load when users answer at once")
    parser.add_argument("--profile", help="run the hotline bot under cProfile, write here")
    parser.add_argument("--tmpdir", help="where the temporary database goes (default: TMPDIR)")
    args = parser.parse_args()
    if args.updates < 1 or args.users < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--updates, --users and --rounds must be positive, --warmup not negative")
    if args.profile and args.unpaced:
        parser.error("--profile and --unpaced do not go together")
    if args.profile:
        args.profile = Path(args.profile).resolve()
        print("note: --profile runs the hotline bot under cProfile in round 1; that round's "
              "CPU figure is inflated")
    code = asyncio.run(main_async(args))
    if args.profile and args.profile.exists():
        print(f"\ncProfile of the hotline bot's main thread (round 1, incl. registration and "
              f"warm-up; inspect with python -m pstats {args.profile}):")
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)
    return code


if __name__ == "__main__":
    sys.exit(main())
