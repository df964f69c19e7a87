"""The command menus and /help, both made from one table of commands: customers' commands
for everyone (zh and en), each staff member's own per chat (managers' with theirs).

Each menu is an outbox row deduplicated by a digest of its whole payload, so a menu is sent
again exactly when a command or its description changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.people import User
from bot.services.notices import Params
from bot.services.uow import UnitOfWork
from bot.telegram.catalog import LANGUAGES, pick_language, text

Audience = Literal["customer", "staff", "manager", "admin"]


@dataclass(frozen=True)
class Command:
    """One command as its users see it: the roles that have it, the catalog key of its
    description (`cmd.NAME`)."""

    name: str
    audiences: tuple[Audience, ...]

    @property
    def description_key(self) -> str:
        return f"cmd.{self.name}"


# The one table of commands: both the Telegram command menus and /help are made from it.
# "staff" is every staff member (engineers and managers); "manager" adds the managers' own;
# "admin" the bot's admins' own (the bot's health).
COMMANDS: tuple[Command, ...] = (
    Command("report", ("customer",)),
    Command("my", ("customer",)),
    Command("complain", ("customer",)),
    Command("queue", ("staff",)),
    Command("mine", ("staff",)),
    Command("take", ("staff",)),
    Command("onway", ("staff",)),
    Command("arrive", ("staff",)),
    Command("resolve", ("staff",)),
    Command("note", ("staff",)),
    Command("status", ("customer", "staff")),
    Command("doc", ("customer", "staff")),
    Command("sla", ("staff",)),
    Command("pause", ("staff",)),
    Command("wait", ("staff",)),
    Command("resume", ("staff",)),
    Command("proposal", ("staff",)),
    Command("spare", ("staff",)),
    Command("part", ("staff",)),
    Command("loaner", ("staff",)),
    Command("oncall", ("staff",)),
    Command("schedule", ("staff",)),
    Command("swap", ("staff",)),
    Command("regrade", ("manager",)),
    Command("cover", ("manager",)),
    Command("assign", ("manager",)),
    Command("callback", ("manager",)),
    Command("complaints", ("manager",)),
    Command("answer", ("manager",)),
    Command("close", ("manager",)),
    Command("ledger", ("manager",)),
    Command("daily", ("staff",)),
    Command("blocked", ("staff",)),
    Command("export", ("manager",)),
    Command("monthly", ("manager",)),
    Command("log", ("staff",)),
    Command("profile", ("customer",)),
    Command("cancel", ("customer", "staff")),
    Command("help", ("customer", "staff")),
    Command("whoami", ("customer", "staff")),
    Command("tasks", ("staff",)),
    Command("event", ("manager",)),
    Command("events", ("manager",)),
    Command("standby", ("manager",)),
    Command("charges", ("staff",)),
    Command("request", ("customer",)),
    Command("health", ("admin",)),
    Command("equipment", ("staff",)),
    Command("device", ("staff",)),
    Command("labels", ("manager",)),
)


def audiences_of(staff: StaffConfig | None) -> tuple[Audience, ...]:
    """Whose commands a user has: a customer's, a staff member's, and a manager's own."""
    if staff is None:
        return ("customer",)
    roles: tuple[Audience, ...] = ("staff", "manager") if staff.is_manager else ("staff",)
    return (*roles, "admin") if staff.has_role("admin") else roles


def sections(audiences: tuple[Audience, ...]) -> list[tuple[Audience, list[Command]]]:
    """The commands of these roles, a section per role in the table's order; a command
    several roles share is in the first of them."""
    listed: set[str] = set()
    out: list[tuple[Audience, list[Command]]] = []
    for audience in audiences:
        own = [c for c in COMMANDS if audience in c.audiences and c.name not in listed]
        listed.update(c.name for c in own)
        out.append((audience, own))
    return out


def digest(payload: dict[str, Any]) -> str:
    """A short digest of a Bot API payload: equal payloads, equal digests."""
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


def _commands(lang: str, audiences: tuple[Audience, ...]) -> list[dict[str, str]]:
    """A command menu: the same commands in the same order as /help."""
    return [
        {"command": c.name, "description": text(lang, c.description_key)}
        for _, commands in sections(audiences)
        for c in commands
    ]


@dataclass(frozen=True)
class HelpFor(Params):
    """/help of one user: the roles whose commands it lists (`help`); a customer's project,
    whose hotline and customer manager it shows."""

    audiences: tuple[Audience, ...]
    project_key: str | None = None


def help_text(lang: str, audiences: tuple[Audience, ...]) -> str:
    """/help: every command of the user's roles, a heading per role, a line per command."""
    return "\n\n".join(
        "\n".join(
            [text(lang, f"help.{audience}")]
            + [f"/{c.name} {text(lang, c.description_key)}" for c in commands]
        )
        for audience, commands in sections(audiences)
    )


class Menus:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def refresh(self, uow: UnitOfWork) -> None:
        """At start-up: the default menus, and the menu of every staff member who can be
        reached (a changed menu is sent again)."""
        for lang in LANGUAGES:
            payload: dict[str, Any] = {"commands": _commands(lang, ("customer",))}
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
        staff = self.settings.staff_by_telegram_id(user.telegram_id)
        payload: dict[str, Any] = {
            "commands": _commands(lang, audiences_of(staff)),
            "scope": {"type": "chat", "chat_id": user.telegram_id},
        }
        await uow.outbox.add(
            user.telegram_id,
            "setMyCommands",
            payload,
            self.clock.now(),
            dedupe_key=f"menu:{user.telegram_id}:{lang}:{digest(payload)}",
        )
