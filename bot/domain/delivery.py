"""Which queued message goes next: priority classes, one message per chat per round.

Telegram lets a bot send about 30 messages a second, so when thousands are queued (a storm of
reminders, a report to every manager, the timers that fell due while the bot was down) some
must wait. A person who just did something must not be among them:

- **reply** (0): the answer to what a person just did, in their own chat;
- **page** (1): what an update caused for others (a new fault paged, a customer told their
  ticket was accepted, cards edited);
- **reminder** (2): what a timer caused (deadline reminders, escalations, re-pages);
- **bulk** (3): documents and digests (monthly summaries, exports, daily reports).

A round takes the first waiting message of each chat (a chat's messages keep their order,
whatever their class) and sends the rounds' heads by class, oldest first within a class. A
chat with a thousand reminders gets one per round, like every other chat: chats are served in
turn, not in the order their messages were queued. So that a steady flow of replies cannot
starve the others, each round also sends the oldest head of every lower class right after the
replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Protocol, TypeVar


class Priority(IntEnum):
    REPLY = 0
    PAGE = 1
    REMINDER = 2
    BULK = 3


class Head(Protocol):
    """The first waiting message of a chat."""

    @property
    def id(self) -> int: ...

    @property
    def priority(self) -> int: ...


H = TypeVar("H", bound=Head)


def round_order(heads: Sequence[H], size: int) -> list[H]:
    """The heads to send this round (at most `size`), in the order to send them: the replies,
    then the oldest head of each lower class (no class waits for ever), then the rest by class
    and age."""
    ranked = sorted(heads, key=lambda h: (h.priority, h.id))
    replies = [h for h in ranked if h.priority <= Priority.REPLY]
    rest = ranked[len(replies) :]
    reserved: list[H] = []
    seen: set[int] = set()
    for head in rest:
        if head.priority not in seen:
            seen.add(head.priority)
            reserved.append(head)
    chosen = {id(h) for h in reserved}
    # Even a round full of replies keeps its reserved places (the other replies come next).
    replies = replies[: max(0, size - len(reserved))]
    ordered = [*replies, *reserved, *(h for h in rest if id(h) not in chosen)]
    return ordered[:size]
