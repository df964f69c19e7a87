"""Turns a use case's Outcome into outbox rows, inside the same transaction."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.config import Settings
from bot.services.notices import Notice, Outcome
from bot.services.uow import UnitOfWork
from bot.telegram.catalog import pick_language
from bot.telegram.render import Renderer

log = logging.getLogger(__name__)


class Postman:
    def __init__(self, settings: Settings, renderer: Renderer, clock: Clock) -> None:
        self.settings = settings
        self.renderer = renderer
        self.clock = clock

    async def post(
        self,
        uow: UnitOfWork,
        outcome: Outcome | list[Notice],
        *,
        source: tuple[int, int] | None = None,
    ) -> int:
        """Queue the outcome's messages; `source` is the (chat, message) a button was on."""
        notices = outcome if isinstance(outcome, list) else outcome.notices
        count = 0
        now = self.clock.now()
        if isinstance(outcome, Outcome) and outcome.clear_buttons and source is not None:
            chat_id, message_id = source
            await uow.outbox.add(
                chat_id,
                "editMessageReplyMarkup",
                {
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "reply_markup": {"inline_keyboard": []},
                },
                now,
            )
            count += 1
        users = await uow.users.many({n.to for n in notices})
        for notice in notices:
            user = users.get(notice.to)
            lang = pick_language(user.language if user else None, self.settings.default_language)
            calls = self.renderer.render(notice, lang)
            for i, (method, payload) in enumerate(calls):
                await uow.outbox.add(
                    notice.to,
                    method,
                    payload,
                    now,
                    ticket_id=notice.ticket.id if notice.ticket else None,
                    purpose=notice.purpose if i == 0 else "",
                    dedupe_key=f"{notice.dedupe}:{i}" if notice.dedupe else None,
                )
                count += 1
        return count
