"""A ticket's timeline: what happened, when, and who did it (the proof of every deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Entries for staff only: engineers' notes, and why a ticket is blocked (a working note of the
# company, not news for the customer). Customers' views and their service report leave them out.
INTERNAL_EVENTS = ("note", "blocked")


@dataclass(frozen=True)
class TimelineEntry:
    ticket_id: int
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]
