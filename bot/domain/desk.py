"""Faults phoned in (pure): when the call came in, and who called.

A phoned-in fault's clocks start at the call, not when the staff member finished typing: the
reported time may be set back, but by at most MAX_BACK (a longer gap would let a late log hide
a missed promise) and never into the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from bot.domain.drafts import valid_phone

MAX_BACK = timedelta(hours=2)
MAX_NAME = 100
MAX_REASON = 300

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:：.]([0-5]\d)$")
_AGO = re.compile(r"^-\s*(\d{1,4})\s*(m|min|h|分钟|小时)?$", re.I)
NOW_WORDS = ("now", "现在", "刚才")


@dataclass(frozen=True)
class CallTime:
    """The call's instant (aware UTC) and whether it was set back from now."""

    at: datetime
    back_dated: bool


@dataclass(frozen=True)
class Refused:
    """Why a call time was refused: "format", "future" or "too_early"."""

    reason: str


def call_time(text: str, now: datetime, tz: tzinfo) -> CallTime | Refused:
    """The answer to "when did the call come in?": "now", "HH:MM" (local time, today; or
    yesterday when that is just after midnight) or "-20m" / "-1h"."""
    raw = text.strip().lower()
    if raw in NOW_WORDS:
        return CallTime(now, False)
    at: datetime | None = None
    if (ago := _AGO.match(raw)) is not None:
        unit = (ago.group(2) or "m").lower()
        amount = int(ago.group(1))
        at = now - (
            timedelta(hours=amount) if unit in ("h", "小时") else timedelta(minutes=amount)
        )
    elif (hm := _CLOCK.match(raw)) is not None:
        local_now = now.astimezone(tz)
        wall = time(int(hm.group(1)), int(hm.group(2)))
        local = datetime.combine(local_now.date(), wall, tzinfo=tz)
        if local > local_now + timedelta(minutes=1) and local - local_now > timedelta(hours=12):
            local -= timedelta(days=1)  # "23:50" typed at 00:20: last night
        at = local.astimezone(now.tzinfo)
    if at is None:
        return Refused("format")
    return check(at, now)


def check(at: datetime, now: datetime) -> CallTime | Refused:
    """The back-dating limits: not after now (a minute's grace for clocks), not over MAX_BACK."""
    if at > now + timedelta(minutes=1):
        return Refused("future")
    if now - at > MAX_BACK:
        return Refused("too_early")
    at = min(at, now)
    return CallTime(at, at < now)


def valid_contact_phone(text: str) -> bool:
    """A caller's phone: digits with spaces or dashes, an optional leading +."""
    return valid_phone(text)
