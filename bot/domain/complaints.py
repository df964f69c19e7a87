"""Complaints (投诉), pure: a complaint's record, its states, its dialog draft and its number.

A complaint has its own number sequence, shown as `C-N`, and is never mixed with tickets: a
complaint may be about a ticket, but it is not one. Its timeline is insert-only, like a
ticket's, and is what the ledger (投诉处理台账) is made from.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

ComplaintStatus = Literal["new", "taken", "closed"]
COMPLAINT_STATUSES: tuple[ComplaintStatus, ...] = ("new", "taken", "closed")
# The complaint clocks of a policy: respond (the owner's first answer to the customer) and
# resolve (closed with a result).
ComplaintClock = Literal["respond", "resolve"]
COMPLAINT_CLOCKS: tuple[ComplaintClock, ...] = ("respond", "resolve")

MAX_COMPLAINT = 4000
MAX_COMPLAINT_PHOTOS = 10
_NUMBER = re.compile(r"^[Cc]-?(\d{1,12})$")


def complaint_number(complaint_id: int) -> str:
    """How people see a complaint's number: C-7."""
    return f"C-{complaint_id}"


def parse_complaint_number(raw: str) -> int | None:
    """`C-7`, `c7` or `C7` → 7; a bare number is a ticket's, so None."""
    m = _NUMBER.match(raw.strip())
    return int(m[1]) if m else None


@dataclass(frozen=True)
class Complaint:
    """One complaint as stored; `version` guards against two owners taking it at once."""

    id: int
    project_key: str
    customer_id: int
    content: str
    received_at: datetime
    ticket_id: int | None = None
    photos: tuple[str, ...] = ()
    status: ComplaintStatus = "new"
    owner_key: str | None = None
    taken_at: datetime | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    result: str = ""
    # None: not asked yet (or asked again after a reopen); True/False: the customer's answer.
    satisfied: bool | None = None
    version: int = 0

    @property
    def number(self) -> str:
        return complaint_number(self.id)

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass(frozen=True)
class ComplaintEntry:
    """One step of a complaint's timeline: who, when, what (insert-only)."""

    complaint_id: int
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]


# The dialog steps: the customer picks what it is about, then says what happened; a staff
# member writes an answer to the customer, an internal note, or the result that closes it.
ComplaintStep = Literal["about", "content", "answer", "note", "result"]


@dataclass
class ComplaintDraft:
    """A complaint being written (customer) or an answer, note or result being written
    (its owner)."""

    step: str = "about"
    project_key: str = ""
    ticket_id: int | None = None
    photos: list[str] = field(default_factory=list)
    complaint_id: int | None = None

    kind = "complaint"

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ComplaintDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
