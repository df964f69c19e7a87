"""Telegram-style parsing of formatted message text (HTML, MarkdownV2, legacy Markdown).

The parsers mirror TDLib's ``parse_html`` / ``parse_markdown_v2`` / ``parse_markdown`` (the code
the Bot API server runs), including their error messages and byte offsets, so that the
emulator refuses exactly the text Telegram refuses.  Offsets in error messages are byte offsets
into the UTF-8 encoded input; entity offsets and lengths are in UTF-16 code units, like the
Bot API's ``MessageEntity``.

``parse_html`` has a ``strict`` mode (the default) that is stricter than Telegram in two places,
because both are almost always bot bugs that Telegram silently tolerates:

* an ``&`` that does not start ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;``, ``&#NN;`` or ``&#xHH;``
  (with the closing ``;``) is refused (Telegram keeps it literally, so an unescaped ``&lt;`` in
  user-provided text would silently turn into ``<``);
* ``<a>`` without a non-empty ``href`` is refused (Telegram uses the link text as the URL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "HtmlParseError",
    "MarkdownParseError",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "sort_entities",
    "utf16_len",
]

_END = -1  # sentinel returned past the end of the input (TDLib relies on a trailing NUL)
_SPACES = frozenset(b" \t\r\n\v\f\0")
_AMP, _LT, _GT, _SLASH, _EQ = ord("&"), ord("<"), ord(">"), ord("/"), ord("=")
_DQUOTE, _SQUOTE, _SEMI, _HASH = ord('"'), ord("'"), ord(";"), ord("#")
_BACKSLASH, _BACKTICK, _NL, _CR = ord("\\"), ord("`"), ord("\n"), ord("\r")

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_NAMED_REFERENCES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}

# TDLib's get_type_priority(): entities starting at the same offset with the same length are
# ordered by it (lower first).
_TYPE_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
    "expandable_blockquote": 1,
}

_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite", "ftp"})
_HOST_RE = re.compile(r"^[A-Za-z0-9\-._~%!$&'()*+,;=:@\[\]]+$")


class EntityParseError(ValueError):
    """Formatted text that Telegram refuses with ``can't parse entities: <message>``."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class HtmlParseError(EntityParseError):
    """Refused ``parse_mode=HTML`` text."""


class MarkdownParseError(EntityParseError):
    """Refused ``parse_mode=MarkdownV2`` / ``Markdown`` text."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (the unit of Telegram's limits and offsets)."""
    return len(text.encode("utf-16-le")) // 2


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order entities like Telegram: by offset, longer first, then by TDLib's type priority."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50)),
    )


def _utf16_units_of_lead_byte(byte: int) -> int:
    """UTF-16 units of the character a UTF-8 byte starts (0 for continuation bytes)."""
    if (byte & 0xC0) == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


class _Input:
    """UTF-8 bytes with TDLib-like access past the end."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.size = len(self.data)

    def at(self, i: int) -> int:
        return self.data[i] if i < self.size else _END

    def slice(self, begin: int, end: int) -> str:
        return self.data[begin:end].decode("utf-8", "replace")


def _is_space(byte: int) -> bool:
    return byte == _END or byte in _SPACES


def _is_alpha(byte: int) -> bool:
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def _is_digit(byte: int) -> bool:
    return 0x30 <= byte <= 0x39


def _is_hex_digit(byte: int) -> bool:
    return _is_digit(byte) or 0x41 <= byte <= 0x46 or 0x61 <= byte <= 0x66


@dataclass
class _Reference:
    code_point: int
    end: int
    has_semicolon: bool


def _decode_reference(src: _Input, pos: int) -> _Reference | None:
    """TDLib's decode_html_entity(): ``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` and ``&#N;``."""
    end = pos + 1
    code_point = 0
    if src.at(pos + 1) == _HASH:
        end += 1
        if src.at(pos + 2) == ord("x"):
            end += 1
            while _is_hex_digit(src.at(end)):
                code_point = code_point * 16 + int(chr(src.at(end)), 16)
                end += 1
        else:
            while _is_digit(src.at(end)):
                code_point = code_point * 10 + src.at(end) - 0x30
                end += 1
        if code_point == 0 or code_point >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while _is_alpha(src.at(end)):
            end += 1
        named = _NAMED_REFERENCES.get(src.data[pos + 1 : end])
        if named is None:
            return None
        code_point = ord(named)
    if src.at(end) == _SEMI:
        return _Reference(code_point, end + 1, True)
    return _Reference(code_point, end, False)


class _Output:
    """Accumulates the plain text and its length in UTF-16 units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.utf16 = 0
        self.has_surrogate = False

    def push_byte_char(self, src: _Input, i: int) -> int:
        """Copy the whole UTF-8 character starting at byte ``i``; return the next index."""
        lead = src.data[i]
        if lead < 0x80:
            length = 1
        elif lead >= 0xF0:
            length = 4
        elif lead >= 0xE0:
            length = 3
        elif lead >= 0xC0:
            length = 2
        else:  # stray continuation byte cannot occur in text encoded from str
            length = 1
        chunk = src.data[i : i + length].decode("utf-8", "replace")
        self.parts.append(chunk)
        self.utf16 += _utf16_units_of_lead_byte(lead)
        return i + length

    def push_code_point(self, code_point: int) -> None:
        if 0xD800 <= code_point <= 0xDFFF:
            self.has_surrogate = True
            self.parts.append("\ufffd")
            self.utf16 += 1
            return
        self.parts.append(chr(code_point))
        self.utf16 += 2 if code_point > 0xFFFF else 1

    def push_text(self, text: str) -> None:
        self.parts.append(text)
        self.utf16 += utf16_len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def text_since(self, part_index: int) -> str:
        return "".join(self.parts[part_index:])


def check_link(url: str) -> str | None:
    """Return the normalised URL Telegram would store for a text link, or None if invalid.

    A simplified version of TDLib's check_url(): no whitespace, a known scheme (``http://`` is
    assumed when missing), a plausible host; ``/`` is added after a bare host.
    """
    if not url or any(ch.isspace() for ch in url):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme == "tg":
        return f"tg://{rest}" if rest else None
    host_end = len(rest)
    for delimiter in "/?#":
        found = rest.find(delimiter)
        if found != -1:
            host_end = min(host_end, found)
    host, tail = rest[:host_end], rest[host_end:]
    if not host or not _HOST_RE.match(host):
        return None
    bare_host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    if "." not in bare_host and bare_host.lower() != "localhost":
        return None
    if not tail.startswith("/"):
        tail = "/" + tail
    return f"{scheme}://{host}{tail}"


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    part_index: int
    byte_offset: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, Any] = field(default_factory=dict)
    code_language: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "offset": self.offset, "length": self.length, **self.extra}


def _close_html_tag(tag: _OpenTag, out: _Output, entities: list[_Entity]) -> None:
    offset = tag.utf16_offset
    length = out.utf16 - offset
    simple = {
        "i": "italic",
        "em": "italic",
        "b": "bold",
        "strong": "bold",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    last = entities[-1] if entities else None
    same_span = last is not None and last.offset == offset and last.length == length
    if tag.name in simple:
        entities.append(_Entity(simple[tag.name], offset, length))
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entities.append(_Entity(kind, offset, length))
    elif tag.name == "tg-emoji":
        if not tag.argument.isdigit() or int(tag.argument) <= 0:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entities.append(_Entity("custom_emoji", offset, length, {"custom_emoji_id": tag.argument}))
    elif tag.name == "a":
        url = tag.argument or out.text_since(tag.part_index)
        checked = check_link(url)
        if checked is not None:
            entities.append(_Entity("text_link", offset, length, {"url": checked}))
    elif tag.name == "pre":
        if same_span and last is not None and last.type == "code" and last.code_language:
            last.type = "pre"
            last.extra = {"language": last.code_language}
        else:
            entities.append(_Entity("pre", offset, length))
    elif tag.name == "code":
        if (
            same_span
            and last is not None
            and last.type == "pre"
            and "language" not in last.extra
            and tag.argument
        ):
            last.extra = {"language": tag.argument}
        else:
            entities.append(_Entity("code", offset, length, code_language=tag.argument))
    else:  # pragma: no cover - the tag set is checked when the tag opens
        raise AssertionError(tag.name)


def _tag_argument(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return None


def _is_attribute_name_end(byte: int) -> bool:
    return _is_space(byte) or byte in (_EQ, _GT, _SLASH, _DQUOTE, _SQUOTE)


def _unescaped_ampersand(offset: int) -> HtmlParseError:
    return HtmlParseError(
        f'Unescaped "&" at byte offset {offset}: only &lt; &gt; &amp; &quot; &#N; are allowed',
        offset,
    )


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and Bot API entity dicts.

    Raises :class:`HtmlParseError` with Telegram's message (``Unsupported start tag "script" at
    byte offset 0`` ...).  See the module docstring for what ``strict`` adds.
    """
    src = _Input(text)
    out = _Output()
    entities: list[_Entity] = []
    stack: list[_OpenTag] = []
    i = 0
    while i < src.size:
        c = src.data[i]
        if c == _AMP:
            ref = _decode_reference(src, i)
            if ref is not None and (ref.has_semicolon or not strict):
                out.push_code_point(ref.code_point)
                i = ref.end
                continue
            if strict:
                raise _unescaped_ampersand(i)
        if c != _LT:
            i = out.push_byte_char(src, i)
            continue

        begin = i
        i += 1
        if src.at(i) != _SLASH:
            while not _is_space(src.at(i)) and src.at(i) != _GT:
                i += 1
            if src.at(i) == _END:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}", begin)
            tag = src.slice(begin + 1, i).lower()
            if tag not in _HTML_TAGS:
                raise HtmlParseError(
                    f'Unsupported start tag "{tag}" at byte offset {begin}', begin
                )
            argument = ""
            while src.at(i) != _GT:
                while src.at(i) != _END and _is_space(src.at(i)):
                    i += 1
                if src.at(i) == _GT:
                    break
                name_begin = i
                while not _is_attribute_name_end(src.at(i)):
                    i += 1
                attribute = src.slice(name_begin, i)
                if not attribute:
                    raise HtmlParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}', begin
                    )
                while src.at(i) != _END and _is_space(src.at(i)):
                    i += 1
                if src.at(i) != _EQ:
                    if src.at(i) == _END:
                        raise HtmlParseError(
                            f'Unclosed start tag "{tag}" at byte offset {begin}', begin
                        )
                    if tag == "blockquote" and attribute == "expandable":
                        argument = "1"
                    continue
                i += 1
                while src.at(i) != _END and _is_space(src.at(i)):
                    i += 1
                if src.at(i) == _END:
                    raise HtmlParseError(
                        f'Unclosed start tag "{tag}" at byte offset {begin}', begin
                    )
                if src.at(i) not in (_DQUOTE, _SQUOTE):
                    token_begin = i
                    while (
                        _is_digit(src.at(i))
                        or _is_alpha(src.at(i))
                        or src.at(i) in (ord("."), ord("-"))
                    ):
                        i += 1
                    value = src.slice(token_begin, i).lower()
                    if not _is_space(src.at(i)) and src.at(i) != _GT:
                        raise HtmlParseError(
                            f"Unexpected end of name token at byte offset {token_begin}",
                            token_begin,
                        )
                else:
                    quote = src.at(i)
                    i += 1
                    value_out = _Output()
                    while src.at(i) != quote and src.at(i) != _END:
                        if src.at(i) == _AMP:
                            ref = _decode_reference(src, i)
                            if ref is not None and (ref.has_semicolon or not strict):
                                value_out.push_code_point(ref.code_point)
                                i = ref.end
                                continue
                            if strict:
                                raise _unescaped_ampersand(i)
                        i = value_out.push_byte_char(src, i)
                    if src.at(i) == quote:
                        i += 1
                    value = value_out.text()
                    out.has_surrogate = out.has_surrogate or value_out.has_surrogate
                if src.at(i) == _END:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {begin}", begin)
                new_argument = _tag_argument(tag, attribute, value)
                if new_argument is not None:
                    argument = new_argument
            if tag == "span" and argument != "spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}', begin
                )
            if strict and tag == "a" and not argument:
                raise HtmlParseError(
                    f'Tag "a" must have a non-empty attribute "href" at byte offset {begin}',
                    begin,
                )
            stack.append(_OpenTag(tag, argument, out.utf16, len(out.parts), begin))
            i += 1  # skip '>'
            continue

        # an end tag
        if not stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}", begin)
        while not _is_space(src.at(i)) and src.at(i) != _GT:
            i += 1
        end_name = src.slice(begin + 2, i).lower()
        while src.at(i) != _END and _is_space(src.at(i)):
            i += 1
        if src.at(i) != _GT:
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}", begin)
        top = stack[-1]
        if end_name and end_name != top.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {begin}, expected "
                f'"</{top.name}>", found "</{end_name}>"',
                begin,
            )
        if out.utf16 > top.utf16_offset:
            _close_html_tag(top, out, entities)
        stack.pop()
        i += 1  # skip '>'

    if stack:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"',
            stack[-1].byte_offset,
        )
    if out.has_surrogate:
        raise HtmlParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return out.text(), sort_entities([e.as_dict() for e in entities])


# --------------------------------------------------------------------------- MarkdownV2

_MD2_RESERVED = frozenset(b"_*[]()~`>#+-=|{}.!")
_MD2_CODE_RESERVED = frozenset(b"`")

_MD2_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_CUSTOM_EMOJI_URL_RE = re.compile(r"^tg://emoji\?id=(\d+)$")


@dataclass
class _MdOpen:
    kind: str
    argument: str
    utf16_offset: int
    byte_offset: int
    part_index: int


def _reserved_error(byte: int) -> MarkdownParseError:
    return MarkdownParseError(
        f"Character '{chr(byte)}' is reserved and must be escaped with the preceding '\\'"
    )


def _skip_pre_newline(src: _Input, i: int) -> int:
    """Skip one line break right after the opening ``` (and its language)."""
    if src.at(i) in (_NL, _CR):
        if src.at(i + 1) in (_NL, _CR) and src.at(i) != src.at(i + 1):
            return i + 2
        return i + 1
    return i


def _pre_language(src: _Input, i: int) -> tuple[str, int]:
    """Read the language after an opening ```; return it and the index after it."""
    language_end = i
    while not _is_space(src.at(language_end)) and src.at(language_end) != _BACKTICK:
        language_end += 1
    if i != language_end and language_end < src.size and src.at(language_end) != _BACKTICK:
        return src.slice(i, language_end), language_end
    return "", i


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 like Telegram; raise :class:`MarkdownParseError` with its messages.

    Supported: ``*bold*`` ``_italic_`` ``__underline__`` ``~strike~`` ``||spoiler||``
    ```` `code` ```` ```` ```lang\\npre``` ```` ``[text](url)`` ``![emoji](tg://emoji?id=N)``
    and ``>`` block quotes at line starts.  Every other reserved character must be escaped.
    """
    src = _Input(text)
    out = _Output()
    entities: list[_Entity] = []
    stack: list[_MdOpen] = []
    quote_start: int | None = None
    quote_end = 0
    i = 0
    while i < src.size:
        c = src.data[i]
        at_line_start = i == 0 or src.data[i - 1] == _NL
        in_code = bool(stack) and stack[-1].kind in ("code", "pre", "pre_code")
        if at_line_start and not in_code:
            if c == _GT:
                if quote_start is None:
                    quote_start = out.utf16
                i += 1
                continue
            if quote_start is not None:
                if quote_end > quote_start:
                    entities.append(_Entity("blockquote", quote_start, quote_end - quote_start))
                quote_start = None
        if c == _NL and quote_start is not None:
            quote_end = out.utf16
        if c == _BACKSLASH and 0 < src.at(i + 1) <= 126:
            out.push_text(chr(src.at(i + 1)))
            i += 2
            continue
        reserved = _MD2_CODE_RESERVED if in_code else _MD2_RESERVED
        if c not in reserved:
            i = out.push_byte_char(src, i)
            continue

        is_end = False
        if stack:
            kind = stack[-1].kind
            nxt = src.at(i + 1)
            if kind == "bold":
                is_end = c == ord("*")
            elif kind == "italic":
                is_end = c == ord("_") and nxt != ord("_")
            elif kind == "code":
                is_end = c == _BACKTICK
            elif kind in ("pre", "pre_code"):
                is_end = c == _BACKTICK and nxt == _BACKTICK and src.at(i + 2) == _BACKTICK
            elif kind in ("text_link", "custom_emoji"):
                is_end = c == ord("]")
            elif kind == "underline":
                is_end = c == ord("_") and nxt == ord("_")
            elif kind == "strikethrough":
                is_end = c == ord("~")
            elif kind == "spoiler":
                is_end = c == ord("|") and nxt == ord("|")

        if not is_end:
            byte_offset = i
            argument = ""
            if c == ord("_"):
                if src.at(i + 1) == ord("_"):
                    kind = "underline"
                    i += 1
                else:
                    kind = "italic"
            elif c == ord("*"):
                kind = "bold"
            elif c == ord("~"):
                kind = "strikethrough"
            elif c == ord("|"):
                if src.at(i + 1) != ord("|"):
                    raise _reserved_error(c)
                kind = "spoiler"
                i += 1
            elif c == ord("["):
                kind = "text_link"
            elif c == _BACKTICK:
                if src.at(i + 1) == _BACKTICK and src.at(i + 2) == _BACKTICK:
                    kind = "pre"
                    i += 3
                    argument, i = _pre_language(src, i)
                    if argument:
                        kind = "pre_code"
                    i = _skip_pre_newline(src, i) - 1
                else:
                    kind = "code"
            elif c == ord("!") and src.at(i + 1) == ord("["):
                kind = "custom_emoji"
                i += 1
            else:
                raise _reserved_error(c)
            stack.append(_MdOpen(kind, argument, out.utf16, byte_offset, len(out.parts)))
            i += 1
            continue

        top = stack[-1]
        skip_entity = out.utf16 == top.utf16_offset
        extra: dict[str, Any] = {}
        entity_type = top.kind
        if top.kind == "underline" or top.kind == "spoiler":
            i += 1
        elif top.kind in ("pre", "pre_code"):
            i += 2
            entity_type = "pre"
            if top.argument:
                extra = {"language": top.argument}
        elif top.kind in ("text_link", "custom_emoji"):
            if src.at(i + 1) != ord("("):
                if top.kind == "custom_emoji":
                    raise MarkdownParseError(
                        "The entity must contain a tg://emoji or tg://time URL"
                    )
                url = out.text_since(top.part_index)
            else:
                i += 2
                url_begin = i
                while i < src.size and src.at(i) != ord(")"):
                    i += 2 if src.at(i) == _BACKSLASH and 0 < src.at(i + 1) <= 126 else 1
                if src.at(i) != ord(")"):
                    raise MarkdownParseError(
                        f"Can't find end of a URL at byte offset {url_begin}", url_begin
                    )
                url = src.data[url_begin:i].decode("utf-8", "replace")
                url = re.sub(r"\\([\x01-\x7e])", r"\1", url)
            if top.kind == "custom_emoji":
                match = _CUSTOM_EMOJI_URL_RE.match(url)
                if match is None:
                    raise MarkdownParseError("Invalid tg://emoji or tg://time URL specified")
                extra = {"custom_emoji_id": match.group(1)}
            else:
                checked = check_link(url)
                if checked is None:
                    skip_entity = True
                else:
                    extra = {"url": checked}
        if not skip_entity:
            entities.append(
                _Entity(entity_type, top.utf16_offset, out.utf16 - top.utf16_offset, extra)
            )
        stack.pop()
        i += 1

    if stack:
        top = stack[-1]
        raise MarkdownParseError(
            f"Can't find end of {_MD2_ENTITY_NAMES[top.kind]} entity at byte offset "
            f"{top.byte_offset}",
            top.byte_offset,
        )
    if quote_start is not None and out.utf16 > quote_start:
        entities.append(_Entity("blockquote", quote_start, out.utf16 - quote_start))
    return out.text(), sort_entities([e.as_dict() for e in entities])


# --------------------------------------------------------------------------- legacy Markdown


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy ``Markdown`` (``*bold*`` ``_italic_`` `` `code` `` ```` ```pre``` ````
    ``[text](url)``) like Telegram; raise :class:`MarkdownParseError` on an unclosed entity."""
    src = _Input(text)
    out = _Output()
    entities: list[_Entity] = []
    i = 0
    markers = (ord("_"), ord("*"), _BACKTICK, ord("["))
    while i < src.size:
        c = src.data[i]
        if c == _BACKSLASH and src.at(i + 1) in markers:
            out.push_text(chr(src.at(i + 1)))
            i += 2
            continue
        if c not in markers:
            i = out.push_byte_char(src, i)
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        is_pre = False
        language = ""
        i += 1
        if c == _BACKTICK and src.at(i) == _BACKTICK and src.at(i + 1) == _BACKTICK:
            i += 2
            is_pre = True
            language, i = _pre_language(src, i)
            i = _skip_pre_newline(src, i)
        entity_offset = out.utf16
        entity_part = len(out.parts)
        while i < src.size and (
            src.at(i) != end_char
            or (is_pre and not (src.at(i + 1) == _BACKTICK and src.at(i + 2) == _BACKTICK))
        ):
            i = out.push_byte_char(src, i)
        if i >= src.size:
            raise MarkdownParseError(
                f"Can't find end of the entity starting at byte offset {begin}", begin
            )
        if out.utf16 != entity_offset:
            length = out.utf16 - entity_offset
            if c == ord("_"):
                entities.append(_Entity("italic", entity_offset, length))
            elif c == ord("*"):
                entities.append(_Entity("bold", entity_offset, length))
            elif c == ord("["):
                if src.at(i + 1) != ord("("):
                    url = out.text_since(entity_part)
                else:
                    i += 2
                    url_begin = i
                    while i < src.size and src.at(i) != ord(")"):
                        i += 1
                    url = src.slice(url_begin, i)
                checked = check_link(url)
                if checked is not None:
                    entities.append(_Entity("text_link", entity_offset, length, {"url": checked}))
            elif is_pre:
                extra = {"language": language} if language else {}
                entities.append(_Entity("pre", entity_offset, length, extra))
            else:
                entities.append(_Entity("code", entity_offset, length))
        if is_pre:
            i += 2
        i += 1
    return out.text(), sort_entities([e.as_dict() for e in entities])
