"""Flood control: how much one user may make the bot do, decided before any database work.

A stuck client or a script can send a hundred messages or button presses in a second. Each
would cost a transaction, an outbox row and a reply, and the replies to everyone else would
queue behind them. A token bucket per user lets a person's normal bursts through (an album of
ten photos arrives as ten updates at once) and refuses the rest; the user is told once per
flood, not once per refused update.

A stranger (a Telegram user the bot does not know, who has not joined by an invite) is
answered once per quiet period: the rest of their messages are dropped without being written.

Both are in memory, bounded: a forgotten user starts afresh, which is harmless.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Verdict = Literal["pass", "warn", "drop"]

MAX_REMEMBERED = 10_000  # users whose buckets (or stranger answers) are kept


@dataclass(frozen=True)
class FloodLimits:
    """`burst` updates at once, refilled at `per_second` (the sustained rate)."""

    burst: int = 20
    per_second: float = 1.0


@dataclass
class _Bucket:
    tokens: float
    at: datetime
    warned: bool = False


class FloodGuard:
    """A token bucket per user id; `check` says whether an update goes through."""

    def __init__(self, limits: FloodLimits, remember: int = MAX_REMEMBERED) -> None:
        self.limits = limits
        self.remember = remember
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    def check(self, user_id: int, now: datetime) -> Verdict:
        """"pass": handle it; "warn": refuse it and tell the user to slow down (the first
        refusal of a flood); "drop": refuse it silently. The warning is given again only after
        the user has been calm long enough to fill the bucket."""
        burst = float(self.limits.burst)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(burst, now)
            if len(self._buckets) > self.remember:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(user_id)
            elapsed = max((now - bucket.at).total_seconds(), 0.0)  # a clock set back: no refill
            bucket.tokens = min(burst, bucket.tokens + elapsed * self.limits.per_second)
            bucket.at = max(now, bucket.at)
            if bucket.tokens >= burst:
                bucket.warned = False  # calm again: a new flood is warned about again
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return "pass"
        if bucket.warned:
            return "drop"
        bucket.warned = True
        return "warn"


class Strangers:
    """When each stranger was last answered: one answer per `quiet` period."""

    def __init__(self, quiet: timedelta, remember: int = MAX_REMEMBERED) -> None:
        self.quiet = quiet
        self.remember = remember
        self._answered: OrderedDict[int, datetime] = OrderedDict()

    def answered_lately(self, user_id: int, now: datetime) -> bool:
        """True when the stranger was answered less than `quiet` ago (say nothing now)."""
        at = self._answered.get(user_id)
        return at is not None and now - at < self.quiet

    def answering(self, user_id: int, now: datetime) -> None:
        """The stranger's update goes through and will be answered now."""
        self._answered[user_id] = now
        self._answered.move_to_end(user_id)
        if len(self._answered) > self.remember:
            self._answered.popitem(last=False)

    def forget(self, user_id: int) -> None:
        """The user is joining (an invite): ask the database again next time."""
        self._answered.pop(user_id, None)
