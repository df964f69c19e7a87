"""Roster maths (pure): rotations, fixed shifts, overrides, gaps, tiers, hand-offs, .ics.

Every expected value is worked out by hand in Asia/Shanghai (UTC+8, no daylight saving).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import load_settings
from bot.domain.roster import Layer, Override, Shift, Team, member_shifts, to_ics

TZ = ZoneInfo("Asia/Shanghai")
EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "hotline.example.toml"


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A local (Shanghai) time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def daily(members: tuple[str, ...], start: date, handoff: time, name: str = "primary") -> Layer:
    return Layer(name, members, "daily", TZ, start=start, handoff=handoff)


def shift(member: str, start: datetime, end: datetime, layer: str = "primary") -> Shift:
    return Shift(layer, member, start, end)


# --------------------------------------------------------------------------- rotations


def test_daily_handoff_at_midnight() -> None:
    layer = daily(("a", "b", "c"), date(2026, 11, 1), time(0, 0))
    team = Team("t", (layer,))
    # 11-01 a, 11-02 b, 11-03 c, 11-04 a again.
    assert team.on_call(at(11, 1, 0, 0)) == {"primary": ["a"]}
    assert team.on_call(at(11, 3, 23, 59)) == {"primary": ["c"]}
    assert team.on_call(at(11, 4, 0, 0)) == {"primary": ["a"]}
    shifts = layer.shifts_between(at(11, 3, 12), at(11, 4, 12))
    assert shifts == [shift("c", at(11, 3), at(11, 4)), shift("a", at(11, 4), at(11, 5))]
    # Stored in UTC: local midnight is 16:00 UTC the day before.
    assert shifts[1].start.tzinfo == UTC
    assert shifts[1].start == datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
    assert team.next_change(at(11, 3, 12)) == at(11, 4)


def test_fixed_shifts_with_a_midnight_handoff() -> None:
    layer = Layer(
        "primary", ("a", "b"), "shifts", TZ, start=date(2026, 11, 1),
        shifts=((time(0, 0), time(12, 0)), (time(12, 0), time(0, 0))),
    )
    # 11-01 00-12 a, 12-24 b; 11-02 00-12 a, 12-24 b.
    assert layer.shifts_between(at(11, 1, 18), at(11, 2, 6)) == [
        shift("b", at(11, 1, 12), at(11, 2, 0)),
        shift("a", at(11, 2, 0), at(11, 2, 12)),
    ]


def test_daily_handoff_at_eight() -> None:
    layer = daily(("a", "b"), date(2026, 11, 1), time(8, 0))
    team = Team("t", (layer,))
    # The shift that begins on 11-01 08:00 is a's, until 11-02 08:00.
    assert team.on_call(at(11, 2, 7, 59)) == {"primary": ["a"]}
    assert team.on_call(at(11, 2, 8, 0)) == {"primary": ["b"]}
    # Before 08:00 on the start date it is still the previous day's shift (b, going backwards).
    assert team.on_call(at(11, 1, 7, 59)) == {"primary": ["b"]}
    assert layer.shifts_between(at(11, 2, 0), at(11, 2, 12)) == [
        shift("a", at(11, 1, 8), at(11, 2, 8)),
        shift("b", at(11, 2, 8), at(11, 3, 8)),
    ]
    assert team.next_change(at(11, 2, 7)) == at(11, 2, 8)


def test_weekly_rotation_across_a_month_boundary() -> None:
    # Weeks from Monday 11-02 08:00: a, b, c, a (11-23 → 11-30), b (11-30 → 12-07), c.
    layer = Layer("primary", ("a", "b", "c"), "weekly", TZ, start=date(2026, 11, 2))
    team = Team("t", (layer,))
    assert team.on_call(at(11, 30, 7, 59)) == {"primary": ["a"]}
    assert team.on_call(at(11, 30, 8, 0)) == {"primary": ["b"]}
    assert team.on_call(at(12, 1, 10)) == {"primary": ["b"]}
    assert team.on_call(at(12, 7, 7, 59)) == {"primary": ["b"]}
    assert team.on_call(at(12, 7, 8, 0)) == {"primary": ["c"]}
    # A weekly shift is one shift of a week, not seven daily pieces of it.
    assert team.shifts_between(at(11, 29), at(12, 2)) == [
        shift("a", at(11, 23, 8), at(11, 30, 8)),
        shift("b", at(11, 30, 8), at(12, 7, 8)),
    ]
    assert member_shifts(team, "b", at(11, 28), at(12, 10)) == [
        shift("b", at(11, 30, 8), at(12, 7, 8))
    ]
    # The next hand-off of a weekly rotation is at the end of the week, not tomorrow 08:00.
    assert team.next_change(at(12, 1, 10)) == at(12, 7, 8)


def test_fixed_shifts_day_and_night_with_three_members() -> None:
    layer = Layer(
        "primary", ("a", "b", "c"), "shifts", TZ, start=date(2026, 11, 1),
        shifts=((time(8, 0), time(20, 0)), (time(20, 0), time(8, 0))),
    )
    team = Team("t", (layer,))
    # From 11-01 08:00 each 12-hour shift goes to the next member: a, b, c, a, b, c, a ...
    assert layer.shifts_between(at(11, 2, 0), at(11, 4, 0)) == [
        shift("b", at(11, 1, 20), at(11, 2, 8)),
        shift("c", at(11, 2, 8), at(11, 2, 20)),
        shift("a", at(11, 2, 20), at(11, 3, 8)),
        shift("b", at(11, 3, 8), at(11, 3, 20)),
        shift("c", at(11, 3, 20), at(11, 4, 8)),
    ]
    assert team.on_call(at(11, 3, 3)) == {"primary": ["a"]}  # the night of 11-02
    # The night before the start date belongs to the shift before a's: c.
    assert team.on_call(at(11, 1, 7)) == {"primary": ["c"]}
    # A member's shifts three apart are not joined: they are not adjacent.
    assert member_shifts(team, "a", at(11, 1, 8), at(11, 4, 20)) == [
        shift("a", at(11, 1, 8), at(11, 1, 20)),
        shift("a", at(11, 2, 20), at(11, 3, 8)),
        shift("a", at(11, 4, 8), at(11, 4, 20)),
    ]
    assert team.next_change(at(11, 2, 10)) == at(11, 2, 20)


def test_example_config_pages_the_shift_and_the_always_on_duty_engineer() -> None:
    settings = load_settings(EXAMPLE)
    now = at(11, 23, 14)  # Monday: shift 42 since 11-02 08:00 (eng1); week 3 (eng3)
    village = settings.team(settings.project("village"))
    rollout = settings.team(settings.project("rollout"))
    assert village.tiers(now) == [["eng1"], ["eng3"]]
    assert rollout.tiers(now) == [["eng1", "eng4"], ["eng3"]]
    assert village.key == rollout.key == "county-team"


# --------------------------------------------------------------------------- overrides


def _two_day_team(*overrides: Override) -> Team:
    # a: 11-02 08:00 → 11-03 08:00; b: 11-03 08:00 → 11-04 08:00; a: 11-04 08:00 → ...
    return Team("t", (daily(("a", "b"), date(2026, 11, 2), time(8, 0)),)).with_overrides(
        overrides
    )


def test_cover_override_replaces_the_whole_layer() -> None:
    cover = Override("t", "primary", "x", at(11, 2, 10), at(11, 2, 14))
    team = _two_day_team(cover)
    assert team.on_call(at(11, 2, 9, 59)) == {"primary": ["a"]}
    assert team.on_call(at(11, 2, 12)) == {"primary": ["x"]}
    assert team.on_call(at(11, 2, 14)) == {"primary": ["a"]}  # the end is exclusive
    assert team.shifts_between(at(11, 2, 8), at(11, 3, 8)) == [
        shift("a", at(11, 2, 8), at(11, 2, 10)),
        shift("x", at(11, 2, 10), at(11, 2, 14)),
        shift("a", at(11, 2, 14), at(11, 3, 8)),
    ]
    assert team.next_change(at(11, 2, 9)) == at(11, 2, 10)
    assert team.next_change(at(11, 2, 11)) == at(11, 2, 14)
    # A cover over b's shift replaces b as well: the whole layer is covered.
    night = Override("t", "primary", "x", at(11, 2, 20), at(11, 3, 20))
    assert _two_day_team(night).on_call(at(11, 3, 10)) == {"primary": ["x"]}
    # Another team's override changes nothing here.
    other = Override("other", "primary", "x", at(11, 2, 10), at(11, 2, 14))
    assert _two_day_team(other).on_call(at(11, 2, 12)) == {"primary": ["a"]}


def test_swap_override_replaces_only_its_member() -> None:
    # A swap of a's shift, taken by y; its period runs 12 h into b's shift.
    swap = Override("t", "primary", "y", at(11, 2, 20), at(11, 3, 20), replaces="a")
    team = _two_day_team(swap)
    assert team.on_call(at(11, 2, 19)) == {"primary": ["a"]}
    assert team.on_call(at(11, 2, 22)) == {"primary": ["y"]}
    # b's own shift is not cut by a swap of a's: b stays on duty (y is added).
    assert sorted(team.on_call(at(11, 3, 10))["primary"]) == ["b", "y"]
    assert member_shifts(team, "a", at(11, 2, 8), at(11, 3, 8)) == [
        shift("a", at(11, 2, 8), at(11, 2, 20))
    ]


def test_member_shifts_join_an_override_to_the_own_shift() -> None:
    cover = Override("t", "primary", "a", at(11, 3, 8), at(11, 3, 12))
    team = _two_day_team(cover)
    assert member_shifts(team, "a", at(11, 2, 8), at(11, 5, 8)) == [
        shift("a", at(11, 2, 8), at(11, 3, 12)),
        shift("a", at(11, 4, 8), at(11, 5, 8)),
    ]
    assert member_shifts(team, "b", at(11, 2, 8), at(11, 5, 8)) == [
        shift("b", at(11, 3, 12), at(11, 4, 8))
    ]


# --------------------------------------------------------------------------- gaps and tiers


def _day_only(always: tuple[str, ...] = ()) -> Team:
    layer = Layer(
        "primary", ("a", "b"), "shifts", TZ, start=date(2026, 11, 1),
        shifts=((time(8, 0), time(20, 0)),),
    )
    return Team("t", (layer,), always=always)


def test_day_shifts_only_leave_nightly_gaps() -> None:
    team = _day_only()
    assert team.gaps(at(11, 2, 8), at(11, 4, 8)) == [
        (at(11, 2, 20), at(11, 3, 8)),
        (at(11, 3, 20), at(11, 4, 8)),
    ]
    # Starting inside a gap: the gap starts now.
    assert team.gaps(at(11, 2, 22), at(11, 3, 12)) == [(at(11, 2, 22), at(11, 3, 8))]
    assert team.tiers(at(11, 2, 22)) == [[]]
    # A cover for one night closes that gap only.
    cover = Override("t", "primary", "x", at(11, 2, 20), at(11, 3, 8))
    assert team.with_overrides([cover]).gaps(at(11, 2, 8), at(11, 4, 8)) == [
        (at(11, 3, 20), at(11, 4, 8))
    ]


def test_no_gap_with_always_on_duty_people() -> None:
    team = _day_only(always=("z",))
    assert team.gaps(at(11, 2, 8), at(11, 4, 8)) == []
    assert team.tiers(at(11, 2, 22)) == [["z"]]


def test_tiers_put_always_on_duty_people_with_the_primary() -> None:
    start = date(2026, 11, 2)
    team = Team(
        "t",
        (daily(("a", "b"), start, time(8, 0)), daily(("c",), start, time(8, 0), "secondary")),
        always=("z", "a"),
    )
    assert team.tiers(at(11, 2, 12)) == [["a", "z"], ["c"]]  # a not twice
    assert team.tiers(at(11, 3, 12)) == [["b", "z", "a"], ["c"]]
    # A project with only the plain on_duty list: one tier, always.
    assert Team("p", (), always=("z", "y")).tiers(at(11, 2, 12)) == [["z", "y"]]


def test_next_change_is_the_nearest_start_or_end_of_any_layer() -> None:
    start = date(2026, 11, 2)
    primary = Layer(
        "primary", ("a", "b"), "shifts", TZ, start=start,
        shifts=((time(8, 0), time(20, 0)), (time(20, 0), time(8, 0))),
    )
    secondary = Layer("secondary", ("c", "d"), "weekly", TZ, start=start)
    team = Team("t", (primary, secondary))
    assert team.next_change(at(11, 2, 10)) == at(11, 2, 20)
    cover = Override("t", "secondary", "x", at(11, 2, 12), at(11, 2, 13))
    assert team.with_overrides([cover]).next_change(at(11, 2, 10)) == at(11, 2, 12)
    # Only the weekly layer: its next hand-off is next Monday.
    assert Team("t", (secondary,)).next_change(at(11, 2, 10)) == at(11, 9, 8)
    # One member on a daily rotation: nobody ever changes.
    assert Team("t", (daily(("a",), start, time(8, 0)),)).next_change(at(11, 2, 10)) is None


# --------------------------------------------------------------------------- .ics


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _parse_ics(data: bytes) -> list[tuple[str, str]]:
    """Check the physical lines, unfold them, split NAME:VALUE."""
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    for raw in physical:
        assert b"\n" not in raw and b"\r" not in raw, raw  # CRLF only, no bare LF/CR
        assert len(raw) <= 75, (len(raw), raw)
        raw.decode("utf-8")  # a fold never splits a UTF-8 character
    logical: list[str] = []
    for raw in physical:
        line = raw.decode("utf-8")
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [(line.split(":", 1)[0], line.split(":", 1)[1]) for line in logical]


def test_ics_is_a_valid_calendar_of_the_shifts() -> None:
    shifts = [
        shift("a", at(11, 2, 8), at(11, 2, 20)),
        shift("a", at(11, 4, 20), at(11, 5, 8), layer="secondary"),
    ]
    summary = "On call; 值班, back\\slash\nsecond line"
    name = "值班日历：" + "工程师一号" * 12  # far longer than 75 octets in UTF-8
    stamp = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    data = to_ics(shifts, summary=summary, calendar_name=name, stamp=stamp)
    folded = [raw for raw in data.split(b"\r\n") if raw.startswith(b" ")]
    assert folded, "the long calendar name must be folded"
    assert b"\\;" in data and b"\\," in data and b"\\\\" in data and b"\\n" in data
    props = _parse_ics(data)
    assert props[0] == ("BEGIN", "VCALENDAR") and props[-1] == ("END", "VCALENDAR")
    top = dict(props)
    assert top["VERSION"] == "2.0" and top["PRODID"]
    assert _unescape(top["X-WR-CALNAME"]) == name
    events: list[dict[str, str]] = []
    for key, value in props:
        if (key, value) == ("BEGIN", "VEVENT"):
            events.append({})
        elif (key, value) == ("END", "VEVENT"):
            continue
        elif events and key not in ("END", "BEGIN"):
            events[-1][key] = value
    assert len(events) == 2
    assert len({e["UID"] for e in events}) == 2
    for event, s in zip(events, shifts, strict=True):
        # UTC times: 08:00 in Shanghai is 00:00Z.
        assert event["DTSTAMP"] == "20261101T000000Z"
        start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        end = datetime.strptime(event["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert (start, end) == (s.start, s.end)
        assert _unescape(event["SUMMARY"]) == f"{summary} ({s.layer})"
    assert events[0]["DTSTART"] == "20261102T000000Z"
    assert events[1]["DTEND"] == "20261105T000000Z"


def test_ics_without_shifts_is_an_empty_calendar() -> None:
    data = to_ics([], summary="x", calendar_name="y", stamp=datetime(2026, 11, 1, tzinfo=UTC))
    props = _parse_ics(data)
    assert ("BEGIN", "VEVENT") not in props
    assert props[0] == ("BEGIN", "VCALENDAR") and props[-1] == ("END", "VCALENDAR")
