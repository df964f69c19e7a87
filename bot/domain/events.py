"""Major events and sensitive periods (重大活动 / 敏感时期), pure.

A period is a run of whole local days (start and end inclusive) for one project or every
project. Periods come from two places: the config's [[heightened]] tables (changed by editing
the file) and the database (added, ended and given standby engineers from chat). Both feed one
rule, `heightened()`: during a period the roster pages two engineers at once with half the
ack_timeout, and the period's standby engineers are paged before the roster.

Ending a period from chat takes effect at once (the rest of the day is normal again); its dates
stay as they were, so the record still says what was planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal

ALL = "*"  # the project column of a period for every project
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

Problem = Literal["bad_date", "end_before_start", "end_in_past"]


@dataclass(frozen=True)
class Event:
    """One period. `projects` empty: every project. A config period has id 0 and a `config_ref`
    ("cfg1", "cfg2", … in the config's order): it is shown but cannot be changed from chat."""

    id: int
    projects: tuple[str, ...]
    name: str
    start: date
    end: date  # inclusive
    created_by: str = ""
    created_at: datetime | None = None
    ended_by: str = ""
    ended_at: datetime | None = None
    config_ref: str = ""

    @property
    def from_config(self) -> bool:
        return bool(self.config_ref)

    @property
    def ref(self) -> str:
        """How chat names it: its number, or cfgN for a config period."""
        return self.config_ref or str(self.id)

    def for_project(self, project_key: str) -> bool:
        return not self.projects or project_key in self.projects

    def ended(self, now: datetime) -> bool:
        return self.ended_at is not None and self.ended_at <= now

    def covers(self, day: date, now: datetime) -> bool:
        """In force on local `day` (at `now`): within its days and not ended."""
        return self.start <= day <= self.end and not self.ended(now)

    def ahead(self, today: date, now: datetime) -> bool:
        """Current or upcoming: not over and not ended."""
        return self.end >= today and not self.ended(now)


@dataclass(frozen=True)
class Standby:
    """An on-site standby engineer named for an event (who named them, when)."""

    event_id: int
    staff_key: str
    named_by: str
    at: datetime


def configured(index: int, name: str, start: date, end: date, projects: Iterable[str]) -> Event:
    """The config's [[heightened]] table number `index` (0-based) as a period."""
    return Event(0, tuple(projects), name, start, end, config_ref=f"cfg{index + 1}")


def heightened(
    periods: Iterable[Event], project_key: str, now: datetime, tz: tzinfo
) -> Event | None:
    """The period that makes paging of `project_key` heightened now, if any: the local day
    (in the hotline's time zone, so a period starts at local midnight) is within its days, it
    is for this project or every one, and it was not ended. A period from the database wins
    over one from the config (it may have standby engineers)."""
    day = now.astimezone(tz).date()
    found = [p for p in periods if p.for_project(project_key) and p.covers(day, now)]
    found.sort(key=lambda p: (p.from_config, p.start, p.id))
    return found[0] if found else None


def parse_day(raw: str) -> date | None:
    """A day as typed: YYYY-MM-DD only (20261224 or 24/12 are not accepted: a hint says how)."""
    if not _DAY_RE.fullmatch(raw.strip()):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def problem(start: date, end: date, today: date) -> Problem | None:
    """What is wrong with a new period's days, if anything."""
    if end < start:
        return "end_before_start"
    if end < today:
        return "end_in_past"
    return None
