"""Calendars: when the clocks of a contract count (pure).

`24x7` counts every second. A business calendar (e.g. `5x8`: 09:00–12:00 and 13:00–18:00,
eight hours with a lunch break) counts only working hours on mainland China's official working
days, including the adjusted working weekends
(调休) around public holidays, from the maintained `chinese_calendar` package. That package
carries a year only once the State Council has published it (each November for the next
year); for a year it lacks we fall back to Monday–Friday plus the config's own extra holidays
and working days, and `missing_years` tells the operator.

A working day has one or more spans of working hours. A span may cross midnight
(22:00–06:00): it belongs to the day it starts on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import chinese_calendar

MAX_DAYS_SEARCHED = 3660  # a calendar with no working day at all must not loop forever


class Calendar(Protocol):
    @property
    def name(self) -> str: ...

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds of counted time in [start, end) (0 when end <= start)."""
        ...

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant at which `seconds` of counted time have passed since `start`."""
        ...

    @property
    def day_seconds(self) -> float:
        """Length of one working day, for `wd` (working-day) targets."""
        ...


@dataclass(frozen=True)
class AlwaysOpen:
    """7×24: every second counts."""

    name: str = "24x7"

    def working_seconds(self, start: datetime, end: datetime) -> float:
        return max(0.0, (end - start).total_seconds())

    def add(self, start: datetime, seconds: float) -> datetime:
        return start + timedelta(seconds=seconds)

    @property
    def day_seconds(self) -> float:
        return 86_400.0


class OfficialDays:
    """Mainland China's official working days, with a Monday–Friday fallback per year."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.official = True  # False: plain Monday–Friday, no official calendar
        self.fallback_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if not self.official:
            return day.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # the year's official calendar is not published yet
            self.fallback_years.add(day.year)
            return day.weekday() < 5

    @staticmethod
    def has_official_year(year: int) -> bool:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True


def missing_years(years: Iterable[int]) -> list[int]:
    """Years for which no official calendar is known (Monday–Friday is used instead)."""
    return sorted(y for y in set(years) if not OfficialDays.has_official_year(y))


Span = tuple[time, time]  # working hours of a day: opens, closes (closes <= opens: next day)

_DAY_MINUTES = 24 * 60


def _minutes(span: Span) -> tuple[int, int]:
    """A span as minutes from the start of its day; the end may fall on the next day."""
    start = span[0].hour * 60 + span[0].minute
    end = span[1].hour * 60 + span[1].minute
    return start, end + _DAY_MINUTES if end <= start else end


def order_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The spans of a working day in time order; ValueError if there are none or two overlap.

    Spans may not overlap the next day's first span either, so that windows stay in order.
    """
    ordered = tuple(sorted(spans, key=lambda s: _minutes(s)[0]))
    if not ordered:
        raise ValueError("a working day needs at least one span of working hours")
    for i, span in enumerate(ordered):
        after = ordered[(i + 1) % len(ordered)]
        next_start = _minutes(after)[0] + (_DAY_MINUTES if i + 1 == len(ordered) else 0)
        if _minutes(span)[1] > next_start:  # never for a single span: at most a whole day
            raise ValueError(
                f"working hours '{span_text(span)}' and '{span_text(after)}' overlap"
            )
    return ordered


def span_text(span: Span) -> str:
    return f"{span[0]:%H:%M}-{span[1]:%H:%M}"


@dataclass
class BusinessCalendar:
    """Working hours (one or more spans a day) on working days, in a time zone."""

    name: str
    tz: ZoneInfo
    hours: tuple[Span, ...]
    days: OfficialDays = field(default_factory=OfficialDays)

    def __post_init__(self) -> None:
        self.hours = order_spans(self.hours)

    @property
    def day_seconds(self) -> float:
        return float(sum((end - start) * 60 for start, end in map(_minutes, self.hours)))

    def _windows_of(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        for opens, closes in self.hours:
            start = datetime.combine(day, opens, tzinfo=self.tz)
            end_day = day if closes > opens else day + timedelta(days=1)
            end = datetime.combine(end_day, closes, tzinfo=self.tz)
            yield start.astimezone(UTC), end.astimezone(UTC)

    def windows(self, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows that end after `after`, in time order."""
        day = after.astimezone(self.tz).date() - timedelta(days=1)
        for _ in range(MAX_DAYS_SEARCHED):
            if self.days.is_workday(day):
                for start, end in self._windows_of(day):
                    if end > after:
                        yield start, end
            day += timedelta(days=1)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        total = 0.0
        if end <= start:
            return total
        for w_start, w_end in self.windows(start):
            if w_start >= end:
                break
            total += (min(end, w_end) - max(start, w_start)).total_seconds()
        return total

    def add(self, start: datetime, seconds: float) -> datetime:
        left = seconds
        for w_start, w_end in self.windows(start):
            begin = max(start, w_start)
            room = (w_end - begin).total_seconds()
            if left <= room:
                # A clock that starts outside working time starts at the next working minute.
                return begin + timedelta(seconds=left)
            left -= room
        raise ValueError(f"calendar {self.name} has no working time within ten years")

    def is_working(self, at: datetime) -> bool:
        return any(s <= at < e for s, e in self._windows_around(at))

    def _windows_around(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = at.astimezone(self.tz).date()
        for d in (day - timedelta(days=1), day):
            if self.days.is_workday(d):
                yield from self._windows_of(d)
