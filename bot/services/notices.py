"""What a use case wants said: notices, rendered by the Telegram adapter into outbox rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.domain.ticket import Ticket


@dataclass(frozen=True)
class Notice:
    """One message for one chat. `key` names the message in the catalog/renderers."""

    to: int
    key: str
    ticket: Ticket | None = None
    params: dict[str, Any] = field(default_factory=dict)
    # "page" marks a page so a later acceptance can edit it to "taken by X".
    purpose: str = ""
    # Edit this message (a card or a question the user pressed a button on) instead of sending.
    edit_message_id: int | None = None
    dedupe: str | None = None


@dataclass
class Outcome:
    """The messages a use case causes, plus the short answer to a pressed button."""

    notices: list[Notice] = field(default_factory=list)
    toast: str | None = None  # catalog key for answerCallbackQuery
    toast_alert: bool = False
    # After a button answered a dialog question, drop that question's keyboard.
    clear_buttons: bool = False

    def add(self, notice: Notice) -> Outcome:
        self.notices.append(notice)
        return self
