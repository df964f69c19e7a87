"""`run_bot.py check-config`: is the config file right, and what does the bot understand from it?

    python run_bot.py check-config --config PATH [--at "YYYY-MM-DD HH:MM"]

Prints the projects, staff and their roles, each policy's clocks per level, the calendars, the
teams and who is on duty now (or at --at, local time), with the roster code the bot pages with
(overrides made in chat with /cover are read from the database when it exists; it is never
created or changed). Exit 0 when the file is good; exit 2 with one line per problem, each
naming its key, when it is not. Nothing secret is printed: no token or webhook secret (only
whether they are set), no invite code (anyone holding one joins the project), and phone
numbers keep their last 4 digits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from bot.clock import SystemClock
from bot.config import LEVELS, ConfigError, Settings, load_settings
from bot.config.builders import build_sla_policy
from bot.config.schema import BUILTIN_CALENDARS, CalendarConfig, ProjectConfig
from bot.domain.durations import format_duration
from bot.domain.roster import Override, Team
from bot.domain.ticket import Level as LevelEnum
from bot.logs import Masker


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_bot.py check-config",
        description="Validate the bot's TOML config and print what the bot understands from "
        "it (exit 2, naming the key, when something is wrong).",
    )
    p.add_argument("--config", required=True, help="the bot's TOML config file")
    p.add_argument(
        "--at",
        default=None,
        help='show who is on duty at this local time ("YYYY-MM-DD HH:MM", the config\'s time '
        "zone) instead of now",
    )
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        settings = _load(Path(args.config))
    except ConfigError as e:
        print(f"check-config: {args.config} is not right ({len(e.problems)} problem"
              f"{'s' if len(e.problems) != 1 else ''}):", file=sys.stderr)  # fmt: skip
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    now = SystemClock().now()
    if args.at is not None:
        try:
            at = datetime.fromisoformat(args.at)
            now = at if at.tzinfo is not None else at.replace(tzinfo=settings.tz)
        except ValueError:
            print(f"check-config: --at {args.at!r}: write a local time as YYYY-MM-DD HH:MM",
                  file=sys.stderr)  # fmt: skip
            return 2
    overrides, source = _overrides(settings, now)
    for line in report(settings, now, overrides, source, args.config):
        print(line)
    return 0


def _load(path: Path) -> Settings:
    """The settings; from the sandbox's config too (its [sandbox] table of personas is read
    and checked by the sandbox's own loader)."""
    try:
        return load_settings(path)
    except ConfigError as e:
        if not any(p.endswith(": sandbox: unknown key (check the spelling)") for p in e.problems):
            raise
    from bot.sandbox.run import load_sandbox

    settings, _ = load_sandbox(path, path.parent / "data" / "sandbox.db")
    return settings


def report(
    settings: Settings,
    now: datetime,
    overrides: list[Override],
    overrides_from: str,
    path: str,
) -> list[str]:
    """What the bot understands from the file, as lines for the operator."""
    mask = Masker()
    out = [f"{path}: OK", ""]
    env = {
        name: "set" if os.environ.get(name) else "not set"
        for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET")
    }
    database = Path(settings.database)
    out += [
        f"time zone      {settings.timezone}; default language {settings.default_language}",
        f"database       {database} ({'exists' if database.exists() else 'will be created'})",
        f"sending        at most {settings.messages_per_second:g} messages a second",
        f"guard          {settings.guard.burst} updates at once per user, then "
        f"{settings.guard.per_second:g}/s; strangers answered once per "
        f"{format_duration(settings.guard.stranger_quiet)}",
        "environment    " + ", ".join(f"{k} {v}" for k, v in env.items()),
        "",
        f"Staff ({len(settings.staff)}):",
    ]
    width = max((len(s.key) for s in settings.staff), default=0)
    for s in settings.staff:
        phone = f", phone {mask(s.phone)}" if s.phone else ""
        out.append(f"  {s.key:<{width}}  {s.name} — {', '.join(s.roles)} "
                   f"(Telegram id {s.telegram_id}{phone})")  # fmt: skip
    out += ["", f"Projects ({len(settings.projects)}):"]
    for p in settings.projects:
        out += [f"  {p.key}: {p.name}", *(f"    {line}" for line in _project(settings, p))]
    out += ["", f"Policies ({len(settings.policies)}):"]
    for name, policy in settings.policies.items():
        sla = build_sla_policy(name, policy, settings.calendar(policy.calendar))
        out.append(f"  {name}: calendar {policy.calendar}; warn {', '.join(policy.warn)}; "
                   f"escalate every {format_duration(policy.escalate_every)}")  # fmt: skip
        out.append(f"    {'clock':<16}" + "".join(f"{lv:<9}" for lv in LEVELS) + "runs")
        for spec in sla.clocks:
            targets = [spec.target_for(LevelEnum(lv)) for lv in LEVELS]
            cells = "".join(f"{str(t) if t else '—':<9}" for t in targets)
            out.append(f"    {spec.name:<16}{cells}{spec.start} → {' | '.join(spec.stop)}")
        out.append(f"    complaints: answer {policy.complaint_respond}, "
                   f"close {policy.complaint_resolve}")  # fmt: skip
        for kind, req in policy.requests.items():
            out.append(f"    requests {kind}: respond {req.respond}, resolve {req.resolve}")
    out += ["", "Calendars:", "  24x7: always open"]
    calendars = {**BUILTIN_CALENDARS, **settings.calendars}
    for name, cal in calendars.items():
        out.append(f"  {name}: {_calendar(cal)}")
    out += ["", f"Teams ({len(settings.teams)}):"]
    for team in settings.teams:
        out.append(f"  {team.key}" + (f": {team.name}" if team.name else ""))
        for layer in team.layers:
            how = (f"shifts {', '.join(layer.shifts)}" if layer.rotation == "shifts"
                   else f"{layer.rotation}, hand-off {layer.handoff}")  # fmt: skip
            out.append(f"    {layer.name}: {', '.join(layer.members)} ({how}, from "
                       f"{layer.start})")  # fmt: skip
    local = now.astimezone(settings.tz)
    out += ["", f"On duty at {local:%Y-%m-%d %H:%M} ({settings.timezone}; {overrides_from}):"]
    for p in settings.projects:
        out.append(f"  {p.key}: {_on_duty(settings, p, now, overrides)}")
        event = settings.heightened_on(p.key, local.date())
        if event is not None:
            out.append(f"    heightened period in force: {event.name} ({event.start} to "
                       f"{event.end})")  # fmt: skip
    return out


def _project(settings: Settings, p: ProjectConfig) -> list[str]:
    lines = [f"policy {p.policy}; invite code set ({len(p.invite)} characters)"]
    if p.team:
        lines.append(f"team {p.team}" + (f"; always on duty {', '.join(p.on_duty)}"
                                        if p.on_duty else ""))  # fmt: skip
    elif p.on_duty:
        lines.append(f"always on duty {', '.join(p.on_duty)}")
    if p.escalation:
        lines.append(f"escalation {' → '.join(p.escalation)}")
    if p.members:
        lines.append(f"members {', '.join(p.members)}")
    manager = settings.customer_manager(p)
    if manager is not None:
        lines.append(f"customer manager {manager.key}")
    if p.ack_timeout is not None:
        lines.append(f"ack timeout {format_duration(p.ack_timeout)}")
    if p.group_chat_id is not None:
        topic = f", topic {p.group_topic_id}" if p.group_topic_id is not None else ""
        lines.append(f"team group {p.group_chat_id}{topic}")
    if p.hotline:
        lines.append(f"hotline {p.hotline} (the company's number customers see)")
    if p.contract is not None:
        c = p.contract
        lines.append(f"contract {c.start} to {c.end}, warranty until {c.warranty_end}, "
                     f"inspections {c.inspections}")  # fmt: skip
    lines.append(f"daily report at {p.daily_report_at}, monthly on the 1st at "
                 f"{p.monthly_report_at}")  # fmt: skip
    return lines


def _calendar(cal: CalendarConfig) -> str:
    hours = cal.hours if isinstance(cal.hours, str) else ", ".join(cal.hours)
    days = "mainland China's official working days" if cal.official == "cn" else (
        "Monday to Friday")  # fmt: skip
    extra = []
    if cal.extra_holidays:
        extra.append(f"{len(cal.extra_holidays)} extra holidays")
    if cal.extra_workdays:
        extra.append(f"{len(cal.extra_workdays)} extra working days")
    return f"{hours} on {days}" + (f" ({', '.join(extra)})" if extra else "")


def _on_duty(settings: Settings, p: ProjectConfig, now: datetime, ovs: list[Override]) -> str:
    team: Team = settings.team(p)
    if team.layers:
        team = team.with_overrides(ovs)
    tiers = team.tiers(now)
    if not tiers or not any(tiers):
        return "NOBODY (a gap in the roster: new faults would page no one)"
    parts = []
    for i, people in enumerate(tiers):
        names = ", ".join(_who(settings, k) for k in people) or "nobody"
        parts.append(names if i == 0 else f"then {names}")
    return "; ".join(parts)


def _who(settings: Settings, key: str) -> str:
    staff = settings.find_staff(key)
    return f"{key} ({staff.name})" if staff is not None else key


def _overrides(settings: Settings, now: datetime) -> tuple[list[Override], str]:
    """The roster's overrides in the database (/cover, swaps), read-only, if it exists."""
    path = Path(settings.database)
    if not path.is_file():
        return [], "no database yet: the config's roster"
    try:
        return asyncio.run(_read_overrides(path, [t.key for t in settings.teams], now)), (
            "the roster with the database's overrides")  # fmt: skip
    except Exception as e:  # an old or locked database: the config's roster still shows
        return [], f"the config's roster; overrides not read: {type(e).__name__}"


async def _read_overrides(path: Path, teams: Iterable[str], now: datetime) -> list[Override]:
    from datetime import timedelta

    from bot.storage.uow import snapshot

    found: list[Override] = []
    async with snapshot(path) as uow:
        for team in teams:
            found += await uow.rosters.overrides(team, now - timedelta(days=1))
    return found
