"""The auditor's export (审计导出) as data (pure): every ticket a project was told of in a range of
days, with its deadlines, pauses, survey, free/paid and charges, and whole timeline.

The range is of whole local days, both ends included, in the project's time zone: what an
auditor means by "from 1 to 30 November". Inside everything stays aware UTC; only the workbook
shows local times, and names the zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clocks import ClockSpec, ClockState
from bot.domain.pauses import Pause
from bot.domain.reports import Deadline
from bot.domain.survey import Survey
from bot.domain.ticket import Ticket
from bot.domain.timeline import TimelineEntry
from bot.domain.warranty import Charges

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class History:
    """What the database holds of one ticket, read in one go with the others."""

    ticket: Ticket
    timeline: tuple[TimelineEntry, ...]
    clocks: tuple[ClockState, ...]
    pauses: tuple[Pause, ...]
    survey: Survey | None


@dataclass(frozen=True)
class ExportedTicket:
    """One ticket as the export shows it: its deadlines computed as the service report does."""

    ticket: Ticket
    deadlines: tuple[Deadline, ...]
    pauses: tuple[Pause, ...]
    timeline: tuple[TimelineEntry, ...]
    engineers: tuple[str, ...]  # staff keys, first come first (the owner too)
    survey: Survey | None
    # A paid ticket's charges that stand (the latest entry; every entry is in the timeline).
    charges: Charges | None = None


@dataclass(frozen=True)
class ExportBook:
    """Every ticket of a project reported from `first` to `last` (local days, inclusive)."""

    project_key: str
    project_name: str
    timezone: str
    first: date
    last: date
    clocks: tuple[ClockSpec, ...]  # the project's clocks, one group of columns each
    tickets: tuple[ExportedTicket, ...]

    @property
    def file_name(self) -> str:
        return f"tickets-{self.project_key}-{self.first:%Y%m%d}-{self.last:%Y%m%d}.xlsx"


def parse_day(value: str) -> date:
    """A day written YYYY-MM-DD (nothing else); ValueError otherwise."""
    if not _DAY.fullmatch(value.strip()):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value.strip())


def day_range(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of the local days `first` to `last`, both included."""
    if last < first:
        raise ValueError("the range ends before it starts")
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start, end
