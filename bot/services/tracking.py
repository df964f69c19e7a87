"""What a ticket shows as it changes: its deadlines kept in step with the SLA clocks, the
owner's ticket card, and the mirror in the project's team group.

A card is one message per chat and ticket (outbox purpose "card"): the owner's own step sends
a new one at the bottom of the chat and takes the buttons off the one before; every other
change edits the cards already shown (`refresh`, which the postman asks for after each change),
so a card always shows the status, the nearest deadline (overdue once passed), any pause, and
"closed" at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.config import ProjectConfig
from bot.domain.pauses import Pause
from bot.domain.ticket import Ticket
from bot.services.notices import NO_PARAMS, Keep, Notice, Params
from bot.services.sla import ClockView, Sla
from bot.services.uow import UnitOfWork

# What the team group is told a ticket went through (each has its `group.ev.*` text).
GroupEvent = Literal["accepted", "on_way", "arrived", "resolved"]


@dataclass(frozen=True)
class CardState(Params):
    """ticket.card: the nearest deadline and any pause, shown under the card."""

    nearest: ClockView | None
    pause: Pause | None


@dataclass(frozen=True)
class GroupStatus(Params):
    """group.status: what happened to a ticket, and who did it."""

    event: GroupEvent
    actor: str


class Tracking:
    def __init__(self, sla: Sla) -> None:
        self.sla = sla

    async def event(
        self, uow: UnitOfWork, ticket: Ticket, event: str
    ) -> tuple[Ticket, list[Notice]]:
        """Tell the SLA clocks; keep the ticket's shown deadlines in step with them."""
        notices = await self.sla.on_event(uow, ticket, event)
        return await self.sync_deadlines(uow, ticket), notices

    async def sync_deadlines(self, uow: UnitOfWork, ticket: Ticket) -> Ticket:
        shown = self.sla.deadlines(ticket, await uow.clocks.of_ticket(ticket.id))
        if shown == ticket.deadlines:
            return ticket
        return await uow.tickets.save(replace(ticket, deadlines=shown))

    async def card(
        self,
        uow: UnitOfWork,
        to: int,
        ticket: Ticket,
        edit_message_id: int | None = None,
        *,
        keep: Keep = "anew",
    ) -> Notice:
        """The ticket card in a chat, with the nearest deadline and any pause: the card a button
        was pressed on edited (`edit_message_id`), or kept as `keep` says."""
        return Notice(
            to,
            "ticket.card",
            ticket=ticket,
            edit_message_id=edit_message_id,
            purpose="card",
            keep="" if edit_message_id is not None else keep,
            params=CardState(
                await self.sla.nearest(uow, ticket), await uow.pauses.current(ticket.id)
            ),
        )

    async def refresh(self, uow: UnitOfWork, ticket_id: int) -> list[Notice]:
        """Every card of the ticket already shown, as the ticket is now (unchanged ones are not
        sent again)."""
        chats = list(dict.fromkeys(r.chat_id for r in await uow.outbox.kept(ticket_id, "card")))
        ticket = await uow.tickets.get(ticket_id) if chats else None
        if ticket is None:
            return []
        return [await self.card(uow, chat, ticket, keep="refresh") for chat in chats]

    @staticmethod
    def group(
        project: ProjectConfig | None,
        ticket: Ticket,
        key: str,
        params: Params = NO_PARAMS,
        *,
        purpose: str = "group",
    ) -> list[Notice]:
        """Mirror into the project's team group chat, when it has one (a retired project,
        None, has none)."""
        if project is None or project.group_chat_id is None:
            return []
        return [
            Notice(
                project.group_chat_id,
                key,
                ticket=ticket,
                purpose=purpose,
                params=params,
                topic=project.group_topic_id,
            )
        ]
