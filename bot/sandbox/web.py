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
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.app import HotlineBot
from bot.config import Settings
from bot.domain.ticket import Ticket
from bot.sandbox.chat_view import attachment, demo_photo_svg, media_type, message_view
from bot.sandbox.emulator import BotApiEmulator, ChatMessage
from bot.services.uow import UnitOfWork
from bot.storage.uow import unit_of_work
from bot.telegram.catalog import LANGUAGES
from bot.telegram.catalog import text as catalog_text

__all__ = ["DEMO_LOCATION", "Persona", "SandboxWeb"]

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]

STATIC = Path(__file__).with_name("static")
# The picture the photo button sends: real bytes, so the engineer gets the very same file.
DEMO_PHOTO = STATIC / "demo-photo.png"
# Where the demo location button says the persona is (a county seat, roughly).
DEMO_LOCATION = (30.657, 104.066)
ROLE_LABELS = {
    "customer": "Customer 客户",
    "engineer": "Engineer 工程师",
    "customer_manager": "Customer manager 客户经理",
    "project_manager": "Project manager 项目经理",
    "project_lead": "Project lead 项目负责人",
    "admin": "Admin 管理员",
}
KEEP_CLOSED = 8  # tickets no longer open stay in the side panel (apart), newest first
HEARTBEAT_SECONDS = 15.0
JOIN_STEP_SECONDS = 15.0


@dataclass(frozen=True)
class Persona:
    """Someone the page can act as: a staff member of the config or a demo customer."""

    user_id: int
    name: str
    kind: str  # "customer" | "staff"
    roles: tuple[str, ...]
    language: str
    projects: tuple[str, ...] = ()  # project names
    invite: str = ""  # customers: the /start code of their project
    unit: str = ""
    phone: str = ""

    @property
    def group(self) -> str:
        """Where the persona picker lists this persona."""
        if self.kind == "customer":
            return "Customers"
        return "Engineers" if "engineer" in self.roles else "Managers"

    def to_dict(self) -> JsonDict:
        roles = self.roles or ("customer",)
        return {
            "id": self.user_id,
            "name": self.name,
            "kind": self.kind,
            "group": self.group,
            "roles": list(roles),
            "role_label": " · ".join(ROLE_LABELS.get(r, r) for r in roles),
            "language": self.language,
            "projects": list(self.projects),
            "invite": self.invite,
            "unit": self.unit,
            "phone": self.phone,
        }


# ------------------------------------------------------------------------ the server


@dataclass
class _Clients:
    queues: set[asyncio.Queue[tuple[str, JsonDict] | None]] = field(default_factory=set)

    def publish(self, event: str, payload: JsonDict) -> None:
        for queue in list(self.queues):
            queue.put_nowait((event, payload))

    def close(self) -> None:
        for queue in list(self.queues):
            queue.put_nowait(None)


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
        # The bot's clock may run faster than real time: message dates (real seconds from the
        # emulator) are shown on the bot's clock, like the deadlines.
        origin = getattr(bot.clock, "real_origin", None)
        self._real0 = self._bot0 = float(origin) if origin is not None else 0.0
        self._clients = _Clients()
        self._runner: web.AppRunner | None = None
        self._seen_tickets: dict[int, None] = {}
        # When each message reached its chat, on the bot's clock: a message is never shown
        # earlier than what caused it (the emulator's whole real seconds, scaled by --speed,
        # would be up to `speed` seconds early).
        self._arrived: dict[tuple[int, int], float] = {}
        self._scans: dict[int, int] = {}  # per customer persona: labels scanned so far
        self.emu.add_listener(self._on_event)

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
        app.router.add_get("/api/events", self._events)
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
        self._clients.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # -------------------------------------------------------------- helpers

    def bot_time(self, real_seconds: float) -> float:
        """A real Unix time as the bot's (possibly faster) clock shows it."""
        if self.speed == 1:
            return real_seconds
        return self._bot0 + (real_seconds - self._real0) * self.speed

    def _view(self, message: JsonDict) -> JsonDict:
        view = message_view(message, self.bot_time)
        arrived = self._arrived.get((view["chat_id"], view["id"]))
        if arrived is not None:
            view["date"] = arrived
        return view

    def _on_event(self, event: str, payload: JsonDict) -> None:
        if event == "message":
            key = (int(payload.get("chat_id", 0)), int(payload.get("message_id", 0)))
            self._arrived.setdefault(key, self.bot.clock.now().timestamp())
        if event in ("message", "edit"):
            if int(payload.get("chat_id", 0)) in self.personas:
                self._clients.publish(event, self._view(payload))
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

    def _persona(self, raw: object) -> Persona:
        try:
            user_id = int(str(raw))
        except ValueError:
            raise web.HTTPNotFound(text="unknown persona") from None
        persona = self.personas.get(user_id)
        if persona is None:
            raise web.HTTPNotFound(text="unknown persona")
        return persona

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
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        return web.Response(
            text=page,
            content_type="text/html",
            headers={
                # Same-origin scripts and styles only: nothing is loaded from elsewhere.
                "Content-Security-Policy": (
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    "script-src 'self'; connect-src 'self'; object-src 'none'; "
                    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                ),
            },
        )

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
        messages = [self._view(m.to_dict()) for m in self.emu.chat(persona.user_id)]
        return web.json_response(
            {
                "ok": True,
                "persona": persona.to_dict(),
                "joined": self.joined(persona.user_id),
                "messages": messages,
                "commands": self.commands(persona),
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
        return self._media_response(message)

    @staticmethod
    def _media_response(message: ChatMessage) -> web.Response:
        data = message.file_data
        if not data:
            svg = demo_photo_svg(message.message_id)
            return web.Response(body=svg, content_type="image/svg+xml")
        name = message.file_name or f"file-{message.message_id}"
        mime = media_type(data, name)
        headers = {}
        if message.kind == "document" or not mime.startswith("image/"):
            headers["Content-Disposition"] = attachment(name)
        return web.Response(body=data, content_type=mime, headers=headers)

    async def _tickets(self, request: web.Request) -> web.Response:
        """Open tickets, and apart from them the last few no longer open, with their labels
        in the language asked for (the page asks in its persona's language)."""
        bot = self.bot
        now = bot.clock.now()
        lang = request.query.get("lang", "")
        if lang not in LANGUAGES:
            lang = self.settings.default_language
        keys = [p.key for p in self.settings.projects]
        async with unit_of_work(bot.db) as uow:
            open_tickets = await uow.tickets.open_of_projects(keys, limit=200)
            for ticket in open_tickets:
                self._seen_tickets.pop(ticket.id, None)
                self._seen_tickets[ticket.id] = None
            open_ids = {t.id for t in open_tickets}
            done_ids = [i for i in self._seen_tickets if i not in open_ids][-KEEP_CLOSED:]
            done: list[Ticket] = []
            for ticket_id in done_ids:
                found = await uow.tickets.get(ticket_id)
                if found is not None:
                    done.append(found)
            rows = [
                await self._ticket_row(uow, ticket, lang)
                for ticket in sorted(open_tickets, key=lambda t: -t.id)
            ]
            closed = [await self._ticket_row(uow, ticket, lang) for ticket in done[::-1]]
        return web.json_response(
            {"ok": True, "bot_now": now.timestamp(), "tickets": rows, "closed": closed}
        )

    async def _ticket_row(self, uow: UnitOfWork, ticket: Ticket, lang: str) -> JsonDict:
        settings = self.settings
        customer = await uow.users.get(ticket.customer_id)
        owner = ""
        if ticket.owner_key:
            try:
                owner = settings.staff_by_key(ticket.owner_key).name
            except KeyError:
                owner = ticket.owner_key
        try:
            project = settings.project(ticket.project_key).name
        except KeyError:
            project = ticket.project_key
        clocks = []
        for view in await self.bot.services.sla.views(uow, ticket):
            spec = view.spec
            label = spec.labels.get(lang)
            if not label:
                try:
                    label = catalog_text(lang, f"sla.clock.{spec.name}")
                except KeyError:
                    label = spec.labels.get("en") or spec.name
            clocks.append(
                {
                    "name": spec.name,
                    "label": label,
                    "due": view.due_at.timestamp() if view.due_at is not None else None,
                    "running": view.state.running,
                    "paused": view.state.paused_since is not None,
                    "met": view.met,
                    "breached": view.state.breached_at is not None or view.remaining < 0,
                    "remaining": view.remaining,
                }
            )
        return {
            "id": ticket.id,
            "project": project,
            "level": str(ticket.level),
            # A service request shows its kind where a fault shows its level.
            "level_label": catalog_text(
                lang,
                f"request.kind.{ticket.kind}" if ticket.is_request else f"level.{ticket.level}",
            ),
            "status": str(ticket.status),
            "status_label": catalog_text(lang, f"status.{ticket.status}"),
            "open": ticket.is_open,
            "owner": owner,
            "customer": customer.display_name if customer is not None else "",
            "site": ticket.site
            or (
                f"📍 {ticket.latitude:.5f}, {ticket.longitude:.5f}"
                if ticket.latitude is not None and ticket.longitude is not None
                else ""
            ),
            "reported": ticket.reported_at.timestamp(),
            "clocks": clocks,
        }

    async def _events(self, request: web.Request) -> web.StreamResponse:
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

    # -------------------------------------------------------------- actions

    async def _send(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            text = str(body.get("text") or "").strip()
            if not text:
                raise ValueError("type something first")
            if len(text) > 4096:
                raise ValueError("a Telegram message has at most 4096 characters")
            return self._view(self.emu_send(persona, text))

        return await self._act(request, action)

    def emu_send(self, persona: Persona, text: str) -> JsonDict:
        self.emu.send_text(persona.user_id, text)
        return self.emu.chat(persona.user_id)[-1].to_dict()

    async def _press(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> str:
            return self.emu.press(persona.user_id, int(body["message_id"]), str(body["data"]))

        return await self._act(request, action)

    async def _location(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            latitude = float(body.get("latitude", DEMO_LOCATION[0]))
            longitude = float(body.get("longitude", DEMO_LOCATION[1]))
            self.emu.send_location(persona.user_id, latitude, longitude)
            return self._view(self.emu.chat(persona.user_id)[-1].to_dict())

        return await self._act(request, action)

    async def _photo(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            caption = body.get("caption")
            photo = DEMO_PHOTO.read_bytes()
            self.emu.send_photo(persona.user_id, str(caption) if caption else None, photo)
            return self._view(self.emu.chat(persona.user_id)[-1].to_dict())

        return await self._act(request, action)

    async def _join(self, request: web.Request) -> web.Response:
        return await self._act(request, lambda persona, body: self.join(persona))

    async def _document(self, request: web.Request) -> web.Response:
        def action(persona: Persona, body: JsonDict) -> JsonDict:
            name = str(body.get("file_name") or "file")[:100]
            data = base64.b64decode(str(body.get("data_b64") or ""), validate=True)
            if not data:
                raise ValueError("the file is empty")
            self.emu.send_document(persona.user_id, name, data)
            return self._view(self.emu.chat(persona.user_id)[-1].to_dict())

        return await self._act(request, action)

    async def _scan(self, request: web.Request) -> web.Response:
        return await self._act(request, lambda persona, body: self.scan(persona))

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
