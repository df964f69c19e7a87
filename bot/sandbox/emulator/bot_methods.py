"""The Bot API's other methods: the bot itself (getMe, logOut, close), its chats (getChat,
leaveChat), its command menus (setMyCommands, getMyCommands, deleteMyCommands per scope and
language; getChatMenuButton), answers to button presses (answerCallbackQuery, once) and files
users sent (getFile)."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox.emulator import strict
from bot.sandbox.emulator.errors import QUERY_INVALID, ApiError, bad_request
from bot.sandbox.emulator.model import JsonDict, chat_json
from bot.sandbox.emulator.params import Params
from bot.sandbox.emulator.state import EmulatorState

MAX_COMMANDS = 100
COMMAND_RE = re.compile(r"^[a-z0-9_]+$")
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


class BotMethods:
    """getMe, logOut, close, getChat, leaveChat, the command menus, answerCallbackQuery,
    getFile."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}

    # ------------------------------------------------------------------ the bot and its chats

    async def ok(self, params: Params) -> bool:
        return True

    async def get_me(self, params: Params) -> JsonDict:
        return {
            **self.state.bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_chat(self, params: Params) -> JsonDict:
        user = strict.chat_user(self.state, params)
        return {
            **chat_json(user),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def leave_chat(self, params: Params) -> bool:
        group = self.state.groups.get(params.integer("chat_id") or 0)
        if group is None or not group.member:
            raise bad_request("chat not found")
        group.member = False
        return True

    # ------------------------------------------------------------------ command menus

    async def get_chat_menu_button(self, params: Params) -> JsonDict:
        return {"type": "commands"}

    async def set_my_commands(self, params: Params) -> bool:
        key = self.commands_key(params.get("scope"), params.text("language_code") or "")
        commands = params.get("commands")
        if commands is None:
            commands = []
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        stored: list[JsonDict] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = item.get("command")
            description = item.get("description")
            if not isinstance(command, str) or not command:
                raise bad_request("command must be non-empty")
            if len(command) > 32:
                raise bad_request("command length must not exceed 32")
            if not COMMAND_RE.match(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not description:
                raise bad_request("command description must be non-empty")
            if len(description) > 256:
                raise bad_request("command description length must not exceed 256")
            stored.append({"command": command, "description": description})
        if stored:
            self.commands[key] = stored
        else:
            self.commands.pop(key, None)
        return True

    async def get_my_commands(self, params: Params) -> list[JsonDict]:
        key = self.commands_key(params.get("scope"), params.text("language_code") or "")
        return [dict(c) for c in self.commands.get(key, [])]

    async def delete_my_commands(self, params: Params) -> bool:
        key = self.commands_key(params.get("scope"), params.text("language_code") or "")
        self.commands.pop(key, None)
        return True

    def commands_key(self, scope: Any, language_code: str) -> tuple[str, str]:
        """Where a command list is kept: exactly one scope and one language ("" for all)."""
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise bad_request("invalid language code specified")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self.state.users:
                raise bad_request("chat not found")
            if scope["type"] != "chat":
                raise bad_request("can't use specified scope in private chats")
        return json.dumps(scope, sort_keys=True), language_code

    # ------------------------------------------------------------------ callbacks and files

    async def answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id")
        query = self.state.callbacks.get(query_id or "")
        if query is None or query.answer is not None:
            raise ApiError(400, QUERY_INVALID)
        query.answer = {
            "text": params.text("text"),
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time") or 0,
        }
        self.state.emit(
            "callback_answer",
            {
                "callback_query_id": query_id,
                "chat_id": query.user_id,
                "message_id": query.message_id,
                "data": query.data,
                **query.answer,
            },
        )
        return True

    async def get_file(self, params: Params) -> JsonDict:
        file_id = params.text("file_id") or ""
        file = self.state.files.get(file_id)
        if file is None or file.data is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": len(file.data),
            "file_path": f"{file.kind}s/{file.file_id}",
        }
