"""The sandbox's web chat: act as any persona of the demo deployment in a browser.

A small aiohttp server (bound to 127.0.0.1) serves one plain HTML/CSS/JS page from
``bot/sandbox/static`` and a JSON API on top of the in-process Bot API emulator:

* ``GET /api/state``: personas, speed, time zone; ``GET /api/chat/{id}``: one chat with its
  command menu; ``GET /api/tickets?lang=``: open tickets with their clocks from the bot's
  database, and apart the recently closed ones;
* ``POST /api/send|press|location|photo|document|join|scan``: the persona acts (through the
  emulator, i.e. exactly as a Telegram user would: the bot sees ordinary updates);
* ``GET /api/events``: server-sent events (new messages, edits, deletions, callback answers);
* ``GET /api/media/{chat}/{message}``: a photo or document of a message.

Messages are sent to the page as safe HTML built from the message's plain text and its
entities (what the emulator parsed from the bot's HTML): every character of text is escaped
and only Telegram's formatting subset becomes tags, so nothing a user typed can run in the page.

This module is the server: its routes, the guard every request passes and the thin request
handlers. The chats as the page sees them are ``web_chats.py``, the ticket panel
``web_tickets.py``, Start and label scans ``web_actions.py``, the page and files ``web_page.py``,
the personas ``personas.py``.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.app import HotlineBot
from bot.config import Settings
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.personas import Persona
from bot.sandbox.web_actions import PersonaActions
from bot.sandbox.web_chats import ChatFeed
from bot.sandbox.web_page import DEMO_PHOTO, STATIC, index_page, media_response
from bot.sandbox.web_tickets import TicketPanel

__all__ = ["DEMO_LOCATION", "DEMO_PHOTO", "Persona", "SandboxWeb"]

JsonDict = dict[str, Any]

# Where the demo location button says the persona is (a county seat, roughly).
DEMO_LOCATION = (30.657, 104.066)
MAX_TEXT = 4096  # a Telegram message's characters


class SandboxWeb:
    """The web chat page and its API, for one emulator and one running bot."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        bot: HotlineBot,
        personas: Sequence[Persona],
        *,
        speed: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 8080,
    ) -> None:
        self.emu = emulator
        self.bot = bot
        self.settings: Settings = bot.settings
        self.personas = {p.user_id: p for p in personas}
        self.speed = speed
        self.host = host
        self.port = port
        self.chats = ChatFeed(emulator, bot, self.personas, speed)
        self.tickets = TicketPanel(bot)
        self.actions = PersonaActions(emulator, bot)
        self._runner: web.AppRunner | None = None

    # -------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC, follow_symlinks=False)
        app.router.add_get("/api/state", self._state)
        app.router.add_get("/api/chat/{user_id}", self._chat)
        app.router.add_get("/api/tickets", self._tickets)
        app.router.add_get("/api/events", self.chats.stream)
        app.router.add_get("/api/media/{user_id}/{message_id}", self._media)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/location", self._location)
        app.router.add_post("/api/photo", self._photo)
        app.router.add_post("/api/join", self._join)
        app.router.add_post("/api/scan", self._scan)
        app.router.add_post("/api/document", self._document)
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        self.chats.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # -------------------------------------------------------------- every request

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Only this machine's browser, only this page: the Host must be ours (no DNS
        rebinding), and actions come as same-origin JSON (no cross-site form posts)."""
        allowed = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        if request.host not in allowed:
            return web.json_response({"ok": False, "error": "forbidden host"}, status=403)
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc not in allowed:
                return web.json_response({"ok": False, "error": "forbidden origin"}, status=403)
            if request.content_type != "application/json":
                return web.json_response(
                    {"ok": False, "error": "send JSON (application/json)"}, status=415
                )
        response = await handler(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def _persona(self, raw: object) -> Persona:
        try:
            user_id = int(str(raw))
        except ValueError:
            raise web.HTTPNotFound(text="unknown persona") from None
        persona = self.personas.get(user_id)
        if persona is None:
            raise web.HTTPNotFound(text="unknown persona")
        return persona

    @staticmethod
    async def _body(request: web.Request) -> JsonDict:
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="the body must be a JSON object") from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="the body must be a JSON object")
        return body

    async def _act(
        self, request: web.Request, action: Callable[[Persona, JsonDict], Any]
    ) -> web.Response:
        """Run a persona's action; a refused one is a 400 with the reason for the page."""
        body = await self._body(request)
        persona = self._persona(body.get("user_id"))
        try:
            result = action(persona, body)
            if asyncio.iscoroutine(result):
                result = await result
        except (ValueError, KeyError, TypeError) as error:
            return web.json_response({"ok": False, "error": str(error)}, status=400)
        return web.json_response({"ok": True, "result": result})

    # -------------------------------------------------------------- pages and reads

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return index_page()

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "speed": self.speed,
                "timezone": self.settings.timezone,
                "bot_now": self.bot.clock.now().timestamp(),
                "personas": [p.to_dict() for p in self.personas.values()],
                "projects": [
                    {"key": p.key, "name": p.name, "invite": p.invite, "policy": p.policy}
                    for p in self.settings.projects
                ],
            }
        )

    async def _chat(self, request: web.Request) -> web.Response:
        persona = self._persona(request.match_info["user_id"])
        return web.json_response(
            {
                "ok": True,
                "persona": persona.to_dict(),
                "joined": self.chats.joined(persona.user_id),
                "messages": self.chats.chat(persona),
                "commands": self.chats.commands(persona),
            }
        )

    async def _media(self, request: web.Request) -> web.StreamResponse:
        persona = self._persona(request.match_info["user_id"])
        try:
            message_id = int(request.match_info["message_id"])
        except ValueError:
            raise web.HTTPNotFound() from None
        message = next(
            (m for m in self.emu.chat(persona.user_id) if m.message_id == message_id), None
        )
        if message is None or message.kind not in ("photo", "document", "sticker"):
            raise web.HTTPNotFound()
        return media_response(message)

    async def _tickets(self, request: web.Request) -> web.Response:
        return web.json_response(await self.tickets.read(request.query.get("lang", "")))

    # -------------------------------------------------------------- actions

    async def _send(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            text = str(body.get("text") or "").strip()
            if not text:
                raise ValueError("type something first")
            if len(text) > MAX_TEXT:
                raise ValueError("a Telegram message has at most 4096 characters")
            self.emu.send_text(persona.user_id, text)
            return self.chats.last(persona)

        return await self._act(request, action)

    async def _press(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> str:
            return self.emu.press(persona.user_id, int(body["message_id"]), str(body["data"]))

        return await self._act(request, action)

    async def _location(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            latitude = float(body.get("latitude", DEMO_LOCATION[0]))
            longitude = float(body.get("longitude", DEMO_LOCATION[1]))
            self.emu.send_location(persona.user_id, latitude, longitude)
            return self.chats.last(persona)

        return await self._act(request, action)

    async def _photo(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            caption = body.get("caption")
            photo = DEMO_PHOTO.read_bytes()
            self.emu.send_photo(persona.user_id, str(caption) if caption else None, photo)
            return self.chats.last(persona)

        return await self._act(request, action)

    async def _document(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            name = str(body.get("file_name") or "file")[:100]
            data = base64.b64decode(str(body.get("data_b64") or ""), validate=True)
            if not data:
                raise ValueError("the file is empty")
            self.emu.send_document(persona.user_id, name, data)
            return self.chats.last(persona)

        return await self._act(request, action)

    async def _join(self, request: web.Request) -> web.Response:
        return await self._act(request, lambda persona, body: self.actions.join(persona))

    async def _scan(self, request: web.Request) -> web.Response:
        return await self._act(request, lambda persona, body: self.actions.scan(persona))
