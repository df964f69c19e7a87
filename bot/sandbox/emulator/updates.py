"""How updates reach the bot: ``getUpdates`` (long polling; the offset confirms, so unconfirmed
updates come again; a second poller ends the first with 409) or the webhook (``setWebhook``:
Telegram's checks, then ``webhook_delivery.py`` POSTs each update until a 2xx; getUpdates is
refused with 409 meanwhile, as on Telegram, until ``deleteWebhook``)."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

from bot.sandbox.emulator.errors import (
    GET_UPDATES_CONFLICT,
    TERMINATED_BY_SET_WEBHOOK,
    WEBHOOK_ACTIVE,
    ApiError,
    bad_request,
)
from bot.sandbox.emulator.model import JsonDict
from bot.sandbox.emulator.params import Params
from bot.sandbox.emulator.state import EmulatorState
from bot.sandbox.webhook_delivery import WebhookDelivery

WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Plain http is allowed to these hosts only (Telegram allows none): tests need no certificate.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
UPDATE_TYPES_DEFAULT_EXCLUDED = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)


class UpdateMethods:
    """getUpdates, setWebhook, deleteWebhook, getWebhookInfo over the state's update queue."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.confirmations_held = False
        self._allowed_updates: frozenset[str] | None = None
        self._poll_token: object | None = None
        self.webhook = WebhookDelivery(
            self._next_for_webhook, self._forget, state.signal.wait, state.date
        )

    # ------------------------------------------------------------------ getUpdates

    async def get_updates(self, params: Params) -> list[JsonDict]:
        state = self.state
        if self.webhook.url:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = params.integer("offset")
        limit = params.integer("limit") or 100
        limit = max(1, min(100, limit))
        timeout = max(0.0, params.number("timeout") or 0.0)
        self._take_allowed_updates(params)
        first = self._confirm(offset)
        token = object()
        self._poll_token = token
        state.signal.fire()  # a waiting older getUpdates now ends with 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                batch = [
                    u for u in state.updates if u["update_id"] >= first and self._is_allowed(u)
                ][:limit]
                if batch or state.closing:
                    return batch
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                await state.signal.wait(remaining)
                if self.webhook.url:
                    raise ApiError(409, TERMINATED_BY_SET_WEBHOOK)
                if self._poll_token is not token:
                    raise ApiError(409, GET_UPDATES_CONFLICT)
        finally:
            if self._poll_token is token:
                self._poll_token = None

    def _confirm(self, offset: int | None) -> int:
        """Forget the updates before `offset` (a negative one keeps the last -offset), unless
        confirmations are held; the lowest update_id this poll may return."""
        state = self.state
        if offset is None:
            return 0
        if offset >= 0:
            first = offset
        else:
            kept = state.updates[max(0, len(state.updates) + offset) :]
            first = kept[0]["update_id"] if kept else state.next_update_id
        if not self.confirmations_held:
            state.updates = [u for u in state.updates if u["update_id"] >= first]
        return first

    def _take_allowed_updates(self, params: Params) -> None:
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(a) for a in allowed) if allowed else None

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in UPDATE_TYPES_DEFAULT_EXCLUDED
        return kind in self._allowed_updates

    # ------------------------------------------------------------------ the webhook

    async def set_webhook(self, params: Params) -> bool:
        """Like Telegram: an HTTPS URL on port 80, 88, 443 or 8443 (plain http to a loopback
        host, for tests), an optional secret of 1-256 [A-Za-z0-9_-]; an empty url removes it.
        A getUpdates waiting meanwhile ends with 409."""
        url = params.text("url") or ""
        secret = params.get("secret_token")
        if secret is not None and (
            not isinstance(secret, str) or not SECRET_TOKEN_RE.fullmatch(secret)
        ):
            raise bad_request("secret token contains unallowed characters")
        if url:
            parts = urlsplit(url)
            loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
            if parts.scheme != "https" and not loopback:
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if not parts.hostname:
                raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
            if not loopback and (parts.port or 443) not in WEBHOOK_PORTS:
                raise bad_request(
                    "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
                )
        self._take_allowed_updates(params)
        if params.flag("drop_pending_updates"):
            self.state.updates.clear()
        if not url:
            await self.webhook.delete()
            return True
        self.webhook.set(url, secret, params.integer("max_connections") or 40)
        self._poll_token = None
        self.state.signal.fire()  # a waiting getUpdates ends with 409, as on Telegram
        return True

    async def delete_webhook(self, params: Params) -> bool:
        await self.webhook.delete()
        if params.flag("drop_pending_updates"):
            self.state.updates.clear()
        return True

    async def get_webhook_info(self, params: Params) -> JsonDict:
        info = self.webhook.info(len(self.state.updates))
        if info["url"] and self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    def _next_for_webhook(self) -> JsonDict | None:
        """The oldest update the webhook should get; updates of other types are dropped."""
        state = self.state
        while state.updates and not self._is_allowed(state.updates[0]):
            state.updates.pop(0)
        return state.updates[0] if state.updates else None

    def _forget(self, update_id: int) -> None:
        self.state.updates = [u for u in self.state.updates if u["update_id"] != update_id]
