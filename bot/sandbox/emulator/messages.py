"""The Bot API methods that write into chats: sending (texts, photos, documents, locations,
chat actions, texts in groups), editing (refusing "message is not modified") and deleting.

Each sending or editing call is refused as Telegram refuses it (``strict.py``) and counts for
flood control (``flood.py``) before it changes anything."""

from __future__ import annotations

from typing import Any

from bot.sandbox.emulator import strict
from bot.sandbox.emulator.errors import NOT_MODIFIED, ApiError, bad_request
from bot.sandbox.emulator.flood import FloodControl
from bot.sandbox.emulator.model import (
    ChatMessage,
    File,
    JsonDict,
    Upload,
    User,
    normalize_inline_markup,
    photo_size,
)
from bot.sandbox.emulator.params import Params
from bot.sandbox.emulator.state import EmulatorState
from bot.sandbox.html_check import utf16_len

DELETE_WINDOW_SECONDS = 48 * 3600

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


class MessageMethods:
    """sendMessage, sendPhoto, sendDocument, sendLocation, sendChatAction, editMessage*,
    deleteMessage."""

    def __init__(self, state: EmulatorState, flood: FloodControl) -> None:
        self.state = state
        self.flood = flood

    def _may_send(self, user: User) -> None:
        """The last checks before a message changes: the user can be written to, and the
        flood buckets allow it."""
        strict.check_can_write(user)
        self.flood.take(user.user_id)

    # ------------------------------------------------------------------ sending

    async def send_message(self, params: Params) -> JsonDict:
        self.flood.take_injected("sendmessage")
        if params.integer("chat_id") in self.state.groups:
            return self._send_group_message(params)
        user = strict.chat_user(self.state, params)
        text, entities, raw_text, parse_mode = strict.message_text(params)
        markup = strict.check_reply_markup(params.get("reply_markup"))
        reply_to = strict.reply_target(self.state, user, params)
        self._may_send(user)
        message = self.state.bot_message(
            user,
            "text",
            text=text,
            html=raw_text,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            reply_to=reply_to,
        )
        return self.state.deliver_bot_message(message)

    def _send_group_message(self, params: Params) -> JsonDict:
        """A text in a group the bot was added to (groups hold texts only)."""
        group = self.state.groups[params.integer("chat_id") or 0]
        if not group.member:
            raise ApiError(403, "Forbidden: bot is not a member of the supergroup chat")
        raw_text = params.text("text") or ""
        text, _ = strict.format_text(
            raw_text, strict.parse_mode_of(params), params.get("entities")
        )
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > strict.MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        group.texts.append(text)
        return {
            "message_id": len(group.texts),
            "from": self.state.bot_json(),
            "chat": {"id": group.chat_id, "type": "supergroup", "title": group.title},
            "date": self.state.date(),
            "text": text,
        }

    def _captioned_file(
        self, params: Params, method: str, field: str, label: str
    ) -> tuple[User, Upload | File, dict[str, Any]]:
        """What sendPhoto and sendDocument check alike, in Telegram's order (chat, file,
        caption, keyboard, reply target, may send): the user, the file given, and the
        message's caption, keyboard and reply target as `bot_message` takes them."""
        self.flood.take_injected(method)
        state = self.state
        user = strict.chat_user(state, params)
        source = strict.file_param(state, params, field, label)
        caption, entities, raw_caption, parse_mode = strict.caption(params)
        markup = strict.check_reply_markup(params.get("reply_markup"))
        reply_to = strict.reply_target(state, user, params)
        self._may_send(user)
        return user, source, {
            "text": caption, "html": raw_caption, "parse_mode": parse_mode,
            "entities": entities, "reply_markup": markup, "reply_to": reply_to,
        }

    async def send_photo(self, params: Params) -> JsonDict:
        state = self.state
        user, source, captioned = self._captioned_file(params, "sendphoto", "photo", "Photo")
        data: bytes | None
        if isinstance(source, Upload):
            small = state.new_file("photo", data=source.data, mime_type=source.content_type)
            large = state.new_file("photo", data=source.data, mime_type=source.content_type)
            data = source.data
            size = len(source.data)
        else:
            small = large = source
            data = source.data
            size = len(source.data) if source.data is not None else 98_000
        photo = [
            photo_size(small, 90, 67, min(size, 1_200)),
            photo_size(large, 1280, 960, size),
        ]
        message = state.bot_message(
            user, "photo", **captioned, media={"photo": photo}, file_data=data
        )
        return state.deliver_bot_message(message)

    async def send_document(self, params: Params) -> JsonDict:
        state = self.state
        user, source, captioned = self._captioned_file(
            params, "senddocument", "document", "Document"
        )
        if isinstance(source, Upload):
            file = state.new_file(
                "document",
                data=source.data,
                file_name=source.file_name,
                mime_type=source.content_type or "application/octet-stream",
            )
        else:
            file = source
        document: JsonDict = {"file_id": file.file_id, "file_unique_id": file.file_unique_id}
        if file.file_name:
            document["file_name"] = file.file_name
        if file.mime_type:
            document["mime_type"] = file.mime_type
        if file.data is not None:
            document["file_size"] = len(file.data)
        message = state.bot_message(
            user, "document", **captioned, media={"document": document},
            file_name=file.file_name, file_data=file.data,
        )
        return state.deliver_bot_message(message)

    async def send_location(self, params: Params) -> JsonDict:
        self.flood.take_injected("sendlocation")
        user = strict.chat_user(self.state, params)
        latitude = params.number("latitude")
        longitude = params.number("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        markup = strict.check_reply_markup(params.get("reply_markup"))
        reply_to = strict.reply_target(self.state, user, params)
        self._may_send(user)
        message = self.state.bot_message(
            user,
            "location",
            text="",
            html=None,
            parse_mode=None,
            entities=[],
            reply_markup=markup,
            reply_to=reply_to,
            media={"location": {"latitude": latitude, "longitude": longitude}},
        )
        return self.state.deliver_bot_message(message)

    async def send_chat_action(self, params: Params) -> bool:
        user = strict.chat_user(self.state, params)
        action = params.text("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        strict.check_can_write(user)
        self.state.emit("chat_action", {"chat_id": user.user_id, "action": action})
        return True

    # ------------------------------------------------------------------ editing

    async def edit_message_text(self, params: Params) -> JsonDict:
        self.flood.take_injected("editmessagetext")
        user, message = strict.editable_message(self.state, params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text, entities, raw_text, parse_mode = strict.message_text(params)
        markup = strict.check_edit_markup(params.get("reply_markup"))
        return self._edit_content(user, message, text, entities, raw_text, parse_mode, markup)

    async def edit_message_caption(self, params: Params) -> JsonDict:
        self.flood.take_injected("editmessagecaption")
        user, message = strict.editable_message(self.state, params)
        if message.kind not in ("photo", "document"):
            raise bad_request("there is no caption in the message to edit")
        caption, entities, raw_caption, parse_mode = strict.caption(params)
        markup = strict.check_edit_markup(params.get("reply_markup"))
        return self._edit_content(
            user, message, caption, entities, raw_caption, parse_mode, markup
        )

    def _edit_content(
        self,
        user: User,
        message: ChatMessage,
        text: str,
        entities: Any,
        raw: str | None,
        parse_mode: Any,
        markup: Any,
    ) -> JsonDict:
        """Replace a message's text (or caption) and keyboard, refusing an unchanged edit."""
        if (
            text == message.text
            and entities == message.entities
            and normalize_inline_markup(markup) == normalize_inline_markup(message.reply_markup)
        ):
            raise ApiError(400, NOT_MODIFIED)
        self._may_send(user)
        message.text, message.entities = text, entities
        message.html, message.parse_mode = raw, parse_mode
        message.reply_markup = markup
        return self._apply_edit(message)

    async def edit_message_reply_markup(self, params: Params) -> JsonDict:
        self.flood.take_injected("editmessagereplymarkup")
        user, message = strict.editable_message(self.state, params)
        markup = strict.check_edit_markup(params.get("reply_markup"))
        if normalize_inline_markup(markup) == normalize_inline_markup(message.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        self._may_send(user)
        message.reply_markup = markup
        return self._apply_edit(message)

    def _apply_edit(self, message: ChatMessage) -> JsonDict:
        message.edits += 1
        message.edit_date = self.state.date()
        self.state.emit("edit", message.to_dict())
        return self.state.message_json(message)

    # ------------------------------------------------------------------ deleting

    async def delete_message(self, params: Params) -> bool:
        user = strict.chat_user(self.state, params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.state.find_message(user.user_id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        if self.state.now() - message.date > DELETE_WINDOW_SECONDS:
            raise bad_request("message can't be deleted for everyone")
        message.deleted = True
        self.state.emit("delete", {"chat_id": user.user_id, "message_id": message_id})
        return True
