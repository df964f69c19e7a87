"""The satisfaction survey (满意度调查) of a confirmed ticket: stars, an optional comment, and
the customer manager's call-back after a low score. Pure: no storage or Telegram."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

STARS = (1, 2, 3, 4, 5)
LOW = 2  # this many stars or fewer: the customer manager calls back within a working day
MAX_COMMENT = 1000


def is_low(stars: int) -> bool:
    """A score that needs the customer manager's call-back."""
    return stars <= LOW


@dataclass(frozen=True)
class Survey:
    """One ticket's answer: given once, never changed (a second press changes nothing)."""

    ticket_id: int
    customer_id: int
    stars: int
    at: datetime
    comment: str | None = None  # None: not given (yet, or skipped)
    callback_by: str | None = None  # the staff key who recorded the call-back
    callback_at: datetime | None = None
    callback_note: str | None = None

    def __post_init__(self) -> None:
        if self.stars not in STARS:
            raise ValueError(f"stars must be 1 to 5, not {self.stars}")

    @property
    def low(self) -> bool:
        return is_low(self.stars)

    @property
    def called_back(self) -> bool:
        return self.callback_at is not None

    def with_comment(self, comment: str) -> Survey:
        return replace(self, comment=comment)

    def call_back(self, staff_key: str, at: datetime, note: str) -> Survey:
        return replace(self, callback_by=staff_key, callback_at=at, callback_note=note)
