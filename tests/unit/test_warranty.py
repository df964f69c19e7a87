"""Free or paid by the report's local day; charges typed by engineers, checked to the fen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeline import TimelineEntry
from bot.domain.warranty import (
    CHARGES_EVENT,
    ChargeError,
    Charges,
    PartCharge,
    billing_of,
    charge_history,
    charges_of,
    is_skip,
    parse_amount,
    parse_parts,
    yuan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_DAY = date(2026, 12, 31)


def local(y: int, m: int, d: int, hh: int, mm: int, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz).astimezone(UTC)


# ------------------------------------------------------------------ billing
def test_no_contract_no_marking() -> None:
    assert billing_of(local(2026, 6, 1, 9, 0), SHANGHAI, None) == ""


@pytest.mark.parametrize(
    ("at", "billing"),
    [
        (local(2026, 1, 1, 0, 0), "free"),
        (local(2026, 12, 31, 0, 0), "free"),
        # 23:30 local on the last day is 15:30 UTC: still the last day, free.
        (local(2026, 12, 31, 23, 30), "free"),
        (local(2026, 12, 31, 23, 59), "free"),
        (local(2027, 1, 1, 0, 0), "paid"),
        (local(2027, 1, 1, 0, 1), "paid"),
    ],
)
def test_the_boundary_is_the_local_day(at: datetime, billing: str) -> None:
    assert billing_of(at, SHANGHAI, LAST_DAY) == billing


def test_the_zone_decides_not_utc() -> None:
    # 2027-01-01 00:30 in Shanghai is still 2026-12-31 in UTC: paid all the same.
    at = local(2027, 1, 1, 0, 30)
    assert at.date() == LAST_DAY
    assert billing_of(at, SHANGHAI, LAST_DAY) == "paid"
    # 2026-12-31 23:30 in New York is 2027-01-01 in UTC (and in Shanghai): free there.
    ny = ZoneInfo("America/New_York")
    at = local(2026, 12, 31, 23, 30, ny)
    assert at.date() == date(2027, 1, 1)
    assert billing_of(at, ny, LAST_DAY) == "free"
    assert billing_of(at, SHANGHAI, LAST_DAY) == "paid"


def test_leap_day_warranty_end() -> None:
    end = date(2028, 2, 29)
    assert billing_of(local(2028, 2, 29, 23, 30), SHANGHAI, end) == "free"
    assert billing_of(local(2028, 3, 1, 0, 0), SHANGHAI, end) == "paid"
    # A warranty to 28 February of a leap year: the 29th is already paid.
    assert billing_of(local(2028, 2, 29, 8, 0), SHANGHAI, date(2028, 2, 28)) == "paid"


# ------------------------------------------------------------------ amounts
@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("350", "350.00"),
        ("350.5", "350.50"),
        ("0", "0.00"),
        (".5", "0.50"),
        ("¥1,200.00", "1200.00"),
        ("￥ 80", "80.00"),
        ("80元", "80.00"),
        ("80 yuan", "80.00"),
        ("  99.99 ", "99.99"),
    ],
)
def test_amounts_as_typed(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("元", "empty"),
        ("abc", "not_number"),
        ("1e3", "not_number"),
        ("８０", "not_number"),  # full-width digits: asked again rather than guessed
        ("12.3.4", "not_number"),
        ("-5", "negative"),
        ("−5", "negative"),
        ("1.234", "decimals"),
        ("0.001", "decimals"),
        ("10000000.01", "too_large"),
    ],
)
def test_bad_amounts_say_why(typed: str, reason: str) -> None:
    with pytest.raises(ChargeError) as e:
        parse_amount(typed)
    assert e.value.reason == reason


def test_money_adds_up_exactly() -> None:
    c = Charges((PartCharge("a", Decimal("0.10")), PartCharge("b", Decimal("0.20"))), None)
    assert c.total == Decimal("0.30")
    assert yuan(Decimal("1234567.5")) == "1,234,567.50"


# ------------------------------------------------------------------ parts
def test_parts_one_a_line_amount_last() -> None:
    parts = parse_parts("电源模块 350\n\n风扇 x2 ¥120.50\n主板1,200元\nPower module (PSU-3) 99")
    assert parts == (
        PartCharge("电源模块", Decimal("350.00")),
        PartCharge("风扇 x2", Decimal("120.50")),
        PartCharge("主板", Decimal("1200.00")),
        PartCharge("Power module (PSU-3)", Decimal("99.00")),
    )


@pytest.mark.parametrize(
    ("typed", "reason", "line"),
    [
        ("电源模块", "no_amount", 1),
        ("电源模块 350\n风扇", "no_amount", 2),
        ("350", "no_text", 1),
        ("电源模块 -350", "negative", 1),
        ("电源模块 350\n风扇 12.345", "decimals", 2),
        ("Fan abc", "no_amount", 1),
        ("x" * 201 + " 5", "text_too_long", 1),
        ("\n".join(f"p{i} 1" for i in range(21)), "too_many", 0),
    ],
)
def test_bad_parts_name_the_line(typed: str, reason: str, line: int) -> None:
    with pytest.raises(ChargeError) as e:
        parse_parts(typed)
    assert (e.value.reason, e.value.line) == (reason, line)


def test_skip_words() -> None:
    assert all(is_skip(w) for w in ("无", " 跳过 ", "Skip", "none", "-"))
    assert not is_skip("0")


# ------------------------------------------------------------------ the record
def _entry(at: datetime, actor: str, charges: Charges) -> TimelineEntry:
    return TimelineEntry(7, at, actor, CHARGES_EVENT, charges.detail())


def test_the_latest_entry_stands_and_every_entry_is_kept() -> None:
    first = Charges((PartCharge("电源模块", Decimal("350.00")),), Decimal("80.00"))
    fixed = Charges((PartCharge("电源模块", Decimal("320.00")),), None)
    t1, t2 = local(2027, 2, 1, 10, 0), local(2027, 2, 3, 9, 0)
    timeline = [
        TimelineEntry(7, t1, "staff:eng1", "resolved", {"cause": "power", "note": "x"}),
        _entry(t1, "staff:eng1", first),
        TimelineEntry(7, t2, "customer:5", "reopened", {}),
        _entry(t2, "staff:eng2", fixed),
    ]
    history = charge_history(timeline)
    assert [(c.actor, c.at, c.total) for c in history] == [
        ("staff:eng1", t1, Decimal("430.00")),
        ("staff:eng2", t2, Decimal("320.00")),
    ]
    stands = charges_of(timeline)
    assert stands is not None and stands.parts == fixed.parts and stands.labour is None
    assert charges_of(timeline[:1]) is None


def test_detail_round_trips_through_json_text() -> None:
    c = Charges((PartCharge("主板 <b>&", Decimal("1200.00")),), Decimal("0.00"))
    assert c.detail() == {"parts": [["主板 <b>&", "1,200.00"]], "labour": "0.00",
                          "total": "1,200.00"}  # fmt: skip
    back = charges_of([_entry(local(2027, 1, 2, 8, 0), "staff:eng1", c)])
    assert back is not None
    assert (back.parts, back.labour, back.total) == (c.parts, c.labour, c.total)
