"""Clocks: aware UTC time; FakeClock moves on command; ScaledClock runs `speed` times faster."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

import bot.clock
from bot.clock import FakeClock, ScaledClock, SystemClock


def test_system_clock_is_aware_utc_now() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)
    assert now.tzinfo is UTC
    assert before <= now <= after


def test_fake_clock_default_start() -> None:
    clock = FakeClock()
    assert clock.now() == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_fake_clock_stands_still_and_advances() -> None:
    start = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    clock = FakeClock(start)
    assert clock.now() == start
    assert clock.now() == start
    assert clock.advance(timedelta(minutes=15)) == start + timedelta(minutes=15)
    assert clock.now() == datetime(2026, 1, 1, 0, 15, tzinfo=UTC)
    clock.set(datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    assert clock.now() == datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def test_fake_clock_rejects_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 1, 1, 0, 0))


def test_fake_clock_set_rejects_naive() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1, 0, 0))


def test_fake_clock_keeps_aware_offsets_comparable() -> None:
    beijing = timezone(timedelta(hours=8))
    clock = FakeClock(datetime(2026, 1, 1, 8, 0, tzinfo=beijing))
    assert clock.now() == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def monotonic(self) -> float:
        return self.value


@pytest.fixture
def mono(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(bot.clock, "time", SimpleNamespace(monotonic=fake.monotonic))
    return fake


def test_scaled_clock_runs_speed_times_faster(mono: FakeMonotonic) -> None:
    before = datetime.now(UTC)
    clock = ScaledClock(60)
    after = datetime.now(UTC)
    start = clock.now()
    assert start.tzinfo is UTC
    assert before <= start <= after
    mono.value += 1.0  # one real second
    assert clock.now() - start == timedelta(minutes=1)
    mono.value += 2.5
    assert clock.now() - start == timedelta(minutes=3, seconds=30)


def test_scaled_clock_speed_one_is_real_time(mono: FakeMonotonic) -> None:
    clock = ScaledClock(1)
    start = clock.now()
    mono.value += 10
    assert clock.now() - start == timedelta(seconds=10)


def test_scaled_clock_fractional_speed(mono: FakeMonotonic) -> None:
    clock = ScaledClock(0.5)
    start = clock.now()
    mono.value += 10
    assert clock.now() - start == timedelta(seconds=5)
    assert clock.real_seconds(timedelta(seconds=5)) == 10.0


def test_scaled_clock_real_seconds() -> None:
    clock = ScaledClock(120)
    assert clock.speed == 120
    assert clock.real_seconds(timedelta(hours=2)) == 60.0
    assert clock.real_seconds(timedelta(minutes=15)) == 7.5


def test_scaled_clock_really_moves() -> None:
    clock = ScaledClock(1000)
    start = clock.now()
    time.sleep(0.01)
    assert clock.now() - start >= timedelta(seconds=10)


@pytest.mark.parametrize("speed", [0, -1, -0.5])
def test_scaled_clock_needs_positive_speed(speed: float) -> None:
    with pytest.raises(ValueError, match="speed must be positive"):
        ScaledClock(speed)
