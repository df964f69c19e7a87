"""Deployment configuration: the TOML file the operator edits, plus secrets from the environment.

``load_settings(path)`` reads the TOML file and returns a validated, immutable ``Settings``.
Every problem is reported as a ``ConfigError`` with one line per problem, each line naming
the file and the key path, e.g.::

    config/hotline.toml: projects[0].on_duty: unknown staff key 'engX'

Secrets (the bot token) never live in the TOML file; ``EnvSettings`` reads them from the
environment and keeps them in ``SecretStr`` so they do not show up in reprs or logs.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.calendar import AlwaysOpen, BusinessCalendar, Calendar, OfficialDays
from bot.domain.clocks import (
    EVENTS,
    ClockSpec,
    SlaPolicy,
    Target,
    parse_target,
    parse_warn,
    shorthand_clocks,
)
from bot.domain.durations import format_duration, parse_duration
from bot.domain.roster import Layer, Team
from bot.domain.ticket import Level as LevelEnum

__all__ = [
    "DEFAULT_CAUSES",
    "LEVELS",
    "MANAGER_ROLES",
    "ROLES",
    "CauseConfig",
    "ConfigError",
    "EnvSettings",
    "Level",
    "PolicyConfig",
    "ProjectConfig",
    "Role",
    "Settings",
    "StaffConfig",
    "load_settings",
]

Role = Literal["engineer", "customer_manager", "project_manager", "project_lead", "admin"]
Level = Literal["A", "B", "C"]

ROLES: tuple[Role, ...] = get_args(Role)
LEVELS: tuple[Level, ...] = get_args(Level)
MANAGER_ROLES: frozenset[Role] = frozenset(
    {"customer_manager", "project_manager", "project_lead", "admin"}
)

_KEY_RE = re.compile(r"[a-z0-9_-]+", re.ASCII)
# Telegram's /start deep-link parameter: up to 64 characters of A-Z, a-z, 0-9, _ and -.
_INVITE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` holds one human line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------- field types


def _check_key(value: str) -> str:
    if not _KEY_RE.fullmatch(value):
        raise ValueError(f"invalid key '{value}': use lowercase letters, digits, '_' and '-' only")
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _to_duration(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        if value <= timedelta():
            raise ValueError(f"duration must be positive, got {format_duration(abs(value))}")
        return value
    raise ValueError('write durations as quoted text, e.g. "15m", "2h" or "1h30m"')


def _to_target(value: object) -> object:
    if isinstance(value, str):
        return parse_target(value)
    if isinstance(value, Target):
        return value
    raise ValueError('write durations as quoted text, e.g. "15m", "2h", "4bh" or "3wd"')


def _check_warn(value: str) -> str:
    parse_warn(value)
    return value


Key = Annotated[str, AfterValidator(_check_key)]
TargetField = Annotated[Target, BeforeValidator(_to_target)]
WarnField = Annotated[str, AfterValidator(_check_warn)]
Text = Annotated[str, AfterValidator(_check_text)]
Duration = Annotated[timedelta, BeforeValidator(_to_duration)]


class _Model(BaseModel):
    # Unknown keys are rejected so that a typo ("escalaton") does not silently disable a rule.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


# --------------------------------------------------------------------------- models


class StaffConfig(_Model):
    """A member of the service team (engineer, manager, admin)."""

    key: Key
    name: Text
    telegram_id: int = Field(gt=0, strict=True)
    phone: str = ""
    roles: list[Role]

    @field_validator("phone", mode="before")
    @classmethod
    def _phone_is_text(cls, value: object) -> object:
        if isinstance(value, int):
            raise ValueError('write the phone number in quotes, e.g. "13800000001"')
        return value

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: list[Role]) -> list[Role]:
        if not value:
            raise ValueError(f"must list at least one role ({', '.join(ROLES)})")
        return value

    def has_role(self, *roles: Role) -> bool:
        """True if this person has any of ``roles``."""
        return any(role in self.roles for role in roles)

    @property
    def is_manager(self) -> bool:
        """Customer manager, project manager, project lead or admin."""
        return any(role in MANAGER_ROLES for role in self.roles)


class ProjectConfig(_Model):
    """A customer project: who is on duty, who is escalated to, which deadlines apply."""

    key: Key
    name: Text
    invite: str
    policy: str
    # Always on duty (paged for new faults), on top of the rotation of `team`.
    on_duty: list[str] = []
    # The on-call rotation (a [[teams]] key) whose current shift is paged.
    team: str | None = None
    # Not accepted within this long: the next layer, then the escalation chain, is paged.
    # Default: half the respond target of the fault's level.
    ack_timeout: Duration | None = None
    # Optional team group chat mirroring new tickets and their changes (a negative id),
    # and the forum topic to post in when the group has topics.
    group_chat_id: int | None = None
    group_topic_id: int | None = None
    escalation: list[str] = []
    members: list[str] = []

    @field_validator("invite")
    @classmethod
    def _check_invite(cls, value: str) -> str:
        if not _INVITE_RE.fullmatch(value):
            raise ValueError(
                f"invalid invite code '{value}': use 1 to 64 letters, digits, '_' or '-' "
                "(it travels in a Telegram /start link)"
            )
        return value

    def staff_keys(self) -> list[str]:
        """Everyone attached to the project: on duty, members, escalation; no duplicates."""
        return list(dict.fromkeys([*self.on_duty, *self.members, *self.escalation]))


def _check_levels(value: object) -> object:
    if not isinstance(value, dict):
        return value  # the type check reports it
    unknown = [key for key in value if key not in LEVELS]
    if unknown:
        raise ValueError(f"unknown level '{unknown[0]}': the levels are A, B and C")
    missing = [level for level in LEVELS if level not in value]
    if missing:
        raise ValueError(
            f"missing level {', '.join(missing)}: give a duration for each of A, B and C"
        )
    return value


_BREACH_EVENT = re.compile(r"[a-z0-9_-]+_breached", re.ASCII)


class ClockConfig(_Model):
    """One more clock of a policy (besides respond/arrive/repair)."""

    name: Key
    start: str
    stop: list[str] = Field(min_length=1)
    # One target for every level, or a table with only the levels the clock applies to.
    target: TargetField | dict[Level, TargetField]
    warn: list[WarnField] | None = None  # None: the policy's warning points
    on_breach: Literal["escalate", "owner", "lead"] = "escalate"
    tell_customer: bool = True
    label: dict[Literal["zh", "en"], Text] = {}
    expect: dict[Literal["zh", "en"], Text] = {}

    @field_validator("start")
    @classmethod
    def _known_start(cls, value: str) -> str:
        if value not in EVENTS and not _BREACH_EVENT.fullmatch(value):
            raise ValueError(
                f"unknown event '{value}': use one of {', '.join(EVENTS)} or <clock>_breached"
            )
        return value

    @field_validator("stop")
    @classmethod
    def _known_stops(cls, value: list[str]) -> list[str]:
        for event in value:
            if event not in EVENTS:
                raise ValueError(f"unknown event '{event}': use one of {', '.join(EVENTS)}")
        return value

    def targets(self) -> dict[Level, Target]:
        if isinstance(self.target, dict):
            return dict(self.target)
        return {level: self.target for level in LEVELS}


class CalendarConfig(_Model):
    """Working hours on working days, for business-hour (bh) and working-day (wd) targets."""

    hours: str = "09:00-17:30"
    # "cn": mainland China's official working days with 调休; "none": Monday to Friday.
    official: Literal["cn", "none"] = "cn"
    extra_holidays: list[date] = []
    extra_workdays: list[date] = []

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        cls.parse_hours(value)
        return value

    @staticmethod
    def parse_hours(value: str) -> tuple[time, time]:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", value.strip())
        if match is None:
            raise ValueError(f"invalid working hours '{value}': use e.g. \"09:00-17:30\"")
        h1, m1, h2, m2 = (int(x) for x in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2) or (h1, m1) == (h2, m2):
            raise ValueError(f"invalid working hours '{value}': use e.g. \"09:00-17:30\"")
        return time(h1, m1), time(0, 0) if h2 == 24 else time(h2, m2)


BUILTIN_CALENDARS = {"5x8": CalendarConfig()}


def _hhmm(value: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"invalid time '{value}': use e.g. \"08:00\"")
    return time(int(match[1]), int(match[2]))


class LayerConfig(_Model):
    """One layer of an on-call rotation: primary first, then secondary."""

    name: Key = "primary"
    members: list[str] = Field(min_length=1)
    # daily / weekly: one member from hand-off to hand-off; shifts: each shift of the day
    # goes to the next member in order.
    rotation: Literal["daily", "weekly", "shifts"] = "daily"
    handoff: str = "08:00"
    start: date
    shifts: list[str] = []
    timezone: str | None = None

    @field_validator("handoff")
    @classmethod
    def _check_handoff(cls, value: str) -> str:
        _hhmm(value)
        return value

    @field_validator("shifts")
    @classmethod
    def _check_shifts(cls, value: list[str]) -> list[str]:
        for item in value:
            CalendarConfig.parse_hours(item)
        return value

    @model_validator(mode="after")
    def _shifts_for_shift_rotation(self) -> LayerConfig:
        if self.rotation == "shifts" and not self.shifts:
            raise ValueError(
                'shifts: a "shifts" rotation needs e.g. ["08:00-20:00", "20:00-08:00"]'
            )
        return self


class TeamConfig(_Model):
    """An on-call team (one or several projects page its current shift)."""

    key: Key
    name: str = ""
    layers: list[LayerConfig] = Field(min_length=1)


class HeightenedConfig(_Model):
    """重大活动 / 重大节日: two engineers paged at once and ack_timeout halved."""

    name: Text
    start: date
    end: date  # inclusive
    projects: list[str] = []  # empty: every project

    @model_validator(mode="after")
    def _ordered(self) -> HeightenedConfig:
        if self.end < self.start:
            raise ValueError("end: must not be before start")
        return self


class PolicyConfig(_Model):
    """Deadlines per severity level: respond (响应), arrive (到场), repair (修复), and more."""

    # The business calendar that bh/wd targets count on ("24x7": none).
    calendar: str = "24x7"
    respond: dict[Level, TargetField]
    arrive: dict[Level, TargetField]
    repair: dict[Level, TargetField]
    warn: list[WarnField] = ["50%", "80%"]
    escalate_every: Duration = timedelta(minutes=30)
    clocks: list[ClockConfig] = []

    @field_validator("respond", "arrive", "repair", mode="before")
    @classmethod
    def _all_levels(cls, value: object) -> object:
        return _check_levels(value)

    @model_validator(mode="after")
    def _business_needs_calendar(self) -> PolicyConfig:
        if self.calendar == "24x7":
            for name in ("respond", "arrive", "repair"):
                if any(t.business for t in getattr(self, name).values()):
                    raise ValueError(
                        f"{name}: business-hour targets (bh, wd) need a working-hours "
                        'calendar, e.g. calendar = "5x8"'
                    )
            for clock in self.clocks:
                if any(t.business for t in clock.targets().values()):
                    raise ValueError(
                        f"clock '{clock.name}': business-hour targets (bh, wd) need a "
                        'working-hours calendar, e.g. calendar = "5x8"'
                    )
        names = ["respond", "arrive", "repair", *(c.name for c in self.clocks)]

        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"clock '{dupes[0]}' is defined twice")
        return self


class CauseConfig(_Model):
    """A fault cause offered when closing a fault, with its Chinese and English label."""

    key: Key
    zh: Text
    en: Text

    def label(self, language: str) -> str:
        """The label in ``language`` ("zh" or "en"); anything else falls back to English."""
        return self.zh if language == "zh" else self.en


DEFAULT_CAUSES: tuple[CauseConfig, ...] = (
    CauseConfig(key="power", zh="电源", en="Power supply"),
    CauseConfig(key="transmission", zh="传输", en="Transmission"),
    CauseConfig(key="hardware", zh="硬件", en="Hardware"),
    CauseConfig(key="software", zh="软件", en="Software"),
    CauseConfig(key="user_operation", zh="用户操作", en="User operation"),
    CauseConfig(key="force_majeure", zh="不可抗力", en="Force majeure"),
    CauseConfig(key="other", zh="其他", en="Other"),
)


class _CrossCheckError(ValueError):
    """Several problems found by ``Settings``' cross-checks, each with its own key path."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))


class Settings(_Model):
    """The whole deployment configuration (see config/hotline.example.toml)."""

    timezone: str
    default_language: Literal["zh", "en"] = "zh"
    database: Path
    draft_ttl: Duration = timedelta(hours=24)
    # Telegram allows a bot about 30 messages a second overall; stay a little below it.
    messages_per_second: float = Field(default=25.0, gt=0, le=1000)
    staff: list[StaffConfig]
    projects: list[ProjectConfig] = Field(min_length=1)
    policies: dict[str, PolicyConfig]
    calendars: dict[str, CalendarConfig] = {}
    teams: list[TeamConfig] = []
    heightened: list[HeightenedConfig] = []
    # Engineers are reminded this long before their shift starts.
    shift_reminder: Duration = timedelta(minutes=30)
    causes: list[CauseConfig] = Field(default_factory=lambda: list(DEFAULT_CAUSES))

    _staff_by_key: dict[str, StaffConfig] = PrivateAttr(default_factory=dict)
    _staff_by_tid: dict[int, StaffConfig] = PrivateAttr(default_factory=dict)
    _projects_by_key: dict[str, ProjectConfig] = PrivateAttr(default_factory=dict)
    _projects_by_invite: dict[str, ProjectConfig] = PrivateAttr(default_factory=dict)
    _projects_by_staff: dict[str, list[ProjectConfig]] = PrivateAttr(default_factory=dict)
    _causes_by_key: dict[str, CauseConfig] = PrivateAttr(default_factory=dict)
    _sla: dict[str, SlaPolicy] = PrivateAttr(default_factory=dict)
    _teams_by_key: dict[str, TeamConfig] = PrivateAttr(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(
                f"unknown time zone '{value}': use an IANA name such as 'Asia/Shanghai'"
            ) from None
        return value

    @field_validator("database", mode="before")
    @classmethod
    def _database_given(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("causes")
    @classmethod
    def _some_cause(cls, value: list[CauseConfig]) -> list[CauseConfig]:
        if not value:
            raise ValueError("must list at least one cause (or leave 'causes' out)")
        return value

    @model_validator(mode="after")
    def _cross_check(self) -> Settings:
        problems: list[tuple[str, str]] = []
        problems += _duplicates("staff", "key", "staff key", ((s.key, s.key) for s in self.staff))
        problems += _duplicates(
            "staff",
            "telegram_id",
            "telegram id",
            ((s.telegram_id, str(s.telegram_id)) for s in self.staff),
        )
        problems += _duplicates(
            "projects", "key", "project key", ((p.key, p.key) for p in self.projects)
        )
        problems += _duplicates(
            "projects",
            "invite",
            "invite code (invite codes ignore case)",
            ((p.invite.casefold(), p.invite) for p in self.projects),
        )
        problems += _duplicates(
            "causes", "key", "cause key", ((c.key, c.key) for c in self.causes)
        )
        staff_keys = {s.key for s in self.staff}
        team_keys = {t.key for t in self.teams}
        problems += _duplicates("teams", "key", "team key", ((t.key, t.key) for t in self.teams))
        for ti, team in enumerate(self.teams):
            names = [layer.name for layer in team.layers]
            for li, layer in enumerate(team.layers):
                if names.count(layer.name) > 1 and names.index(layer.name) != li:
                    problems.append(
                        (f"teams[{ti}].layers[{li}].name", f"duplicate layer name '{layer.name}'")
                    )
                for key in layer.members:
                    if key not in staff_keys:
                        problems.append((f"teams[{ti}].layers[{li}].members", _unknown_staff(key)))
                if layer.timezone is not None:
                    try:
                        ZoneInfo(layer.timezone)
                    except (ValueError, KeyError):
                        problems.append(
                            (
                                f"teams[{ti}].layers[{li}].timezone",
                                f"unknown time zone '{layer.timezone}'",
                            )
                        )
        project_keys = {p.key for p in self.projects}
        for hi, period in enumerate(self.heightened):
            for key in period.projects:
                if key not in project_keys:
                    problems.append((f"heightened[{hi}].projects", f"unknown project '{key}'"))
        for index, project in enumerate(self.projects):
            if not project.on_duty and not project.team:
                problems.append(
                    (
                        f"projects[{index}].on_duty",
                        "must name at least one staff key to page for new faults",
                    )
                )
            if project.team is not None and project.team not in team_keys:
                problems.append(
                    (
                        f"projects[{index}].team",
                        f"unknown team '{project.team}' (defined: "
                        f"{', '.join(sorted(team_keys)) or 'none'})",
                    )
                )
            for field in ("on_duty", "escalation", "members"):
                for key in getattr(project, field):
                    if key not in staff_keys:
                        problems.append((f"projects[{index}].{field}", _unknown_staff(key)))
            if project.policy not in self.policies:
                defined = ", ".join(sorted(self.policies)) or "none"
                problems.append(
                    (
                        f"projects[{index}].policy",
                        f"unknown policy '{project.policy}' (defined: {defined})",
                    )
                )
        for key, policy in self.policies.items():
            names = ["respond", "arrive", "repair", *(c.name for c in policy.clocks)]
            for i, clock in enumerate(policy.clocks):
                if clock.start.endswith("_breached") and clock.start[:-9] not in names:
                    problems.append(
                        (
                            f"policies.{key}.clocks[{i}].start",
                            f"'{clock.start}' names no clock of this policy "
                            f"(clocks: {', '.join(names)})",
                        )
                    )
        known_calendars = {"24x7", *BUILTIN_CALENDARS, *self.calendars}
        for key, policy in self.policies.items():
            if policy.calendar not in known_calendars:
                problems.append(
                    (
                        f"policies.{key}.calendar",
                        f"unknown calendar '{policy.calendar}' (defined: "
                        f"{', '.join(sorted(known_calendars))})",
                    )
                )
        if problems:
            raise _CrossCheckError(problems)
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._staff_by_key = {s.key: s for s in self.staff}
        self._staff_by_tid = {s.telegram_id: s for s in self.staff}
        self._projects_by_key = {p.key: p for p in self.projects}
        self._projects_by_invite = {p.invite.casefold(): p for p in self.projects}
        self._causes_by_key = {c.key: c for c in self.causes}
        by_staff: dict[str, list[ProjectConfig]] = {}
        self._teams_by_key = {t.key: t for t in self.teams}
        for project in self.projects:
            for key in self.project_staff_keys(project):
                by_staff.setdefault(key, []).append(project)
        self._projects_by_staff = by_staff

    # ---------------------------------------------------------------- lookups

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def staff_by_key(self, key: str) -> StaffConfig:
        """The staff entry ``key``; ``KeyError`` if there is none."""
        try:
            return self._staff_by_key[key]
        except KeyError:
            raise KeyError(f"unknown staff key {key!r}") from None

    def staff_by_telegram_id(self, telegram_id: int) -> StaffConfig | None:
        return self._staff_by_tid.get(telegram_id)

    def project(self, key: str) -> ProjectConfig:
        """The project ``key``; ``KeyError`` if there is none."""
        try:
            return self._projects_by_key[key]
        except KeyError:
            raise KeyError(f"unknown project key {key!r}") from None

    def project_by_invite(self, code: str) -> ProjectConfig | None:
        """The project whose invite code is ``code``, ignoring case."""
        return self._projects_by_invite.get(code.casefold())

    def projects_of_staff(self, key: str) -> list[ProjectConfig]:
        """Projects that list ``key`` in on_duty, members or escalation, in config order."""
        return list(self._projects_by_staff.get(key, ()))

    def policy_of(self, project_key: str) -> PolicyConfig:
        """The deadline policy of project ``project_key``; ``KeyError`` if no such project."""
        return self.policies[self.project(project_key).policy]

    def project_staff_keys(self, project: ProjectConfig) -> list[str]:
        """Everyone of a project: always on duty, its team's rotation, members, escalation."""
        team = self._teams_by_key.get(project.team or "")
        rotation = [k for layer in team.layers for k in layer.members] if team else []
        return list(
            dict.fromkeys([*project.on_duty, *rotation, *project.members, *project.escalation])
        )

    def team(self, project: ProjectConfig) -> Team:
        """The project's on-call roster: its team's layers, plus `on_duty` always on duty."""
        layers: list[Layer] = []
        cfg = self._teams_by_key.get(project.team or "")
        if cfg is not None:
            for layer in cfg.layers:
                layers.append(
                    Layer(
                        name=layer.name,
                        members=tuple(layer.members),
                        rotation=layer.rotation,
                        tz=ZoneInfo(layer.timezone or self.timezone),
                        start=layer.start,
                        handoff=_hhmm(layer.handoff),
                        shifts=tuple(CalendarConfig.parse_hours(x) for x in layer.shifts),
                    )
                )
        key = cfg.key if cfg is not None else f"project:{project.key}"
        return Team(key, tuple(layers), always=tuple(project.on_duty))

    def heightened_on(self, project_key: str, day: date) -> HeightenedConfig | None:
        """The heightened period (重大活动) covering `day` for this project, if any."""
        for period in self.heightened:
            if period.start <= day <= period.end and (
                not period.projects or project_key in period.projects
            ):
                return period
        return None

    def calendar(self, name: str) -> Calendar:
        """The calendar `name` ("24x7", "5x8" or one from [calendars])."""
        if name == "24x7":
            return AlwaysOpen()
        cfg = self.calendars.get(name) or BUILTIN_CALENDARS[name]
        opens, closes = CalendarConfig.parse_hours(cfg.hours)
        days = OfficialDays(cfg.extra_holidays, cfg.extra_workdays)
        if cfg.official == "none":
            days.official = False
        return BusinessCalendar(name, self.tz, opens, closes, days)

    def sla_policy(self, project_key: str) -> SlaPolicy:
        """The project's promises as clocks, with their calendar (built once)."""
        key = self.project(project_key).policy
        if key not in self._sla:
            cfg = self.policies[key]
            warn = tuple(parse_warn(w) for w in cfg.warn)

            def levels(targets: dict[Level, Target]) -> dict[LevelEnum, Target]:
                return {LevelEnum(k): v for k, v in targets.items()}

            clocks = shorthand_clocks(
                levels(cfg.respond), levels(cfg.arrive), levels(cfg.repair), warn
            )
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
            self._sla[key] = SlaPolicy(
                key, tuple(clocks), self.calendar(cfg.calendar), cfg.escalate_every
            )
        return self._sla[key]

    def cause(self, key: str) -> CauseConfig:
        """The cause ``key``; ``KeyError`` if there is none."""
        try:
            return self._causes_by_key[key]
        except KeyError:
            raise KeyError(f"unknown cause key {key!r}") from None


def _unknown_staff(key: str) -> str:
    return f"unknown staff key '{key}'"


def _duplicates(
    section: str, field: str, what: str, values: Iterable[tuple[object, str]]
) -> list[tuple[str, str]]:
    """Report every entry of ``section`` whose ``field`` repeats an earlier entry's value."""
    first_seen: dict[object, int] = {}
    problems: list[tuple[str, str]] = []
    for index, (identity, shown) in enumerate(values):
        if identity in first_seen:
            problems.append(
                (
                    f"{section}[{index}].{field}",
                    f"duplicate {what} '{shown}' (already used by {section}"
                    f"[{first_seen[identity]}])",
                )
            )
        else:
            first_seen[identity] = index
    return problems


# --------------------------------------------------------------------------- loading


def load_settings(path: str | Path) -> Settings:
    """Read and validate the TOML config at ``path``; raise ``ConfigError`` on any problem.

    A relative ``database`` path is resolved against the folder of the config file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read config file: {exc.strerror or exc}"]) from None
    try:
        # utf-8-sig: tolerate the byte-order mark some Windows editors write.
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: config file is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: TOML syntax error: {exc}"]) from None

    database = data.get("database")
    if isinstance(database, str) and database.strip():
        db_path = Path(database)
        if not db_path.is_absolute():
            data["database"] = str(Path(os.path.abspath(path)).parent / db_path)

    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([f"{path}: {where}: {what}" for where, what in _describe(exc)]) from None


def _describe(exc: ValidationError) -> list[tuple[str, str]]:
    """Turn pydantic's errors into (key path, human message) pairs."""
    described: list[tuple[str, str]] = []
    for error in exc.errors(include_url=False, include_input=False):
        where = _key_path(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _CrossCheckError):
            described.extend(cause.problems)
            continue
        described.append((where or "(top level)", _message(error, cause)))
    return described


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _message(error: ErrorDetails, cause: object) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and cause is not None:
        return str(cause)
    messages = {
        "missing": "required key is missing",
        "extra_forbidden": "unknown key (check the spelling)",
        "string_type": "must be text in quotes",
        "int_type": "must be a whole number (without quotes)",
        "list_type": 'must be a list, e.g. ["a", "b"]',
        "dict_type": "must be a table",
        "model_type": "must be a table",
        "model_attributes_type": "must be a table",
        "literal_error": f"must be {ctx.get('expected')}",
        "greater_than": f"must be greater than {ctx.get('gt')}",
        "too_short": "must not be empty",
    }
    return messages.get(kind, str(error["msg"]))


# --------------------------------------------------------------------------- environment


class EnvSettings(BaseSettings):
    """Secrets and endpoints from the environment (never from the TOML file)."""

    model_config = SettingsConfigDict(env_prefix="", env_ignore_empty=True, extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
