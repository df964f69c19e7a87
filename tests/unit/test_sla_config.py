"""Policies and calendars from the config: the example's two contracts, config errors, and
the promised deadlines (`promised`) they give. Instants are worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.domain.calendar import AlwaysOpen, BusinessCalendar
from bot.domain.clocks import Target, WarnPoint
from bot.domain.ticket import Level
from bot.services.sla import promised

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "hotline.example.toml"
SH = ZoneInfo("Asia/Shanghai")
H = 3600.0
WALL_15M = Target(900, "s")
DEFAULT_WARN = (WarnPoint(fraction=0.5), WarnPoint(fraction=0.8))
LUNCH_BREAK = ((time(9, 0), time(12, 0)), (time(13, 0), time(18, 0)))


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def example() -> Settings:
    return load_settings(EXAMPLE)


# A small config; tests fill in CALENDAR, RESPOND and EXTRA.
BASE = """\
timezone = "Asia/Shanghai"
database = "data/hotline.db"

[[staff]]
key = "eng1"
name = "Engineer One"
telegram_id = 1001
roles = ["engineer"]

[[projects]]
key = "village"
name = "Village"
invite = "VILLAGE2026"
policy = "abc"
on_duty = ["eng1"]

[policies.abc]
calendar = "{calendar}"
respond = {{ A = "15m", B = "15m", C = "{respond}" }}
arrive = {{ A = "60m", B = "2h", C = "2h" }}
repair = {{ A = "4h", B = "3h", C = "2h" }}
{extra}
"""


def config(calendar: str = "24x7", respond: str = "15m", extra: str = "") -> str:
    return BASE.format(calendar=calendar, respond=respond, extra=extra)


def load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "hotline.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "hotline.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    prefix = f"{path}: "
    assert all(line.startswith(prefix) for line in info.value.problems)
    return [line.removeprefix(prefix) for line in info.value.problems]


def clock_block(name: str = "x", start: str = "reported", stop: str = '["resolved"]',
                target: str = '"1h"') -> str:
    return (
        f'[[policies.abc.clocks]]\nname = "{name}"\nstart = "{start}"\n'
        f"stop = {stop}\ntarget = {target}\n"
    )


# --------------------------------------------------------------------------- the example: village


def test_village_policy(example: Settings) -> None:
    policy = example.sla_policy("village")
    assert policy.key == "unicom-abc"
    assert isinstance(policy.calendar, AlwaysOpen)
    assert policy.escalate_every == timedelta(minutes=30)
    assert [(c.name, c.start, c.stop) for c in policy.clocks] == [
        ("respond", "reported", ("accepted",)),
        ("arrive", "reported", ("on_site", "resolved")),
        ("repair", "on_site", ("resolved",)),
        ("remote_first", "accepted", ("on_site", "resolved")),
        ("spare_unit", "reported", ("spare_provided", "resolved")),
        ("replacement", "reported", ("spare_provided", "resolved")),
        ("callback", "low_rating", ("callback_done",)),
    ]
    targets = {c.name: c.targets for c in policy.clocks}
    assert targets["respond"] == dict.fromkeys(Level, WALL_15M)
    assert targets["arrive"] == {
        Level.A: Target(3600, "s"), Level.B: Target(7200, "s"), Level.C: Target(7200, "s")}
    assert targets["repair"] == {
        Level.A: Target(4 * 3600, "s"), Level.B: Target(3 * 3600, "s"),
        Level.C: Target(2 * 3600, "s")}
    assert targets["remote_first"] == dict.fromkeys(Level, Target(3600, "s"))
    # Spare resources are promised for major faults (A, B) only: C has no such clock.
    assert targets["spare_unit"] == {Level.A: Target(7 * H, "s"), Level.B: Target(7 * H, "s")}
    assert targets["replacement"] == {
        Level.A: Target(11 * H, "s"), Level.B: Target(11 * H, "s")}


def test_village_extra_clocks(example: Settings) -> None:
    policy = example.sla_policy("village")
    remote = policy.clock("remote_first")
    assert remote is not None
    assert remote.on_breach == "owner"
    assert remote.tell_customer is False
    assert remote.warn == ()
    assert remote.labels == {"zh": "远程处理时限", "en": "remote fix"}
    assert remote.expect["en"] == "Not solved remotely within 1 h: go on site now."
    spare = policy.clock("spare_unit")
    assert spare is not None
    assert spare.on_breach == "escalate"
    assert spare.tell_customer is False
    assert spare.warn == (WarnPoint(before=H),)
    replacement = policy.clock("replacement")
    assert replacement is not None
    assert replacement.on_breach == "lead"
    assert replacement.tell_customer is True
    assert [c.name for c in policy.starting_on("repair_breached")] == []
    assert [c.name for c in policy.stopping_on("on_site")] == ["arrive", "remote_first"]
    assert [c.name for c in policy.stopping_on("spare_provided")] == [
        "spare_unit", "replacement"]
    respond = policy.clock("respond")
    assert respond is not None and respond.warn == DEFAULT_WARN


REPORTED = sh(2026, 3, 13, 16, 0)  # Friday 16:00


def due_from_report(settings: Settings, project: str, level: Level) -> dict[str, datetime]:
    """When each clock that starts at the report is due, for a fault reported at REPORTED."""
    policy = settings.sla_policy(project)
    out = {}
    for spec in policy.starting_on("reported"):
        target = spec.target_for(level)
        if target is not None:
            cal = policy.calendar_for(spec, level)
            out[spec.name] = cal.add(REPORTED, target.seconds(cal))
    return out


def test_village_spare_resources_count_from_the_report_for_major_faults(
    example: Settings,
) -> None:
    for level in (Level.A, Level.B):
        due = due_from_report(example, "village", level)
        assert due["spare_unit"] == sh(2026, 3, 13, 23, 0)  # 7 h after the report
        assert due["replacement"] == sh(2026, 3, 14, 3, 0)  # 11 h after the report
    due = due_from_report(example, "village", Level.C)
    assert sorted(due) == ["arrive", "respond"]
    spare = example.sla_policy("village").clock("spare_unit")
    assert spare is not None and spare.target_for(Level.C) is None


def test_sla_policy_is_built_once(example: Settings) -> None:
    assert example.sla_policy("village") is example.sla_policy("village")
    with pytest.raises(KeyError):
        example.sla_policy("nope")


# --------------------------------------------------------------------------- the example: rollout


def test_rollout_policy(example: Settings) -> None:
    policy = example.sla_policy("rollout")
    assert policy.key == "asiainfo-5x8"
    cal = policy.calendar
    assert isinstance(cal, BusinessCalendar)
    assert (cal.name, cal.tz, cal.hours) == ("5x8", SH, LUNCH_BREAK)
    assert cal.day_seconds == 8 * H  # 5x8: exactly 8 working hours a day
    assert [c.name for c in policy.clocks] == [
        "respond", "arrive", "repair", "proposal", "loaner", "spare_part", "liability",
        "callback"]
    arrive = policy.clock("arrive")
    assert arrive is not None
    assert arrive.targets == {
        Level.A: Target(7200, "s"), Level.B: Target(4, "bh"), Level.C: Target(4, "bh")}
    assert policy.calendar_for(arrive, Level.B) is cal
    assert policy.calendar_for(arrive, Level.C) is cal
    assert isinstance(policy.calendar_for(arrive, Level.A), AlwaysOpen)
    # A major fault's immediate response (立即响应) is shorter than the others' 30 min.
    respond = policy.clock("respond")
    assert respond is not None
    assert respond.targets == {
        Level.A: Target(900, "s"), Level.B: Target(1800, "s"), Level.C: Target(1800, "s")}


def test_rollout_extra_clocks(example: Settings) -> None:
    policy = example.sla_policy("rollout")
    liability = policy.clock("liability")
    assert liability is not None
    assert (liability.start, liability.stop) == ("reported", ("accepted",))
    assert liability.targets == dict.fromkeys(Level, Target(86_400, "s"))
    assert liability.on_breach == "lead"
    assert liability.tell_customer is False
    # Warned 4 h before the deadline: 20 h after the report, not 4 h after it.
    assert liability.warn == (WarnPoint(before=4 * H),)
    assert liability.warn[0].consumed_at(86_400) == 20 * H
    # The loaner is due when the fault is not repaired 48 h after the report.
    loaner = policy.clock("loaner")
    assert loaner is not None
    assert (loaner.start, loaner.stop) == ("reported", ("loaner_provided", "resolved"))
    assert loaner.targets == dict.fromkeys(Level, Target(48 * H, "s"))
    assert loaner.on_breach == "escalate"
    assert loaner.warn == (WarnPoint(before=4 * H),)
    # ... and the loaner itself has no invented target of its own.
    assert policy.starting_on("loaner_breached") == []
    assert all(not c.start.endswith("_breached") for c in policy.clocks)
    # The 3-working-day part starts when a part is needed, not for every fault.
    spare = policy.clock("spare_part")
    assert spare is not None
    assert (spare.start, spare.stop) == ("part_needed", ("spare_provided", "resolved"))
    assert spare.targets[Level.C].seconds(policy.calendar) == 3 * 8 * H
    assert [c.name for c in policy.starting_on("part_needed")] == ["spare_part"]
    proposal = policy.clock("proposal")
    assert proposal is not None
    assert proposal.targets == dict.fromkeys(Level, Target(3600, "s"))
    assert proposal.stop == ("proposal", "resolved")


def test_rollout_deadlines_from_the_report(example: Settings) -> None:
    due = due_from_report(example, "rollout", Level.B)
    assert due == {
        "respond": sh(2026, 3, 13, 16, 30),
        "arrive": sh(2026, 3, 16, 11, 0),  # 2 bh on Friday, 2 bh on Monday morning
        "proposal": sh(2026, 3, 13, 17, 0),
        "loaner": sh(2026, 3, 15, 16, 0),  # 48 h of wall time after the report
        "liability": sh(2026, 3, 14, 16, 0),
    }
    assert due_from_report(example, "rollout", Level.A)["respond"] == sh(2026, 3, 13, 16, 15)


# --------------------------------------------------------------------------- promised


def test_promised_b_fault_friday_afternoon_on_5x8(example: Settings) -> None:
    policy = example.sla_policy("rollout")
    # Friday 2026-03-13 16:00 local.
    due = promised(policy, Level.B, sh(2026, 3, 13, 16, 0))
    assert due.respond_due == sh(2026, 3, 13, 16, 30)
    assert due.arrive_due == sh(2026, 3, 16, 11, 0)  # 2 bh Friday + 2 bh Monday
    assert due.repair_due is None
    on_site = promised(policy, Level.B, sh(2026, 3, 13, 16, 0), sh(2026, 3, 16, 10, 0))
    assert on_site.repair_due == sh(2026, 3, 18, 10, 0)  # 48 h wall


def test_promised_a_fault_arrive_is_wall_time(example: Settings) -> None:
    due = promised(example.sla_policy("rollout"), Level.A, sh(2026, 3, 13, 16, 0))
    assert due.respond_due == sh(2026, 3, 13, 16, 15)  # immediate response: 15 min
    assert due.arrive_due == sh(2026, 3, 13, 18, 0)


def test_promised_c_fault_before_national_day(example: Settings) -> None:
    # Wednesday 2026-09-30 16:00: 2 h, then Oct 1-7 off -> Thursday Oct 8 11:00.
    due = promised(example.sla_policy("rollout"), Level.C, sh(2026, 9, 30, 16, 0))
    assert due.respond_due == sh(2026, 9, 30, 16, 30)
    assert due.arrive_due == sh(2026, 10, 8, 11, 0)


def test_promised_village_is_7x24(example: Settings) -> None:
    policy = example.sla_policy("village")
    # Saturday night: every minute counts.
    due = promised(policy, Level.A, sh(2026, 3, 14, 23, 30), sh(2026, 3, 15, 0, 20))
    assert due.respond_due == sh(2026, 3, 14, 23, 45)
    assert due.arrive_due == sh(2026, 3, 15, 0, 30)
    assert due.repair_due == sh(2026, 3, 15, 4, 20)
    b = promised(policy, Level.B, sh(2026, 3, 14, 23, 30))
    assert b.arrive_due == sh(2026, 3, 15, 1, 30)


# --------------------------------------------------------------------------- calendars from config


def test_builtin_5x8_and_24x7(tmp_path: Path) -> None:
    settings = load(tmp_path, config(calendar="5x8"))
    assert isinstance(settings.calendar("24x7"), AlwaysOpen)
    cal = settings.calendar("5x8")
    assert isinstance(cal, BusinessCalendar)
    # The built-in 5x8 is 8 hours with a lunch break, as in the example.
    assert (cal.hours, cal.tz) == (LUNCH_BREAK, SH)
    assert cal.day_seconds == 8 * H
    assert cal.days.official is True
    assert cal.add(sh(2026, 3, 13, 16, 0), 4 * H) == sh(2026, 3, 16, 11, 0)
    assert cal.add(sh(2026, 3, 16, 11, 0), 2 * H) == sh(2026, 3, 16, 14, 0)  # not at lunch


def test_custom_calendar_across_midnight(tmp_path: Path) -> None:
    extra = '[calendars.night]\nhours = "22:00-06:00"\n'
    settings = load(tmp_path, config(calendar="night", respond="1bh", extra=extra))
    cal = settings.sla_policy("village").calendar
    assert isinstance(cal, BusinessCalendar)
    assert (cal.name, cal.hours) == ("night", ((time(22, 0), time(6, 0)),))
    assert cal.day_seconds == 8 * H
    # Friday 22:00 -> Saturday 06:00 counts; Saturday night does not.
    assert cal.working_seconds(sh(2026, 3, 13, 20, 0), sh(2026, 3, 15, 12, 0)) == 8 * H
    due = promised(settings.sla_policy("village"), Level.C, sh(2026, 3, 14, 5, 30))
    assert due.respond_due == sh(2026, 3, 16, 22, 30)  # 0.5 h Saturday morning + 0.5 h Mon


def test_calendar_overrides_from_config(tmp_path: Path) -> None:
    extra = (
        "[calendars.5x8]\n"
        "extra_holidays = [2027-01-01]\n"
        "extra_workdays = [2027-01-02]\n"
    )
    settings = load(tmp_path, config(calendar="5x8", extra=extra))
    cal = settings.calendar("5x8")
    assert isinstance(cal, BusinessCalendar)
    assert cal.days.extra_holidays == frozenset({date(2027, 1, 1)})
    assert cal.days.extra_workdays == frozenset({date(2027, 1, 2)})
    # Thu 2026-12-31 16:00: 2 h; Fri Jan 1 off; Sat Jan 2 works.
    assert cal.add(sh(2026, 12, 31, 16, 0), 4 * H) == sh(2027, 1, 2, 11, 0)
    # Only the config's own days were consulted for 2027 so far.
    assert cal.days.fallback_years == set()
    assert cal.working_seconds(sh(2027, 1, 4), sh(2027, 1, 5)) == 8 * H  # a Monday
    assert cal.days.fallback_years == {2027}


def test_official_none_from_config(tmp_path: Path) -> None:
    extra = '[calendars.5x8]\nofficial = "none"\nhours = "08:30-17:00"\n'
    settings = load(tmp_path, config(calendar="5x8", extra=extra))
    cal = settings.calendar("5x8")
    assert isinstance(cal, BusinessCalendar)
    assert cal.days.official is False
    assert cal.hours == ((time(8, 30), time(17, 0)),)  # the one-span form still works
    # Plain Mon-Fri: National Day Thursday counts, 调休 Sunday Sep 20 does not.
    assert cal.add(sh(2026, 9, 30, 16, 0), 4 * H) == sh(2026, 10, 1, 11, 30)
    assert cal.working_seconds(sh(2026, 9, 20), sh(2026, 9, 21)) == 0.0


def test_hours_until_midnight_from_config(tmp_path: Path) -> None:
    extra = '[calendars.late]\nhours = "18:00-24:00"\n'
    settings = load(tmp_path, config(calendar="late", extra=extra))
    cal = settings.calendar("late")
    assert isinstance(cal, BusinessCalendar)
    assert cal.hours == ((time(18, 0), time(0, 0)),)
    assert cal.day_seconds == 6 * H
    assert cal.add(sh(2026, 3, 13, 23, 0), 2 * H) == sh(2026, 3, 16, 19, 0)


def test_several_spans_a_day_from_config(tmp_path: Path) -> None:
    extra = '[calendars.shifts]\nhours = ["13:30-17:30", "08:30-12:00", "19:00-01:00"]\n'
    settings = load(tmp_path, config(calendar="shifts", extra=extra))
    cal = settings.calendar("shifts")
    assert isinstance(cal, BusinessCalendar)
    assert cal.hours == (
        (time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)), (time(19, 0), time(1, 0)))
    assert cal.day_seconds == 13.5 * H
    # Friday 23:00: 2 h to 01:00 Saturday (Friday's span), then Monday 08:30.
    assert cal.add(sh(2026, 3, 13, 23, 0), 3 * H) == sh(2026, 3, 16, 9, 30)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ('["09:00-12:00", "11:30-18:00"]', "working hours '09:00-12:00' and '11:30-18:00' "
         "overlap"),
        ('["20:00-08:00", "07:00-12:00"]', "working hours '20:00-08:00' and '07:00-12:00' "
         "overlap"),
        ("[]", "a working day needs at least one span of working hours"),
        ('["09:00-12:00", "13-18"]', "invalid working hours '13-18': use e.g. \"09:00-17:30\""),
    ],
)
def test_bad_spans(tmp_path: Path, hours: str, message: str) -> None:
    extra = f"[calendars.5x8]\nhours = {hours}\n"
    assert problems(tmp_path, config(calendar="5x8", extra=extra)) == [
        f"calendars.5x8.hours: {message}"
    ]


def test_a_clock_for_some_levels_only(tmp_path: Path) -> None:
    settings = load(tmp_path, config(extra=clock_block(target='{ A = "7h", B = "7h" }')))
    spec = settings.sla_policy("village").clock("x")
    assert spec is not None
    assert spec.target_for(Level.A) == Target(7 * H, "s")
    assert spec.target_for(Level.C) is None


def test_a_clock_for_no_level_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, config(extra=clock_block(target="{}"))) == [
        'policies.abc.clocks[0].target: give a target for at least one level, e.g. { A = "7h" }'
    ]


def test_a_clock_may_start_when_a_part_is_needed(tmp_path: Path) -> None:
    settings = load(tmp_path, config(extra=clock_block(start="part_needed")))
    policy = settings.sla_policy("village")
    assert [c.name for c in policy.starting_on("part_needed")] == ["x"]
    assert [c.name for c in policy.starting_on("reported")] == ["respond", "arrive"]


# --------------------------------------------------------------------------- config errors


def test_business_target_on_a_24x7_policy(tmp_path: Path) -> None:
    assert problems(tmp_path, config(respond="1bh")) == [
        'policies.abc: respond: business-hour targets (bh, wd) need a working-hours '
        'calendar, e.g. calendar = "5x8"'
    ]


def test_business_target_of_an_extra_clock_on_a_24x7_policy(tmp_path: Path) -> None:
    text = config(extra=clock_block(name="spare_part", target='{ B = "3wd" }'))
    assert problems(tmp_path, text) == [
        "policies.abc: clock 'spare_part': business-hour targets (bh, wd) need a "
        'working-hours calendar, e.g. calendar = "5x8"'
    ]


def test_unknown_calendar(tmp_path: Path) -> None:
    assert problems(tmp_path, config(calendar="6x9")) == [
        "policies.abc.calendar: unknown calendar '6x9' (defined: 24x7, 5x8)"
    ]
    extra = '[calendars.night]\nhours = "22:00-06:00"\n'
    assert problems(tmp_path, config(calendar="nigth", extra=extra)) == [
        "policies.abc.calendar: unknown calendar 'nigth' (defined: 24x7, 5x8, night)"
    ]


def test_unknown_start_event(tmp_path: Path) -> None:
    assert problems(tmp_path, config(extra=clock_block(start="reportd"))) == [
        "policies.abc.clocks[0].start: unknown event 'reportd': use one of reported, "
        "accepted, on_way, on_site, resolved, closed, proposal, part_needed, spare_provided, "
        "loaner_provided, low_rating, callback_done or <clock>_breached"
    ]


def test_unknown_stop_event(tmp_path: Path) -> None:
    text = config(extra=clock_block(stop='["resolved", "closd"]'))
    assert problems(tmp_path, text) == [
        "policies.abc.clocks[0].stop: unknown event 'closd': use one of reported, "
        "accepted, on_way, on_site, resolved, closed, proposal, part_needed, spare_provided, "
        "loaner_provided, low_rating, callback_done"
    ]


def test_breach_event_of_an_unknown_clock(tmp_path: Path) -> None:
    lines = problems(tmp_path, config(extra=clock_block(start="repiar_breached")))
    assert len(lines) == 1
    assert "clocks[0].start" in lines[0]
    assert "repiar_breached" in lines[0]


def test_breach_event_of_a_known_clock_is_accepted(tmp_path: Path) -> None:
    settings = load(tmp_path, config(extra=clock_block(start="repair_breached")))
    assert [c.name for c in settings.sla_policy("village").starting_on("repair_breached")] == [
        "x"]


def test_duplicate_clock_name(tmp_path: Path) -> None:
    text = config(extra=clock_block() + clock_block(start="accepted"))
    assert problems(tmp_path, text) == ["policies.abc: clock 'x' is defined twice"]
    assert problems(tmp_path, config(extra=clock_block(name="respond"))) == [
        "policies.abc: clock 'respond' is defined twice"
    ]


@pytest.mark.parametrize(
    "hours",
    [
        "25:00-26:00",
        "09:00-09:00",
        "9-17",
        "09:60-17:00",
        "24:00-06:00",
        "09:00-17:30-18:00",
        "09:00-24:30",
    ],
)
def test_bad_hours(tmp_path: Path, hours: str) -> None:
    extra = f'[calendars.5x8]\nhours = "{hours}"\n'
    assert problems(tmp_path, config(calendar="5x8", extra=extra)) == [
        f"calendars.5x8.hours: invalid working hours '{hours}': use e.g. \"09:00-17:30\""
    ]


def test_bad_official(tmp_path: Path) -> None:
    extra = '[calendars.5x8]\nofficial = "us"\n'
    assert problems(tmp_path, config(calendar="5x8", extra=extra)) == [
        "calendars.5x8.official: must be 'cn' or 'none'"
    ]


def test_bad_targets_name_the_key(tmp_path: Path) -> None:
    assert problems(tmp_path, config(calendar="5x8", respond="0bh")) == [
        "policies.abc.respond.C: invalid duration '0bh': must be positive"
    ]
    assert problems(tmp_path, config(calendar="5x8", respond="4BH")) == [
        "policies.abc.respond.C: invalid duration '4BH': use e.g. 90s, 15m, 2h, 1h30m, 3d, "
        "4bh, 3wd"
    ]


def test_bad_warn_names_the_key(tmp_path: Path) -> None:
    text = config(extra='warn = ["50%", "150%"]\n')
    # `warn` must come before the [[policies.abc.clocks]] tables: here there are none.
    assert problems(tmp_path, text) == [
        "policies.abc.warn[1]: invalid warning point '150%': a percentage between 0 and 100"
    ]


def test_a_bare_warning_duration_is_refused_naming_the_two_forms(tmp_path: Path) -> None:
    text = config(extra='warn = ["50%", "20h"]\n')
    assert problems(tmp_path, text) == [
        "policies.abc.warn[1]: invalid warning point '20h': write \"20h before\" (before the "
        'deadline) or "20h after" (after the clock starts), or a share such as "80%"'
    ]


def test_warning_points_before_and_after(tmp_path: Path) -> None:
    text = config(extra='warn = ["4h before", "20h after", "50%"]\n')
    policy = load(tmp_path, text).sla_policy("village")
    respond = policy.clock("respond")
    assert respond is not None
    assert respond.warn == (
        WarnPoint(before=4 * H), WarnPoint(after=20 * H), WarnPoint(fraction=0.5))
