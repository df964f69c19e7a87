"""Major events (重大活动), the pure rule: periods from the config and from chat, end days
included, the hotline's local midnight, ended periods, and the checks of typed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.events import Event, configured, heightened, parse_day, problem

TZ = ZoneInfo("Asia/Shanghai")
FAIR = Event(3, ("village",), "County fair", date(2026, 12, 24), date(2026, 12, 26), "staff:pm")
FESTIVAL = configured(0, "Spring Festival", date(2027, 2, 5), date(2027, 2, 13), [])


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    """A local (Shanghai) time, as the clock gives it: aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(23, 23, 59), None),  # the evening before
        (at(24, 0, 0), FAIR),  # local midnight starts it (16:00 UTC the day before)
        (at(25, 12), FAIR),
        (at(26, 23, 59), FAIR),  # the end day is included, to its last minute
        (at(27, 0, 0), None),
    ],
)
def test_a_period_covers_whole_local_days_end_included(
    now: datetime, expected: Event | None
) -> None:
    assert heightened([FAIR], "village", now, TZ) == expected


def test_the_local_day_not_the_utc_day_decides() -> None:
    # 2026-12-23 17:00 UTC is already the 24th in Shanghai.
    assert heightened([FAIR], "village", datetime(2026, 12, 23, 17, tzinfo=UTC), TZ) == FAIR
    # 2026-12-26 16:30 UTC is the 27th in Shanghai: over, though still the 26th in UTC.
    assert heightened([FAIR], "village", datetime(2026, 12, 26, 16, 30, tzinfo=UTC), TZ) is None
    # In UTC the same instant is still inside: the zone is the caller's, not a constant.
    assert heightened([FAIR], "village", datetime(2026, 12, 26, 16, 30, tzinfo=UTC), UTC) == FAIR


def test_a_period_is_for_its_project_or_every_project() -> None:
    assert heightened([FAIR], "other", at(25, 12), TZ) is None
    assert heightened([FESTIVAL], "other", at(6, 12, month=2, year=2027), TZ) == FESTIVAL
    only_other = configured(1, "Other audit", date(2026, 12, 25), date(2026, 12, 25), ["other"])
    assert heightened([only_other], "village", at(25, 12), TZ) is None
    assert heightened([only_other], "other", at(25, 12), TZ) == only_other


def test_config_and_chat_periods_feed_the_same_rule_chat_first() -> None:
    config = configured(0, "Year end", date(2026, 12, 20), date(2026, 12, 31), [])
    assert config.from_config and config.ref == "cfg1" and config.id == 0
    assert heightened([config], "village", at(21, 9), TZ) == config
    # Both cover the 25th: the chat's (which may name standby engineers) is the one used.
    assert heightened([config, FAIR], "village", at(25, 9), TZ) == FAIR
    assert heightened([FAIR, config], "village", at(25, 9), TZ) == FAIR
    assert heightened([config, FAIR], "village", at(27, 9), TZ) == config
    assert heightened([], "village", at(25, 9), TZ) is None


def test_an_ended_period_stops_at_once_and_keeps_its_days() -> None:
    ended_at = at(25, 10)
    ended = Event(3, ("village",), "County fair", FAIR.start, FAIR.end, "staff:pm",
                  ended_by="staff:pm", ended_at=ended_at)  # fmt: skip
    assert heightened([ended], "village", ended_at - timedelta(seconds=1), TZ) == ended
    assert heightened([ended], "village", ended_at, TZ) is None
    assert heightened([ended], "village", at(25, 23), TZ) is None
    assert ended.end == date(2026, 12, 26)  # the record still says what was planned
    assert not ended.ahead(date(2026, 12, 25), at(25, 11))
    assert FAIR.ahead(date(2026, 12, 26), at(26, 11))
    assert not FAIR.ahead(date(2026, 12, 27), at(27, 11))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-24", date(2026, 12, 24)),
        (" 2028-02-29 ", date(2028, 2, 29)),  # a leap day
        ("2026-02-29", None),  # not a leap year
        ("2026-13-01", None),
        ("20261224", None),  # fromisoformat would read it: we ask for the one written form
        ("24/12/2026", None),
        ("2026-12-1", None),
        ("２０２６-１２-２４", None),  # full-width digits
        ("tomorrow", None),
        ("", None),
    ],
)
def test_days_are_typed_as_yyyy_mm_dd(raw: str, expected: date | None) -> None:
    assert parse_day(raw) == expected


def test_what_is_wrong_with_new_days() -> None:
    today = date(2026, 11, 30)
    assert problem(date(2026, 12, 24), date(2026, 12, 20), today) == "end_before_start"
    assert problem(date(2026, 11, 1), date(2026, 11, 29), today) == "end_in_past"
    assert problem(date(2026, 11, 1), date(2026, 11, 30), today) is None  # ends today: fine
    assert problem(date(2026, 12, 24), date(2026, 12, 24), today) is None  # one day
