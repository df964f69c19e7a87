"""The emulator over HTTP (aiohttp): the Bot API at ``/bot<token>/<method>`` (every call recorded,
every refusal as Telegram's error JSON), the file URL ``/file/bot<token>/<path>``, and the
``/_emu/...`` control endpoints that let another process act as the users and follow the chats
(a server-sent-events stream of the listener events)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.emulator.errors import ApiError
from bot.sandbox.emulator.model import JsonDict
from bot.sandbox.emulator.params import Params, read_params

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator

log = logging.getLogger(__name__)

Handler = Callable[[Params], Awaitable[Any]]
# Lower-case method name -> (Telegram's spelling, handler); looked up per request, so a
# benchmark may wrap an entry of the emulator's table.
MethodTable = dict[str, tuple[str, Handler]]


class EmulatorServer:
    """The HTTP side of one emulator."""

    def __init__(self, emulator: BotApiEmulator, methods: MethodTable) -> None:
        self.emu = emulator
        self.methods = methods
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (0: any free port); the port listened on."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_post("/_emu/users", self._emu_users)
        app.router.add_post("/_emu/send", self._emu_send)
        app.router.add_post("/_emu/press", self._emu_press)
        app.router.add_post("/_emu/location", self._emu_location)
        app.router.add_post("/_emu/photo", self._emu_photo)
        app.router.add_get("/_emu/chat/{user_id}", self._emu_chat)
        app.router.add_get("/_emu/events", self._emu_events)
        # Files users sent: getFile names them, this URL serves them (as Telegram's file URL
        # and a self-hosted Bot API server do); /_emu/document sends one as a user.
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._serve_file)
        app.router.add_post("/_emu/document", self._emu_document)
        # handler_cancellation: a long poll whose client went away (PTB cancels its polling
        # request on shutdown) is dropped instead of ending later with a 409 nobody reads.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        return int(address[1])

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # ------------------------------------------------------------------ the Bot API

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        entry = self.methods.get(raw_method.lower())
        method = entry[0] if entry is not None else raw_method
        params = Params({}, {})
        try:
            if token != self.emu.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            params = await read_params(request)
            result = await entry[1](params)
        except ApiError as error:
            self._record(method, params, error)
            return web.json_response(error.payload(), status=error.error_code)
        self._record(method, params, None)
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: Params, error: ApiError | None) -> None:
        logged = params.loggable()
        self.emu.calls.append({"method": method, "params": logged, "ok": error is None})
        if error is not None:
            self.emu.refusals.append(
                {
                    "method": method,
                    "params": logged,
                    "error_code": error.error_code,
                    "description": error.description,
                }
            )
            log.info("refused %s: %s", method, error.description)

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.emu.token:
            return web.Response(status=401, text="Unauthorized")
        file_id = request.match_info["file_path"].rsplit("/", 1)[-1]
        file = self.emu.state.files.get(file_id)
        if file is None or file.data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=file.data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ control API

    @staticmethod
    def _control_error(message: str, status: int = 400) -> web.Response:
        return web.json_response({"ok": False, "error": message}, status=status)

    async def _control_body(self, request: web.Request) -> JsonDict:
        try:
            body = await request.json()
        except ValueError:
            raise ValueError("the body must be a JSON object") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body

    async def _control(
        self, request: web.Request, action: Callable[[JsonDict], Any]
    ) -> web.Response:
        try:
            body = await self._control_body(request)
            result = action(body)
        except (ValueError, KeyError, TypeError) as error:
            return self._control_error(str(error))
        return web.json_response({"ok": True, "result": result})

    async def _emu_users(self, request: web.Request) -> web.Response:
        def action(body: JsonDict) -> bool:
            self.emu.add_user(
                int(body["user_id"]),
                str(body["first_name"]),
                language_code=body.get("language_code", "zh"),
                username=body.get("username"),
                last_name=body.get("last_name"),
            )
            return True

        return await self._control(request, action)

    async def _emu_send(self, request: web.Request) -> web.Response:
        return await self._control(
            request, lambda body: self.emu.send_text(int(body["user_id"]), str(body["text"]))
        )

    async def _emu_press(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.emu.press(
                int(body["user_id"]), int(body["message_id"]), str(body["data"])
            ),
        )

    async def _emu_location(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.emu.send_location(
                int(body["user_id"]), float(body["latitude"]), float(body["longitude"])
            ),
        )

    async def _emu_photo(self, request: web.Request) -> web.Response:
        return await self._control(
            request, lambda body: self.emu.send_photo(int(body["user_id"]), body.get("caption"))
        )

    async def _emu_document(self, request: web.Request) -> web.Response:
        return await self._control(
            request,
            lambda body: self.emu.send_document(
                int(body["user_id"]),
                str(body["file_name"]),
                base64.b64decode(str(body["data_b64"]), validate=True),
                body.get("caption"),
            ),
        )

    async def _emu_chat(self, request: web.Request) -> web.Response:
        try:
            user_id = int(request.match_info["user_id"])
            messages = self.emu.chat(user_id)
        except ValueError as error:
            return self._control_error(str(error), status=404)
        return web.json_response({"ok": True, "result": [m.to_dict() for m in messages]})

    async def _emu_events(self, request: web.Request) -> web.StreamResponse:
        state = self.emu.state
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        queue: asyncio.Queue[tuple[str, JsonDict] | None] = asyncio.Queue()
        state.event_queues.add(queue)
        try:
            await response.write(b": connected\n\n")
            while not state.closing:
                item = await queue.get()
                if item is None:
                    break
                event, payload = item
                data = json.dumps(payload, ensure_ascii=False)
                await response.write(f"event: {event}\ndata: {data}\n\n".encode())
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            state.event_queues.discard(queue)
        return response
