"""SLA clocks as data (pure): what a policy promises, and where each ticket stands.

A policy is a set of clocks. Each clock has a start event, stop events, a target per level
(A/B/C; a level without a target has no such clock: ask `ClockSpec.target_for`), warning
points, and what happens at breach. Targets in `h/m/s/d` count wall time; `bh` (business
hours) and `wd` (working days) count on the policy's business calendar. Paused time (force
majeure, waiting for the customer) does not count. A clock stopped at or after its due
instant missed it: its breach timer fires at that very instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.domain.calendar import AlwaysOpen, Calendar
from bot.domain.durations import format_duration, parse_duration
from bot.domain.ticket import Level

# Events a clock may start or stop on. `<clock>_breached` events are made at breach.
# `part_needed`: the engineer recorded that a hardware part must be replaced.
# `low_rating`: the customer gave 2 stars or fewer; `callback_done`: a manager called back.
EVENTS = (
    "reported", "accepted", "on_way", "on_site", "resolved", "closed",
    "proposal", "part_needed", "spare_provided", "loaner_provided",
    "low_rating", "callback_done",
)
# Clocks starting on these are the customer managers' to keep, not the engineers'.
CUSTOMER_CARE_EVENTS = ("low_rating",)
BREACH_ACTIONS = ("escalate", "owner", "lead")

_WORK = re.compile(r"(?P<n>\d+(?:\.\d+)?)(?P<unit>bh|wd)")


@dataclass(frozen=True)
class Target:
    """How much counted time a clock allows: wall seconds, business hours or working days."""

    amount: float
    unit: str  # "s" (wall) | "bh" | "wd"

    @property
    def business(self) -> bool:
        return self.unit in ("bh", "wd")

    def seconds(self, calendar: Calendar) -> float:
        if self.unit == "bh":
            return self.amount * 3600
        if self.unit == "wd":
            return self.amount * calendar.day_seconds
        return self.amount

    def __str__(self) -> str:
        if self.unit == "s":
            return format_duration(timedelta(seconds=self.amount))
        return f"{self.amount:g}{self.unit}"


def parse_target(text: str) -> Target:
    """`15m`, `2h`, `1h30m`, `3d` (wall time), `4bh` (business hours), `3wd` (working days)."""
    m = _WORK.fullmatch(text)
    if m:
        amount = float(m["n"])
        if amount <= 0:
            raise ValueError(f"invalid duration '{text}': must be positive")
        return Target(amount, m["unit"])
    try:
        return Target(parse_duration(text).total_seconds(), "s")
    except ValueError:
        raise ValueError(
            f"invalid duration '{text}': use e.g. 90s, 15m, 2h, 1h30m, 3d, 4bh, 3wd"
        ) from None


@dataclass(frozen=True)
class WarnPoint:
    """Warn when `fraction` of the target is used up, `before` seconds before the due time, or
    `after` seconds after the clock started (counted time, as the target counts)."""

    fraction: float | None = None
    before: float | None = None
    after: float | None = None

    def consumed_at(self, target_seconds: float) -> float | None:
        """Counted seconds into the clock at which to warn (None: never, e.g. too early)."""
        if self.fraction is not None:
            return target_seconds * self.fraction
        if self.after is not None:
            return self.after if self.after < target_seconds else None
        assert self.before is not None
        at = target_seconds - self.before
        return at if at > 0 else None

    @property
    def key(self) -> str:
        """The point's part of its timer key (before-points keep their original key)."""
        if self.fraction is not None:
            return f"{self.fraction * 100:g}pct"
        if self.after is not None:
            return f"{self.after:g}s-after"
        return f"{self.before:g}s"


_WARN_EXAMPLES = '"50%" (of the target), "4h before" (the deadline) or "20h after" (the start)'


def parse_warn(text: str) -> WarnPoint:
    """`"50%"` of the target, `"4h before"` the due time, or `"20h after"` the clock started.

    A bare duration (`"20h"`) is refused: it was read as "before" once, and is easily meant as
    "after"; the operator says which.
    """
    text = text.strip()
    if text.endswith("%"):
        try:
            pct = float(text[:-1])
        except ValueError:
            raise ValueError(f"invalid warning point '{text}': use {_WARN_EXAMPLES}") from None
        if not 0 < pct < 100:
            raise ValueError(f"invalid warning point '{text}': a percentage between 0 and 100")
        return WarnPoint(fraction=pct / 100)
    amount, _, side = text.partition(" ")
    side = side.strip()
    if side not in ("", "before", "after"):
        raise ValueError(f"invalid warning point '{text}': use {_WARN_EXAMPLES}")
    seconds = parse_duration(amount).total_seconds()
    if not side:
        raise ValueError(
            f"invalid warning point '{text}': write \"{text} before\" (before the deadline) "
            f"or \"{text} after\" (after the clock starts), or a share such as \"80%\""
        )
    return WarnPoint(before=seconds) if side == "before" else WarnPoint(after=seconds)


@dataclass(frozen=True)
class ClockSpec:
    name: str
    start: str
    stop: tuple[str, ...]
    targets: dict[Level, Target]
    warn: tuple[WarnPoint, ...] = ()
    on_breach: str = "escalate"  # escalate | owner | lead
    tell_customer: bool = True
    labels: dict[str, str] = field(default_factory=dict)  # language -> name of the promise
    expect: dict[str, str] = field(default_factory=dict)  # language -> what is expected now

    def target_for(self, level: Level) -> Target | None:
        """The target at `level`; None: the clock is not promised at that level."""
        return self.targets.get(level)


@dataclass(frozen=True)
class SlaPolicy:
    key: str
    clocks: tuple[ClockSpec, ...]
    calendar: Calendar = field(default_factory=AlwaysOpen)
    escalate_every: timedelta = timedelta(minutes=30)

    def clock(self, name: str) -> ClockSpec | None:
        return next((c for c in self.clocks if c.name == name), None)

    def calendar_for(self, spec: ClockSpec, level: Level) -> Calendar:
        """The calendar `spec` counts on at `level` (24x7 when it has no target there)."""
        target = spec.target_for(level)
        return self.calendar if target is not None and target.business else AlwaysOpen()

    def starting_on(self, event: str) -> list[ClockSpec]:
        return [c for c in self.clocks if c.start == event]

    def stopping_on(self, event: str) -> list[ClockSpec]:
        return [c for c in self.clocks if event in c.stop]


def shorthand_clocks(
    respond: dict[Level, Target],
    arrive: dict[Level, Target],
    repair: dict[Level, Target],
    warn: tuple[WarnPoint, ...],
) -> list[ClockSpec]:
    """`respond`/`arrive`/`repair = {A=…}` of a policy: the three classic clocks."""
    return [
        ClockSpec("respond", "reported", ("accepted",), respond, warn),
        # A fault resolved remotely never needs the engineer on site.
        ClockSpec("arrive", "reported", ("on_site", "resolved"), arrive, warn),
        ClockSpec("repair", "on_site", ("resolved",), repair, warn),
    ]


@dataclass(frozen=True)
class ClockState:
    """Where one clock of one ticket stands. Times are aware UTC."""

    ticket_id: int
    name: str
    started_at: datetime
    target_seconds: float
    business: bool
    stopped_at: datetime | None = None
    paused_since: datetime | None = None
    paused_seconds: float = 0.0  # counted time inside finished pauses (excluded)
    paused_wall: float = 0.0  # wall time of finished pauses, for display
    breached_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def consumed(self, cal: Calendar, now: datetime) -> float:
        end = self.stopped_at or self.paused_since or now
        return max(0.0, cal.working_seconds(self.started_at, end) - self.paused_seconds)

    def due_at(self, cal: Calendar) -> datetime | None:
        """The deadline as a real instant; None while paused."""
        if self.paused_since is not None:
            return None
        return cal.add(self.started_at, self.target_seconds + self.paused_seconds)

    def point_at(self, cal: Calendar, consumed: float) -> datetime:
        """When the clock will have counted `consumed` seconds (if it is not paused again)."""
        return cal.add(self.started_at, consumed + self.paused_seconds)

    def pause(self, at: datetime) -> ClockState:
        if self.paused_since is not None or not self.running:
            return self
        return replace(self, paused_since=at)

    def resume(self, cal: Calendar, at: datetime) -> ClockState:
        if self.paused_since is None:
            return self
        return replace(
            self,
            paused_since=None,
            paused_seconds=self.paused_seconds + cal.working_seconds(self.paused_since, at),
            paused_wall=self.paused_wall + (at - self.paused_since).total_seconds(),
        )

    def paused_total(self, now: datetime) -> float:
        """Wall seconds paused so far, including a pause still running."""
        running = (now - self.paused_since).total_seconds() if self.paused_since else 0.0
        return self.paused_wall + running

    def stop(self, cal: Calendar, at: datetime) -> ClockState:
        state = self.resume(cal, at) if self.paused_since else self
        return replace(state, stopped_at=at)

    def met(self, cal: Calendar) -> bool | None:
        """True/False once stopped (met or missed the target); None while running.

        Judged as the breach timer judges: it fires at the due instant, so a stop at that
        instant (or later, even with no working time in between) missed the deadline.
        """
        if self.stopped_at is None:
            return None
        return self.stopped_at < self.point_at(cal, self.target_seconds)

    def with_target(self, target_seconds: float, business: bool) -> ClockState:
        return replace(self, target_seconds=target_seconds, business=business)
