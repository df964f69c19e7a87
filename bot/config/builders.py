"""The domain objects the configuration describes: a project's on-call team
(``bot.domain.roster``), a business calendar (``bot.domain.calendar``) and a deadline policy's
clocks (``bot.domain.clocks``). Pure functions of the validated sections.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config.schema import (
    BUILTIN_CALENDARS,
    CalendarConfig,
    Level,
    PolicyConfig,
    ProjectConfig,
    TeamConfig,
    parse_hhmm,
)
from bot.domain.calendar import AlwaysOpen, BusinessCalendar, Calendar, OfficialDays
from bot.domain.clocks import ClockSpec, SlaPolicy, Target, parse_warn, shorthand_clocks
from bot.domain.requests import DEFAULT_TARGETS, RequestKind, request_policy
from bot.domain.roster import Layer, Team
from bot.domain.ticket import Level as LevelEnum


def build_team(project: ProjectConfig, team: TeamConfig | None, timezone: str) -> Team:
    """The project's on-call roster: its team's layers, plus `on_duty` always on duty.

    A layer without its own time zone hands off in the deployment's ``timezone``.
    """
    layers: list[Layer] = []
    if team is not None:
        for layer in team.layers:
            layers.append(
                Layer(
                    name=layer.name,
                    members=tuple(layer.members),
                    rotation=layer.rotation,
                    tz=ZoneInfo(layer.timezone or timezone),
                    start=layer.start,
                    handoff=parse_hhmm(layer.handoff),
                    shifts=tuple(CalendarConfig.parse_hours(x) for x in layer.shifts),
                )
            )
    key = team.key if team is not None else f"project:{project.key}"
    return Team(key, tuple(layers), always=tuple(project.on_duty))


def build_calendar(name: str, calendars: dict[str, CalendarConfig], tz: ZoneInfo) -> Calendar:
    """The calendar `name`: "24x7", a built-in one ("5x8") or one from ``calendars``."""
    if name == "24x7":
        return AlwaysOpen()
    cfg = calendars.get(name) or BUILTIN_CALENDARS[name]
    days = OfficialDays(cfg.extra_holidays, cfg.extra_workdays)
    if cfg.official == "none":
        days.official = False
    return BusinessCalendar(name, tz, CalendarConfig.spans(cfg.hours), days)


def build_sla_policy(key: str, cfg: PolicyConfig, calendar: Calendar) -> SlaPolicy:
    """The policy's promises as clocks: respond/arrive/repair, then its own clocks."""
    warn = tuple(parse_warn(w) for w in cfg.warn)

    def levels(targets: dict[Level, Target]) -> dict[LevelEnum, Target]:
        return {LevelEnum(k): v for k, v in targets.items()}

    clocks = shorthand_clocks(levels(cfg.respond), levels(cfg.arrive), levels(cfg.repair), warn)
    for c in cfg.clocks:
        clocks.append(
            ClockSpec(
                name=c.name,
                start=c.start,
                stop=tuple(c.stop),
                targets=levels(c.targets()),
                warn=warn if c.warn is None else tuple(parse_warn(w) for w in c.warn),
                on_breach=c.on_breach,
                tell_customer=c.tell_customer,
                labels={str(k): v for k, v in c.label.items()},
                expect={str(k): v for k, v in c.expect.items()},
            )
        )
    return SlaPolicy(key, tuple(clocks), calendar, cfg.escalate_every)


def build_request_policy(
    key: str, cfg: PolicyConfig, calendar: Calendar, kind: RequestKind
) -> SlaPolicy:
    """The clocks of a service request of `kind` under policy `key` (defaults when the policy
    has no targets for it)."""
    own = cfg.requests.get(kind)
    respond, resolve = (own.respond, own.resolve) if own else DEFAULT_TARGETS[kind]
    warn = tuple(parse_warn(w) for w in cfg.warn)
    return request_policy(key, kind, respond, resolve, warn, calendar, cfg.escalate_every)
