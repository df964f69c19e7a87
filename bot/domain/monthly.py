"""The monthly summary (每月维护报告汇总) of one project: what each number means, defined once.

Pure definitions and arithmetic; storage (bot/storage/monthly.py) fills the counts with SQL
aggregates, documents and messages print them. "The month" is [start, end) in the project's
local time zone: from the 1st 00:00 to the next 1st 00:00, kept here as aware UTC instants.

The numbers, as the contract's auditors read them:
- reported: tickets whose report time falls in the month (by level, by channel);
- resolved: tickets whose resolution falls in the month, whenever they were reported;
- resolution rate: of the month's reports, the share resolved before the month ended;
- unresolved at month end: every ticket of the project reported before the month ended and
  not resolved by then, grouped by the blocking reason it carries ('' = none given);
- per clock and level (tickets reported in the month): count; met (stopped, never missed);
  missed (the breach was recorded); running (neither yet); met % = met / (met + missed);
  median and worst time from start to stop, paused time taken out, of the stopped clocks;
  paused: the clocks' paused wall time;
- paused tickets and their paused time (pauses of the month's tickets that started);
- reopened: the month's tickets the customer reopened at least once (and how many reopens);
- closed without confirmation: tickets closed in the month after `confirm_within` without the
  customer's sign-off, out of all closed in the month;
- survey: answers given in the month about the project's tickets: count and average stars;
- complaints: received in the month, closed in the month, and overdue (received in the month
  and escalated for a missed complaint deadline);
- contract tasks (the contract's calendar, bot/domain/contract.py): inspections (the final
  one included) and phone visits due on a day of the month (cancelled ones left out), and of
  those, done: their result recorded before the month ended.
- devices (the equipment register): per device, the month's faults that belong to it (opened
  from its label or linked to it), resolved by the month's end, mean time to resolution.
- service requests (consultation, upgrade support, training, event support) are not faults:
  every number above counts faults only (the survey and complaints excepted: they are about
  the service); requests are counted apart, per kind (RequestRow).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.equipment import DeviceFaults

LEVELS = ("A", "B", "C")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """One calendar month of one project, as UTC instants of its local midnights."""

    project_key: str
    month: str  # YYYY-MM
    start: datetime
    end: datetime

    def days(self, tz: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
        """Each local day of the month with its [start, end) in UTC (days of a DST change
        are 23 or 25 hours long)."""
        first = self.start.astimezone(tz).date()
        out: list[tuple[date, datetime, datetime]] = []
        day = first
        while True:
            start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
            if start >= self.end:
                return out
            nxt = day + timedelta(days=1)
            end = min(datetime.combine(nxt, time(0), tzinfo=tz).astimezone(UTC), self.end)
            out.append((day, start, end))
            day = nxt


def parse_month(text: str) -> tuple[int, int] | None:
    """'2026-11' → (2026, 11); anything else → None."""
    m = _MONTH.fullmatch(text.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def month_period(project_key: str, year: int, month: int, tz: ZoneInfo) -> Period:
    start = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return Period(project_key, f"{year:04d}-{month:02d}", start.astimezone(UTC),
                  nxt.astimezone(UTC))


def previous_month(now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """The month before the one `now` falls in, locally (the default of /monthly)."""
    local = now.astimezone(tz)
    return (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)


def next_sending(now: datetime, tz: ZoneInfo, at: time) -> tuple[datetime, tuple[int, int]]:
    """When the next automatic summary goes out (the 1st of a month at `at`, local, strictly
    after `now`) and which month it sums up (the month before that 1st)."""
    local = now.astimezone(tz)
    first = datetime.combine(date(local.year, local.month, 1), at, tzinfo=tz)
    if first <= local:
        year, month = local.year + local.month // 12, local.month % 12 + 1
        first = datetime.combine(date(year, month, 1), at, tzinfo=tz)
    summed = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return first.astimezone(UTC), summed


def rate(part: int, whole: int) -> float | None:
    """part / whole as a fraction; None when there is nothing to divide (shown as '—')."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    """A fraction as people read it: 93.8%; '—' for none."""
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class ClockRow:
    """One clock at one level over the month's tickets."""

    clock: str
    level: str
    count: int
    met: int
    missed: int
    median_seconds: float | None  # of the stopped clocks, paused time taken out
    worst_seconds: float | None
    paused_seconds: float

    @property
    def running(self) -> int:
        return self.count - self.met - self.missed

    @property
    def met_rate(self) -> float | None:
        return rate(self.met, self.met + self.missed)


@dataclass(frozen=True)
class ContractTasks:
    """Contract tasks due in the month and, of those, done before the month ended."""

    inspections_due: int
    inspections_done: int
    visits_due: int
    visits_done: int


@dataclass(frozen=True)
class RequestRow:
    """One kind of service request over the month: reported in the month, of those resolved
    before it ended, and their respond and resolve clocks met and missed."""

    kind: str
    reported: int
    resolved: int
    respond_met: int
    respond_missed: int
    resolve_met: int
    resolve_missed: int


@dataclass(frozen=True)
class MonthlySummary:
    """Every number of one project's month (see the module's docstring for each)."""

    period: Period
    reported_by_level: dict[str, int]
    reported_by_channel: dict[str, int]
    resolved: int
    resolved_of_reported: int
    unresolved_by_reason: dict[str, int]
    clocks: tuple[ClockRow, ...]
    paused_tickets: int
    paused_seconds: float
    reopened: int
    reopens: int
    closed: int
    closed_unconfirmed: int
    survey_count: int
    survey_average: float | None
    complaints_received: int
    complaints_closed: int
    complaints_overdue: int
    # Faults reported per local day of the month, by level (the chart's first panel).
    per_day: tuple[tuple[date, dict[str, int]], ...] = ()
    contract_tasks: ContractTasks | None = None  # None: the project has no contract tasks
    # Service requests by kind, apart from the faults above (kinds with none are left out).
    requests: tuple[RequestRow, ...] = ()
    # The register's devices with faults reported in the month, most faults first (a project
    # without a register: none; bot/domain/equipment.py).
    devices: tuple[DeviceFaults, ...] = ()

    @property
    def reported(self) -> int:
        return sum(self.reported_by_level.values())

    @property
    def resolution_rate(self) -> float | None:
        return rate(self.resolved_of_reported, self.reported)

    @property
    def unresolved(self) -> int:
        return sum(self.unresolved_by_reason.values())

    def clock_totals(self) -> list[ClockRow]:
        """Each clock over all levels (the chart's third panel, the headline); median and
        worst are not additive, so the totals keep only the worst."""
        out: dict[str, ClockRow] = {}
        for r in self.clocks:
            t = out.get(r.clock)
            if t is None:
                out[r.clock] = ClockRow(r.clock, "", r.count, r.met, r.missed, None,
                                        r.worst_seconds, r.paused_seconds)
                continue
            worst = max((w for w in (t.worst_seconds, r.worst_seconds) if w is not None),
                        default=None)
            out[r.clock] = ClockRow(r.clock, "", t.count + r.count, t.met + r.met,
                                    t.missed + r.missed, None, worst,
                                    t.paused_seconds + r.paused_seconds)
        return list(out.values())


def median(sorted_values: list[float]) -> float | None:
    """The middle of ascending values (the mean of the two middle ones for an even count)."""
    n = len(sorted_values)
    if n == 0:
        return None
    mid = n // 2
    return sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


# ---------------------------------------------------------------------- the workbook's rows
# Plain rows as storage reads them (times as stored: fixed-width UTC text, None when unset);
# NamedTuples because a month can hold 100 000 tickets.
class TicketLine(NamedTuple):
    """A ticket reported in the month (the Tickets sheet)."""

    id: int
    reported_at: str
    level: str
    channel: str
    status: str
    site: str
    symptom: str
    owner_key: str | None
    accepted_at: str | None
    on_site_at: str | None
    resolved_at: str | None
    closed_at: str | None
    cause: str
    blocking_reason: str
    reopen_count: int
    closed_unconfirmed: int
    # Each clock's verdict: "respond=met,arrive=missed,repair=running" (the policy's names).
    verdicts: str
    # Free (in warranty), paid, or "" (no contract), as decided when the ticket was filed.
    billing: str = ""


class UnresolvedLine(NamedTuple):
    """A ticket not resolved when the month ended (the Unresolved sheet)."""

    id: int
    reported_at: str
    level: str
    status: str
    site: str
    symptom: str
    owner_key: str | None
    blocking_reason: str


class ComplaintLine(NamedTuple):
    """A complaint received in the month (the Complaints sheet)."""

    id: int
    received_at: str
    status: str
    ticket_id: int | None
    content: str
    first_response_at: str | None
    closed_at: str | None
    result: str
    satisfied: int | None
    overdue: int


class SurveyLine(NamedTuple):
    """A survey answered in the month (the Survey sheet)."""

    ticket_id: int
    at: str
    stars: int
    comment: str | None


@dataclass(frozen=True)
class MonthlyDetails:
    """The rows behind the numbers, for the workbook."""

    tickets: tuple[TicketLine, ...]
    unresolved: tuple[UnresolvedLine, ...]
    complaints: tuple[ComplaintLine, ...]
    surveys: tuple[SurveyLine, ...]
