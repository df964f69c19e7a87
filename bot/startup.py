"""Before the bot polls: its token checked, Telegram reached, the token kept out of every line.

A start-up failure is one line an operator can act on (``StartupError``), never a traceback.
A network that is not up yet is waited for: a server that boots before its network still
comes up, logging one line per attempt. The token is never written anywhere: the log format
replaces it, and PTB's exceptions that quote it are replaced by our own lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.logs import LogFormat, formatter

log = logging.getLogger(__name__)

TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]+")
HIDDEN = "<token>"
FIRST_WAIT = 1.0  # seconds before the second attempt; doubled each time up to LONGEST_WAIT
LONGEST_WAIT = 60.0
HOW_TO_GET_A_TOKEN = (
    "get the bot's token from @BotFather in Telegram (/mybots → your bot → API Token, or "
    "/newbot for a new bot) and set TELEGRAM_BOT_TOKEN to it"
)


class StartupError(Exception):
    """The bot cannot start; the message is the one line the operator reads."""


def check_token(token: str) -> None:
    """Refuse a token that cannot be one before it goes into any URL."""
    if not TOKEN_FORMAT.fullmatch(token):
        raise StartupError(
            "TELEGRAM_BOT_TOKEN is not a bot token (digits, a colon, then letters, digits, "
            f"'-' and '_', with no spaces): {HOW_TO_GET_A_TOKEN}"
        )


def hide(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, HIDDEN)
    return text


def secrets_of(token: str) -> list[str]:
    """The token, and its secret part alone when that is long enough to be unmistakable."""
    secret = token.partition(":")[2]
    return [s for s in (token, secret if len(secret) >= 8 else "") if s]


class HidingFormatter(logging.Formatter):
    """Formats as usual, then replaces the token wherever it appears (message, traceback)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = list(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return hide(super().format(record), self.secrets)


def configure_logging(
    level: str,
    token: str | None,
    *,
    log_format: LogFormat = "text",
    secrets: Iterable[str] = (),
) -> None:
    """One line per record on stderr (text, or JSON for log shippers), the token, the other
    `secrets` and phone numbers masked (bot/logs.py); quiet libraries."""
    logging.basicConfig(level=level.upper())
    masked = formatter(log_format, token, secrets)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(masked)
    logging.captureWarnings(True)  # warnings go through the same masking format
    # httpx logs every request URL, and the URL contains the token: keep it quiet anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler logs every (re)armed wake-up job at INFO: noise, not news.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def server_of(base_url: str) -> str:
    """Where the Bot API is, for the log (host and port only)."""
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    return f"{host}:{parts.port}" if parts.port else host


async def connect(
    bot: Bot,
    server: str,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Call getMe until Telegram answers: a rejected token is a StartupError; a network that is
    down (or a Telegram that is busy) is retried with back-off, one log line per attempt."""
    secrets = secrets_of(bot.token)
    wait = FIRST_WAIT
    attempt = 0
    while True:
        attempt += 1
        pause = wait
        try:
            await bot.initialize()
        except InvalidToken as e:
            reason = hide(_reason(e), secrets)
            raise StartupError(
                f"Telegram ({server}) rejected the bot token ({reason}): {HOW_TO_GET_A_TOKEN}"
            ) from None
        except RetryAfter as e:
            asked = e.retry_after
            pause = asked.total_seconds() if isinstance(asked, timedelta) else float(asked)
            reason = f"Telegram asks to wait {pause:g} s"
        except NetworkError as e:  # no route, refused, DNS, timeouts, 5xx
            if isinstance(e, BadRequest):  # a NetworkError to PTB, but no fault of the network
                raise _refused(server, e, secrets) from None
            reason = hide(e.message, secrets)
        except TelegramError as e:
            raise _refused(server, e, secrets) from None
        else:
            if attempt > 1:
                log.info("reached Telegram at %s on attempt %d", server, attempt)
            return
        log.warning(
            "cannot reach Telegram at %s (%s); attempt %d, next in %g s",
            server,
            reason,
            attempt,
            pause,
        )
        await sleep(pause)
        wait = min(wait * 2, LONGEST_WAIT)


def _refused(server: str, error: TelegramError, secrets: list[str]) -> StartupError:
    reason = hide(error.message, secrets)
    return StartupError(f"Telegram ({server}) refused the bot's first call (getMe): {reason}")


def _reason(error: InvalidToken) -> str:
    """The server's own word (PTB's message quotes the token; its cause has the answer)."""
    cause = error.__cause__
    if isinstance(cause, TelegramError):
        return cause.message
    return "Unauthorized"


def reach_telegram(loop: asyncio.AbstractEventLoop, bot: Bot, server: str) -> bool:
    """Run `connect` on the loop; SIGINT or SIGTERM end it quietly (False: stopped)."""
    task = loop.create_task(connect(bot, server))
    signals = (signal.SIGINT, signal.SIGTERM)
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
        for sig in signals:
            loop.add_signal_handler(sig, task.cancel)
    try:
        loop.run_until_complete(task)
    except asyncio.CancelledError:
        log.info("stopped before Telegram could be reached")
        loop.run_until_complete(bot.shutdown())
        return False
    except BaseException:
        loop.run_until_complete(bot.shutdown())
        raise
    finally:
        with contextlib.suppress(NotImplementedError):
            for sig in signals:
                loop.remove_signal_handler(sig)
    return True
