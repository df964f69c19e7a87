"""Why an open ticket is not fixed yet (阻塞原因): the owner, or a manager of its project, sets or
clears the blocking reason from the ticket card or with /blocked N REASON. The reasons are the
cause categories of the config (power, transmission, ...); the monthly summary groups the
unresolved tickets by them.

The reason is internal: it is recorded in the ticket's timeline (who, when, from → to) and shown
to staff on the card, but the customer is not told (a reason such as "user operation" is a
working note for the company, not news for the customer; they keep seeing the ticket's progress).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.ticket import Ticket, TransitionError
from bot.services.access import Access, refusal, staff_actor
from bot.services.notices import Notice, Outcome, Params, TicketNumber
from bot.services.tracking import Tracking
from bot.services.uow import UnitOfWork

CLEAR = "-"  # the "clear" choice: no reason any more


@dataclass(frozen=True)
class BlockingChange(Params):
    """blocking.changed, blocking.changed_by: the reason before and after ("" for none), and
    who changed it (for the owner told of a manager's change)."""

    old: str
    new: str
    who: str = ""


class Blocking:
    def __init__(self, settings: Settings, clock: Clock, access: Access, tracking: Tracking):
        self.settings = settings
        self.clock = clock
        self.access = access
        self.tracking = tracking

    def reason_of(self, said: str) -> str | None:
        """A cause key from what was typed: its key or its label in any language, any case;
        "-", "clear", "清除" or "无" clear it; None: not a reason."""
        wanted = said.strip().casefold()
        if wanted in (CLEAR, "clear", "none", "清除", "无"):
            return ""
        for c in self.settings.causes:
            if wanted in (c.key.casefold(), c.zh.casefold(), c.en.casefold()):
                return c.key
        return None

    async def _ticket(
        self, uow: UnitOfWork, uid: int, ticket_id: int, via_button: bool
    ) -> tuple[StaffConfig, Ticket] | Outcome:
        """The acting staff member and the open ticket they may set the reason of: its owner,
        or a manager or admin of its project; else the polite refusal."""
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if not ticket.is_open:
            return refusal(uid, "not_open", ticket_id, via_button)
        if ticket.owner_key != staff.key and not staff.is_manager:
            return refusal(uid, "not_owner", ticket_id, via_button)
        return staff, ticket

    async def ask(
        self, uow: UnitOfWork, uid: int, ticket_id: int, *, source_message_id: int | None = None
    ) -> Outcome:
        """The card's "Blocked" button or /blocked N: the reasons as buttons, and "clear"."""
        found = await self._ticket(uow, uid, ticket_id, source_message_id is not None)
        if isinstance(found, Outcome):
            return found
        _, ticket = found
        return Outcome([Notice(uid, "blocking.ask", ticket=ticket)], toast="toast.ok")

    async def choose(
        self, uow: UnitOfWork, uid: int, ticket_id: int, said: str, *, via_button: bool = False
    ) -> Outcome:
        """A reason button, or /blocked N REASON: recorded, the card shows it."""
        reason = self.reason_of(said)
        if reason is None:
            if via_button:  # a cause the config no longer has
                return Outcome(toast="button.stale")
            return Outcome([Notice(uid, "usage.blocked", params=TicketNumber(ticket_id))])
        found = await self._ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        old = ticket.blocking_reason
        if reason == old:
            change = BlockingChange(old, reason)
            out = Outcome([Notice(uid, "blocking.unchanged", ticket=ticket, params=change)])
            out.clear_buttons = via_button
            return out
        try:
            ticket = await uow.tickets.save(ticket.block(reason))
        except TransitionError as e:
            return refusal(uid, e.reason, ticket_id, via_button)
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, staff_actor(staff), "blocked", old=old, new=reason
        )
        change = BlockingChange(old, reason, staff.name)
        out = Outcome(
            [Notice(uid, "blocking.changed", ticket=ticket, params=change)],
            toast="toast.ok" if via_button else None,
            clear_buttons=via_button,
        )
        owner = self.access.owner(ticket)
        if owner is not None and owner.key != staff.key:
            out.add(Notice(owner.telegram_id, "blocking.changed_by", ticket=ticket, params=change))
        # The cards already shown (the owner's) now carry the reason; nothing goes to the
        # customer.
        out.notices += await self.tracking.refresh(uow, ticket.id)
        return out
