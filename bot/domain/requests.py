"""Service requests that are not faults (pure): technical consultation, on-site support for an
upgrade or change, training, support for an event.

A request is a ticket of another `kind`: no severity questions, and its own two clocks from
the policy's `[policies.X.requests]` table — respond (reported → an engineer accepted) and
resolve (reported → resolved). They are ordinary SLA clocks (bot/domain/clocks.py), kept by the
same machinery as a fault's: warnings, breach, escalation. A request has no level; its ticket
row carries level C only because the column is NOT NULL, and no report counts it as a fault.

Defaults when a policy has no `requests` table (wall time, so that they mean the same on a
24x7 and a 5x8 policy): a consultation is answered within 30 min and closed within 24 h (the
domain's "substantive response within 30 min"); the others are accepted within 1 h, and the
work itself is planned with the customer: 3 days for an upgrade/change, 7 days for training
and event support (the preferred date is usually days ahead).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, get_args

from bot.domain.calendar import Calendar
from bot.domain.clocks import ClockSpec, SlaPolicy, Target, WarnPoint
from bot.domain.ticket import Level

RequestKind = Literal["consultation", "upgrade", "training", "event"]
REQUEST_KINDS: tuple[RequestKind, ...] = get_args(RequestKind)
FAULT = "fault"
# Every kind of ticket, in the order /log offers them.
TICKET_KINDS: tuple[str, ...] = (FAULT, *REQUEST_KINDS)

REQUEST_CLOCKS = ("respond", "resolve")

_HOUR = 3600.0
DEFAULT_TARGETS: dict[RequestKind, tuple[Target, Target]] = {
    "consultation": (Target(30 * 60, "s"), Target(24 * _HOUR, "s")),
    "upgrade": (Target(_HOUR, "s"), Target(3 * 24 * _HOUR, "s")),
    "training": (Target(_HOUR, "s"), Target(7 * 24 * _HOUR, "s")),
    "event": (Target(_HOUR, "s"), Target(7 * 24 * _HOUR, "s")),
}


def is_request(kind: str) -> bool:
    return kind in REQUEST_KINDS


def request_kind(raw: str) -> RequestKind | None:
    """A kind from a button or the database, or None for anything else."""
    return next((k for k in REQUEST_KINDS if k == raw), None)


def request_policy(
    base_key: str,
    kind: RequestKind,
    respond: Target,
    resolve: Target,
    warn: tuple[WarnPoint, ...],
    calendar: Calendar,
    escalate_every: timedelta,
) -> SlaPolicy:
    """The clocks of one kind of request: respond and resolve, the same target at every level
    (a request has no level), on the policy's calendar and escalation pace."""

    def every(target: Target) -> dict[Level, Target]:
        return dict.fromkeys(Level, target)

    clocks = (
        ClockSpec("respond", "reported", ("accepted",), every(respond), warn),
        ClockSpec("resolve", "reported", ("resolved",), every(resolve), warn),
    )
    return SlaPolicy(f"{base_key}/{kind}", clocks, calendar, escalate_every)
