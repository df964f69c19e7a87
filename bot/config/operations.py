"""The operations settings: how the bot runs rather than what the hotline promises. How updates
come in ([webhook]), how much one user may make the bot do ([guard]), the operator's probes
([http]). The flat operations keys (backup_at, backup_dir, backup_keep, retention,
shutdown_grace, messages_per_second) stay fields of ``Settings``.

Re-exported by ``bot/config/schema.py``: ``from bot.config.schema import WebhookConfig`` works.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from bot.config.fields import ConfigModel, Duration

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class WebhookConfig(ConfigModel):
    """``[webhook]``: Telegram POSTs each update to ``url`` (the reverse proxy), which passes it
    to the bot listening on ``listen`` at ``path``. Absent: the bot long-polls (the default).
    The secret Telegram sends with each update is TELEGRAM_WEBHOOK_SECRET, never this file."""

    url: str
    listen: str = "127.0.0.1:8443"
    # The path the bot serves; default: the url's path (a proxy that keeps the path).
    path: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if parts.scheme != "https" and not loopback:
            raise ValueError(
                f"'{value}' must start with https:// (Telegram delivers only over HTTPS; "
                "plain http only to 127.0.0.1, for tests)"
            )
        if not parts.hostname:
            raise ValueError(f"'{value}' has no host name")
        if parts.query or parts.fragment:
            raise ValueError(f"'{value}': no '?' or '#' in the webhook URL")
        return value

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(
                f"'{value}' must be host:port, e.g. \"127.0.0.1:8443\" (the address nginx "
                "proxies to)"
            )
        return value

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("/") or any(c in value for c in "?# ")):
            raise ValueError(f"'{value}' must be a path starting with '/', e.g. \"/hotline\"")
        return value

    @property
    def host(self) -> str:
        return self.listen.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.listen.rpartition(":")[2])

    @property
    def url_path(self) -> str:
        """The path the bot's listener serves, without its leading '/' (as PTB takes it)."""
        path = self.path if self.path is not None else urlsplit(self.url).path
        return path.strip("/")


class GuardConfig(ConfigModel):
    """How much one Telegram user may make the bot do ([guard]): a stuck client or a script
    is refused before any database work (bot/domain/flood.py)."""

    # A user's updates at once (an album of ten photos is ten updates), then `per_second`.
    burst: int = Field(default=20, ge=1, le=1000)
    per_second: float = Field(default=1.0, gt=0, le=100)
    # A stranger (not staff, not joined by an invite) is answered once per this long.
    stranger_quiet: Duration = timedelta(hours=1)
_LISTEN_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})")


class HttpConfig(ConfigModel):
    """[http]: /healthz and /metrics for the operator's probes (off unless `listen` is set)."""

    # "HOST:PORT" to bind, e.g. "127.0.0.1:9090" (only that address); "" serves nothing.
    listen: str = ""
    # /healthz says 503 when getUpdates has not answered for this long (polling) ...
    updates_max_age: Duration = timedelta(minutes=2)
    # ... or when the oldest message due to be sent has waited this long (the sender is stuck).
    outbox_max_age: Duration = timedelta(minutes=15)

    @field_validator("listen")
    @classmethod
    def _check_listen(cls, value: str) -> str:
        match = _LISTEN_RE.fullmatch(value)
        if value and (match is None or int(match[2]) > 65535):
            raise ValueError(f"invalid address '{value}': write HOST:PORT, e.g. "
                             '"127.0.0.1:9090"')  # fmt: skip
        return value

    @field_validator("updates_max_age", "outbox_max_age")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be longer than zero")
        return value
