"""The people who write to the bot (pure): customers and staff as Telegram users.

A user is known from their first message. /start makes them reachable (a private chat with the
bot exists); a Forbidden answer from Telegram makes them unreachable until they /start again.
Staff are configured by Telegram id; customers join a project by its invite and fill a profile.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class User:
    telegram_id: int
    first_name: str = ""
    language: str | None = None
    project_key: str | None = None
    name: str = ""
    unit: str = ""
    phone: str = ""
    profile_done: bool = False
    started_at: datetime | None = None
    unreachable_at: datetime | None = None
    unreachable_reason: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.first_name

    @property
    def reachable(self) -> bool:
        return self.unreachable_at is None

    def seen(self, first_name: str, language: str | None) -> User:
        """They wrote to us: the name is current; a language we were not told is kept."""
        keep = self.language if language is None else language
        return replace(self, first_name=first_name, language=keep)

    def started(self, at: datetime) -> User:
        """/start: reachable again; the first start is the one remembered."""
        return replace(
            self,
            started_at=self.started_at or at,
            unreachable_at=None,
            unreachable_reason=None,
        )

    def unreachable(self, at: datetime, reason: str) -> User:
        """Telegram refused a message; the first refusal counts until they /start again."""
        if not self.reachable:
            return self
        return replace(self, unreachable_at=at, unreachable_reason=reason, started_at=None)

    def joined(self, project_key: str) -> User:
        return replace(self, project_key=project_key)

    def with_profile(self, name: str, unit: str, phone: str) -> User:
        return replace(self, name=name, unit=unit, phone=phone, profile_done=True)
