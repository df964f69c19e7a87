"""The chats as the sandbox's page sees them: each message as safe HTML (``chat_view.py``) dated
on the bot's clock, live events for the open pages (server-sent events), whether a persona has
pressed Start, and the command menu Telegram would show it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.app import HotlineBot
from bot.sandbox.chat_view import message_view
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.personas import Persona

JsonDict = dict[str, Any]

HEARTBEAT_SECONDS = 15.0


@dataclass
class _Clients:
    """The open pages' event streams."""

    queues: set[asyncio.Queue[tuple[str, JsonDict] | None]] = field(default_factory=set)

    def publish(self, event: str, payload: JsonDict) -> None:
        for queue in list(self.queues):
            queue.put_nowait((event, payload))

    def close(self) -> None:
        for queue in list(self.queues):
            queue.put_nowait(None)


class ChatFeed:
    """The personas' chats for the page, kept up to date from the emulator's events."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        bot: HotlineBot,
        personas: Mapping[int, Persona],
        speed: float,
    ) -> None:
        self.emu = emulator
        self.bot = bot
        self.personas = personas
        self.speed = speed
        # The bot's clock may run faster than real time: message dates (real seconds from the
        # emulator) are shown on the bot's clock, like the deadlines.
        origin = getattr(bot.clock, "real_origin", None)
        self._real0 = self._bot0 = float(origin) if origin is not None else 0.0
        self._clients = _Clients()
        # When each message reached its chat, on the bot's clock: a message is never shown
        # earlier than what caused it (the emulator's whole real seconds, scaled by --speed,
        # would be up to `speed` seconds early).
        self._arrived: dict[tuple[int, int], float] = {}
        emulator.add_listener(self._on_event)

    def close(self) -> None:
        """End the open pages' event streams."""
        self._clients.close()

    # -------------------------------------------------------------- messages

    def bot_time(self, real_seconds: float) -> float:
        """A real Unix time as the bot's (possibly faster) clock shows it."""
        if self.speed == 1:
            return real_seconds
        return self._bot0 + (real_seconds - self._real0) * self.speed

    def view(self, message: JsonDict) -> JsonDict:
        """One message as the page shows it."""
        view = message_view(message, self.bot_time)
        arrived = self._arrived.get((view["chat_id"], view["id"]))
        if arrived is not None:
            view["date"] = arrived
        return view

    def chat(self, persona: Persona) -> list[JsonDict]:
        return [self.view(m.to_dict()) for m in self.emu.chat(persona.user_id)]

    def last(self, persona: Persona) -> JsonDict:
        """The chat's newest message (what the persona just sent)."""
        return self.view(self.emu.chat(persona.user_id)[-1].to_dict())

    def joined(self, user_id: int) -> bool:
        """Whether the persona has pressed Start (sent /start) in this sandbox run."""
        return any(
            not m.from_bot and m.text.startswith("/start") for m in self.emu.chat(user_id)
        )

    def commands(self, persona: Persona) -> list[JsonDict]:
        """The command menu Telegram would show this persona (most specific scope first)."""
        chat_scope = {"type": "chat", "chat_id": persona.user_id}
        for scope, language in (
            (chat_scope, persona.language),
            (chat_scope, ""),
            ({"type": "all_private_chats"}, persona.language),
            ({"type": "all_private_chats"}, ""),
            (None, persona.language),
            (None, ""),
        ):
            found = self.emu.commands(scope=scope, language_code=language)
            if found:
                return found
        return []

    # -------------------------------------------------------------- live events

    def _on_event(self, event: str, payload: JsonDict) -> None:
        if event == "message":
            key = (int(payload.get("chat_id", 0)), int(payload.get("message_id", 0)))
            self._arrived.setdefault(key, self.bot.clock.now().timestamp())
        if event in ("message", "edit"):
            if int(payload.get("chat_id", 0)) in self.personas:
                self._clients.publish(event, self.view(payload))
        elif event == "delete":
            self._clients.publish("delete", dict(payload))
        elif event == "callback_answer":
            self._clients.publish(
                "answer",
                {
                    "chat_id": payload.get("chat_id"),
                    "message_id": payload.get("message_id"),
                    "text": payload.get("text") or "",
                    "show_alert": bool(payload.get("show_alert")),
                },
            )

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events to one page until it goes away or the sandbox stops."""
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        queue: asyncio.Queue[tuple[str, JsonDict] | None] = asyncio.Queue()
        self._clients.queues.add(queue)
        try:
            await response.write(b"retry: 1000\n: connected\n\n")
            while True:
                try:
                    async with asyncio.timeout(HEARTBEAT_SECONDS):  # wait_for can swallow a cancel
                        item = await queue.get()
                except TimeoutError:
                    await response.write(b": ping\n\n")
                    continue
                if item is None:
                    break
                event, payload = item
                data = json.dumps(payload, ensure_ascii=False)
                await response.write(f"event: {event}\ndata: {data}\n\n".encode())
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            self._clients.queues.discard(queue)
        return response
