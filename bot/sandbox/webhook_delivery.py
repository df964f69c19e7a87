"""The emulator's webhook, as Telegram runs one: while a webhook is set, each update is POSTed
to its URL (JSON, the secret in ``X-Telegram-Bot-Api-Secret-Token``), one at a time and in
order, and posted again until the receiver answers 2xx; only then is it forgotten. A refusal or
a connection that fails is kept as ``last_error_message`` (getWebhookInfo) and retried after a
short back-off (Telegram waits longer; tests should not).

The emulator owns the update queue and the rules (``setWebhook``'s checks, getUpdates' 409);
this module is the delivery loop and the webhook's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY = 0.1  # seconds after a failed delivery; doubled each time up to LONGEST_RETRY
LONGEST_RETRY = 2.0
POST_TIMEOUT = 10.0


@dataclass
class Webhook:
    url: str
    secret: str | None = field(default=None, repr=False)
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    failures: int = 0


class WebhookDelivery:
    """Delivers the emulator's queued updates to the webhook while one is set."""

    def __init__(
        self,
        next_update: Callable[[], JsonDict | None],
        forget: Callable[[int], None],
        wait: Callable[[float], Awaitable[None]],
        date: Callable[[], int],
    ) -> None:
        # next_update: the oldest update the webhook should get (None: nothing queued);
        # forget: the update with that id was delivered; wait: until the queue changes;
        # date: now on the emulator's clock, in Unix seconds (last_error_date).
        self._next_update = next_update
        self._forget = forget
        self._wait = wait
        self._date = date
        self.webhook: Webhook | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return self.webhook.url if self.webhook is not None else ""

    def set(self, url: str, secret: str | None, max_connections: int = 40) -> None:
        self.webhook = Webhook(url, secret or None, max_connections)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._deliver(), name="emulator-webhook"
            )

    async def delete(self) -> None:
        self.webhook = None
        await self._end_task()

    async def close(self) -> None:
        await self.delete()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self, pending: int) -> JsonDict:
        """getWebhookInfo's answer (url "" when none is set)."""
        hook = self.webhook
        if hook is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
        info: JsonDict = {
            "url": hook.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
            "max_connections": hook.max_connections,
        }
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        return info

    async def _end_task(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self) -> None:
        retry = FIRST_RETRY
        while (hook := self.webhook) is not None:
            update = self._next_update()
            if update is None:
                await self._wait(1.0)
                continue
            error = await self._post(hook, update)
            if self.webhook is not hook:
                continue  # deleted or replaced meanwhile: the new one delivers it again
            if error is None:
                hook.delivered += 1
                self._forget(int(update["update_id"]))
                retry = FIRST_RETRY
                continue
            hook.failures += 1
            hook.last_error_date = self._date()
            hook.last_error_message = error
            log.info("webhook delivery of update %s failed: %s", update["update_id"], error)
            await asyncio.sleep(retry)
            retry = min(retry * 2, LONGEST_RETRY)

    async def _post(self, hook: Webhook, update: JsonDict) -> str | None:
        """POST one update; None when the receiver took it (2xx), else Telegram's wording."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT)
            )
        headers = {SECRET_HEADER: hook.secret} if hook.secret else {}
        try:
            async with self._session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as e:
            return f"Connection failed: {e}"
