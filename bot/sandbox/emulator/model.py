"""The emulator's data: users, groups, messages, callback queries and files as plain dataclasses,
and their Telegram JSON shapes (``User``, ``Chat``, the bot itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]

BOT_FIRST_NAME = "Hotline Bot"
BOT_USERNAME = "hotline_test_bot"


@dataclass
class ChatMessage:
    """One message of a private chat, in either direction, as the emulator stores it."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str  # plain text after entity parsing (the caption for media)
    html: str | None  # the raw text/caption exactly as the bot sent it (None for users)
    parse_mode: str | None
    entities: list[JsonDict]
    reply_markup: JsonDict | None  # as sent (inline keyboards, reply keyboards, ...)
    kind: str  # "text"|"photo"|"location"|"sticker"|"voice"|"contact"|"document"
    edits: int = 0
    date: int = 0
    edit_date: int | None = None
    media: JsonDict | None = None  # Telegram-shaped media fields, e.g. {"location": {...}}
    file_name: str | None = None  # uploaded document name
    file_data: bytes | None = None  # uploaded document/photo bytes
    reply_to: int | None = None
    deleted: bool = False

    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard buttons flattened as (text, callback_data); non-callback buttons
        (URL, ...) have an empty callback_data."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        return [
            (str(button.get("text", "")), str(button.get("callback_data", "")))
            for row in rows
            for button in row
            if isinstance(button, dict)
        ]

    def button_data(self, label_substring: str) -> str:
        """callback_data of the one button whose text contains ``label_substring``."""
        matches = [data for text, data in self.buttons() if label_substring in text]
        if len(matches) != 1:
            raise AssertionError(
                f"expected exactly one button containing {label_substring!r} in message "
                f"{self.message_id}, found {len(matches)}; buttons: {self.buttons()}"
            )
        return matches[0]

    def to_dict(self) -> JsonDict:
        """JSON-serialisable form (file bytes replaced by their size)."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "from_bot": self.from_bot,
            "text": self.text,
            "html": self.html,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "kind": self.kind,
            "edits": self.edits,
            "date": self.date,
            "edit_date": self.edit_date,
            "media": self.media,
            "file_name": self.file_name,
            "file_size": None if self.file_data is None else len(self.file_data),
            "reply_to": self.reply_to,
            "deleted": self.deleted,
            "buttons": [list(button) for button in self.buttons()],
        }

    def describe(self) -> str:
        who = "bot " if self.from_bot else "user"
        body = self.text if self.kind == "text" else f"<{self.kind}> {self.text}".rstrip()
        line = f"[{self.message_id}] {who}: {body}"
        if self.buttons():
            line += "  [buttons: " + ", ".join(f"{t!r}={d!r}" for t, d in self.buttons()) + "]"
        if self.edits:
            line += f"  (edited {self.edits}x)"
        return line


@dataclass
class User:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    started: bool = False
    blocked: bool = False


@dataclass
class Group:
    """A group someone added the bot to (the bot is a member until it leaves)."""

    chat_id: int
    title: str
    member: bool = True
    texts: list[str] = field(default_factory=list)


@dataclass
class CallbackQuery:
    query_id: str
    user_id: int
    message_id: int
    data: str
    answer: JsonDict | None = None


@dataclass
class File:
    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document" | "sticker" | "voice"
    data: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class Upload:
    """A file the bot uploaded with its request (multipart/form-data)."""

    file_name: str
    data: bytes
    content_type: str | None


# ---------------------------------------------------------------------- JSON shapes


def bot_json(bot_id: int) -> JsonDict:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    }


def user_json(user: User) -> JsonDict:
    data: JsonDict = {"id": user.user_id, "is_bot": False, "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    if user.language_code:
        data["language_code"] = user.language_code
    return data


def chat_json(user: User) -> JsonDict:
    data: JsonDict = {"id": user.user_id, "type": "private", "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    return data


def photo_size(file: File, width: int, height: int, size: int) -> JsonDict:
    return {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "width": width,
        "height": height,
        "file_size": size,
    }


def normalize_inline_markup(markup: JsonDict | None) -> list[list[JsonDict]] | None:
    """An inline keyboard as compared for "message is not modified" (None: no keyboard)."""
    if not markup:
        return None
    rows = [row for row in markup.get("inline_keyboard") or [] if row]
    return rows or None
