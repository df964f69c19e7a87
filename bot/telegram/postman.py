"""Turns a use case's Outcome into outbox rows, inside the same transaction.

Besides queueing each notice's calls, the postman keeps the messages that must stay true:
- a ticket's card or page is one message per chat, edited as the ticket changes (the outbox
  remembers what each says, so an edit that changes nothing is not sent, and a message not sent
  yet is rewritten instead of followed by an edit);
- after every change, each chat's card of every ticket the outcome is about is edited to the
  ticket's current state (`cards`, connected to Tracking.refresh by the composition root);
- a question answered with a button keeps its text and shows the answer: which button, who
  pressed it, when.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.services.notices import Keep, Notice, Outcome
from bot.services.uow import OutboxRow, UnitOfWork
from bot.telegram.catalog import esc, pick_language, text
from bot.telegram.render import Call, Renderer
from bot.telegram.render.widgets import MAX_TEXT, fit, plain_length

log = logging.getLogger(__name__)

NO_BUTTONS: dict[str, Any] = {"inline_keyboard": []}
# The customer of a phoned-in fault whose caller has no Telegram: their messages are relayed.
NO_CHAT = 0


def relay_of(notice: Notice) -> int | None:
    """Who relays a notice for a caller without Telegram (None: not such a notice)."""
    t = notice.ticket
    if notice.to != NO_CHAT or t is None:
        return None
    return t.relay_staff


@dataclass(frozen=True)
class Pressed:
    """The message a button was pressed on, which button (its callback data), and by whom."""

    chat_id: int
    message_id: int
    data: str = ""
    user_id: int | None = None  # the chat's user, in a private chat


@dataclass(frozen=True)
class Shown:
    """What a kept message says now: its id once sent, or its row while it waits to be sent."""

    message_id: int | None
    waiting: OutboxRow | None
    text: str
    markup: dict[str, Any]


def _markup(payload: dict[str, Any]) -> dict[str, Any]:
    return payload.get("reply_markup") or NO_BUTTONS


def shown(rows: list[OutboxRow]) -> Shown | None:
    """The state of a kept message from its calls, oldest first (its send, then its edits)."""
    now: Shown | None = None
    for row in rows:
        p = row.payload
        if row.method == "sendMessage":
            sent = row.status == "sent" and row.message_id is not None
            now = Shown(
                row.message_id if sent else None,
                None if sent else row,
                p.get("text", ""),
                _markup(p),
            )
        elif now is not None and row.method == "editMessageText":
            now = replace(now, text=p.get("text", ""), markup=_markup(p))
        elif now is not None and row.method == "editMessageReplyMarkup":
            now = replace(now, markup=_markup(p))
    return now


async def _no_cards(uow: UnitOfWork, ticket_id: int) -> list[Notice]:
    return []


class Postman:
    def __init__(self, settings: Settings, renderer: Renderer, clock: Clock) -> None:
        self.settings = settings
        self.renderer = renderer
        self.clock = clock
        # Every chat's card of a ticket, as the ticket is now ("refresh" notices).
        self.cards: Callable[[UnitOfWork, int], Awaitable[list[Notice]]] = _no_cards

    async def post(
        self,
        uow: UnitOfWork,
        outcome: Outcome | list[Notice],
        *,
        source: Pressed | None = None,
    ) -> int:
        """Queue the outcome's messages; `source` is the button pressed, if one was."""
        notices = outcome if isinstance(outcome, list) else outcome.notices
        now = self.clock.now()
        count = 0
        if isinstance(outcome, Outcome) and outcome.clear_buttons and source is not None:
            count += await self._answered(uow, source, now)
        touched = list(dict.fromkeys(n.ticket.id for n in notices if n.ticket is not None))
        for ticket_id in touched:
            notices = [*notices, *await self.cards(uow, ticket_id)]
        users = await uow.users.many({relay_of(n) or n.to for n in notices})
        leads: dict[int, tuple[Notice, Call]] = {}  # a lead-in held for the chat's next message

        async def flush(chat: int) -> int:
            held = leads.pop(chat, None)
            if held is None:
                return 0
            return await self._add(uow, held[0], [held[1]], now, held[0].purpose)

        for notice in notices:
            if notice.to == NO_CHAT:
                count += await self._relay(uow, notice, users, now)
                continue
            user = users.get(notice.to)
            lang = pick_language(user.language if user else None, self.settings.default_language)
            keep = self.renderer.keeps(notice)
            if keep is not None:
                count += await flush(notice.to)
                count += await self._keep(uow, notice, lang, *keep, now)
                continue
            calls = self.renderer.render(notice, lang)
            held = leads.get(notice.to)
            if held is not None and (opened := led_in(held[1], calls)) is not None:
                del leads[notice.to]
                calls = opened
            else:
                count += await flush(notice.to)
            if notice.lead_in and len(calls) == 1 and plain_message(calls[0]):
                leads[notice.to] = (notice, calls[0])
                continue
            count += await self._add(uow, notice, calls, now, notice.purpose)
        for chat in list(leads):
            count += await flush(chat)
        return count

    async def _add(
        self,
        uow: UnitOfWork,
        notice: Notice,
        calls: list[Call],
        now: datetime,
        purpose: str,
        *,
        first: int = 0,
    ) -> int:
        """Queue calls of a notice; the first call of a notice carries its purpose."""
        for i, (method, payload) in enumerate(calls, start=first):
            await uow.outbox.add(
                notice.to,
                method,
                payload,
                now,
                ticket_id=notice.ticket.id if notice.ticket else None,
                purpose=purpose if i == 0 else "",
                dedupe_key=f"{notice.dedupe}:{i}" if notice.dedupe else None,
            )
        return len(calls)

    # ------------------------------------------------------------------ relays
    async def _relay(
        self, uow: UnitOfWork, notice: Notice, users: dict[int, Any], now: datetime
    ) -> int:
        """A message for a caller without Telegram (customer 0) goes to the staff member who
        logged their call, as a call to make, without the customer's buttons; with no relay it
        has nowhere to go. Kept messages (cards refreshed in place) are not relayed again."""
        relay = relay_of(notice)
        if relay is None or self.renderer.keeps(notice) is not None:
            return 0
        assert notice.ticket is not None
        user = users.get(relay)
        lang = pick_language(user.language if user else None, self.settings.default_language)
        said = [
            p.get("text") or p.get("caption") or ""
            for _, p in self.renderer.render(replace(notice, edit_message_id=None), lang)
        ]
        body = "\n\n".join(t for t in said if t)
        if not body:
            return 0
        t = notice.ticket
        head = text(
            lang, "desk.relay", id=t.id, name=t.contact_name, phone=t.contact_phone
        )
        payload = {"chat_id": relay, "text": f"{head}\n\n{body}", "parse_mode": "HTML"}
        calls: list[Call] = fit([("sendMessage", payload)])
        return await self._add(uow, replace(notice, to=relay), calls, now, "relay")

    # ------------------------------------------------------------------ kept messages
    async def _keep(
        self, uow: UnitOfWork, notice: Notice, lang: str, purpose: str, keep: Keep, now: datetime
    ) -> int:
        """The chat's one card (or page) of the ticket says what this notice says."""
        assert notice.ticket is not None
        current = shown(await uow.outbox.kept(notice.ticket.id, purpose, notice.to))
        if current is None and keep == "refresh":
            return 0
        if current is None or keep == "anew":
            count = 0
            if current is not None and current.markup != NO_BUTTONS:
                count += await self._take_buttons_off(uow, notice, purpose, current, now)
            calls = self.renderer.render(replace(notice, edit_message_id=None), lang)
            return count + await self._add(uow, notice, calls, now, purpose)
        first, *rest = self.renderer.render(
            replace(notice, edit_message_id=current.message_id), lang
        )
        count = await self._edit(uow, notice, lang, purpose, current, first, now)
        return count + await self._add(uow, notice, rest, now, purpose, first=1)

    async def _edit(
        self,
        uow: UnitOfWork,
        notice: Notice,
        lang: str,
        purpose: str,
        current: Shown,
        call: Call,
        now: datetime,
    ) -> int:
        """Edit a kept message: nothing when it says that already; a message still waiting to be
        sent is rewritten instead."""
        payload = call[1]
        if payload.get("text") == current.text and _markup(payload) == current.markup:
            return 0
        if current.waiting is None:
            return await self._add(uow, notice, [call], now, purpose)
        if await uow.outbox.rewrite(current.waiting.id, payload):
            return 1
        message_id = await self._went(uow, current)
        if message_id is None:
            return 0
        edited = replace(notice, edit_message_id=message_id)
        return await self._add(uow, notice, self.renderer.render(edited, lang)[:1], now, purpose)

    @staticmethod
    async def _went(uow: UnitOfWork, current: Shown) -> int | None:
        """The id of a kept message that was sent while we looked (no longer waiting)."""
        row = await uow.outbox.get(current.waiting.id) if current.waiting else None
        return row.message_id if row is not None else None

    async def _take_buttons_off(
        self, uow: UnitOfWork, notice: Notice, purpose: str, current: Shown, now: datetime
    ) -> int:
        """A card superseded by a new one keeps its text but loses its buttons."""
        message_id = current.message_id
        if current.waiting is not None:
            payload = dict(current.waiting.payload)
            payload.pop("reply_markup", None)
            if await uow.outbox.rewrite(current.waiting.id, payload):
                return 1
            message_id = await self._went(uow, current)
        if message_id is None:
            return 0
        call: Call = (
            "editMessageReplyMarkup",
            {"chat_id": notice.to, "message_id": message_id, "reply_markup": NO_BUTTONS},
        )
        return await self._add(uow, notice, [call], now, purpose)

    # ------------------------------------------------------------------ answered questions
    async def _answered(self, uow: UnitOfWork, pressed: Pressed, now: datetime) -> int:
        """The question keeps its text and shows the answer: "✔ Approve — PM, 10:05"."""
        chat_id, message_id = pressed.chat_id, pressed.message_id
        row = await uow.outbox.shown(chat_id, message_id)
        label = _label(row.payload, pressed.data) if row is not None else None
        if row is None or label is None or "text" not in row.payload:
            call: Call = (
                "editMessageReplyMarkup",
                {"chat_id": chat_id, "message_id": message_id, "reply_markup": NO_BUTTONS},
            )
        else:
            presser = chat_id if pressed.user_id is None else pressed.user_id
            user = await uow.users.get(presser)
            lang = pick_language(user.language if user else None, self.settings.default_language)
            staff = self.settings.staff_by_telegram_id(presser)
            who = staff.name if staff else (user.display_name if user else "")
            answer = text(
                lang,
                "answered",
                answer=esc(_plain_label(label)),
                who=esc(who),
                at=self.renderer.parts.when(now),
            )
            payload = {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": f"{row.payload['text']}\n\n{answer}",
                "parse_mode": "HTML",
                "reply_markup": NO_BUTTONS,
            }
            call = fit([("editMessageText", payload)])[0]
        ticket_id = row.ticket_id if row is not None else None
        await uow.outbox.add(chat_id, call[0], call[1], now, ticket_id=ticket_id)
        return 1


def _plain_label(label: str) -> str:
    """A button's words without the symbols in front ("✅ Approve" -> "Approve")."""
    return re.sub(r"^[^\w]+", "", label) or label


def _label(payload: dict[str, Any], data: str) -> str | None:
    """The text of the button that says `data`, on a message as it was sent."""
    for line in _markup(payload).get("inline_keyboard", []):
        for b in line:
            if b.get("callback_data") == data:
                return str(b.get("text", ""))
    return None


def plain_message(call: Call) -> bool:
    """A new text message without buttons (it can open the next one)."""
    method, payload = call
    return method == "sendMessage" and "reply_markup" not in payload


def led_in(lead: Call, calls: list[Call]) -> list[Call] | None:
    """`calls` with the lead-in's text opening their first message; None when it does not
    fit (not a new text message in the same place, or too long together)."""
    if not calls or calls[0][0] != "sendMessage":
        return None
    first, rest = calls[0][1], calls[1:]
    same_place = first.get("message_thread_id") == lead[1].get("message_thread_id")
    if not same_place or first.get("parse_mode") != lead[1].get("parse_mode"):
        return None
    body = f"{lead[1]['text']}\n\n{first['text']}"
    if plain_length(body) > MAX_TEXT:
        return None
    return [("sendMessage", {**first, "text": body}), *rest]
