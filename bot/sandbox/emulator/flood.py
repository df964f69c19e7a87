"""429 and 5xx: Telegram's flood control as token buckets (over all chats, per private chat, per
group), and the refusals a test injects (``inject_flood``, ``inject_server_error``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.emulator.errors import ApiError

# Methods whose calls produce or change messages: they count for flood control and are the
# targets of inject_flood() / inject_server_error().
MESSAGE_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "sendlocation",
        "senddocument",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
    }
)


@dataclass
class FloodLimits:
    """Token buckets approximating Telegram's flood control (sending and editing count)."""

    global_per_second: float = 30.0  # bucket over all chats: capacity and refill per second
    chat_burst: int = 20  # private chat bucket capacity
    chat_per_second: float = 1.0  # private chat refill rate
    group_per_minute: int = 20  # groups (chat id < 0): capacity and refill per minute
    enabled: bool = True


@dataclass
class Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)

    def wait_time(self) -> float:
        if self.tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self.tokens) / self.rate


@dataclass
class Injection:
    remaining: int
    method: str | None
    value: int  # retry_after for floods, HTTP status for server errors

    def matches(self, method: str) -> bool:
        return self.remaining > 0 and (self.method is None or self.method == method)


def flood_error(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def method_key(method: str | None) -> str | None:
    if method is None:
        return None
    key = method.lower()
    if key not in MESSAGE_METHODS:
        raise ValueError(f"{method} is not a sending/editing method: {sorted(MESSAGE_METHODS)}")
    return key


class FloodControl:
    """The buckets and the injected refusals of one emulator, on its clock (Unix seconds)."""

    def __init__(self, limits: FloodLimits, now: Callable[[], float]) -> None:
        self.limits = limits
        self._now = now
        self._floods: list[Injection] = []
        self._server_errors: list[Injection] = []
        self._global_bucket: Bucket | None = None
        self._chat_buckets: dict[int, Bucket] = {}

    def inject_flood(self, times: int, retry_after: int, method: str | None) -> None:
        self._floods.append(Injection(times, method_key(method), max(1, retry_after)))

    def inject_server_error(self, times: int, status: int, method: str | None) -> None:
        if not 500 <= status <= 599:
            raise ValueError("status must be a 5xx code")
        self._server_errors.append(Injection(times, method_key(method), status))

    def take_injected(self, method: str) -> None:
        """Refuse this call if an injected 5xx or 429 is due for it (server errors first)."""
        for injection in self._server_errors:
            if injection.matches(method):
                injection.remaining -= 1
                phrase = {500: "Internal Server Error", 502: "Bad Gateway"}.get(
                    injection.value, "Server Error"
                )
                raise ApiError(injection.value, phrase)
        for injection in self._floods:
            if injection.matches(method):
                injection.remaining -= 1
                raise flood_error(injection.value)
        self._floods = [i for i in self._floods if i.remaining > 0]
        self._server_errors = [i for i in self._server_errors if i.remaining > 0]

    def take(self, chat_id: int) -> None:
        """One token from the global bucket and the chat's, or 429 with the wait."""
        limits = self.limits
        if not limits.enabled:
            return
        now = self._now()
        if self._global_bucket is None:
            self._global_bucket = Bucket(
                limits.global_per_second, limits.global_per_second, limits.global_per_second, now
            )
        chat_bucket = self._chat_buckets.get(chat_id)
        if chat_bucket is None:
            if chat_id < 0:
                capacity, rate = float(limits.group_per_minute), limits.group_per_minute / 60.0
            else:
                capacity, rate = float(limits.chat_burst), limits.chat_per_second
            chat_bucket = self._chat_buckets[chat_id] = Bucket(capacity, rate, capacity, now)
        buckets = (self._global_bucket, chat_bucket)
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            retry_after = max(1, math.ceil(wait - 1e-9)) if math.isfinite(wait) else 3600
            raise flood_error(retry_after)
        for bucket in buckets:
            bucket.tokens -= 1.0
