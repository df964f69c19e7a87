"""`[http] listen`: /healthz and /metrics for the operator's probes, on the bot's own loop.

A small HTTP/1.1 server on asyncio streams (no web framework for two read-only pages): GET
only, one request per connection, a request line and headers of at most 8 KiB read within
5 s, bound to the configured address only. /healthz answers 200 with a short JSON when the
bot is healthy, 503 with the reasons when not; /metrics is Prometheus' text format
(prometheus-client's own exposition). The numbers are read at request time without blocking
the loop (the database in a worker thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from bot.domain.health import HealthFacts, Problem
from bot.telegram.metrics import Monitor

log = logging.getLogger(__name__)

HEAD_LIMIT = 8192
READ_TIMEOUT = 5.0
REASONS = {
    "database": "the database does not take a write",
    "updates": "no getUpdates answer from Telegram for too long",
    "outbox": "the oldest due message waits too long: the sender is stuck",
}


def parse_listen(listen: str) -> tuple[str, int]:
    """"127.0.0.1:9090" or "[::1]:9090" → (host, port)."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"invalid listen address {listen!r}: write HOST:PORT, e.g. "
                         '"127.0.0.1:9090"')  # fmt: skip
    return host.strip("[]"), int(port)


def health_json(facts: HealthFacts, found: list[Problem]) -> dict[str, object]:
    body: dict[str, object] = {
        "status": "ok" if not found else "unhealthy",
        "database": facts.database_error or "ok",
        "updates_age_seconds": _round(facts.updates_age),
        "outbox_backlog": facts.outbox_backlog,
        "outbox_oldest_due_age_seconds": _round(facts.outbox_oldest_age),
        "last_backup_age_seconds": _round(facts.last_backup_age),
    }
    if found:
        body["reasons"] = [REASONS[p] for p in found]
    return body


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class HealthServer:
    def __init__(self, monitor: Monitor, listen: str) -> None:
        self.monitor = monitor
        self.host, self.port = parse_listen(listen)
        self._server: asyncio.Server | None = None

    @property
    def address(self) -> tuple[str, int]:
        """Where it listens (the port the system chose, for port 0)."""
        assert self._server is not None and self._server.sockets
        host, port = self._server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=HEAD_LIMIT
        )
        log.info("health and metrics on http://%s:%d/healthz and /metrics", *self.address)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(READ_TIMEOUT):
                head = await reader.readuntil(b"\r\n\r\n")
            status, ctype, body = await self._answer(head)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            status, ctype, body = 400, "text/plain", b"bad request\n"
        except Exception:
            log.exception("health server: the answer failed")
            status, ctype, body = 500, "text/plain", b"internal error\n"
        try:
            writer.write(
                f"HTTP/1.1 {status} {_PHRASES.get(status, '')}\r\n"
                f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                "Cache-Control: no-store\r\nConnection: close\r\n\r\n".encode() + body
            )
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, head: bytes) -> tuple[int, str, bytes]:
        if len(head) > HEAD_LIMIT:
            return 431, "text/plain", b"request header too large\n"
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return 400, "text/plain", b"bad request\n"
        method, target = parts[0], parts[1].split("?", 1)[0]
        if target not in ("/healthz", "/metrics"):
            return 404, "text/plain", b"not found: /healthz and /metrics only\n"
        if method != "GET":
            return 405, "text/plain", b"GET only\n"
        if target == "/metrics":
            accept = next(
                (v for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "accept"),
                "",
            )
            body, content_type = await self.monitor.scrape(accept.strip())
            return 200, content_type, body
        facts = await self.monitor.facts()
        found = self.monitor.judge(facts)
        body = json.dumps(health_json(facts, found), ensure_ascii=False).encode() + b"\n"
        return (503 if found else 200), "application/json", body


_PHRASES = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
