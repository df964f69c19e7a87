"""What Telegram refuses in a message, checked as Telegram checks it: the chat (403 for users
who never started the bot or blocked it), the text (HTML/Markdown entities, 4096 characters,
captions 1024), keyboards (callback_data of 1-64 bytes, 100 buttons, valid URLs), replies
and files. Each check raises ``ApiError`` with Telegram's wording."""

from __future__ import annotations

from typing import Any

from bot.sandbox.emulator.errors import (
    FORBIDDEN_BLOCKED,
    FORBIDDEN_NOT_STARTED,
    WRONG_FILE_ID,
    ApiError,
    bad_request,
)
from bot.sandbox.emulator.model import ChatMessage, File, JsonDict, Upload, User
from bot.sandbox.emulator.params import Params
from bot.sandbox.emulator.state import EmulatorState
from bot.sandbox.html_check import (
    EntityParseError,
    check_link,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    sort_entities,
    utf16_len,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
TRIM_CHARS = " \t\r\n"

INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


# ---------------------------------------------------------------------- the chat


def chat_user(state: EmulatorState, params: Params) -> User:
    """The private chat the call names (chat id == user id)."""
    raw = params.get("chat_id")
    if raw is None or raw == "":
        raise bad_request("chat_id is empty")
    chat_id = params.integer("chat_id")
    if chat_id is None or chat_id not in state.users:
        raise bad_request("chat not found")
    return state.users[chat_id]


def check_can_write(user: User) -> None:
    if user.blocked:
        raise ApiError(403, FORBIDDEN_BLOCKED)
    if not user.started:
        raise ApiError(403, FORBIDDEN_NOT_STARTED)


def editable_message(state: EmulatorState, params: Params) -> tuple[User, ChatMessage]:
    """The bot's own message an edit names."""
    if params.has("inline_message_id"):
        raise bad_request("the emulator supports no inline messages: MESSAGE_ID_INVALID")
    user = chat_user(state, params)
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = state.find_message(user.user_id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return user, message


def reply_target(state: EmulatorState, user: User, params: Params) -> int | None:
    reply = params.get("reply_parameters")
    target: int | None = None
    allow_missing = params.flag("allow_sending_without_reply")
    if isinstance(reply, dict):
        value = reply.get("message_id")
        target = value if isinstance(value, int) else None
        allow_missing = bool(reply.get("allow_sending_without_reply"))
        if reply.get("chat_id") not in (None, user.user_id):
            raise bad_request("message to be replied not found")
    elif params.has("reply_to_message_id"):
        target = params.integer("reply_to_message_id")
    if target is None:
        return None
    if state.find_message(user.user_id, target) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target


# ---------------------------------------------------------------------- text and entities


def parse_mode_of(params: Params, name: str = "parse_mode") -> str | None:
    mode = params.text(name)
    if not mode:
        return None
    if mode.lower() not in ("html", "markdownv2", "markdown"):
        raise bad_request(f'unsupported parse_mode "{mode}"')
    return mode


def message_text(params: Params) -> tuple[str, list[JsonDict], str, str | None]:
    """A message's text as Telegram takes it: (text, entities, raw text, parse_mode)."""
    raw_text = params.text("text")
    if raw_text is None or raw_text == "":
        raise bad_request("message text is empty")
    parse_mode = parse_mode_of(params)
    text, entities = format_text(raw_text, parse_mode, params.get("entities"))
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text, entities, raw_text, parse_mode


def caption(params: Params) -> tuple[str, list[JsonDict], str | None, str | None]:
    """A media message's caption: (caption, entities, raw caption, parse_mode)."""
    raw = params.text("caption")
    parse_mode = parse_mode_of(params)
    if raw is None or raw == "":
        return "", [], raw, parse_mode
    text, entities = format_text(raw, parse_mode, params.get("caption_entities"))
    if utf16_len(text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return text, entities, raw, parse_mode


def format_text(
    raw: str, parse_mode: str | None, entities_param: Any
) -> tuple[str, list[JsonDict]]:
    if entities_param is not None:
        return trim(raw, check_entities(raw, entities_param))
    mode = (parse_mode or "").lower()
    try:
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode == "markdownv2":
            text, entities = parse_markdown_v2(raw)
        elif mode == "markdown":
            text, entities = parse_markdown(raw)
        else:
            text, entities = raw, []
    except EntityParseError as error:
        raise bad_request(f"can't parse entities: {error.message}") from None
    return trim(text, entities)


def check_entities(text: str, entities: Any) -> list[JsonDict]:
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    checked: list[JsonDict] = []
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad_request("can't parse MessageEntity JSON object")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request("can't parse MessageEntity JSON object")
        if offset < 0 or length <= 0 or offset + length > total:
            continue  # Telegram silently drops entities outside the text
        checked.append(dict(entity))
    return sort_entities(checked)


def trim(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Strip leading/trailing whitespace like Telegram does and clip the entities."""
    stripped_left = text.lstrip(TRIM_CHARS)
    lead = len(text) - len(stripped_left)  # ASCII characters: one UTF-16 unit each
    trimmed = stripped_left.rstrip(TRIM_CHARS)
    if lead == 0 and len(trimmed) == len(text):
        return text, entities
    total = utf16_len(trimmed)
    clipped: list[JsonDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            clipped.append({**entity, "offset": start, "length": end - start})
    return trimmed, clipped


# ---------------------------------------------------------------------- keyboards


def check_reply_markup(markup: Any) -> JsonDict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str):
                    raise bad_request(
                        'can\'t parse keyboard button: Field "text" must be of type String'
                    )
                if not text:
                    raise bad_request("BUTTON_TEXT_EMPTY")
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def check_edit_markup(markup: Any) -> JsonDict | None:
    checked = check_reply_markup(markup)
    if checked is not None and "inline_keyboard" not in checked:
        raise bad_request("inline keyboard expected")
    return checked


def check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            text = button.get("text")
            if not isinstance(text, str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if not text.strip():
                raise bad_request("BUTTON_TEXT_EMPTY")
            actions = [a for a in INLINE_BUTTON_ACTIONS if button.get(a) is not None]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in actions:
                data = button["callback_data"]
                if (
                    not isinstance(data, str)
                    or not data
                    or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in actions:
                url = button["url"]
                if not isinstance(url, str) or check_link(url) is None:
                    raise bad_request("BUTTON_URL_INVALID")


# ---------------------------------------------------------------------- files


def file_param(state: EmulatorState, params: Params, name: str, label: str) -> Upload | File:
    """The file a send names: an upload (multipart or attach://) or a known file_id."""
    if name in params.files:
        upload = params.files[name]
        if not upload.data:
            raise bad_request("file must be non-empty")
        return upload
    value = params.text(name)
    if not value:
        raise bad_request(f"there is no {name} in the request")
    if value.startswith("attach://"):
        attached = params.files.get(value.removeprefix("attach://"))
        if attached is None:
            raise bad_request(f"there is no {name} in the request")
        if not attached.data:
            raise bad_request("file must be non-empty")
        return attached
    file = state.files.get(value)
    if file is None:
        raise ApiError(400, WRONG_FILE_ID)
    if file.kind != name:
        raise bad_request(f"can't use file of type {file.kind.capitalize()} as {label}")
    return file
