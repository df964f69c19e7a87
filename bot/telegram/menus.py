"""The command menus: customers' commands for everyone (zh and en), staff's own per chat.

Each menu is an outbox row deduplicated by a digest of its whole payload, so a menu is sent
again exactly when a command or its description changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import User
from bot.services.uow import UnitOfWork
from bot.telegram.catalog import LANGUAGES, pick_language, text

CUSTOMER_COMMANDS = ("report", "my", "status", "profile", "cancel", "help", "whoami")
STAFF_COMMANDS = (
    "queue",
    "mine",
    "take",
    "onway",
    "arrive",
    "resolve",
    "note",
    "status",
    "regrade",
    "sla",
    "pause",
    "wait",
    "resume",
    "proposal",
    "spare",
    "part",
    "loaner",
    "oncall",
    "schedule",
    "swap",
    "cover",
    "cancel",
    "help",
    "whoami",
)


def digest(payload: dict[str, Any]) -> str:
    """A short digest of a Bot API payload: equal payloads, equal digests."""
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


def _commands(lang: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"command": c, "description": text(lang, f"cmd.{c}")} for c in names]


class Menus:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def refresh(self, uow: UnitOfWork) -> None:
        """At start-up: the default menus, and the menu of every staff member who can be
        reached (a changed menu is sent again)."""
        for lang in LANGUAGES:
            payload: dict[str, Any] = {"commands": _commands(lang, CUSTOMER_COMMANDS)}
            if lang != self.settings.default_language:
                payload["language_code"] = lang
            await uow.outbox.add(
                0,
                "setMyCommands",
                payload,
                self.clock.now(),
                dedupe_key=f"menu:default:{lang}:{digest(payload)}",
            )
        staff_users = await uow.users.many(s.telegram_id for s in self.settings.staff)
        for user in staff_users.values():
            if user.started_at is not None and user.unreachable_at is None:
                await self.staff(uow, user)

    async def staff(self, uow: UnitOfWork, user: User) -> None:
        """Staff see their own command menu (per-chat scope), in their language."""
        lang = pick_language(user.language, self.settings.default_language)
        payload: dict[str, Any] = {
            "commands": _commands(lang, STAFF_COMMANDS),
            "scope": {"type": "chat", "chat_id": user.telegram_id},
        }
        await uow.outbox.add(
            user.telegram_id,
            "setMyCommands",
            payload,
            self.clock.now(),
            dedupe_key=f"menu:{user.telegram_id}:{lang}:{digest(payload)}",
        )
