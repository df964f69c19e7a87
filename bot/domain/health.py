"""Is the bot healthy? The facts an operator's probe, Prometheus and /health all show, and the
one rule that judges them.

Healthy means: the database takes a write, updates arrive (a getUpdates answer came recently:
a quiet hotline still polls), and the sender is not stuck (the oldest message that is due has
waited less than a bound). Everything else (backlog, open tickets, breaches, unreachable staff,
the last backup) is shown, not judged: those are the hotline's state, not the bot's health.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

Problem = Literal["database", "updates", "outbox"]


@dataclass(frozen=True)
class HealthLimits:
    """How old the last getUpdates answer and the oldest due message may be ([http])."""

    updates_max_age: timedelta = timedelta(minutes=2)
    outbox_max_age: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class HealthFacts:
    at: datetime
    database_error: str  # "": the database took a write
    polling: bool  # getUpdates is in use (not webhook mode, and polling has begun)
    updates_age: float | None  # seconds since getUpdates last answered (or an update came)
    updates_handled: int  # since start
    outbox_backlog: int  # messages due now
    outbox_oldest_age: float | None  # seconds the oldest due message has been queued
    timers_oldest_age: float | None  # seconds the oldest due, unfired timer is late
    open_tickets: dict[str, int] = field(default_factory=dict)  # by level
    open_breaches: dict[str, int] = field(default_factory=dict)  # open tickets, by clock
    unreachable_staff: int = 0
    last_backup_age: float | None = None  # None: no backup yet
    backup_error: str = ""  # the last backup's failure; "" when it succeeded (or none ran)


def problems(facts: HealthFacts, limits: HealthLimits) -> list[Problem]:
    """What is wrong, in the order an operator should look (empty: healthy)."""
    found: list[Problem] = []
    if facts.database_error:
        found.append("database")
    if facts.polling and (
        facts.updates_age is None or facts.updates_age > limits.updates_max_age.total_seconds()
    ):
        found.append("updates")
    if (
        facts.outbox_oldest_age is not None
        and facts.outbox_oldest_age > limits.outbox_max_age.total_seconds()
    ):
        found.append("outbox")
    return found
