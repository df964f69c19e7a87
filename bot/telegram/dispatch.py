"""The one dispatch path: every use case runs the same way, whoever started it.

Handlers (an update), the timer waker (a due timer), start-up, and the sender's hooks (a
message refused or sent) all call `Dispatcher.run`: the use case runs in one transaction, its
Outcome goes to the outbox through the Postman in that transaction, it commits, the sender is
woken, and the timer waker hears of the earliest timer the transaction scheduled (it wakes
earlier if that is earlier than what it waits for). So no path can forget a step.

An update's id is claimed in that same transaction: Telegram re-delivers an update when the bot
died after handling it but before its next getUpdates confirmed it, and the repeat must not take
effect twice (a note recorded twice, a dialog answer taken for the next question).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.clock import Clock
from bot.domain.delivery import Priority
from bot.services.notices import Outcome
from bot.services.uow import UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from bot.telegram.postman import Postman, Pressed

log = logging.getLogger(__name__)

UseCase = Callable[[UnitOfWork], Awaitable[Outcome]]


def _nothing(uow: UnitOfWork) -> None:
    pass


def _ignore(due_at: datetime | None) -> None:
    pass


class Dispatcher:
    def __init__(self, db: Database, postman: Postman, clock: Clock) -> None:
        self.db = db
        self.postman = postman
        self.clock = clock
        self.after_commit: Callable[[UnitOfWork], None] = _nothing
        self.consider_timer: Callable[[datetime | None], None] = _ignore

    def connect(
        self,
        *,
        after_commit: Callable[[UnitOfWork], None],
        consider_timer: Callable[[datetime | None], None],
    ) -> None:
        """The sender and the timer waker run their transactions through this dispatcher, so
        the composition root connects them after building all three."""
        self.after_commit = after_commit
        self.consider_timer = consider_timer

    async def run(
        self,
        use_case: UseCase,
        *,
        source: Pressed | None = None,
        update_id: int | None = None,
        reply_to: int | None = None,
        priority: Priority = Priority.PAGE,
        user_id: int | None = None,
    ) -> Outcome:
        """Run a use case and queue what it says in one transaction; then wake the sender and
        the timer waker. `source` is the button pressed (its chat, message and data); an update
        (`update_id`) handled before is skipped: nothing changes, nothing is said. What it
        says to `reply_to` (the chat of the person who acted) goes out first; the rest in the
        class `priority` (bot/domain/delivery.py). `user_id`: who acted, for the log."""
        async with unit_of_work(self.db) as uow:
            uow.outbox.priority, uow.outbox.reply_to = priority, reply_to
            if update_id is not None and not await uow.handled_updates.claim(
                update_id, self.clock.now()
            ):
                log.info("update %d was handled before: skipped (user %s)", update_id, user_id)
                return Outcome()
            outcome = await use_case(uow)
            await self.postman.post(uow, outcome, source=source)
        self.after_commit(uow)
        self.consider_timer(uow.timers.earliest_scheduled)
        _log_events(uow.timeline.appended, update_id, user_id)
        return outcome


def _log_events(
    events: list[tuple[int, str, str]], update_id: int | None, user_id: int | None
) -> None:
    """One line per committed timeline event, naming the ticket and who acted."""
    if not log.isEnabledFor(logging.INFO):
        return
    cause = "" if update_id is None else f" (update {update_id})"
    for ticket_id, actor, kind in events:
        if user_id is None:
            log.info("ticket #%d: %s by %s%s", ticket_id, kind, actor, cause,
                     extra={"ticket": ticket_id})
        else:
            log.info("ticket #%d: %s by %s, user %d%s", ticket_id, kind, actor, user_id, cause,
                     extra={"ticket": ticket_id, "user": user_id})
