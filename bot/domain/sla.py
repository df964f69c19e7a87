"""Deadlines (服务时限) from a policy (pure).

respond: reported → an engineer accepted; arrive: reported → on site; repair: on site →
resolved. Only 7×24 calendars in this version: a deadline is start + target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.ticket import Deadlines, Level


@dataclass(frozen=True)
class Policy:
    key: str
    respond: dict[Level, timedelta]
    arrive: dict[Level, timedelta]
    repair: dict[Level, timedelta]
    calendar: str = "24x7"


def deadlines(
    policy: Policy, level: Level, reported_at: datetime, on_site_at: datetime | None = None
) -> Deadlines:
    return Deadlines(
        respond_due=reported_at + policy.respond[level],
        arrive_due=reported_at + policy.arrive[level],
        repair_due=None if on_site_at is None else on_site_at + policy.repair[level],
    )
