"""SLA clocks as data: targets, warning points, and where a clock stands (pauses, regrades).

Expected instants are worked out by hand and written literally; times are aware, in
Asia/Shanghai (ClockState compares instants, so the zone of the input does not matter).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import AlwaysOpen, BusinessCalendar, OfficialDays
from bot.domain.clocks import (
    EVENTS,
    ClockSpec,
    ClockState,
    SlaPolicy,
    Target,
    WarnPoint,
    parse_target,
    parse_warn,
    shorthand_clocks,
)
from bot.domain.ticket import Level

SH = ZoneInfo("Asia/Shanghai")
M = 60.0
H = 3600.0
WALL = AlwaysOpen()


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SH)


def five_by_eight() -> BusinessCalendar:
    return BusinessCalendar("5x8", SH, ((time(9, 0), time(17, 30)),), OfficialDays())


CAL = five_by_eight()

# 2026-03-09 (Mon) .. 2026-03-15 (Sun) is an ordinary week; 03-13 is a Friday.
TUE = (2026, 3, 10)
FRI = (2026, 3, 13)
SAT = (2026, 3, 14)
SUN = (2026, 3, 15)
MON = (2026, 3, 16)


# --------------------------------------------------------------------------- parse_target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("90s", Target(90, "s")),
        ("15m", Target(900, "s")),
        ("2h", Target(7200, "s")),
        ("1h30m", Target(5400, "s")),
        ("3d", Target(259_200, "s")),
        ("4bh", Target(4, "bh")),
        ("1.5bh", Target(1.5, "bh")),
        ("3wd", Target(3, "wd")),
        ("0.5wd", Target(0.5, "wd")),
    ],
)
def test_parse_target_good(text: str, target: Target) -> None:
    assert parse_target(text) == target


def test_target_business_flag_and_text() -> None:
    assert parse_target("4bh").business
    assert parse_target("3wd").business
    assert not parse_target("48h").business
    assert [str(parse_target(t)) for t in ("1h30m", "15m", "4bh", "3wd", "0.5wd", "3d")] == [
        "1h30m", "15m", "4bh", "3wd", "0.5wd", "3d",
    ]


@pytest.mark.parametrize("text", ["0bh", "0wd", "0.0wd", "00bh"])
def test_parse_target_zero_business_amount(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_target(text)
    assert str(info.value) == f"invalid duration '{text}': must be positive"


@pytest.mark.parametrize(
    "text", ["", "15", "0m", "4BH", "-1bh", "1.5h", "4 bh", "bh", "4hb", "1wd2bh", "15 m"]
)
def test_parse_target_bad(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_target(text)
    assert str(info.value) == (
        f"invalid duration '{text}': use e.g. 90s, 15m, 2h, 1h30m, 3d, 4bh, 3wd"
    )


def test_parse_target_rejects_trailing_newline_like_wall_durations() -> None:
    with pytest.raises(ValueError):
        parse_target("15m\n")  # wall durations use fullmatch: rejected
    with pytest.raises(ValueError):
        parse_target("4bh\n")


def test_target_seconds() -> None:
    assert parse_target("15m").seconds(CAL) == 900.0
    assert parse_target("15m").seconds(WALL) == 900.0
    assert parse_target("4bh").seconds(CAL) == 14_400.0
    # 3 working days on 5x8 = 3 x 8.5 h.
    assert parse_target("3wd").seconds(CAL) == 91_800.0
    assert parse_target("1wd").seconds(CAL) == 30_600.0
    assert parse_target("0.5wd").seconds(CAL) == 15_300.0
    night = BusinessCalendar("night", SH, ((time(22, 0), time(6, 0)),))
    assert parse_target("1wd").seconds(night) == 28_800.0
    assert parse_target("1wd").seconds(WALL) == 86_400.0


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Mon 09:00: Mon, Tue, Wed full days.
        (sh(2026, 3, 9, 9, 0), sh(2026, 3, 11, 17, 30)),
        # Tue 13:00: 4.5 h + 8.5 h + 8.5 h + 4 h -> Fri 13:00.
        (sh(*TUE, 13, 0), sh(*FRI, 13, 0)),
        # Fri 16:00: 1.5 h + Mon, Tue 8.5 h + 7 h on Wed -> Wed 16:00.
        (sh(*FRI, 16, 0), sh(2026, 3, 18, 16, 0)),
    ],
)
def test_three_working_days_on_5x8(start: datetime, due: datetime) -> None:
    assert CAL.add(start, parse_target("3wd").seconds(CAL)) == due


# --------------------------------------------------------------------------- parse_warn


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("50%", WarnPoint(fraction=0.5)),
        ("80%", WarnPoint(fraction=0.8)),
        (" 80% ", WarnPoint(fraction=0.8)),
        ("5m before", WarnPoint(before=300.0)),
        ("4h before", WarnPoint(before=14_400.0)),
        ("1h30m before", WarnPoint(before=5400.0)),
        ("20h after", WarnPoint(after=72_000.0)),
        (" 10m  after ", WarnPoint(after=600.0)),
    ],
)
def test_parse_warn_good(text: str, point: WarnPoint) -> None:
    assert parse_warn(text) == point


EXAMPLES = '"50%" (of the target), "4h before" (the deadline) or "20h after" (the start)'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc%", f"invalid warning point 'abc%': use {EXAMPLES}"),
        ("%", f"invalid warning point '%': use {EXAMPLES}"),
        ("0%", "invalid warning point '0%': a percentage between 0 and 100"),
        ("100%", "invalid warning point '100%': a percentage between 0 and 100"),
        ("150%", "invalid warning point '150%': a percentage between 0 and 100"),
        ("-5%", "invalid warning point '-5%': a percentage between 0 and 100"),
        ("5x", "invalid duration '5x': use e.g. 90s, 15m, 2h, 1h30m, 3d"),
        ("", "invalid duration '': use e.g. 90s, 15m, 2h, 1h30m, 3d"),
        ("4bh before", "invalid duration '4bh': use e.g. 90s, 15m, 2h, 1h30m, 3d"),
        ("4h later", f"invalid warning point '4h later': use {EXAMPLES}"),
        ("before 4h", f"invalid warning point 'before 4h': use {EXAMPLES}"),
    ],
)
def test_parse_warn_bad(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_warn(text)


@pytest.mark.parametrize("text", ["20h", "5m", " 1h30m "])
def test_a_bare_duration_is_refused_naming_both_readings(text: str) -> None:
    # "20h" once meant 20 h before the deadline; it reads as 20 h after the start just as
    # well, so the operator must say which.
    bare = text.strip()
    with pytest.raises(ValueError) as info:
        parse_warn(text)
    assert str(info.value) == (
        f'invalid warning point \'{bare}\': write "{bare} before" (before the deadline) or '
        f'"{bare} after" (after the clock starts), or a share such as "80%"'
    )


def test_warn_points_of_a_fifteen_minute_target() -> None:
    target = 15 * M
    assert parse_warn("50%").consumed_at(target) == pytest.approx(7.5 * M)
    assert parse_warn("80%").consumed_at(target) == pytest.approx(12 * M)
    assert parse_warn("5m before").consumed_at(target) == 10 * M
    assert parse_warn("20m before").consumed_at(target) is None  # before the clock starts
    assert parse_warn("15m before").consumed_at(target) is None  # at the start: never
    assert parse_warn("14m before").consumed_at(target) == 1 * M
    assert parse_warn("5m after").consumed_at(target) == 5 * M
    assert parse_warn("14m after").consumed_at(target) == 14 * M
    assert parse_warn("15m after").consumed_at(target) is None  # at the deadline: the breach
    assert parse_warn("20m after").consumed_at(target) is None


def test_the_24h_liability_warning_fires_4h_before_the_deadline() -> None:
    target = 24 * H
    assert parse_warn("4h before").consumed_at(target) == 20 * H
    assert parse_warn("20h after").consumed_at(target) == 20 * H


def test_warn_keys() -> None:
    assert parse_warn("50%").key == "50pct"
    assert parse_warn("80%").key == "80pct"
    # Before-points keep the keys their timers were stored with.
    assert parse_warn("5m before").key == "300s"
    assert parse_warn("20h before").key == "72000s"
    assert parse_warn("20h after").key == "72000s-after"


def test_warn_points_as_instants_on_24x7() -> None:
    state = ClockState(1, "respond", sh(*TUE, 10, 0), 15 * M, business=False)
    at = {
        text: state.point_at(WALL, parse_warn(text).consumed_at(15 * M) or 0.0)
        for text in ("50%", "80%", "5m before", "5m after")
    }
    assert at == {
        "50%": sh(*TUE, 10, 7, 30),
        "80%": sh(*TUE, 10, 12, 0),
        "5m before": sh(*TUE, 10, 10, 0),
        "5m after": sh(*TUE, 10, 5, 0),
    }


def test_warn_points_as_instants_on_5x8() -> None:
    # 4bh from Friday 16:00, due Monday 11:30.
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    assert state.point_at(CAL, 2 * H) == sh(*MON, 9, 30)  # 50%
    assert state.point_at(CAL, 0.8 * 4 * H) == sh(*MON, 10, 42)  # 80% = 3 h 12 min
    assert state.point_at(CAL, 4 * H - 1 * H) == sh(*MON, 10, 30)  # "1h" before
    assert state.point_at(CAL, 1 * H) == sh(*FRI, 17, 0)


# --------------------------------------------------------------------------- ClockState, 24x7


def test_clock_on_24x7() -> None:
    state = ClockState(7, "respond", sh(*SAT, 23, 50), 15 * M, business=False)
    assert state.running
    assert state.consumed(WALL, sh(*SAT, 23, 55)) == 5 * M
    assert state.consumed(WALL, sh(*SAT, 23, 40)) == 0.0  # before the start
    assert state.due_at(WALL) == sh(*SUN, 0, 5)
    assert state.met(WALL) is None
    assert state.paused_total(sh(*SUN, 1, 0)) == 0.0


def test_met_on_24x7() -> None:
    state = ClockState(7, "respond", sh(*TUE, 10, 0), 15 * M, business=False)
    early = state.stop(WALL, sh(*TUE, 10, 14))
    assert not early.running
    assert early.stopped_at == sh(*TUE, 10, 14)
    assert early.met(WALL) is True
    assert early.consumed(WALL, sh(*TUE, 12, 0)) == 14 * M  # frozen at the stop
    assert state.stop(WALL, sh(*TUE, 10, 14, 59)).met(WALL) is True
    # At the due instant the breach timer fires: a stop at that instant missed it too.
    assert state.due_at(WALL) == sh(*TUE, 10, 15)
    assert state.stop(WALL, sh(*TUE, 10, 15)).met(WALL) is False
    assert state.stop(WALL, sh(*TUE, 10, 15, 1)).met(WALL) is False
    late = datetime(2026, 3, 10, 2, 14, 59, 999_999, tzinfo=UTC)  # 10:14:59.999999 local
    assert state.stop(WALL, late).met(WALL) is True


def test_pause_on_24x7() -> None:
    state = ClockState(7, "arrive", sh(*TUE, 10, 0), 2 * H, business=False)
    paused = state.pause(sh(*TUE, 10, 30))
    assert paused.due_at(WALL) is None
    assert paused.consumed(WALL, sh(*TUE, 11, 0)) == 30 * M
    assert paused.paused_total(sh(*TUE, 11, 0)) == 30 * M
    resumed = paused.resume(WALL, sh(*TUE, 11, 15))
    assert resumed.paused_since is None
    assert resumed.paused_seconds == 45 * M
    assert resumed.due_at(WALL) == sh(*TUE, 12, 45)
    assert resumed.consumed(WALL, sh(*TUE, 11, 45)) == 60 * M


# --------------------------------------------------------------------------- ClockState, 5x8


def test_clock_on_5x8() -> None:
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    assert state.due_at(CAL) == sh(*MON, 11, 30)
    assert state.consumed(CAL, sh(*FRI, 17, 0)) == 1 * H
    assert state.consumed(CAL, sh(*SAT, 12, 0)) == 1.5 * H
    assert state.consumed(CAL, sh(*MON, 10, 0)) == 2.5 * H
    assert state.consumed(CAL, sh(*MON, 12, 0)) == 4.5 * H


def test_met_on_5x8() -> None:
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    assert state.stop(CAL, sh(*SUN, 20, 0)).met(CAL) is True
    assert state.stop(CAL, sh(*MON, 11, 29)).met(CAL) is True
    assert state.stop(CAL, sh(*MON, 11, 30)).met(CAL) is False  # the due instant
    assert state.stop(CAL, sh(*MON, 11, 31)).met(CAL) is False


def test_a_deadline_at_closing_time_is_missed_by_a_stop_before_the_next_opening() -> None:
    # 1.5 bh from Friday 16:00 is due at Friday 17:30, when the breach timer fires. A stop on
    # Saturday counts no more working time than one at 17:30, and missed it just the same.
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 1.5 * H, business=True)
    assert state.due_at(CAL) == sh(*FRI, 17, 30)
    assert state.stop(CAL, sh(*FRI, 17, 29)).met(CAL) is True
    for stop in (sh(*FRI, 17, 30), sh(*SAT, 10, 0), sh(*MON, 8, 59)):
        stopped = state.stop(CAL, stop)
        assert stopped.consumed(CAL, stop) == 1.5 * H
        assert stopped.met(CAL) is False, stop


def test_pause_over_a_weekend_excludes_nothing_of_the_weekend() -> None:
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    resumed = state.pause(sh(*SAT, 10, 0)).resume(CAL, sh(*SUN, 18, 0))
    assert resumed.paused_seconds == 0.0
    assert resumed.paused_wall == 32 * H
    assert resumed.paused_total(sh(*MON, 9, 0)) == 32 * H
    assert resumed.due_at(CAL) == sh(*MON, 11, 30)


def test_pause_from_friday_afternoon_excludes_only_friday_working_time() -> None:
    state = ClockState(1, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    resumed = state.pause(sh(*FRI, 17, 0)).resume(CAL, sh(*MON, 9, 0))
    assert resumed.paused_seconds == 30 * M
    assert resumed.paused_wall == 64 * H
    assert resumed.due_at(CAL) == sh(*MON, 12, 0)


def test_pause_on_tuesday_moves_the_deadline_by_two_working_hours() -> None:
    state = ClockState(2, "arrive", sh(*TUE, 9, 0), 4 * H, business=True)
    assert state.due_at(CAL) == sh(*TUE, 13, 0)
    paused = state.pause(sh(*TUE, 10, 0))
    assert paused.paused_since == sh(*TUE, 10, 0)
    assert paused.running
    assert paused.due_at(CAL) is None
    assert paused.consumed(CAL, sh(*TUE, 11, 30)) == 1 * H  # frozen while paused
    assert paused.paused_total(sh(*TUE, 11, 30)) == 1.5 * H
    resumed = paused.resume(CAL, sh(*TUE, 12, 0))
    assert resumed.paused_since is None
    assert resumed.paused_seconds == 2 * H
    assert resumed.paused_wall == 2 * H
    assert resumed.due_at(CAL) == sh(*TUE, 15, 0)
    assert resumed.consumed(CAL, sh(*TUE, 12, 30)) == 1.5 * H
    # Warning points shift too: 50% (2 h counted) is at 13:00.
    assert resumed.point_at(CAL, 2 * H) == sh(*TUE, 13, 0)


def test_pause_overnight_excludes_only_working_time() -> None:
    # 4bh from Tue 15:00 (due Wed 10:30); paused Tue 16:00 -> Wed 10:00 excludes
    # 1.5 h (Tue 16:00-17:30) + 1 h (Wed 09:00-10:00); 3 h left -> Wed 13:00.
    state = ClockState(3, "arrive", sh(*TUE, 15, 0), 4 * H, business=True)
    assert state.due_at(CAL) == sh(2026, 3, 11, 10, 30)
    resumed = state.pause(sh(*TUE, 16, 0)).resume(CAL, sh(2026, 3, 11, 10, 0))
    assert resumed.paused_seconds == 2.5 * H
    assert resumed.paused_wall == 18 * H
    assert resumed.due_at(CAL) == sh(2026, 3, 11, 13, 0)


def test_two_pauses_add_up() -> None:
    state = ClockState(2, "arrive", sh(*TUE, 9, 0), 4 * H, business=True)
    state = state.pause(sh(*TUE, 10, 0)).resume(CAL, sh(*TUE, 11, 0))
    state = state.pause(sh(*TUE, 12, 0)).resume(CAL, sh(*TUE, 12, 30))
    assert state.paused_seconds == 1.5 * H
    assert state.paused_wall == 1.5 * H
    assert state.due_at(CAL) == sh(*TUE, 14, 30)
    assert state.paused_total(sh(*TUE, 16, 0)) == 1.5 * H


def test_paused_total_counts_a_running_pause_in_wall_time() -> None:
    state = ClockState(2, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    state = state.pause(sh(*FRI, 16, 30)).resume(CAL, sh(*FRI, 17, 0))
    paused = state.pause(sh(*SAT, 10, 0))
    assert paused.paused_total(sh(*SAT, 10, 0)) == 30 * M
    assert paused.paused_total(sh(*SUN, 10, 0)) == 30 * M + 24 * H


def test_pause_is_idempotent_and_ignored_when_stopped() -> None:
    state = ClockState(2, "arrive", sh(*TUE, 9, 0), 4 * H, business=True)
    paused = state.pause(sh(*TUE, 10, 0))
    assert paused.pause(sh(*TUE, 11, 0)) is paused
    assert state.resume(CAL, sh(*TUE, 11, 0)) is state
    stopped = state.stop(CAL, sh(*TUE, 10, 0))
    assert stopped.pause(sh(*TUE, 11, 0)) is stopped


def test_stop_while_paused() -> None:
    state = ClockState(2, "arrive", sh(*TUE, 9, 0), 4 * H, business=True)
    stopped = state.pause(sh(*TUE, 10, 0)).stop(CAL, sh(*TUE, 12, 0))
    assert not stopped.running
    assert stopped.stopped_at == sh(*TUE, 12, 0)
    assert stopped.paused_since is None
    assert stopped.paused_seconds == 2 * H
    assert stopped.paused_wall == 2 * H
    assert stopped.consumed(CAL, sh(*TUE, 18, 0)) == 1 * H
    assert stopped.met(CAL) is True
    assert stopped.due_at(CAL) == sh(*TUE, 15, 0)


def test_stop_while_paused_after_the_deadline_is_still_missed() -> None:
    state = ClockState(2, "respond", sh(*TUE, 9, 0), 15 * M, business=False)
    stopped = state.pause(sh(*TUE, 9, 20)).stop(WALL, sh(*TUE, 9, 40))
    assert stopped.consumed(WALL, sh(*TUE, 10, 0)) == 20 * M
    assert stopped.met(WALL) is False


# --------------------------------------------------------------------------- regrade


def test_regrade_recomputes_due_on_24x7() -> None:
    state = ClockState(4, "arrive", sh(*TUE, 10, 0), 2 * H, business=False)
    assert state.due_at(WALL) == sh(*TUE, 12, 0)
    assert replace(state, target_seconds=1 * H).due_at(WALL) == sh(*TUE, 11, 0)


def test_regrade_recomputes_due_on_5x8() -> None:
    state = ClockState(4, "arrive", sh(*FRI, 16, 0), 4 * H, business=True)
    regraded = replace(state, target_seconds=parse_target("1wd").seconds(CAL))
    # 1.5 h on Friday + 7 h on Monday.
    assert regraded.due_at(CAL) == sh(*MON, 16, 0)
    via_method = state.with_target(30_600.0, business=True)
    assert via_method.due_at(CAL) == sh(*MON, 16, 0)
    # From a business target to a wall one: 2 h from Friday 16:00.
    to_wall = state.with_target(2 * H, business=False)
    assert to_wall.business is False
    assert to_wall.due_at(WALL) == sh(*FRI, 18, 0)


def test_regrade_keeps_the_paused_time_excluded() -> None:
    state = ClockState(2, "arrive", sh(*TUE, 9, 0), 4 * H, business=True)
    state = state.pause(sh(*TUE, 10, 0)).resume(CAL, sh(*TUE, 12, 0))
    assert state.due_at(CAL) == sh(*TUE, 15, 0)
    assert replace(state, target_seconds=2 * H).due_at(CAL) == sh(*TUE, 13, 0)


def test_state_times_may_be_utc() -> None:
    start = datetime(2026, 3, 13, 8, 0, tzinfo=UTC)  # Friday 16:00 in Shanghai
    state = ClockState(1, "arrive", start, 4 * H, business=True)
    assert state.due_at(CAL) == datetime(2026, 3, 16, 3, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- policy


def test_shorthand_clocks() -> None:
    targets = dict.fromkeys(Level, Target(900, "s"))
    warn = (WarnPoint(fraction=0.5),)
    clocks = shorthand_clocks(targets, targets, targets, warn)
    assert [(c.name, c.start, c.stop) for c in clocks] == [
        ("respond", "reported", ("accepted",)),
        ("arrive", "reported", ("on_site", "resolved")),
        ("repair", "on_site", ("resolved",)),
    ]
    assert all(c.warn == warn and c.on_breach == "escalate" for c in clocks)


def test_policy_lookups_and_calendar_for() -> None:
    wall = dict.fromkeys(Level, Target(900, "s"))
    arrive = {Level.A: Target(7200, "s"), Level.B: Target(4, "bh"), Level.C: Target(4, "bh")}
    extra = ClockSpec("spare_part", "reported", ("spare_provided", "resolved"),
                      {Level.B: Target(3, "wd")})
    policy = SlaPolicy("p", (*shorthand_clocks(wall, arrive, wall, ()), extra), CAL)
    assert policy.clock("arrive") is not None
    assert policy.clock("nope") is None
    assert [c.name for c in policy.starting_on("reported")] == [
        "respond", "arrive", "spare_part"]
    assert [c.name for c in policy.stopping_on("resolved")] == [
        "arrive", "repair", "spare_part"]
    assert [c.name for c in policy.stopping_on("spare_provided")] == ["spare_part"]
    spec = policy.clock("arrive")
    assert spec is not None
    assert policy.calendar_for(spec, Level.B) is CAL
    assert isinstance(policy.calendar_for(spec, Level.A), AlwaysOpen)
    assert policy.calendar_for(extra, Level.B) is CAL


def test_a_clock_may_leave_a_level_out() -> None:
    # Unicom's spare resources: major faults (A, B) only; C has no such clock.
    seven = Target(7 * H, "s")
    spare = ClockSpec("spare_unit", "reported", ("spare_provided", "resolved"),
                      {Level.A: seven, Level.B: seven})
    policy = SlaPolicy("p", (spare,), CAL)
    assert spare.target_for(Level.A) == seven
    assert spare.target_for(Level.B) == seven
    assert spare.target_for(Level.C) is None
    assert isinstance(policy.calendar_for(spare, Level.A), AlwaysOpen)
    assert isinstance(policy.calendar_for(spare, Level.C), AlwaysOpen)  # no KeyError
    part = ClockSpec("spare_part", "part_needed", ("spare_provided",), {Level.C: Target(3, "wd")})
    assert policy.calendar_for(part, Level.C) is CAL
    assert isinstance(policy.calendar_for(part, Level.A), AlwaysOpen)


def test_part_needed_is_an_event_clocks_may_start_on() -> None:
    assert "part_needed" in EVENTS
    part = ClockSpec("spare_part", "part_needed", ("spare_provided", "resolved"),
                     dict.fromkeys(Level, Target(3, "wd")))
    policy = SlaPolicy("p", (part,), CAL)
    assert policy.starting_on("reported") == []
    assert policy.starting_on("part_needed") == [part]


def test_policy_defaults() -> None:
    policy = SlaPolicy("p", ())
    assert isinstance(policy.calendar, AlwaysOpen)
    assert policy.escalate_every.total_seconds() == 30 * M
