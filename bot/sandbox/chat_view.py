"""Messages as the sandbox page shows them: safe HTML from a message's text and entities.

Every character of text is escaped and only Telegram's formatting subset becomes tags, so
nothing a user typed can run in the page. Also the generated stand-in for a photo.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from bot.sandbox.html_check import utf16_len

JsonDict = dict[str, Any]


# ------------------------------------------------------------------------ safe rendering

_SIMPLE_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
}
_SPAN_CLASSES = {
    "spoiler": "tg-spoiler",
    "mention": "tg-mention",
    "hashtag": "tg-hashtag",
    "cashtag": "tg-hashtag",
    "phone_number": "tg-phone",
    "text_mention": "tg-mention",
    "custom_emoji": "tg-emoji",
}


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")


def _web_href(url: str) -> str | None:
    """An http(s) URL that is safe as an href, or None (javascript:, data:, tg:, ...)."""
    candidate = url.strip()
    if not _SCHEME_RE.match(candidate):  # "example.com/x" (a port is no scheme)
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def _tags(entity: JsonDict, covered: str) -> tuple[str, str]:
    """The opening and closing HTML of one entity (only Telegram's formatting subset)."""
    kind = str(entity.get("type", ""))
    if kind in _SIMPLE_TAGS:
        tag = _SIMPLE_TAGS[kind]
        return f"<{tag}>", f"</{tag}>"
    if kind == "pre":
        language = entity.get("language")
        if isinstance(language, str) and language:
            return f'<pre><code data-language="{_attr(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind in ("blockquote", "expandable_blockquote"):
        return f'<blockquote class="tg-{kind}">', "</blockquote>"
    if kind in ("text_link", "url", "email"):
        if kind == "email":
            href: str | None = "mailto:" + covered.strip()
        else:
            href = _web_href(str(entity.get("url") or "") if kind == "text_link" else covered)
        if href is not None:
            opening = f'<a href="{_attr(href)}" target="_blank" rel="noopener noreferrer">'
            return opening, "</a>"
        return '<span class="tg-link">', "</span>"
    if kind == "bot_command":
        return f'<span class="tg-cmd" data-command="{_attr(covered)}">', "</span>"
    if kind in _SPAN_CLASSES:
        return f'<span class="{_SPAN_CLASSES[kind]}">', "</span>"
    return "", ""  # unknown entity types are shown as plain text


# As Telegram finds commands in text: not glued to a word, a slash or an angle bracket.
_COMMAND_RE = re.compile(r"(?<![A-Za-z0-9_/<>])/[A-Za-z0-9_]{1,32}(?![A-Za-z0-9_/<>])")


def _detected_commands(text: str, entities: Sequence[JsonDict]) -> list[JsonDict]:
    """/commands in plain text, as Telegram apps highlight them (outside other entities)."""
    taken = [
        (e["offset"], e["offset"] + e["length"])
        for e in entities
        if isinstance(e.get("offset"), int) and isinstance(e.get("length"), int)
    ]
    found: list[JsonDict] = []
    for match in _COMMAND_RE.finditer(text):
        start = utf16_len(text[: match.start()])
        end = start + utf16_len(match.group(0))
        if all(end <= a or start >= b for a, b in taken):
            found.append({"type": "bot_command", "offset": start, "length": end - start})
    return found


def entities_to_html(text: str, entities: Sequence[JsonDict]) -> str:
    """Safe HTML for a message: its text escaped, its entities (UTF-16 offsets) as tags.

    Entities nest as Telegram produces them; one that would cross the end of an enclosing
    entity is clipped to it, so the result is always well-formed. /commands in the plain
    text become clickable, as in Telegram's apps."""
    data = text.encode("utf-16-le")
    total = len(data) // 2
    entities = [*entities, *_detected_commands(text, entities)]

    def piece(start: int, end: int) -> str:
        return html.escape(data[2 * start : 2 * end].decode("utf-16-le", "replace"))

    spans: list[tuple[int, int, JsonDict]] = []
    for entity in entities:
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            continue
        start, end = max(0, offset), min(total, offset + length)
        if end > start:
            spans.append((start, end, entity))
    spans.sort(key=lambda s: (s[0], -s[1]))

    out: list[str] = []
    stack: list[tuple[int, str]] = []  # (end, closing html) of the open entities
    pos = 0
    for start, end, entity in spans:
        while stack and stack[-1][0] <= start:
            close_at, closing = stack.pop()
            out.append(piece(pos, close_at) + closing)
            pos = close_at
        out.append(piece(pos, start))
        pos = start
        if stack:
            end = min(end, stack[-1][0])
        if end <= start:
            continue
        opening, closing = _tags(entity, data[2 * start : 2 * end].decode("utf-16-le", "replace"))
        out.append(opening)
        stack.append((end, closing))
    while stack:
        close_at, closing = stack.pop()
        out.append(piece(pos, close_at) + closing)
        pos = close_at
    out.append(piece(pos, total))
    return "".join(out)


def _keyboard(markup: JsonDict | None) -> tuple[list[list[JsonDict]], list[list[JsonDict]]]:
    """(inline keyboard rows, reply keyboard rows) as plain button dicts for the page."""
    inline: list[list[JsonDict]] = []
    reply: list[list[JsonDict]] = []
    if not markup:
        return inline, reply
    for row in markup.get("inline_keyboard") or []:
        buttons = []
        for button in row:
            if not isinstance(button, dict):
                continue
            item: JsonDict = {"text": str(button.get("text", ""))}
            if isinstance(button.get("callback_data"), str):
                item["data"] = button["callback_data"]
            elif isinstance(button.get("url"), str):
                href = _web_href(button["url"])
                if href is not None:
                    item["url"] = href
            buttons.append(item)
        if buttons:
            inline.append(buttons)
    for row in markup.get("keyboard") or []:
        buttons = []
        for button in row:
            if isinstance(button, str):
                buttons.append({"text": button})
            elif isinstance(button, dict):
                item = {"text": str(button.get("text", ""))}
                if button.get("request_location"):
                    item["request"] = "location"
                buttons.append(item)
        if buttons:
            reply.append(buttons)
    return inline, reply


def message_view(message: JsonDict, to_bot_time: Callable[[float], float]) -> JsonDict:
    """What the page needs of one message (a ``ChatMessage.to_dict()``), made safe."""
    chat_id, message_id = int(message["chat_id"]), int(message["message_id"])
    inline, reply = _keyboard(message.get("reply_markup"))
    view: JsonDict = {
        "chat_id": chat_id,
        "id": message_id,
        "from_bot": bool(message.get("from_bot")),
        "kind": message.get("kind", "text"),
        "html": entities_to_html(str(message.get("text") or ""), message.get("entities") or []),
        "edits": int(message.get("edits") or 0),
        "date": to_bot_time(float(message.get("date") or 0)),
        "keyboard": inline,
        "reply_keyboard": reply,
        "deleted": bool(message.get("deleted")),
        # The user pressed Start: the page stops offering "Join".
        "start": not message.get("from_bot") and str(message.get("text", "")).startswith("/start"),
    }
    media = message.get("media") or {}
    location = media.get("location")
    if isinstance(location, dict):
        view["location"] = {
            "latitude": location.get("latitude"),
            "longitude": location.get("longitude"),
        }
    if view["kind"] in ("photo", "document", "sticker"):
        view["media_url"] = f"/api/media/{chat_id}/{message_id}"
        name = message.get("file_name")
        view["file_name"] = str(name) if name else None
    return view


# ------------------------------------------------------------------------ generated media


def demo_photo_svg(number: int) -> bytes:
    """A generated test picture (colour bars) standing in for a photo without real bytes."""
    colours = ["#e6e6e6", "#f2d600", "#00c2d1", "#00b34d", "#d1009a", "#e03c31", "#2741c4"]
    shift = number % len(colours)
    colours = colours[shift:] + colours[:shift]
    bars = "".join(
        f'<rect x="{i * 40}" y="0" width="40" height="150" fill="{c}"/>'
        for i, c in enumerate(colours)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="280" height="200" viewBox="0 0 280 200">'
        f"{bars}"
        '<rect x="0" y="150" width="280" height="50" fill="#222"/>'
        '<text x="140" y="182" font-family="sans-serif" font-size="18" fill="#fff" '
        f'text-anchor="middle">TEST PHOTO #{number}</text></svg>'
    )
    return svg.encode()


# Documents whose bytes say no more than "a ZIP" or "text": their type by the file's name.
TYPES_BY_NAME = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
    ".zip": "application/zip",
}


def media_type(data: bytes, file_name: str = "") -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"%PDF"):
        return "application/pdf"
    suffix = file_name[file_name.rfind(".") :].lower() if "." in file_name else ""
    return TYPES_BY_NAME.get(suffix, "application/octet-stream")


def attachment(file_name: str) -> str:
    """A Content-Disposition header for a download: an ASCII fallback name, and the real
    (possibly Chinese) name encoded as RFC 6266 / 5987 asks."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in file_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
