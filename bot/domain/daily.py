"""The daily maintenance report (每日设备维护报告) of one engineer, one project, one day (pure).

A day's report lists every ticket of the project the engineer touched that local day (any
timeline entry of theirs: accepted, on the way, arrived, resolved, paused, handed over, a
note...) and the maintenance work they added that is not a ticket (inspections, routine care).
Each line says the ticket as it stood at the end of that day (or now, for today), so a past
day's report does not change when the ticket moves on later.

The engineer signs it: the signed content is frozen (kept as canonical JSON with its SHA-256,
never changed). Whatever the day gains after a signature (a late ticket, a changed line, more
work) is an addendum: part 2, 3, ... of the same day, signed in turn. Nothing signed is ever
re-opened, and the reader of part 1 still reads exactly what was signed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.ticket import Ticket
from bot.domain.timeline import TimelineEntry

MAX_WORK_TEXT = 1000
# Timeline kinds that settle a ticket's state as of a moment (solved or not).
_SOLVED = ("resolved", "confirmed", "closed_unconfirmed")


def staff_actor_of(staff_key: str) -> str:
    """How the timeline names a staff member (as services/access.py writes it)."""
    return f"staff:{staff_key}"


# ------------------------------------------------------------------ local days
def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local day as [start, end) instants (23 or 25 hours on a DST change)."""
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    # In UTC: Python subtracts two times of one zone by their wall clocks.
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(at: datetime, tz: ZoneInfo) -> date:
    """The local date of an instant."""
    return at.astimezone(tz).date()


def at_local(day: date, when: time, tz: ZoneInfo) -> datetime:
    """A local time of day on a date, as an aware instant."""
    return datetime.combine(day, when, tzinfo=tz)


def next_at(now: datetime, when: time, tz: ZoneInfo) -> datetime:
    """The next moment, strictly after `now`, that is `when` local time."""
    local = now.astimezone(tz)
    candidate = at_local(local.date(), when, tz)
    if candidate <= local:
        candidate = at_local(local.date() + timedelta(days=1), when, tz)
    return candidate


# ------------------------------------------------------------------ the lines
@dataclass(frozen=True)
class DailyLine:
    """One ticket the engineer touched that day, as it stood at the day's cut-off."""

    ticket_id: int
    site: str
    symptom: str
    solved: bool
    cause: str  # the cause key when solved, else the blocking reason key ("" for none)
    on_site_seconds: float | None  # arrival → resolution; None: not both (yet)
    remote: bool  # solved without anyone arriving on site
    level: str  # a fault's level, or a service request's kind


@dataclass(frozen=True)
class WorkItem:
    """Maintenance work that is not a ticket (an inspection, routine care), as typed."""

    id: int
    at: datetime
    text: str


def touched(events: list[TimelineEntry], staff_key: str, start: datetime, end: datetime) -> bool:
    """Whether the staff member did anything on the ticket in [start, end)."""
    actor = staff_actor_of(staff_key)
    return any(e.actor == actor and start <= e.at < end for e in events)


def line_of(ticket: Ticket, events: list[TimelineEntry], cutoff: datetime) -> DailyLine:
    """The ticket's line as of `cutoff`: solved or not, cause or blocking reason, time on site
    from the (last) arrival to the resolution that followed it."""
    arrived: datetime | None = None
    resolved: datetime | None = None
    solved = False
    cause = ""
    blocking: str | None = None
    for e in events:
        if e.at >= cutoff:
            break
        if e.kind == "arrived":
            arrived, resolved = e.at, None
        elif e.kind == "resolved":
            resolved, solved = e.at, True
            cause = str(e.detail.get("cause", "")) or ticket.cause
            blocking = ""
        elif e.kind in _SOLVED:
            solved = True
        elif e.kind == "reopened":
            solved, resolved, cause = False, None, ""
        elif e.kind == "blocked":
            blocking = str(e.detail.get("new", ""))
    if not solved:
        # Without a recorded change, the ticket's own reason (set before the timeline had it).
        cause = blocking if blocking is not None else (ticket.blocking_reason if ticket.is_open
                                                       else "")
    on_site = None
    if arrived is not None and resolved is not None and resolved >= arrived:
        on_site = (resolved - arrived).total_seconds()
    return DailyLine(
        ticket_id=ticket.id,
        site=ticket.site,
        symptom=ticket.symptom,
        solved=solved,
        cause=cause,
        on_site_seconds=on_site,
        remote=solved and arrived is None,
        level=ticket.kind if ticket.is_request else ticket.level.value,  # a request: its kind
    )


# ------------------------------------------------------------------ parts and signatures
@dataclass(frozen=True)
class DailyContent:
    """What one part of a day's report says (part 1 the report, 2+ its addenda)."""

    staff_key: str
    project_key: str
    day: date
    part: int
    lines: tuple[DailyLine, ...]
    work: tuple[WorkItem, ...]

    @property
    def empty(self) -> bool:
        return not self.lines and not self.work

    def to_json(self) -> str:
        """The canonical text that is signed and hashed (sorted keys, UTC times)."""
        data: dict[str, Any] = {
            "staff": self.staff_key,
            "project": self.project_key,
            "day": self.day.isoformat(),
            "part": self.part,
            "lines": [asdict(x) for x in self.lines],
            "work": [{"id": w.id, "at": w.at.isoformat(), "text": w.text} for w in self.work],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @property
    def digest(self) -> str:
        """A short fingerprint for the Sign button: it signs exactly what it was shown with."""
        return self.sha256[:8]

    @classmethod
    def from_json(cls, text: str) -> DailyContent:
        d = json.loads(text)
        return cls(
            staff_key=d["staff"],
            project_key=d["project"],
            day=date.fromisoformat(d["day"]),
            part=int(d["part"]),
            lines=tuple(DailyLine(**x) for x in d["lines"]),
            work=tuple(
                WorkItem(int(w["id"]), datetime.fromisoformat(w["at"]), w["text"])
                for w in d["work"]
            ),
        )


@dataclass(frozen=True)
class Signature:
    """Who signed a part, when: the Telegram identity that pressed the button."""

    at: datetime
    by_id: int
    by_name: str


@dataclass(frozen=True)
class SignedPart:
    """A signed part as archived: its content, signature and the hash of its JSON."""

    content: DailyContent
    signature: Signature
    sha256: str


def unsigned_part(
    signed: list[SignedPart],
    staff_key: str,
    project_key: str,
    day: date,
    lines: list[DailyLine],
    work: list[WorkItem],
) -> DailyContent:
    """The day's part still to sign: what the day has now that no signed part already says
    (a line whose values changed counts as new; work items by their number)."""
    said_lines = {line for s in signed for line in s.content.lines}
    said_work = {w.id for s in signed for w in s.content.work}
    return DailyContent(
        staff_key=staff_key,
        project_key=project_key,
        day=day,
        part=len(signed) + 1,
        lines=tuple(x for x in lines if x not in said_lines),
        work=tuple(w for w in work if w.id not in said_work),
    )


def cutoff_of(day: date, now: datetime, tz: ZoneInfo) -> datetime:
    """Lines show the ticket at the end of the day; today's, as it is now (what happened at
    this very instant included: the cut-off is exclusive)."""
    return min(day_bounds(day, tz)[1], now + timedelta(microseconds=1))


def file_name(staff_key: str, day: date, part: int) -> str:
    """The name the readers' copy carries."""
    suffix = "" if part == 1 else f"-addendum-{part - 1}"
    return f"daily-report-{staff_key}-{day.isoformat()}{suffix}.pdf"


def archive_name(
    staff_key: str, project_key: str, day: date, part: int, language: str, sha256: str
) -> str:
    """The archived file's name: no part or language overwrites another."""
    stem = f"daily-{project_key}-{staff_key}-{day.isoformat()}-p{part}-{language}"
    return f"{stem}-{sha256[:12]}.pdf"
