"""A Bot API request's parameters, read as Telegram reads them.

Requests are accepted as ``application/json``, ``application/x-www-form-urlencoded`` (what PTB
sends: string values as is, every other value JSON-encoded) and ``multipart/form-data`` (PTB,
when uploading files), plus query-string parameters.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.sandbox.emulator.errors import bad_request
from bot.sandbox.emulator.model import JsonDict, Upload

# Parameters whose form values are plain strings (never JSON-decoded): PTB sends str values
# unencoded, so "123" or "true" as a message text must stay a string.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "business_connection_id",
        "url",
        "language_code",
        "action",
        "photo",
        "document",
        "thumbnail",
        "file_id",
        "emoji",
        "title",
        "description",
        "short_description",
        "name",
        "secret_token",
        "ip_address",
        "message_effect_id",
    }
)


@dataclass
class Params:
    values: JsonDict
    files: dict[str, Upload]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        raise bad_request(f'parameter "{name}" must be a string')

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        return None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            return None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def loggable(self) -> JsonDict:
        logged = dict(self.values)
        for name, upload in self.files.items():
            logged[name] = {"file_name": upload.file_name, "size": len(upload.data)}
        return logged


def decode_param(name: str, value: Any) -> Any:
    """Decode one request parameter the way the Bot API does: non-string parameters sent as
    strings (form fields, or JSON-serialized objects inside a JSON body) are JSON-decoded."""
    if not isinstance(value, str) or name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_params(request: web.Request) -> Params:
    raw: JsonDict = dict(request.query)
    files: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request parameters") from None
            if not isinstance(body, dict):
                raise bad_request("JSON encoded request parameters must be an object")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = Upload(value.filename, value.file.read(), value.content_type)
                elif isinstance(value, bytes):
                    raw[name] = value.decode("utf-8", "replace")
                else:
                    raw[name] = value
    values = {name: decode_param(name, value) for name, value in raw.items()}
    return Params(values, files)
