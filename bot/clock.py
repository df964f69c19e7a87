"""The one place that reads the wall clock.

Everything else takes a `Clock` and asks it for aware UTC time, so tests move time instead of
sleeping and the sandbox can run time faster.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, aware, in UTC."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = when


class ScaledClock:
    """Real time running `speed` times faster from the moment it was made (sandbox demos)."""

    def __init__(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = datetime.now(UTC)
        self._mono = time.monotonic()
        # The instant both clocks agreed, as a Unix timestamp: real time t shows as
        # real_origin + (t - real_origin) * speed on this clock.
        self.real_origin = self._origin.timestamp()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=(time.monotonic() - self._mono) * self.speed)

    def real_seconds(self, delta: timedelta) -> float:
        """How long `delta` of this clock's time takes in real seconds."""
        return delta.total_seconds() / self.speed
