"""The flood guard's token bucket and the strangers' quiet period (bot/domain/flood.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.flood import FloodGuard, FloodLimits, Strangers

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def verdicts(guard: FloodGuard, user: int, times: list[datetime]) -> list[str]:
    return [guard.check(user, t) for t in times]


def test_a_burst_passes_then_one_warning_then_silence() -> None:
    guard = FloodGuard(FloodLimits(burst=5, per_second=1.0))
    got = verdicts(guard, 1, [T0] * 100)
    assert got[:5] == ["pass"] * 5
    assert got[5] == "warn"
    assert got[6:] == ["drop"] * 94


def test_tokens_refill_at_the_sustained_rate() -> None:
    guard = FloodGuard(FloodLimits(burst=2, per_second=0.5))
    assert verdicts(guard, 1, [T0, T0, T0]) == ["pass", "pass", "warn"]
    assert guard.check(1, T0 + timedelta(seconds=1)) == "drop"  # half a token
    assert guard.check(1, T0 + timedelta(seconds=2)) == "pass"  # one token
    assert guard.check(1, T0 + timedelta(seconds=2)) == "drop"  # still warned: no second one


def test_a_flood_that_goes_on_is_warned_about_once() -> None:
    guard = FloodGuard(FloodLimits(burst=3, per_second=1.0))
    # 100 a second for a minute: one token a second gets through, one warning in all.
    times = [T0 + timedelta(milliseconds=10 * i) for i in range(6000)]
    got = verdicts(guard, 1, times)
    assert got.count("warn") == 1
    assert 3 + 59 <= got.count("pass") <= 3 + 61


def test_calm_again_fills_the_bucket_and_a_new_flood_is_warned_again() -> None:
    guard = FloodGuard(FloodLimits(burst=2, per_second=1.0))
    assert verdicts(guard, 1, [T0] * 4) == ["pass", "pass", "warn", "drop"]
    later = T0 + timedelta(seconds=2)
    assert verdicts(guard, 1, [later] * 4) == ["pass", "pass", "warn", "drop"]


def test_users_have_their_own_buckets() -> None:
    guard = FloodGuard(FloodLimits(burst=1, per_second=1.0))
    assert verdicts(guard, 1, [T0, T0]) == ["pass", "warn"]
    assert guard.check(2, T0) == "pass"


def test_a_clock_set_back_adds_no_tokens() -> None:
    guard = FloodGuard(FloodLimits(burst=1, per_second=1.0))
    assert guard.check(1, T0) == "pass"
    assert guard.check(1, T0 - timedelta(hours=1)) == "warn"
    assert guard.check(1, T0 + timedelta(milliseconds=500)) == "drop"
    assert guard.check(1, T0 + timedelta(seconds=1)) == "pass"


def test_memory_is_bounded_and_a_forgotten_user_starts_afresh() -> None:
    guard = FloodGuard(FloodLimits(burst=1, per_second=0.001), remember=3)
    assert verdicts(guard, 1, [T0, T0]) == ["pass", "warn"]
    for other in (2, 3, 4):
        guard.check(other, T0)
    assert len(guard._buckets) == 3
    assert guard.check(1, T0) == "pass"


def test_a_stranger_is_answered_once_per_quiet_period() -> None:
    strangers = Strangers(timedelta(hours=1))
    assert not strangers.answered_lately(7, T0)
    strangers.answering(7, T0)
    assert strangers.answered_lately(7, T0 + timedelta(minutes=59))
    assert not strangers.answered_lately(7, T0 + timedelta(hours=1))
    assert not strangers.answered_lately(8, T0)
    strangers.forget(7)
    assert not strangers.answered_lately(7, T0)


def test_strangers_memory_is_bounded() -> None:
    strangers = Strangers(timedelta(hours=1), remember=2)
    for user in (1, 2, 3):
        strangers.answering(user, T0)
    assert not strangers.answered_lately(1, T0)
    assert strangers.answered_lately(3, T0)
