"""The hotline desk's pure rules: when a phoned-in fault's clocks start, and callers' phones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.desk import MAX_BACK, CallTime, Refused, call_time, check, valid_contact_phone

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


@pytest.mark.parametrize("typed", ["now", "NOW", " 现在 ", "刚才"])
def test_now_is_the_moment_of_logging(typed: str) -> None:
    assert call_time(typed, NOW, TZ) == CallTime(NOW, False)


@pytest.mark.parametrize(
    ("typed", "ago"),
    [
        ("-20m", 20),
        ("-20", 20),
        ("- 5 min", 5),
        ("-1h", 60),
        ("-2h", 120),
        ("-120m", 120),
        ("-30分钟", 30),
        ("13:35", 25),
        ("13：35", 25),
        ("12:00", 120),
        ("14:00", 0),
    ],
)
def test_set_back_within_two_hours(typed: str, ago: int) -> None:
    found = call_time(typed, NOW, TZ)
    assert isinstance(found, CallTime)
    assert found.at == NOW - timedelta(minutes=ago)
    assert found.back_dated == (ago > 0)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-121m", "too_early"),
        ("-3h", "too_early"),
        ("11:59", "too_early"),
        ("14:02", "future"),
        ("23:59", "future"),  # later today
        ("+5m", "format"),
        ("soon", "format"),
        ("25:00", "format"),
        ("", "format"),
    ],
)
def test_refused_with_its_reason(typed: str, reason: str) -> None:
    assert call_time(typed, NOW, TZ) == Refused(reason)


def test_just_after_midnight_a_time_before_midnight_is_last_night() -> None:
    now = datetime(2026, 12, 31, 16, 20, tzinfo=UTC)  # 00:20 on 1 January in Shanghai
    found = call_time("23:50", now, TZ)
    assert found == CallTime(now - timedelta(minutes=30), True)


def test_the_limits_exactly() -> None:
    assert check(NOW - MAX_BACK, NOW) == CallTime(NOW - MAX_BACK, True)
    assert check(NOW - MAX_BACK - timedelta(seconds=1), NOW) == Refused("too_early")
    # A minute's grace for a clock a little ahead: the call is then taken as now.
    assert check(NOW + timedelta(seconds=30), NOW) == CallTime(NOW, False)
    assert check(NOW + timedelta(minutes=2), NOW) == Refused("future")


@pytest.mark.parametrize("phone", ["13900000000", "+86 10 5555 0100", "010-5555-0100", "123456"])
def test_valid_phones(phone: str) -> None:
    assert valid_contact_phone(phone)


@pytest.mark.parametrize(
    "phone", ["call me", "12345", "+", "010--", "1" * 30, "13900000000x", "-13900000000"]
)
def test_invalid_phones(phone: str) -> None:
    assert not valid_contact_phone(phone)
