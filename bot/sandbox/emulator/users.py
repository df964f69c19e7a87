"""The users' side (the emulator's Python API for tests, benchmarks and the sandbox page): a
user starts the bot, sends texts, photos, documents, stickers, voice notes, contacts and
locations, presses inline buttons, blocks the bot, adds it to a group. Each action lands in the
chat and becomes an update for the bot, exactly as Telegram would send it."""

from __future__ import annotations

import re

from bot.sandbox.emulator.model import (
    BOT_USERNAME,
    CallbackQuery,
    Group,
    JsonDict,
    User,
    photo_size,
    user_json,
)
from bot.sandbox.emulator.state import EmulatorState
from bot.sandbox.html_check import utf16_len

LEADING_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")


class UserActions:
    """What users do; ``BotApiEmulator`` is one of these over its state."""

    state: EmulatorState

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = "zh",
        username: str | None = None,
        last_name: str | None = None,
        started: bool = False,
    ) -> None:
        """A Telegram user; `started`: they opened the bot before (benchmarks queue messages
        to thousands of such users)."""
        if user_id <= 0:
            raise ValueError("user ids are positive (private chat id == user id)")
        if user_id == self.state.bot_id:
            raise ValueError("that id belongs to the bot")
        if user_id in self.state.users:
            raise ValueError(f"user {user_id} already exists")
        self.state.add_user(
            User(user_id, first_name, last_name, username, language_code, started=started)
        )

    def send_text(self, user_id: int, text: str) -> JsonDict:
        """The user sends ``text``; a leading /command gets a bot_command entity, and /start
        marks the user as having started the bot."""
        user = self.state.acting_user(user_id)
        if not text:
            raise ValueError("a user cannot send an empty message")
        entities: list[JsonDict] = []
        command = LEADING_COMMAND_RE.match(text)
        if command is not None:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
            )
            name, _, target = command.group(0)[1:].partition("@")
            if name == "start" and target in ("", BOT_USERNAME):
                user.started = True
        message = self.state.user_message(user, "text", text=text, entities=entities)
        return self.state.deliver_user_message(message)

    def send_location(self, user_id: int, latitude: float, longitude: float) -> JsonDict:
        user = self.state.acting_user(user_id)
        location = {"latitude": latitude, "longitude": longitude}
        message = self.state.user_message(user, "location", media={"location": location})
        return self.state.deliver_user_message(message)

    def send_photo(
        self, user_id: int, caption: str | None = None, data: bytes | None = None
    ) -> JsonDict:
        """The user sends a photo; with ``data`` (the image's bytes) a bot that sends it on by
        file_id sends exactly these bytes."""
        state = self.state
        user = state.acting_user(user_id)
        mime = "image/png" if data is not None and data.startswith(b"\x89PNG") else "image/jpeg"
        small = state.new_file("photo", data=data, mime_type=mime)
        large = state.new_file("photo", data=data, mime_type=mime)
        size = len(data) if data is not None else 98_000
        photo = [
            photo_size(small, 90, 67, min(size, 1_200)),
            photo_size(large, 1280, 960, size),
        ]
        media: JsonDict = {"photo": photo}
        message = state.user_message(user, "photo", text=caption or "", media=media)
        message.file_data = data
        return state.deliver_user_message(message)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JsonDict:
        """The user sends a file (a document); the bot fetches it with getFile and the file
        URL."""
        state = self.state
        user = state.acting_user(user_id)
        if not data:
            raise ValueError("a document must not be empty")
        file = state.new_file(
            "document", data=data, file_name=file_name,
            mime_type=mime_type or "application/octet-stream",
        )
        document: JsonDict = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_name": file_name,
            "mime_type": file.mime_type,
            "file_size": len(data),
        }
        message = state.user_message(
            user, "document", text=caption or "", media={"document": document}
        )
        message.file_name, message.file_data = file_name, data
        return state.deliver_user_message(message)

    def send_sticker(self, user_id: int) -> JsonDict:
        user = self.state.acting_user(user_id)
        file = self.state.new_file("sticker", mime_type="image/webp")
        sticker = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": 20_000,
        }
        message = self.state.user_message(user, "sticker", media={"sticker": sticker})
        return self.state.deliver_user_message(message)

    def send_voice(self, user_id: int) -> JsonDict:
        user = self.state.acting_user(user_id)
        file = self.state.new_file("voice", mime_type="audio/ogg")
        voice = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": 9_000,
        }
        message = self.state.user_message(user, "voice", media={"voice": voice})
        return self.state.deliver_user_message(message)

    def send_contact(self, user_id: int, phone_number: str) -> JsonDict:
        user = self.state.acting_user(user_id)
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": user.first_name,
            "user_id": user.user_id,
        }
        if user.last_name:
            contact["last_name"] = user.last_name
        message = self.state.user_message(user, "contact", media={"contact": contact})
        return self.state.deliver_user_message(message)

    def press(self, user_id: int, message_id: int, data: str, *, forge: bool = False) -> str:
        """The user presses an inline button of a bot message; returns the callback query id.

        Unless ``forge`` is true, the message must currently show a button with exactly this
        callback_data (``ValueError`` otherwise)."""
        state = self.state
        user = state.acting_user(user_id)
        message = state.find_message(user_id, message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in the chat with user {user_id}")
        if not forge and data not in [d for _, d in message.buttons() if d]:
            raise ValueError(
                f"message {message_id} has no inline button with callback_data {data!r}; "
                f"buttons: {message.buttons()}"
            )
        query_id = str(4_000_000_000_000_000 + next(state.callback_ids))
        state.callbacks[query_id] = CallbackQuery(query_id, user_id, message_id, data)
        state.queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user_json(user),
                    "message": state.message_json(message),
                    "chat_instance": str(user_id * 7919 + state.bot_id),
                    "data": data,
                }
            }
        )
        return query_id

    def block(self, user_id: int) -> None:
        user = self.state.get_user(user_id)
        if not user.blocked:
            user.blocked = True
            self.state.queue_member_update(user, "member", "kicked")

    def unblock(self, user_id: int) -> None:
        user = self.state.get_user(user_id)
        if user.blocked:
            user.blocked = False
            self.state.queue_member_update(user, "kicked", "member")

    def add_bot_to_group(self, user_id: int, chat_id: int, title: str = "Some group") -> None:
        """`user_id` adds the bot to a group (a negative chat id): the bot gets my_chat_member
        (if it asked for it in allowed_updates) and may write there until it leaves."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        state = self.state
        user = state.get_user(user_id)
        state.groups[chat_id] = Group(chat_id, title)
        bot = state.bot_json()
        state.queue_update(
            {
                "my_chat_member": {
                    "chat": {"id": chat_id, "type": "supergroup", "title": title},
                    "from": user_json(user),
                    "date": state.date(),
                    "old_chat_member": {"user": bot, "status": "left"},
                    "new_chat_member": {"user": bot, "status": "member"},
                }
            }
        )

    def in_group(self, chat_id: int) -> bool:
        """Whether the bot is (still) a member of the group."""
        group = self.state.groups.get(chat_id)
        return group is not None and group.member

    def group_texts(self, chat_id: int) -> list[str]:
        """What the bot wrote in a group it was added to."""
        return list(self.state.groups[chat_id].texts)
