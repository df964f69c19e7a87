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
        ("spare_unit", "repair_breached", ("spare_provided", "resolved")),
    ]
    targets = {c.name: c.targets for c in policy.clocks}
    assert targets["respond"] == dict.fromkeys(Level, WALL_15M)
    assert targets["arrive"] == {
        Level.A: Target(3600, "s"), Level.B: Target(7200, "s"), Level.C: Target(7200, "s")}
    assert targets["repair"] == {
        Level.A: Target(4 * 3600, "s"), Level.B: Target(3 * 3600, "s"),
        Level.C: Target(2 * 3600, "s")}
    assert targets["remote_first"] == dict.fromkeys(Level, Target(3600, "s"))
    assert targets["spare_unit"] == dict.fromkeys(Level, Target(7200, "s"))


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
    assert spare.tell_customer is True
    assert spare.warn == DEFAULT_WARN  # the policy's warn
    assert [c.name for c in policy.starting_on("repair_breached")] == ["spare_unit"]
    assert [c.name for c in policy.stopping_on("on_site")] == ["arrive", "remote_first"]
    respond = policy.clock("respond")
    assert respond is not None and respond.warn == DEFAULT_WARN


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
    assert (cal.name, cal.tz, cal.opens, cal.closes) == ("5x8", SH, time(9, 0), time(17, 30))
    assert cal.day_seconds == 30_600.0
    assert [c.name for c in policy.clocks] == [
        "respond", "arrive", "repair", "proposal", "loaner", "spare_part", "liability"]
    arrive = policy.clock("arrive")
    assert arrive is not None
    assert arrive.targets == {
        Level.A: Target(7200, "s"), Level.B: Target(4, "bh"), Level.C: Target(4, "bh")}
    assert policy.calendar_for(arrive, Level.B) is cal
    assert policy.calendar_for(arrive, Level.C) is cal
    assert isinstance(policy.calendar_for(arrive, Level.A), AlwaysOpen)


def test_rollout_extra_clocks(example: Settings) -> None:
    policy = example.sla_policy("rollout")
    liability = policy.clock("liability")
    assert liability is not None
    assert (liability.start, liability.stop) == ("reported", ("accepted",))
    assert liability.targets == dict.fromkeys(Level, Target(86_400, "s"))
    assert liability.on_breach == "lead"
    assert liability.tell_customer is False
    assert liability.warn == (WarnPoint(before=72_000.0),)  # 20 h before
    assert liability.warn[0].consumed_at(86_400) == 4 * H
    loaner = policy.clock("loaner")
    assert loaner is not None
    assert (loaner.start, loaner.stop) == ("repair_breached", ("loaner_provided", "resolved"))
    assert loaner.targets == dict.fromkeys(Level, Target(1, "wd"))
    assert loaner.targets[Level.B].seconds(policy.calendar) == 30_600.0
    spare = policy.clock("spare_part")
    assert spare is not None
    assert spare.targets[Level.C].seconds(policy.calendar) == 3 * 8.5 * H
    proposal = policy.clock("proposal")
    assert proposal is not None
    assert proposal.targets == dict.fromkeys(Level, Target(3600, "s"))
    assert proposal.stop == ("proposal", "resolved")


# --------------------------------------------------------------------------- promised


def test_promised_b_fault_friday_afternoon_on_5x8(example: Settings) -> None:
    policy = example.sla_policy("rollout")
    # Friday 2026-03-13 16:00 local.
    due = promised(policy, Level.B, sh(2026, 3, 13, 16, 0))
    assert due.respond_due == sh(2026, 3, 13, 16, 30)
    assert due.arrive_due == sh(2026, 3, 16, 11, 30)
    assert due.repair_due is None
    on_site = promised(policy, Level.B, sh(2026, 3, 13, 16, 0), sh(2026, 3, 16, 10, 0))
    assert on_site.repair_due == sh(2026, 3, 18, 10, 0)  # 48 h wall


def test_promised_a_fault_arrive_is_wall_time(example: Settings) -> None:
    due = promised(example.sla_policy("rollout"), Level.A, sh(2026, 3, 13, 16, 0))
    assert due.arrive_due == sh(2026, 3, 13, 18, 0)


def test_promised_c_fault_before_national_day(example: Settings) -> None:
    # Wednesday 2026-09-30 16:00: 1.5 h, then Oct 1-7 off -> Thursday Oct 8 11:30.
    due = promised(example.sla_policy("rollout"), Level.C, sh(2026, 9, 30, 16, 0))
    assert due.respond_due == sh(2026, 9, 30, 16, 30)
    assert due.arrive_due == sh(2026, 10, 8, 11, 30)


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
    assert (cal.opens, cal.closes, cal.tz) == (time(9, 0), time(17, 30), SH)
    assert cal.days.official is True
    assert cal.add(sh(2026, 3, 13, 16, 0), 4 * H) == sh(2026, 3, 16, 11, 30)


def test_custom_calendar_across_midnight(tmp_path: Path) -> None:
    extra = '[calendars.night]\nhours = "22:00-06:00"\n'
    settings = load(tmp_path, config(calendar="night", respond="1bh", extra=extra))
    cal = settings.sla_policy("village").calendar
    assert isinstance(cal, BusinessCalendar)
    assert (cal.name, cal.opens, cal.closes) == ("night", time(22, 0), time(6, 0))
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
    # Thu 2026-12-31 16:00: 1.5 h; Fri Jan 1 off; Sat Jan 2 works.
    assert cal.add(sh(2026, 12, 31, 16, 0), 4 * H) == sh(2027, 1, 2, 11, 30)
    # Only the config's own days were consulted for 2027 so far.
    assert cal.days.fallback_years == set()
    assert cal.working_seconds(sh(2027, 1, 4), sh(2027, 1, 5)) == 30_600.0  # a Monday
    assert cal.days.fallback_years == {2027}


def test_official_none_from_config(tmp_path: Path) -> None:
    extra = '[calendars.5x8]\nofficial = "none"\nhours = "08:30-17:00"\n'
    settings = load(tmp_path, config(calendar="5x8", extra=extra))
    cal = settings.calendar("5x8")
    assert isinstance(cal, BusinessCalendar)
    assert cal.days.official is False
    assert (cal.opens, cal.closes) == (time(8, 30), time(17, 0))
    # Plain Mon-Fri: National Day Thursday counts, 调休 Sunday Sep 20 does not.
    assert cal.add(sh(2026, 9, 30, 16, 0), 4 * H) == sh(2026, 10, 1, 11, 30)
    assert cal.working_seconds(sh(2026, 9, 20), sh(2026, 9, 21)) == 0.0


def test_hours_until_midnight_from_config(tmp_path: Path) -> None:
    extra = '[calendars.late]\nhours = "18:00-24:00"\n'
    settings = load(tmp_path, config(calendar="late", extra=extra))
    cal = settings.calendar("late")
    assert isinstance(cal, BusinessCalendar)
    assert (cal.opens, cal.closes) == (time(18, 0), time(0, 0))
    assert cal.day_seconds == 6 * H
    assert cal.add(sh(2026, 3, 13, 23, 0), 2 * H) == sh(2026, 3, 16, 19, 0)


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
        "accepted, on_way, on_site, resolved, closed, proposal, spare_provided, "
        "loaner_provided or <clock>_breached"
    ]


def test_unknown_stop_event(tmp_path: Path) -> None:
    text = config(extra=clock_block(stop='["resolved", "closd"]'))
    assert problems(tmp_path, text) == [
        "policies.abc.clocks[0].stop: unknown event 'closd': use one of reported, "
        "accepted, on_way, on_site, resolved, closed, proposal, spare_provided, "
        "loaner_provided"
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
