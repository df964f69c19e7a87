"""The pieces of a Bot API call: buttons, keyboards, the message payload, and Telegram's limits
(4096 characters of text, counted after entity parsing in UTF-16 units; 64 bytes of data)."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.services.notices import Notice
from bot.telegram.callbacks import MAX_BYTES, Callback
from bot.telegram.catalog import esc

Call = tuple[str, dict[str, Any]]  # a Bot API method and its payload

MAX_TEXT = 4096
MAX_CALLBACK = MAX_BYTES
_TAG = re.compile(r"<[^>]+>")


def plain_length(html_text: str) -> int:
    """Length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def _utf16(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def clip(value: str, limit: int) -> str:
    """At most `limit` UTF-16 code units (how Telegram counts), never splitting a character."""
    if _utf16(value) <= limit:
        return value
    out, used = [], 0
    for ch in value:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def button(label: str, data: Callback | str) -> dict[str, str]:
    """An inline button; `data` is what it says when pressed (see bot.telegram.callbacks)."""
    encoded = data if isinstance(data, str) else data.encode()
    if len(encoded.encode()) > MAX_CALLBACK:
        raise ValueError(f"callback_data over {MAX_CALLBACK} bytes: {encoded!r}")
    return {"text": label, "callback_data": encoded}


def keyboard(*rows: list[dict[str, str]]) -> dict[str, Any]:
    return {"inline_keyboard": [list(r) for r in rows if r]}


def message(notice: Notice, body: str, reply_markup: dict[str, Any] | None = None) -> Call:
    """sendMessage, or editMessageText when the notice replaces a message it was sent before."""
    payload: dict[str, Any] = {"chat_id": notice.to, "text": body, "parse_mode": "HTML"}
    if notice.topic is not None and notice.edit_message_id is None:
        payload["message_thread_id"] = notice.topic  # a forum topic of the team group
    if notice.edit_message_id is not None:
        payload["message_id"] = notice.edit_message_id
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        else:
            payload["reply_markup"] = {"inline_keyboard": []}
        return "editMessageText", payload
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup
    return "sendMessage", payload


def shorten(html_text: str) -> str:
    """At most 4096 characters: drop whole lines from the middle, never cut inside a tag."""
    lines = html_text.split("\n")
    while len(lines) > 3 and plain_length("\n".join(lines)) > MAX_TEXT - 2:
        del lines[len(lines) // 2]
    shortened = "\n".join(lines)
    if plain_length(shortened) > MAX_TEXT:
        shortened = esc(html.unescape(_TAG.sub("", shortened))[: MAX_TEXT - 1]) + "…"
    return shortened


def fit(calls: list[Call]) -> list[Call]:
    """The calls, each text shortened to what Telegram accepts."""
    for _, payload in calls:
        if "text" in payload and plain_length(payload["text"]) > MAX_TEXT:
            payload["text"] = shorten(payload["text"])
    return calls
