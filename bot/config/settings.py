"""``Settings``: the whole deployment configuration, its fields and the checks across sections.

The lookups over it live in ``bot/config/lookups.py`` and the domain objects built from it in
``bot/config/builders.py``; ``Settings`` keeps one thin method per question so that callers
ask the configuration itself (``settings.staff_by_key("eng1")``, ``settings.sla_policy(p)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, PrivateAttr, field_validator, model_validator

from bot.config.builders import (
    build_calendar,
    build_request_policy,
    build_sla_policy,
    build_team,
)
from bot.config.lookups import Lookups
from bot.config.schema import (
    BUILTIN_CALENDARS,
    DEFAULT_CAUSES,
    CalendarConfig,
    CauseConfig,
    ConfigModel,
    Duration,
    GuardConfig,
    HeightenedConfig,
    HttpConfig,
    PolicyConfig,
    ProjectConfig,
    StaffConfig,
    TeamConfig,
    WebhookConfig,
    parse_hhmm,
)
from bot.domain.calendar import Calendar
from bot.domain.clocks import SlaPolicy
from bot.domain.requests import request_kind
from bot.domain.roster import Team


class CrossCheckError(ValueError):
    """Several problems found by ``Settings``' cross-checks, each with its own key path."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))


class Settings(ConfigModel):
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
    calendars: dict[str, CalendarConfig] = Field(default_factory=dict)
    teams: list[TeamConfig] = Field(default_factory=list)
    heightened: list[HeightenedConfig] = Field(default_factory=list)
    # Engineers are reminded this long before their shift starts.
    shift_reminder: Duration = timedelta(minutes=30)
    causes: list[CauseConfig] = Field(default_factory=lambda: list(DEFAULT_CAUSES))
    # Sent messages and fired timers older than this are pruned every night; tickets,
    # timelines, reports and ledgers are kept for ever.
    retention: Duration = timedelta(days=90)
    # Updates by webhook behind a reverse proxy; absent: long polling (the default).
    webhook: WebhookConfig | None = None
    # On SIGTERM the outbox is drained for at most this long before the bot exits.
    shutdown_grace: Duration = timedelta(seconds=10)
    guard: GuardConfig = Field(default_factory=GuardConfig)
    # Health and metrics over HTTP (off unless [http] listen is set).
    http: HttpConfig = Field(default_factory=HttpConfig)
    # The daily online backup: local time, folder (default: backups/ next to the database),
    # how many are kept.
    backup_at: str = "03:00"
    backup_dir: Path | None = None
    backup_keep: int = Field(default=14, ge=1, le=10_000)
    # The service company's name printed on the equipment labels (the contract's 销售供应商
    # 名称); "" prints no name line.
    supplier: str = Field(default="", max_length=100)

    _lookups: Lookups = PrivateAttr()
    _sla: dict[str, SlaPolicy] = PrivateAttr(default_factory=dict)

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

    @field_validator("retention")
    @classmethod
    def _retention_a_day_at_least(cls, value: timedelta) -> timedelta:
        if value < timedelta(days=1):
            raise ValueError("must be at least a day (e.g. \"90d\")")
        return value

    @field_validator("backup_at")
    @classmethod
    def _check_backup_at(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @field_validator("causes")
    @classmethod
    def _some_cause(cls, value: list[CauseConfig]) -> list[CauseConfig]:
        if not value:
            raise ValueError("must list at least one cause (or leave 'causes' out)")
        return value

    @model_validator(mode="after")
    def _cross_check(self) -> Settings:
        problems = [
            *_duplicate_keys(self),
            *_team_problems(self),
            *_heightened_problems(self),
            *_project_problems(self),
            *_policy_problems(self),
        ]
        if problems:
            raise CrossCheckError(problems)
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._lookups = Lookups(self)

    # ---------------------------------------------------------------- lookups

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def staff_by_key(self, key: str) -> StaffConfig:
        """The staff entry ``key``; ``KeyError`` if there is none."""
        return self._lookups.staff_by_key(key)

    def staff_by_telegram_id(self, telegram_id: int) -> StaffConfig | None:
        return self._lookups.staff_by_telegram_id(telegram_id)

    def find_staff(self, key: str) -> StaffConfig | None:
        """The staff entry ``key``, or None when the config no longer has it."""
        return self._lookups.find_staff(key)

    def find_project(self, key: str) -> ProjectConfig | None:
        """The project ``key``, or None when the config no longer has it."""
        return self._lookups.find_project(key)

    def project(self, key: str) -> ProjectConfig:
        """The project ``key``; ``KeyError`` if there is none."""
        return self._lookups.project(key)

    def project_by_invite(self, code: str) -> ProjectConfig | None:
        """The project whose invite code is ``code``, ignoring case."""
        return self._lookups.project_by_invite(code)

    def projects_of_staff(self, key: str) -> list[ProjectConfig]:
        """Projects ``key`` belongs to (see ``project_staff_keys``), in config order."""
        return self._lookups.projects_of_staff(key)

    def policy_of(self, project_key: str) -> PolicyConfig:
        """The deadline policy of project ``project_key``; ``KeyError`` if no such project."""
        return self._lookups.policy_of(project_key)

    def project_staff_keys(self, project: ProjectConfig) -> list[str]:
        """Everyone of a project: always on duty, its team's rotation, members, escalation."""
        return self._lookups.project_staff_keys(project)

    def heightened_on(self, project_key: str, day: date) -> HeightenedConfig | None:
        """The heightened period (重大活动) covering `day` for this project, if any."""
        return self._lookups.heightened_on(project_key, day)

    def cause(self, key: str) -> CauseConfig:
        """The cause ``key``; ``KeyError`` if there is none."""
        return self._lookups.cause(key)

    # ---------------------------------------------------------------- domain objects

    def team(self, project: ProjectConfig) -> Team:
        """The project's on-call roster: its team's layers, plus `on_duty` always on duty."""
        return build_team(project, self._lookups.team_of(project), self.timezone)

    def calendar(self, name: str) -> Calendar:
        """The calendar `name` ("24x7", "5x8" or one from [calendars])."""
        return build_calendar(name, self.calendars, self.tz)

    def sla_policy(self, project_key: str, kind: str = "fault") -> SlaPolicy:
        """The project's promises as clocks, with their calendar (built once); a service
        request's `kind` (bot/domain/requests.py) has its own two clocks."""
        key = self.project(project_key).policy
        found = request_kind(kind)
        cache = key if found is None else f"{key}/{found}"
        if cache not in self._sla:
            policy = self.policies[key]
            cal = self.calendar(policy.calendar)
            self._sla[cache] = (
                build_sla_policy(key, policy, cal)
                if found is None
                else build_request_policy(key, policy, cal, found)
            )
        return self._sla[cache]

    def customer_manager(self, project: ProjectConfig) -> StaffConfig | None:
        """The project's customer manager shown to its customers: the first staff member of
        the project with that role (escalation chain and members included)."""
        for key in self.project_staff_keys(project):
            staff = self.find_staff(key)
            if staff is not None and staff.has_role("customer_manager"):
                return staff
        return None


# --------------------------------------------------------------------------- cross-checks
# Each returns (key path, problem) pairs; ``_cross_check`` reports them in this order.


def _duplicate_keys(settings: Settings) -> list[tuple[str, str]]:
    staff, projects, causes = settings.staff, settings.projects, settings.causes
    return [
        *_duplicates("staff", "key", "staff key", ((s.key, s.key) for s in staff)),
        *_duplicates(
            "staff",
            "telegram_id",
            "telegram id",
            ((s.telegram_id, str(s.telegram_id)) for s in staff),
        ),
        *_duplicates("projects", "key", "project key", ((p.key, p.key) for p in projects)),
        *_duplicates(
            "projects",
            "invite",
            "invite code (invite codes ignore case)",
            ((p.invite.casefold(), p.invite) for p in projects),
        ),
        *_duplicates("causes", "key", "cause key", ((c.key, c.key) for c in causes)),
    ]


def _team_problems(settings: Settings) -> list[tuple[str, str]]:
    teams = settings.teams
    staff_keys = {s.key for s in settings.staff}
    problems = _duplicates("teams", "key", "team key", ((t.key, t.key) for t in teams))
    for ti, team in enumerate(teams):
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
    return problems


def _heightened_problems(settings: Settings) -> list[tuple[str, str]]:
    project_keys = {p.key for p in settings.projects}
    return [
        (f"heightened[{hi}].projects", f"unknown project '{key}'")
        for hi, period in enumerate(settings.heightened)
        for key in period.projects
        if key not in project_keys
    ]


def _project_problems(settings: Settings) -> list[tuple[str, str]]:
    staff_keys = {s.key for s in settings.staff}
    team_keys = {t.key for t in settings.teams}
    problems: list[tuple[str, str]] = []
    for index, project in enumerate(settings.projects):
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
        if project.policy not in settings.policies:
            defined = ", ".join(sorted(settings.policies)) or "none"
            problems.append(
                (
                    f"projects[{index}].policy",
                    f"unknown policy '{project.policy}' (defined: {defined})",
                )
            )
    return problems


def _policy_problems(settings: Settings) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for key, policy in settings.policies.items():
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
    known_calendars = {"24x7", *BUILTIN_CALENDARS, *settings.calendars}
    for key, policy in settings.policies.items():
        if policy.calendar not in known_calendars:
            problems.append(
                (
                    f"policies.{key}.calendar",
                    f"unknown calendar '{policy.calendar}' (defined: "
                    f"{', '.join(sorted(known_calendars))})",
                )
            )
    return problems


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
