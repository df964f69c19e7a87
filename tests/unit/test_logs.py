"""Log formatting (bot/logs.py): phone numbers and secrets masked, JSON lines with ids."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from bot.logs import JsonFormatter, Masker, MaskingFormatter

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
WEBHOOK_SECRET = "wh-secret-Zq81xK"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("caller 13900001234 again", "caller ***1234 again"),
        ("caller 139-0000-1234.", "caller ***1234."),
        ("caller 139 0000 1234", "caller ***1234"),
        ("call +86 139 0000 5678 now", "call ***5678 now"),
        ("office +44 20 7946 0958", "office ***0958"),
        ("landline 010-12345678", "landline ***5678"),
        ("landline 0755-1234567", "landline ***4567"),
        ("phone=13812345678,", "phone=***5678,"),
    ],
)
def test_phone_numbers_keep_only_their_last_four_digits(raw: str, masked: str) -> None:
    assert Masker()(raw) == masked


@pytest.mark.parametrize(
    "line",
    [
        "ticket #12: accepted by staff:eng1, user 1000000001 (update 734561234)",
        "2026-11-30 17:54:59,123 INFO bot: migrating database to version 21",
        "outbox row 123456 (sendMessage) to chat -1001234567890, ticket #7",
        "reported at 2026-11-30T09:15:00+08:00, 20 min ago; 3.14159265358",
        "user 7777: too many updates",
    ],
)
def test_ids_dates_and_times_are_left_alone(line: str) -> None:
    assert Masker(TOKEN, [WEBHOOK_SECRET])(line) == line


def test_tokens_and_the_webhook_secret_are_hidden() -> None:
    mask = Masker(TOKEN, [WEBHOOK_SECRET])
    url = f"POST https://api.telegram.org/bot{TOKEN}/getUpdates"
    assert mask(url) == "POST https://api.telegram.org/bot<token>/getUpdates"
    assert mask(f"secret part {TOKEN.partition(':')[2]}") == "secret part <token>"
    assert mask(f"header {WEBHOOK_SECRET}!") == "header <secret>!"
    # Another bot's token (not the one given) is hidden by its shape.
    other = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsXYZ"
    assert mask(f"token {other}") == "token <token>"


def record(
    msg: str, *args: object, level: int = logging.INFO, **extra: object
) -> logging.LogRecord:
    rec = logging.LogRecord("bot.telegram.dispatch", level, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_the_text_format_masks_message_and_traceback() -> None:
    fmt = MaskingFormatter(Masker(TOKEN))
    try:
        raise ValueError(f"bad call to 13900001234 with {TOKEN}")
    except ValueError:
        rec = record("caller %s", "13900001234", level=logging.ERROR)
        rec.exc_info = sys.exc_info()
    line = fmt.format(rec)
    assert "13900001234" not in line and TOKEN not in line
    assert "caller ***1234" in line and "ValueError: bad call to ***1234 with <token>" in line


def test_json_lines_carry_ticket_and_user() -> None:
    fmt = JsonFormatter(Masker(TOKEN))
    given = json.loads(fmt.format(record("something happened", ticket=12, user=5001)))
    assert given["ticket"] == 12 and given["user"] == 5001
    line = fmt.format(record("ticket #%d: %s by %s, user %d", 7, "accepted", "staff:eng1", 1001))
    data = json.loads(line)
    assert set(data) == {"time", "level", "logger", "message", "ticket", "user"}
    assert data["level"] == "INFO" and data["logger"] == "bot.telegram.dispatch"
    assert data["message"] == "ticket #7: accepted by staff:eng1, user 1001"
    assert (data["ticket"], data["user"]) == (7, 1001)
    assert data["time"].endswith("+00:00")
    plain = json.loads(fmt.format(record("migrating database to version %d", 3)))
    assert "ticket" not in plain and "user" not in plain
    assert "\n" not in line


def test_json_masks_and_keeps_the_exception_on_one_line() -> None:
    fmt = JsonFormatter(Masker(TOKEN, [WEBHOOK_SECRET]))
    try:
        raise RuntimeError(f"{WEBHOOK_SECRET} / 010-12345678")
    except RuntimeError:
        rec = record("failed for user %d", 5001, level=logging.ERROR)
        rec.exc_info = sys.exc_info()
    line = fmt.format(rec)
    assert "\n" not in line and WEBHOOK_SECRET not in line and "12345678" not in line
    data = json.loads(line)
    assert data["user"] == 5001
    assert "RuntimeError: <secret> / ***5678" in data["exception"]
