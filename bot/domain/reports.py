"""The service report (售后服务报告) of one ticket, as data (pure).

A report is issued when the ticket is resolved, re-issued when the customer confirms it (their
sign-off), when it closes without their confirmation, and once the satisfaction survey is
answered (it then prints the stars and the comment). Each issue is a new version; an issued
report never changes, and its SHA-256 is kept with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from bot.domain.clocks import ClockSpec, Target
from bot.domain.survey import Survey
from bot.domain.ticket import Status, Ticket, TransitionError
from bot.domain.timeline import TimelineEntry

# Why a version was issued: the ticket was resolved, the customer confirmed, nobody
# confirmed within `confirm_within` and the ticket closed anyway, or the customer answered the
# satisfaction survey (rated).
ReportKind = Literal["issued", "confirmed", "closed_unconfirmed", "rated"]
REPORT_KINDS: tuple[ReportKind, ...] = ("issued", "confirmed", "closed_unconfirmed", "rated")

# The timeline events a report lists as the ticket's life, in this order of meaning.
MILESTONES = ("reported", "accepted", "on_way", "arrived", "resolved", "confirmed", "closed")


@dataclass(frozen=True)
class Deadline:
    """One promised deadline: its target, when it was due, when it was met (or not)."""

    spec: ClockSpec
    target: Target | None
    due_at: datetime | None
    done_at: datetime | None
    met: bool | None  # None: still running, or never promised
    over_seconds: float  # counted seconds beyond the target (missed by), else 0
    paused_seconds: float  # wall seconds the clock stood still


@dataclass(frozen=True)
class SignOff:
    """The confirmation block: who confirmed and when, or that nobody did."""

    state: Literal["pending", "confirmed", "closed_unconfirmed"]
    at: datetime | None = None
    by_id: int | None = None  # the customer's Telegram id
    by_name: str = ""  # their Telegram name when they pressed the button


@dataclass(frozen=True)
class ServiceReport:
    ticket: Ticket
    version: int
    kind: ReportKind
    issued_at: datetime
    timeline: tuple[TimelineEntry, ...]
    deadlines: tuple[Deadline, ...]
    engineers: tuple[str, ...]  # staff keys, in the order they worked on the ticket
    sign_off: SignOff
    survey: Survey | None = None  # the customer's stars and comment, once answered


@dataclass(frozen=True)
class IssuedReport:
    """One archived version of a ticket's report (a row of the records table)."""

    ticket_id: int
    version: int
    kind: ReportKind
    issued_at: datetime
    language: str
    path: str
    sha256: str


@dataclass(frozen=True)
class ReportJob:
    """A version laid out in its transaction (its HTML, as the data were then) and waiting to
    be typeset and archived after the commit; `error` when typesetting it failed."""

    ticket_id: int
    version: int
    kind: ReportKind
    issued_at: datetime
    language: str
    html: str
    error: str | None = None

    @property
    def key(self) -> str:
        """How outbox rows waiting for its file name it."""
        return f"{self.ticket_id}:{self.version}"


def engineers_of(ticket: Ticket, timeline: list[TimelineEntry]) -> tuple[str, ...]:
    """Every staff member who did something on the ticket, first come first; the owner too."""
    keys: list[str] = []
    for e in timeline:
        if e.actor.startswith("staff:") and e.actor[6:] not in keys:
            keys.append(e.actor[6:])
    if ticket.owner_key and ticket.owner_key not in keys:
        keys.append(ticket.owner_key)
    return tuple(keys)


def sign_off_of(timeline: list[TimelineEntry]) -> SignOff:
    """The latest word on the latest resolution: confirmed, closed unconfirmed, or pending."""
    for e in reversed(timeline):
        if e.kind == "resolved" or e.kind == "reopened":
            break
        if e.kind == "confirmed":
            by = e.actor[9:] if e.actor.startswith("customer:") else ""
            return SignOff(
                "confirmed",
                e.at,
                int(by) if by.isdigit() else None,
                str(e.detail.get("name", "")),
            )
        if e.kind == "closed_unconfirmed":
            return SignOff("closed_unconfirmed", e.at)
    return SignOff("pending")


def close_unconfirmed(ticket: Ticket, resolved_at: datetime, at: datetime) -> Ticket:
    """Nobody confirmed within `confirm_within`: the ticket closes. Only the resolution the
    timer was set for closes (a reopened and resolved-again ticket has its own timer)."""
    if ticket.status != Status.RESOLVED or ticket.resolved_at != resolved_at:
        raise TransitionError("not_resolved")
    return replace(ticket, status=Status.CLOSED, closed_at=at, closed_unconfirmed=True)


def content_hash(data: bytes) -> str:
    """The SHA-256 kept with an issued report: the file must still have it."""
    return hashlib.sha256(data).hexdigest()


def file_name(ticket_id: int) -> str:
    """The name the customer's copy carries."""
    return f"service-report-{ticket_id}.pdf"


def archive_name(ticket_id: int, version: int, sha256: str) -> str:
    """The archived file's name: a version never overwrites another."""
    return f"service-report-{ticket_id}-v{version}-{sha256[:12]}.pdf"
