"""Log lines for operators and log shippers: text or JSON, secrets and phone numbers masked.

Every record, at every level and from every library, goes through one of these formatters, so
masking does not depend on each call site remembering it:
- the bot token and the webhook secret (exact values given at start-up), and anything shaped
  like a bot token (another bot's, a token in a URL), become ``<token>`` / ``<secret>``;
- phone numbers keep their last 4 digits (``***1234``): enough to tell two callers apart, not
  enough to call them.

``--log-format json`` writes one JSON object per line: time (UTC, ISO 8601), level, logger,
message, and ``ticket`` / ``user`` when known: given as ``extra={"ticket": n, "user": id}``, or
read from the message, which names them as "ticket #N" and "user N" by convention.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

HIDDEN_TOKEN = "<token>"
HIDDEN_SECRET = "<secret>"
TOKEN_SHAPE = re.compile(r"(?<![\w])\d{5,}:[A-Za-z0-9_-]{30,}")
PHONE = re.compile(
    r"\+\d[\d -]{5,18}\d"  # international: +86 139 0000 1234, +44 20 7946 0958
    r"|(?<![\d.])1[3-9]\d(?:[ -]?\d{4}){2}(?!\d|[.:]\d)"  # a mainland mobile: 139-0000-1234
    r"|(?<![\d.:])0\d{2,3}-?\d{7,8}(?!\d|[.:]\d)"  # a mainland landline: 010-12345678
)
TICKET = re.compile(r"\bticket #?(\d+)")
USER = re.compile(r"\buser (\d+)")


def mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "***" + digits[-4:]


class Masker:
    """What must never reach a log: the given secrets, token-shaped text, phone numbers."""

    def __init__(self, token: str | None = None, secrets: Iterable[str] = ()) -> None:
        hidden: list[tuple[str, str]] = []
        if token:
            hidden.append((token, HIDDEN_TOKEN))
            tail = token.partition(":")[2]
            if len(tail) >= 8:  # the secret part alone, when long enough to be unmistakable
                hidden.append((tail, HIDDEN_TOKEN))
        hidden.extend((s, HIDDEN_SECRET) for s in secrets if s and len(s) >= 4)
        self.hidden = hidden

    def __call__(self, text: str) -> str:
        for secret, placeholder in self.hidden:
            text = text.replace(secret, placeholder)
        text = TOKEN_SHAPE.sub(HIDDEN_TOKEN, text)
        return PHONE.sub(mask_phone, text)


class MaskingFormatter(logging.Formatter):
    """The usual one-line text, masked (message and traceback alike)."""

    def __init__(self, mask: Masker, fmt: str = TEXT_FORMAT) -> None:
        super().__init__(fmt)
        self.mask = mask

    def format(self, record: logging.LogRecord) -> str:
        return self.mask(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def __init__(self, mask: Masker) -> None:
        super().__init__()
        self.mask = mask

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.mask(message),
        }
        for key, pattern in (("ticket", TICKET), ("user", USER)):
            value = getattr(record, key, None)
            if value is None and (found := pattern.search(message)) is not None:
                value = int(found.group(1))
            if value is not None:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.mask(self.formatException(record.exc_info))
        if record.stack_info:
            data["stack"] = self.mask(self.formatStack(record.stack_info))
        return json.dumps(data, ensure_ascii=False)


def formatter(
    log_format: LogFormat, token: str | None, secrets: Iterable[str] = ()
) -> logging.Formatter:
    mask = Masker(token, secrets)
    return JsonFormatter(mask) if log_format == "json" else MaskingFormatter(mask)
