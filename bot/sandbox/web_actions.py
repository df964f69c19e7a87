"""What a persona does in several steps, as a person would: press Start (a customer then
answers the profile questions with the persona's demo details) or scan a device's QR label."""

from __future__ import annotations

import contextlib
from typing import Any

from bot.app import HotlineBot
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.personas import Persona
from bot.storage.uow import unit_of_work
from bot.telegram.catalog import text as catalog_text

JsonDict = dict[str, Any]

JOIN_STEP_SECONDS = 15.0


class PersonaActions:
    """Start and label scans, through the emulator (the bot sees ordinary updates)."""

    def __init__(self, emulator: BotApiEmulator, bot: HotlineBot) -> None:
        self.emu = emulator
        self.bot = bot
        self.settings = bot.settings
        self._scans: dict[int, int] = {}  # per customer persona: labels scanned so far

    async def scan(self, persona: Persona) -> JsonDict:
        """A customer scans a device's QR label: /start with the label's payload, as the
        phone's camera opening t.me/<bot>?start=<payload> sends it. Each press takes the next
        device of the persona's project (the equipment register)."""
        project = self.settings.project_by_invite(persona.invite) if persona.invite else None
        if persona.kind != "customer" or project is None:
            raise ValueError("only a demo customer scans labels")
        async with unit_of_work(self.bot.db) as uow:
            devices = await uow.devices.of_projects([project.key])
        if not devices:
            raise ValueError(
                f"{project.name} has no devices yet: an admin imports the register "
                "(/equipment template)"
            )
        turn = self._scans.get(persona.user_id, 0)
        self._scans[persona.user_id] = turn + 1
        device = devices[turn % len(devices)]
        self.emu.send_text(persona.user_id, f"/start {device.label}")
        return {"code": device.code, "name": device.name, "model": device.model}

    async def join(self, persona: Persona) -> JsonDict:
        """Press Start: staff send /start; a customer sends /start INVITE and answers the
        profile questions (name, unit, phone) with the persona's demo details."""
        uid = persona.user_id
        if persona.kind != "customer" or not persona.invite:
            self.emu.send_text(uid, "/start")
            return {"joined": True, "profile": False}
        lang = persona.language
        ask_name = catalog_text(lang, "profile.ask_name")
        mark = max((m.message_id for m in self.emu.chat(uid)), default=0)
        self.emu.send_text(uid, f"/start {persona.invite}")
        answers = [
            (ask_name, persona.name),
            (catalog_text(lang, "profile.ask_unit"), persona.unit),
            (catalog_text(lang, "profile.ask_phone"), persona.phone),
        ]
        # The bot answers "joined" (and asks for the profile only if it has none yet).
        try:
            await self.emu.wait_for_message(uid, lambda m: True, JOIN_STEP_SECONDS, after=mark)
        except AssertionError:
            return {"joined": True, "profile": False}
        for question, answer in answers:
            try:
                found = await self.emu.wait_for_message(
                    uid, question, 5.0 if question == ask_name else JOIN_STEP_SECONDS, after=mark
                )
            except AssertionError:
                # No question: the profile exists already (or the bot asks something else,
                # which the person at the page answers).
                return {"joined": True, "profile": False}
            if not answer:
                return {"joined": True, "profile": False}
            mark = found.message_id
            self.emu.send_text(uid, answer)
        with contextlib.suppress(AssertionError):
            await self.emu.wait_for_message(uid, lambda m: True, JOIN_STEP_SECONDS, after=mark)
        return {"joined": True, "profile": True}
