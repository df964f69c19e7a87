"""How the bot takes its updates, and the one way it starts and stops.

Long polling is the default. With a ``[webhook]`` table Telegram POSTs each update to the
operator's reverse proxy, which passes it on to the bot's listener: PTB's webhook server, as
``Application.run_webhook`` starts it, given the ``secret_token`` that setWebhook registers.
A request without that secret in its ``X-Telegram-Bot-Api-Secret-Token`` header is answered
403 before it is read. Starting by polling deletes any webhook first (PTB's bootstrap calls
deleteWebhook), so switching back needs nothing but removing the table.

``Serving`` is what PTB's ``run_polling``/``run_webhook`` do around their event loop, as two
coroutines: ``start`` (initialize, the bot's start-up, polling or the webhook, then the
application) and ``stop`` (the same in reverse: no new updates, the ones in hand finished, the
outbox sent for up to ``shutdown_grace``). ``run_bot.py`` runs them between the stop signals
(``serve_until_stopped``); the sandbox runs them beside its emulator and web page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.error import BadRequest, NetworkError, TelegramError

from bot.config import EnvSettings, Settings
from bot.startup import StartupError

if TYPE_CHECKING:
    from bot.app import HotlineBot

log = logging.getLogger(__name__)

# Telegram's rule for secret_token: 1-256 characters, letters, digits, '_' and '-'.
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")
# setWebhook is tried this many more times (1 s, 1.5 s, ... apart) before the bot gives up:
# Telegram was reached just before, so a refusal is the URL's fault, not the network's.
WEBHOOK_RETRIES = 5


@dataclass(frozen=True)
class Polling:
    """getUpdates in a loop (the default)."""

    def __str__(self) -> str:
        return "long polling"


@dataclass(frozen=True)
class Webhook:
    """Telegram POSTs to `url`; the proxy passes it to host:port/path."""

    url: str
    host: str
    port: int
    path: str  # without its leading '/', as PTB takes it
    secret: str = field(repr=False)

    def __str__(self) -> str:
        return f"webhook {self.url} (listening on {self.host}:{self.port}/{self.path})"


def intake(settings: Settings, env: EnvSettings) -> Polling | Webhook:
    """How this deployment takes updates; a webhook without a usable secret is a StartupError
    (the secret itself is never in the message)."""
    hook = settings.webhook
    if hook is None:
        return Polling()
    secret = env.telegram_webhook_secret
    value = secret.get_secret_value() if secret is not None else ""
    if not value:
        raise StartupError(
            "TELEGRAM_WEBHOOK_SECRET is not set: webhook mode ([webhook] in the config) needs "
            "a secret that Telegram sends with every update, e.g. the output of "
            "`openssl rand -hex 32` (or remove [webhook] to use long polling)"
        )
    if not SECRET_FORMAT.fullmatch(value):
        raise StartupError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters: letters, digits, '_' and '-' "
            "(Telegram's rule), e.g. the output of `openssl rand -hex 32`"
        )
    return Webhook(hook.url, hook.host, hook.port, hook.url_path, value)


class Serving:
    """One bot taking updates: start() brings it up, stop() takes it down in reverse."""

    def __init__(
        self, bot: HotlineBot, how: Polling | Webhook, allowed_updates: Sequence[str]
    ) -> None:
        self.bot = bot
        self.how = how
        self.allowed_updates = list(allowed_updates)
        self._initialized = False

    async def start(self) -> None:
        app = self.bot.app
        await app.initialize()
        self._initialized = True
        if app.post_init is not None:
            await app.post_init(app)  # the database, menus, start-up checks
        updater = app.updater
        assert updater is not None
        how = self.how
        if isinstance(how, Webhook):
            await self._register(how)
            try:
                await updater.start_webhook(
                    listen=how.host,
                    port=how.port,
                    url_path=how.path,
                    webhook_url=how.url,
                    secret_token=how.secret,
                    allowed_updates=self.allowed_updates,
                    drop_pending_updates=False,
                    bootstrap_retries=WEBHOOK_RETRIES,
                )
            except OSError as e:
                raise StartupError(
                    f"cannot listen on {how.host}:{how.port} for the webhook ({e.strerror or e});"
                    " is another bot running, or is [webhook] listen wrong?"
                ) from None
            except TelegramError as e:
                raise _refused(how, e) from None
        else:
            await updater.start_polling(
                allowed_updates=self.allowed_updates,
                drop_pending_updates=False,
                # Telegram was reached just now; should it drop away during PTB's own start,
                # wait for it.
                bootstrap_retries=-1,
            )
        await app.start()
        log.info("taking updates by %s", how)

    async def _register(self, how: Webhook) -> None:
        """setWebhook once before PTB does (it sets it again, idempotent): a URL Telegram
        refuses is one line at once, where PTB's bootstrap would retry, then log a traceback."""
        try:
            await self.bot.app.bot.set_webhook(
                how.url, secret_token=how.secret, allowed_updates=self.allowed_updates
            )
        except BadRequest as e:  # a NetworkError to PTB, but the URL's fault
            raise _refused(how, e) from None
        except NetworkError:
            return  # the network, not the URL: PTB's bootstrap retries
        except TelegramError as e:
            raise _refused(how, e) from None

    async def stop(self) -> None:
        """As PTB's run_polling ends: no new updates, the application (the updates in hand
        finish), then the hooks (the outbox sent for up to shutdown_grace). Every step runs
        even if an earlier one failed."""
        if not self._initialized:
            return
        app = self.bot.app
        if app.updater is not None and app.updater.running:
            await stop_step("taking updates", app.updater.stop())
        if app.running:
            await stop_step("application", app.stop())
        if app.post_stop is not None:
            await stop_step("sending what is queued", app.post_stop(app))
        await stop_step("application shutdown", app.shutdown())
        if app.post_shutdown is not None:
            await stop_step("bot shutdown", app.post_shutdown(app))
        self._initialized = False


def _refused(how: Webhook, error: TelegramError) -> StartupError:
    return StartupError(f"Telegram refused the webhook {how.url}: {error.message}")


async def stop_step(
    what: str, step: Awaitable[Any], *, doing: str = "stopping", slow: int = logging.INFO
) -> None:
    """One step of a stop: a failure is logged and the stop goes on; a slow step (over 1 s)
    is named at level `slow`, to find what holds a stop up."""
    started = time.monotonic()
    try:
        await step
    except Exception:
        log.exception("%s: %s failed", doing, what)
    took = time.monotonic() - started
    if took > 1:
        log.log(slow, "%s: %s took %.1f s", doing, what, took)


async def serve_until_stopped(
    serving: Serving, signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)
) -> None:
    """Start, take updates until one of `signals`, stop. A signal during start-up ends the
    start-up where it is; a start-up error is raised after what had started is stopped."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    installed = []
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no handlers
            loop.add_signal_handler(sig, stopping.set)
            installed.append(sig)
    starting = asyncio.create_task(serving.start(), name="start-up")
    signalled = asyncio.create_task(stopping.wait(), name="stop-signal")
    try:
        await asyncio.wait({starting, signalled}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            log.info("stopped during start-up")
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
        else:
            starting.result()
            await signalled
        log.info("stopping: no new updates; sending what is queued (at most %g s)",
                 serving.bot.settings.shutdown_grace.total_seconds())
    finally:
        signalled.cancel()
        await serving.stop()
        for sig in installed:
            loop.remove_signal_handler(sig)
        log.info("stopped")
