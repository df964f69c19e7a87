"""What a use case wants said: notices, rendered by the Telegram adapter into outbox rows.

A notice's parameters are a small frozen dataclass per notice family (a subclass of `Params`),
so that a renderer can only read what the service set: it asks for the family it expects with
`Notice.params_as(kind)`, and a notice sent with another family fails loudly in tests instead
of rendering a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

from bot.domain.ticket import Ticket

P = TypeVar("P", bound="Params")

# How a notice keeps the chat's one message of its purpose about its ticket (a card, a page) up
# to date: "edit" edits that message (sends it when there is none); "refresh" only edits it
# (nothing when there is none); "anew" sends a new one and takes the buttons off the one before.
Keep = Literal["", "edit", "refresh", "anew"]


@dataclass(frozen=True)
class Params:
    """No parameters; the base of every notice family's parameters."""

    def plain(self) -> dict[str, Any]:
        """The fields a catalog template may use as they are: strings and numbers."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v for k, v in values.items() if isinstance(v, str | int | float)}


NO_PARAMS = Params()


@dataclass(frozen=True)
class TicketNumber(Params):
    """A ticket the message is about, by number (refusals, cancelled forms, next steps)."""

    ticket_id: int | None


@dataclass(frozen=True)
class Limit(Params):
    """An input was refused for going over a limit (characters, photos)."""

    limit: int


@dataclass(frozen=True)
class Notice:
    """One message for one chat. `key` names the message in the catalog/renderers."""

    to: int
    key: str
    ticket: Ticket | None = None
    params: Params = NO_PARAMS
    # "page" marks a page so a later acceptance can edit it to "taken by X".
    purpose: str = ""
    # Edit this message (a card or a question the user pressed a button on) instead of sending.
    edit_message_id: int | None = None
    dedupe: str | None = None
    # A forum topic of the team group chat, for messages sent there.
    topic: int | None = None
    # This notice is the chat's current message of its `purpose` about its ticket (see Keep).
    keep: Keep = ""
    # Its text opens the next message to the same chat of the same outcome, when that fits:
    # one message instead of two, and Telegram paces a chat at about one message a second.
    lead_in: bool = False

    def params_as(self, kind: type[P]) -> P:
        """The parameters as the renderer of this notice expects them."""
        if not isinstance(self.params, kind):
            raise TypeError(
                f"notice {self.key!r} carries {type(self.params).__name__}, "
                f"its renderer expects {kind.__name__}"
            )
        return self.params


@dataclass
class Outcome:
    """The messages a use case causes, plus the short answer to a pressed button."""

    notices: list[Notice] = field(default_factory=list)
    toast: str | None = None  # catalog key for answerCallbackQuery
    toast_alert: bool = False
    # After a button answered a question, its message keeps its text and shows the answer
    # (which button, who, when) instead of the buttons.
    clear_buttons: bool = False

    def add(self, notice: Notice) -> Outcome:
        self.notices.append(notice)
        return self
