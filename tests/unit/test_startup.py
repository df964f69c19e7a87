"""Start-up: the token checked and hidden, Telegram waited for with back-off."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.startup import (
    LONGEST_WAIT,
    HidingFormatter,
    StartupError,
    check_token,
    connect,
    secrets_of,
    server_of,
)

TOKEN = "123456:UNIT-SECRET-TOKEN"


class FlakyBot:
    """getMe fails with these errors in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.token = TOKEN
        self.errors = list(errors)
        self.calls = 0

    async def initialize(self) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)


def rejected(reason: str) -> InvalidToken:
    """What PTB's Bot.initialize raises: its message quotes the token."""
    try:
        try:
            raise InvalidToken(reason)
        except InvalidToken as exc:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.") from exc
    except InvalidToken as outer:
        return outer


async def run_connect(bot: FlakyBot) -> list[float]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    await connect(bot, "api.example:443", sleep=sleep)  # type: ignore[arg-type]
    return waits


async def test_a_network_that_is_down_is_waited_for_with_back_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = [NetworkError("httpx.ConnectError: All connection attempts failed")] * 9
    bot = FlakyBot(*down, TimedOut(), NetworkError("Bad Gateway"))
    with caplog.at_level(logging.INFO, logger="bot.startup"):
        waits = await run_connect(bot)
    assert waits == [1, 2, 4, 8, 16, 32, LONGEST_WAIT, LONGEST_WAIT, LONGEST_WAIT,
                     LONGEST_WAIT, LONGEST_WAIT]
    assert bot.calls == 12
    attempts = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(attempts) == 11
    assert attempts[0] == (
        "cannot reach Telegram at api.example:443 (httpx.ConnectError: All connection attempts "
        "failed); attempt 1, next in 1 s"
    )
    assert "reached Telegram at api.example:443 on attempt 12" in caplog.messages


async def test_telegram_asking_to_wait_is_obeyed() -> None:
    assert await run_connect(FlakyBot(RetryAfter(timedelta(seconds=7)))) == [7]


@pytest.mark.parametrize("reason", ["Unauthorized", "Not Found"])
async def test_a_rejected_token_is_one_line_without_the_token(reason: str) -> None:
    with pytest.raises(StartupError) as caught:
        await run_connect(FlakyBot(rejected(reason)))
    line = str(caught.value)
    assert "\n" not in line and TOKEN not in line and "UNIT-SECRET" not in line
    assert f"rejected the bot token ({reason})" in line and "@BotFather" in line
    # Nothing that quotes the token travels along with it.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_another_refusal_stops_with_one_line() -> None:
    with pytest.raises(StartupError, match=r"refused the bot's first call \(getMe\): Bad thing"):
        await run_connect(FlakyBot(BadRequest("Bad thing")))


@pytest.mark.parametrize("token", ["123456:ABC-def_9", "1:x"])
def test_well_formed_tokens_pass(token: str) -> None:
    check_token(token)


@pytest.mark.parametrize(
    "token", ["", "ABC", "123456", "123456:", "abc:def", "123456:ABC def", "123456:ABC\n",
              " 123456:ABC", "123456:ABC/../getMe"]
)
def test_malformed_tokens_are_refused_without_being_shown(token: str) -> None:
    with pytest.raises(StartupError) as caught:
        check_token(token)
    assert "@BotFather" in str(caught.value)
    if token.strip():
        assert token.strip() not in str(caught.value)


def test_the_log_format_hides_the_token_in_messages_and_tracebacks() -> None:
    formatter = HidingFormatter("%(levelname)s %(message)s", secrets_of(TOKEN))
    try:
        raise ValueError(f"https://api.telegram.org/bot{TOKEN}/getMe failed")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "calling %s", (f"/bot{TOKEN}/getMe",), None
        )
        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    assert "UNIT-SECRET-TOKEN" not in text
    assert "ERROR calling /bot<token>/getMe" in text and "ValueError" in text
    # Only the secret part, e.g. quoted without the bot's id, is hidden too.
    alone: Any = logging.LogRecord("x", logging.INFO, __file__, 1, "UNIT-SECRET-TOKEN", (), None)
    assert formatter.format(alone) == "INFO <token>"


def test_the_server_is_named_without_path_or_credentials() -> None:
    assert server_of("https://api.telegram.org/bot") == "api.telegram.org"
    assert server_of("http://user:pw@127.0.0.1:8081/bot") == "127.0.0.1:8081"
