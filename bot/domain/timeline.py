"""A ticket's timeline: what happened, when, and who did it (the proof of every deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    ticket_id: int
    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any]
