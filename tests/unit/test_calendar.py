"""Calendars: 24x7, 5x8 on mainland China's official working days (调休), night hours, fallback.

Every expected instant below was worked out by hand from the official 2026 calendar (State
Council notice, as carried by `chinese_calendar`) and is written out literally. All times
are aware datetimes in Asia/Shanghai; no wall clock is read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from bot.domain.calendar import (
    AlwaysOpen,
    BusinessCalendar,
    OfficialDays,
    missing_years,
    order_spans,
)

SH = ZoneInfo("Asia/Shanghai")
H = 3600.0
DAY_5X8 = 8.5 * H  # 09:00-17:30
# Most tests below use one span a day, 09:00-17:30 (the single-string form of the config);
# the example's 5x8 with its lunch break has its own section.


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SH)


def five_by_eight(days: OfficialDays | None = None) -> BusinessCalendar:
    return BusinessCalendar("5x8", SH, ((time(9, 0), time(17, 30)),), days or OfficialDays())


def night(days: OfficialDays | None = None) -> BusinessCalendar:
    return BusinessCalendar("night", SH, ((time(22, 0), time(6, 0)),), days or OfficialDays())


def lunch_break(days: OfficialDays | None = None) -> BusinessCalendar:
    """The example's 5x8: 09:00-12:00 and 13:00-18:00, eight working hours a day."""
    spans = ((time(13, 0), time(18, 0)), (time(9, 0), time(12, 0)))  # any order
    return BusinessCalendar("5x8", SH, spans, days or OfficialDays())


def late_shift() -> BusinessCalendar:
    """Two spans, the second across midnight: 20:00-23:00 and 23:30-02:00."""
    return BusinessCalendar("late", SH, ((time(20, 0), time(23, 0)), (time(23, 30), time(2, 0))))


def plain_weekdays() -> OfficialDays:
    days = OfficialDays()
    days.official = False
    return days


# --------------------------------------------------------------------------- 24x7


def test_always_open_counts_every_second() -> None:
    cal = AlwaysOpen()
    assert cal.name == "24x7"
    assert cal.day_seconds == 86_400.0
    assert cal.working_seconds(sh(2026, 3, 14, 10), sh(2026, 3, 15, 12, 30)) == 26.5 * H
    assert cal.working_seconds(sh(2026, 3, 14, 10), sh(2026, 3, 14, 10)) == 0.0
    assert cal.working_seconds(sh(2026, 3, 14, 10), sh(2026, 3, 14, 9)) == 0.0
    # Saturday, a holiday: no difference on 24x7.
    assert cal.add(sh(2026, 10, 3, 23, 50), 15 * 60) == sh(2026, 10, 4, 0, 5)


# --------------------------------------------------------------------------- 5x8 basics


def test_calendar_week_used_below_is_an_ordinary_one() -> None:
    # 2026-03-09..15 (Mon..Sun): no holiday, no adjusted working day.
    assert sh(2026, 3, 13).weekday() == 4  # Friday
    flags = [chinese_calendar.is_workday(date(2026, 3, d)) for d in range(9, 16)]
    assert flags == [True, True, True, True, True, False, False]


def test_day_seconds() -> None:
    assert five_by_eight().day_seconds == 30_600.0
    assert night().day_seconds == 28_800.0
    whole_day = BusinessCalendar("all", SH, ((time(0, 0), time(0, 0)),))
    assert whole_day.day_seconds == 86_400.0
    till_midnight = BusinessCalendar("late", SH, ((time(9, 0), time(0, 0)),))
    assert till_midnight.day_seconds == 15 * H


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Friday 16:00: 1.5 h on Friday, 2.5 h on Monday.
        (sh(2026, 3, 13, 16, 0), sh(2026, 3, 16, 11, 30)),
        # Saturday / Sunday: starts counting Monday 09:00.
        (sh(2026, 3, 14, 10, 0), sh(2026, 3, 16, 13, 0)),
        (sh(2026, 3, 15, 23, 59), sh(2026, 3, 16, 13, 0)),
        # Before opening: counts from 09:00.
        (sh(2026, 3, 10, 8, 0), sh(2026, 3, 10, 13, 0)),
        # After closing: counts from the next working day's 09:00.
        (sh(2026, 3, 10, 17, 45), sh(2026, 3, 11, 13, 0)),
        (sh(2026, 3, 13, 17, 45), sh(2026, 3, 16, 13, 0)),
        # Exactly at closing: nothing left today.
        (sh(2026, 3, 10, 17, 30), sh(2026, 3, 11, 13, 0)),
        # Ends exactly at closing: due at 17:30, not the next morning.
        (sh(2026, 3, 10, 13, 30), sh(2026, 3, 10, 17, 30)),
    ],
)
def test_four_business_hours_on_5x8(start: datetime, due: datetime) -> None:
    assert five_by_eight().add(start, 4 * H) == due


def test_add_zero_moves_to_the_next_working_minute() -> None:
    cal = five_by_eight()
    assert cal.add(sh(2026, 3, 10, 8, 0), 0) == sh(2026, 3, 10, 9, 0)
    assert cal.add(sh(2026, 3, 10, 17, 45), 0) == sh(2026, 3, 11, 9, 0)
    assert cal.add(sh(2026, 3, 13, 17, 45), 0) == sh(2026, 3, 16, 9, 0)
    assert cal.add(sh(2026, 3, 10, 11, 15), 0) == sh(2026, 3, 10, 11, 15)


def test_add_returns_aware_instants_comparable_in_any_zone() -> None:
    due = five_by_eight().add(sh(2026, 3, 13, 16, 0), 4 * H)
    assert due.tzinfo is not None
    assert due == datetime(2026, 3, 16, 3, 30, tzinfo=UTC)
    assert due.astimezone(SH).replace(tzinfo=None) == datetime(2026, 3, 16, 11, 30)


def test_working_seconds_on_5x8() -> None:
    cal = five_by_eight()
    assert cal.working_seconds(sh(2026, 3, 13, 16, 0), sh(2026, 3, 16, 11, 30)) == 4 * H
    assert cal.working_seconds(sh(2026, 3, 14, 0, 0), sh(2026, 3, 16, 0, 0)) == 0.0
    assert cal.working_seconds(sh(2026, 3, 10, 8, 0), sh(2026, 3, 10, 20, 0)) == DAY_5X8
    assert cal.working_seconds(sh(2026, 3, 9, 0, 0), sh(2026, 3, 16, 0, 0)) == 5 * DAY_5X8
    assert cal.working_seconds(sh(2026, 3, 10, 10, 0), sh(2026, 3, 10, 10, 0, 30)) == 30.0
    assert cal.working_seconds(sh(2026, 3, 10, 12, 0), sh(2026, 3, 10, 11, 0)) == 0.0


def test_is_working_on_5x8() -> None:
    cal = five_by_eight()
    assert cal.is_working(sh(2026, 3, 10, 9, 0))
    assert cal.is_working(sh(2026, 3, 10, 17, 29, 59))
    assert not cal.is_working(sh(2026, 3, 10, 17, 30))
    assert not cal.is_working(sh(2026, 3, 10, 8, 59))
    assert not cal.is_working(sh(2026, 3, 14, 11, 0))  # Saturday


# --------------------------------------------------------------------------- several spans a day


def test_lunch_break_day_is_eight_hours() -> None:
    cal = lunch_break()
    assert cal.hours == ((time(9, 0), time(12, 0)), (time(13, 0), time(18, 0)))
    assert cal.day_seconds == 8 * H
    assert cal.working_seconds(sh(2026, 3, 10, 0, 0), sh(2026, 3, 11, 0, 0)) == 8 * H
    assert cal.working_seconds(sh(2026, 3, 9, 0, 0), sh(2026, 3, 16, 0, 0)) == 5 * 8 * H


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Friday 16:00: 2 h until 18:00, then Monday 09:00-11:00.
        (sh(2026, 3, 13, 16, 0), 4, sh(2026, 3, 16, 11, 0)),
        # 11:00: one hour before lunch, one after.
        (sh(2026, 3, 10, 11, 0), 2, sh(2026, 3, 10, 14, 0)),
        # Ends exactly at the start of lunch: due 12:00, not 13:00.
        (sh(2026, 3, 10, 10, 0), 2, sh(2026, 3, 10, 12, 0)),
        # Reported during lunch: counts from 13:00.
        (sh(2026, 3, 10, 12, 30), 1, sh(2026, 3, 10, 14, 0)),
        # Three working days from Tuesday 13:00: 5 h + 8 h + 8 h + 3 h -> Friday 12:00.
        (sh(2026, 3, 10, 13, 0), 24, sh(2026, 3, 13, 12, 0)),
    ],
)
def test_lunch_break_add(start: datetime, hours: float, due: datetime) -> None:
    assert lunch_break().add(start, hours * H) == due


def test_lunch_break_does_not_count() -> None:
    cal = lunch_break()
    assert cal.working_seconds(sh(2026, 3, 10, 11, 0), sh(2026, 3, 10, 14, 0)) == 2 * H
    assert cal.working_seconds(sh(2026, 3, 10, 12, 0), sh(2026, 3, 10, 13, 0)) == 0.0
    assert cal.add(sh(2026, 3, 10, 12, 0), 0) == sh(2026, 3, 10, 13, 0)
    assert cal.is_working(sh(2026, 3, 10, 11, 59))
    assert not cal.is_working(sh(2026, 3, 10, 12, 0))
    assert not cal.is_working(sh(2026, 3, 10, 12, 59))
    assert cal.is_working(sh(2026, 3, 10, 13, 0))
    assert not cal.is_working(sh(2026, 3, 10, 18, 0))


def test_several_spans_with_one_across_midnight() -> None:
    cal = late_shift()
    assert cal.day_seconds == 5.5 * H
    # Friday 22:00: 1 h until 23:00, then 23:30 -> Saturday 00:30 (Friday's span).
    assert cal.add(sh(2026, 3, 13, 22, 0), 2 * H) == sh(2026, 3, 14, 0, 30)
    # Friday's spans count into Saturday morning; Saturday's own do not count.
    assert cal.working_seconds(sh(2026, 3, 13, 12, 0), sh(2026, 3, 15, 12, 0)) == 5.5 * H
    assert cal.is_working(sh(2026, 3, 14, 1, 0))
    assert not cal.is_working(sh(2026, 3, 14, 23, 45))
    assert not cal.is_working(sh(2026, 3, 13, 23, 15))
    # Sunday 23:50 is not working; Monday's first span opens at 20:00.
    assert cal.add(sh(2026, 3, 15, 23, 50), 60) == sh(2026, 3, 16, 20, 1)


def test_order_spans() -> None:
    nine, noon, one, six = time(9, 0), time(12, 0), time(13, 0), time(18, 0)
    assert order_spans([(one, six), (nine, noon)]) == ((nine, noon), (one, six))
    assert order_spans([(nine, noon), (noon, six)]) == ((nine, noon), (noon, six))  # touching
    assert order_spans([(time(0, 0), time(0, 0))]) == ((time(0, 0), time(0, 0)),)  # whole day


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([], "a working day needs at least one span of working hours"),
        (
            [(time(9, 0), time(12, 0)), (time(11, 0), time(13, 0))],
            "working hours '09:00-12:00' and '11:00-13:00' overlap",
        ),
        (
            [(time(9, 0), time(18, 0)), (time(9, 0), time(12, 0))],
            "working hours '09:00-18:00' and '09:00-12:00' overlap",
        ),
        # Across midnight into the next day's first span.
        (
            [(time(22, 0), time(6, 0)), (time(5, 0), time(8, 0))],
            "working hours '22:00-06:00' and '05:00-08:00' overlap",
        ),
    ],
)
def test_overlapping_spans_are_refused(spans: list[tuple[time, time]], message: str) -> None:
    with pytest.raises(ValueError) as info:
        order_spans(spans)
    assert str(info.value) == message
    with pytest.raises(ValueError):
        BusinessCalendar("bad", SH, tuple(spans))


# --------------------------------------------------------------------------- National Day 2026

NATIONAL_DAY_2026 = [date(2026, 10, d) for d in range(1, 8)]
NATIONAL_DAY_WORK_WEEKENDS = {date(2026, 9, 20), date(2026, 10, 10)}  # Sunday, Saturday


def test_chinese_calendar_national_day_2026() -> None:
    for day in NATIONAL_DAY_2026:
        assert not chinese_calendar.is_workday(day), day
    weekend_workdays = {
        d
        for d in (date(2026, 9, 1) + timedelta(days=i) for i in range(61))
        if d.weekday() >= 5 and chinese_calendar.is_workday(d)
    }
    assert weekend_workdays == NATIONAL_DAY_WORK_WEEKENDS
    assert date(2026, 9, 20).weekday() == 6
    assert date(2026, 10, 10).weekday() == 5
    # Mid-Autumn Festival, Friday 2026-09-25, is a holiday too.
    assert not chinese_calendar.is_workday(date(2026, 9, 25))


@pytest.mark.parametrize(
    ("start", "working_days", "due"),
    [
        # Sep 30 (8.5 h), Oct 1-7 holidays, Oct 8 (8.5 h): 2wd ends at Oct 8's closing.
        (sh(2026, 9, 30, 9, 0), 2, sh(2026, 10, 8, 17, 30)),
        (sh(2026, 9, 30, 9, 0), 3, sh(2026, 10, 9, 17, 30)),
        # The 4th working day is Saturday Oct 10 (调休).
        (sh(2026, 9, 30, 9, 0), 4, sh(2026, 10, 10, 17, 30)),
        # 5.5 h on Sep 30 + 8.5 h on Oct 8 + 3 h on Oct 9.
        (sh(2026, 9, 30, 12, 0), 2, sh(2026, 10, 9, 12, 0)),
    ],
)
def test_working_days_across_national_day(
    start: datetime, working_days: int, due: datetime
) -> None:
    assert five_by_eight().add(start, working_days * DAY_5X8) == due


def test_adjusted_working_weekends_count() -> None:
    cal = five_by_eight()
    # Friday Sep 18 16:00: Saturday Sep 19 is off, Sunday Sep 20 is a working day.
    assert cal.add(sh(2026, 9, 18, 16, 0), 4 * H) == sh(2026, 9, 20, 11, 30)
    # Friday Oct 9 16:00: Saturday Oct 10 is a working day.
    assert cal.add(sh(2026, 10, 9, 16, 0), 4 * H) == sh(2026, 10, 10, 11, 30)
    # Thursday Sep 24 16:00: Friday Sep 25 (Mid-Autumn) and the weekend are off.
    assert cal.add(sh(2026, 9, 24, 16, 0), 4 * H) == sh(2026, 9, 28, 11, 30)
    assert cal.working_seconds(sh(2026, 9, 20, 0, 0), sh(2026, 9, 21, 0, 0)) == DAY_5X8
    assert cal.working_seconds(sh(2026, 10, 10, 0, 0), sh(2026, 10, 11, 0, 0)) == DAY_5X8
    assert cal.is_working(sh(2026, 9, 20, 10, 0))
    assert cal.is_working(sh(2026, 10, 10, 10, 0))


def test_national_day_holidays_do_not_count() -> None:
    cal = five_by_eight()
    assert cal.working_seconds(sh(2026, 9, 30, 17, 30), sh(2026, 10, 8, 9, 0)) == 0.0
    # Sep 30, Oct 8, Oct 9, Oct 10.
    assert cal.working_seconds(sh(2026, 9, 30, 9, 0), sh(2026, 10, 11, 0, 0)) == 4 * DAY_5X8
    for day in NATIONAL_DAY_2026:
        assert not cal.is_working(datetime.combine(day, time(10, 0), tzinfo=SH)), day
    assert cal.add(sh(2026, 10, 3, 10, 0), 0) == sh(2026, 10, 8, 9, 0)


# --------------------------------------------------------------------------- Spring Festival 2026

# State Council: Spring Festival 2026 off Feb 15 (Sun) - Feb 23 (Mon), 9 days; Saturday
# Feb 14 and Saturday Feb 28 are working days.
SPRING_FESTIVAL_2026 = [date(2026, 2, d) for d in range(15, 24)]
SPRING_FESTIVAL_WORK_WEEKENDS = {date(2026, 2, 14), date(2026, 2, 28)}


def test_chinese_calendar_spring_festival_2026() -> None:
    for day in SPRING_FESTIVAL_2026:
        assert not chinese_calendar.is_workday(day), day
    assert chinese_calendar.is_workday(date(2026, 2, 13))
    assert chinese_calendar.is_workday(date(2026, 2, 24))
    weekend_workdays = {
        d
        for d in (date(2026, 2, 1) + timedelta(days=i) for i in range(28))
        if d.weekday() >= 5 and chinese_calendar.is_workday(d)
    }
    assert weekend_workdays == SPRING_FESTIVAL_WORK_WEEKENDS


def test_spring_festival_on_5x8() -> None:
    cal = five_by_eight()
    # Friday Feb 13 16:00 -> Saturday Feb 14 (a working day) 11:30.
    assert cal.add(sh(2026, 2, 13, 16, 0), 4 * H) == sh(2026, 2, 14, 11, 30)
    # Saturday Feb 14 16:00 -> Tuesday Feb 24 11:30 (Feb 15-23 off).
    assert cal.add(sh(2026, 2, 14, 16, 0), 4 * H) == sh(2026, 2, 24, 11, 30)
    assert cal.add(sh(2026, 2, 14, 9, 0), DAY_5X8) == sh(2026, 2, 14, 17, 30)
    assert cal.working_seconds(sh(2026, 2, 14, 17, 30), sh(2026, 2, 24, 9, 0)) == 0.0
    assert cal.working_seconds(sh(2026, 2, 13, 0, 0), sh(2026, 2, 25, 0, 0)) == 3 * DAY_5X8
    # Saturday Feb 28 works too.
    assert cal.add(sh(2026, 2, 27, 16, 0), 4 * H) == sh(2026, 2, 28, 11, 30)


# --------------------------------------------------------------------------- across midnight


def test_night_window_belongs_to_the_day_it_starts() -> None:
    cal = night()  # 22:00-06:00 on working days
    # Friday 22:00 -> Saturday 06:00 counts.
    assert cal.working_seconds(sh(2026, 3, 13, 22, 0), sh(2026, 3, 14, 6, 0)) == 8 * H
    # Saturday 22:00 -> Sunday 06:00 and Sunday 22:00 -> Monday 06:00 do not.
    assert cal.working_seconds(sh(2026, 3, 14, 22, 0), sh(2026, 3, 15, 6, 0)) == 0.0
    assert cal.working_seconds(sh(2026, 3, 15, 22, 0), sh(2026, 3, 16, 6, 0)) == 0.0
    assert cal.working_seconds(sh(2026, 3, 16, 22, 0), sh(2026, 3, 17, 6, 0)) == 8 * H
    # Friday 00:00-12:00: the tail of Thursday's window.
    assert cal.working_seconds(sh(2026, 3, 13, 0, 0), sh(2026, 3, 13, 12, 0)) == 6 * H
    # Friday 20:00 -> Monday 23:00: Friday's window plus 1 h of Monday's.
    assert cal.working_seconds(sh(2026, 3, 13, 20, 0), sh(2026, 3, 16, 23, 0)) == 9 * H


def test_night_window_add() -> None:
    cal = night()
    assert cal.add(sh(2026, 3, 14, 7, 0), 1 * H) == sh(2026, 3, 16, 23, 0)
    assert cal.add(sh(2026, 3, 13, 23, 0), 8 * H) == sh(2026, 3, 16, 23, 0)
    assert cal.add(sh(2026, 3, 14, 3, 0), 3 * H) == sh(2026, 3, 14, 6, 0)
    assert cal.add(sh(2026, 3, 13, 12, 0), 30 * 60) == sh(2026, 3, 13, 22, 30)


def test_night_window_is_working() -> None:
    cal = night()
    assert cal.is_working(sh(2026, 3, 14, 3, 0))  # Saturday morning, Friday's window
    assert not cal.is_working(sh(2026, 3, 14, 23, 0))  # Saturday night
    assert not cal.is_working(sh(2026, 3, 15, 3, 0))  # Sunday morning
    assert not cal.is_working(sh(2026, 3, 16, 3, 0))  # Monday morning, Sunday's window
    assert cal.is_working(sh(2026, 3, 16, 23, 0))
    assert not cal.is_working(sh(2026, 3, 16, 6, 0))


def test_night_window_around_national_day() -> None:
    cal = night()
    # Sep 30 is a working day: its night runs into Oct 1 and counts.
    assert cal.working_seconds(sh(2026, 9, 30, 20, 0), sh(2026, 10, 1, 12, 0)) == 8 * H
    # Oct 1-7 nights do not count; Oct 8's night does.
    assert cal.working_seconds(sh(2026, 9, 30, 20, 0), sh(2026, 10, 8, 23, 0)) == 9 * H
    # Saturday Sep 19 is off, Sunday Sep 20 (调休) works: its night counts.
    assert cal.working_seconds(sh(2026, 9, 19, 20, 0), sh(2026, 9, 21, 12, 0)) == 8 * H
    assert cal.is_working(sh(2026, 9, 21, 2, 0))
    assert not cal.is_working(sh(2026, 9, 20, 2, 0))


# --------------------------------------------------------------------------- inverse property

AMOUNTS = [0.0, 1.0, 59.5, 1800.0, 4 * H, DAY_5X8, 3 * DAY_5X8 + 123.0]


def _grid(first: datetime, last: datetime, step: timedelta) -> list[datetime]:
    out = []
    at = first
    while at < last:
        out.append(at)
        at += step
    return out


# Around National Day 2026 (with both 调休 weekends) at an odd step, to hit every hour.
STARTS = _grid(sh(2026, 9, 17, 0, 7), sh(2026, 10, 13), timedelta(minutes=97))


@pytest.mark.parametrize(
    "cal",
    [
        AlwaysOpen(),
        five_by_eight(),
        night(),
        five_by_eight(plain_weekdays()),
        lunch_break(),
        late_shift(),
    ],
    ids=["24x7", "5x8", "night", "5x8-none", "lunch", "late"],
)
def test_add_and_working_seconds_are_inverse(
    cal: AlwaysOpen | BusinessCalendar,
) -> None:
    for start in STARTS:
        previous = None
        for amount in AMOUNTS:
            due = cal.add(start, amount)
            assert due >= start
            assert cal.working_seconds(start, due) == pytest.approx(amount, abs=1e-3), (
                start,
                amount,
            )
            if previous is not None:
                assert due >= previous
            previous = due


@pytest.mark.parametrize(
    "cal",
    [AlwaysOpen(), five_by_eight(), night(), lunch_break(), late_shift()],
    ids=["24x7", "5x8", "night", "lunch", "late"],
)
def test_working_seconds_then_add_lands_on_the_end(
    cal: AlwaysOpen | BusinessCalendar,
) -> None:
    step = timedelta(hours=7, minutes=13)
    checked_exact = 0
    for start in STARTS[::5]:
        for end in _grid(start, start + timedelta(days=9), step):
            counted = cal.working_seconds(start, end)
            back = cal.add(start, counted)
            assert cal.working_seconds(start, back) == pytest.approx(counted, abs=1e-3)
            inside = isinstance(cal, AlwaysOpen) or (
                cal.is_working(end) and cal.is_working(end - timedelta(seconds=1))
            )
            if inside:
                assert back == end, (start, end)
                checked_exact += 1
            else:
                # Outside working time the earliest instant with that much counted time
                # differs from `end` only by time that does not count.
                lo, hi = min(back, end), max(back, end)
                assert cal.working_seconds(lo, hi) == 0.0, (start, end)
    assert checked_exact > 50


def test_working_seconds_is_additive() -> None:
    cal = five_by_eight()
    points = STARTS[::11]
    for a, b, c in zip(points, points[1:], points[2:], strict=False):
        assert cal.working_seconds(a, b) + cal.working_seconds(b, c) == pytest.approx(
            cal.working_seconds(a, c), abs=1e-6
        )


# --------------------------------------------------------------------------- fallback, overrides


def test_2027_falls_back_to_monday_to_friday_and_is_recorded() -> None:
    assert date(2027, 1, 1).weekday() == 4  # Friday
    cal = five_by_eight()
    assert cal.days.fallback_years == set()
    # Thursday 2026-12-31 16:00 -> Friday 2027-01-01 11:30 (Mon-Fri: New Year unknown).
    assert cal.add(sh(2026, 12, 31, 16, 0), 4 * H) == sh(2027, 1, 1, 11, 30)
    assert cal.days.fallback_years == {2027}
    assert cal.working_seconds(sh(2027, 1, 2), sh(2027, 1, 4)) == 0.0  # weekend
    assert cal.working_seconds(sh(2027, 1, 4), sh(2027, 1, 9)) == 5 * DAY_5X8


def test_official_years_are_not_recorded_as_fallback() -> None:
    cal = five_by_eight()
    cal.add(sh(2026, 9, 30, 9, 0), 4 * DAY_5X8)
    cal.working_seconds(sh(2026, 2, 1), sh(2026, 3, 1))
    assert cal.days.fallback_years == set()


def test_missing_years() -> None:
    assert missing_years([2026, 2027]) == [2027]
    assert missing_years([2028, 2027, 2027, 2026]) == [2027, 2028]
    assert missing_years([2025, 2026]) == []
    assert missing_years([]) == []
    assert OfficialDays.has_official_year(2026)
    assert not OfficialDays.has_official_year(2027)


def test_extra_holidays_and_workdays_in_a_fallback_year() -> None:
    days = OfficialDays(extra_holidays=[date(2027, 1, 1)], extra_workdays=[date(2027, 1, 2)])
    cal = five_by_eight(days)
    # Thu 16:00: 1.5 h; Fri Jan 1 off; Sat Jan 2 works -> 11:30.
    assert cal.add(sh(2026, 12, 31, 16, 0), 4 * H) == sh(2027, 1, 2, 11, 30)
    assert cal.working_seconds(sh(2027, 1, 1), sh(2027, 1, 2)) == 0.0
    assert cal.working_seconds(sh(2027, 1, 2), sh(2027, 1, 3)) == DAY_5X8
    assert days.is_workday(date(2027, 1, 4))
    assert not days.is_workday(date(2027, 1, 3))
    assert days.fallback_years == {2027}


def test_only_extra_holiday_new_year_2027() -> None:
    cal = five_by_eight(OfficialDays(extra_holidays=[date(2027, 1, 1)]))
    assert cal.add(sh(2026, 12, 31, 16, 0), 4 * H) == sh(2027, 1, 4, 11, 30)


def test_extra_days_override_the_official_calendar() -> None:
    # An extra holiday on an official working day (Friday 2026-03-13) ...
    cal = five_by_eight(OfficialDays(extra_holidays=[date(2026, 3, 13)]))
    assert cal.add(sh(2026, 3, 12, 16, 0), 4 * H) == sh(2026, 3, 16, 11, 30)
    # ... and an extra working day on an official holiday (Monday 2026-10-05).
    cal = five_by_eight(OfficialDays(extra_workdays=[date(2026, 10, 5)]))
    assert cal.add(sh(2026, 9, 30, 16, 0), 4 * H) == sh(2026, 10, 5, 11, 30)
    assert cal.working_seconds(sh(2026, 10, 1), sh(2026, 10, 8)) == DAY_5X8


def test_official_none_is_plain_monday_to_friday() -> None:
    days = plain_weekdays()
    cal = five_by_eight(days)
    # National Day Thursday Oct 1 counts, the 调休 Sunday Sep 20 does not.
    assert cal.add(sh(2026, 9, 30, 9, 0), 2 * DAY_5X8) == sh(2026, 10, 1, 17, 30)
    assert cal.add(sh(2026, 9, 18, 16, 0), 4 * H) == sh(2026, 9, 21, 11, 30)
    assert cal.working_seconds(sh(2026, 10, 10), sh(2026, 10, 11)) == 0.0
    # No official calendar is consulted, so no year is missing.
    cal.add(sh(2027, 1, 1, 9, 0), 3 * DAY_5X8)
    assert days.fallback_years == set()


class _NoWorkdays(OfficialDays):
    def is_workday(self, day: date) -> bool:
        return False


def test_calendar_without_working_days_does_not_loop_forever() -> None:
    cal = BusinessCalendar("never", SH, ((time(9, 0), time(17, 30)),), _NoWorkdays())
    with pytest.raises(ValueError, match="calendar never has no working time within ten years"):
        cal.add(sh(2026, 3, 10, 9, 0), 1.0)
    assert cal.working_seconds(sh(2026, 3, 10), sh(2026, 4, 10)) == 0.0
