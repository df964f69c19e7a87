from datetime import timedelta

import pytest

from bot.domain.durations import format_duration, parse_duration

ERROR = "invalid duration '{}': use e.g. 90s, 15m, 2h, 1h30m, 3d"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("60m", timedelta(hours=1)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("3d", timedelta(days=3)),
        ("1d2h", timedelta(days=1, hours=2)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("48h", timedelta(days=2)),
        ("0h30m", timedelta(minutes=30)),
        ("1m0s", timedelta(minutes=1)),
    ],
)
def test_parse_good(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0m",
        "0d0h0m0s",
        "15",
        "m15",
        "1.5h",
        "2x",
        "15x",
        "-15m",
        "+15m",
        "1h 30m",
        " 15m",
        "15m ",
        "30m1h",
        "1h1h",
        "1H",
        "15min",
        "4bh",
        "3wd",
        "１５m",  # full-width digits
        "99999999999999999999d",
    ],
)
def test_parse_bad(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value) == ERROR.format(text)


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(hours=1, minutes=30), "1h30m"),
        (timedelta(0), "0m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=90), "1m30s"),
        (timedelta(minutes=15), "15m"),
        (timedelta(hours=2), "2h"),
        (timedelta(days=2), "2d"),
        (timedelta(days=1, hours=2), "1d2h"),
        (timedelta(days=1, seconds=5), "1d5s"),
        (timedelta(minutes=15, microseconds=999_999), "15m"),
        (timedelta(microseconds=1), "0m"),
    ],
)
def test_format(td: timedelta, expected: str) -> None:
    assert format_duration(td) == expected


def test_format_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(minutes=-1))


@pytest.mark.parametrize("seconds", [1, 59, 60, 61, 3599, 3600, 5400, 86_399, 86_400, 93_784])
def test_round_trip(seconds: int) -> None:
    td = timedelta(seconds=seconds)
    assert parse_duration(format_duration(td)) == td


@pytest.mark.parametrize("text", ["45s", "1m30s", "1h30m", "3d", "1d2h3m4s"])
def test_canonical_text_round_trips(text: str) -> None:
    assert format_duration(parse_duration(text)) == text


def test_non_canonical_text_is_normalised() -> None:
    assert format_duration(parse_duration("60m")) == "1h"
    assert format_duration(parse_duration("48h")) == "2d"
    assert format_duration(parse_duration("90s")) == "1m30s"
