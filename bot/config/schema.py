"""The configuration's sections as pydantic models: staff, projects, policies and their clocks,
calendars, on-call teams, heightened periods, fault causes.

Each model checks what it can see by itself; checks that span sections (an unknown staff key
in a project, a duplicate invite code) are ``Settings``' cross-checks (``bot/config/settings.py``).
The field types they share are in ``bot/config/fields.py``; the operations sections ([webhook],
[guard], [http]) in ``bot/config/operations.py``, re-exported here.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

# The shared field types and the operations sections, re-exported: `from bot.config.schema
# import Duration, MAX_KEY, WebhookConfig, ...` keeps working.
from bot.config.fields import MAX_KEY as MAX_KEY
from bot.config.fields import ConfigModel as ConfigModel
from bot.config.fields import Duration as Duration
from bot.config.fields import Key as Key
from bot.config.fields import TargetField as TargetField
from bot.config.fields import Text as Text
from bot.config.fields import WarnField as WarnField
from bot.config.operations import LOOPBACK_HOSTS as LOOPBACK_HOSTS
from bot.config.operations import GuardConfig as GuardConfig
from bot.config.operations import HttpConfig as HttpConfig
from bot.config.operations import WebhookConfig as WebhookConfig
from bot.domain.calendar import Span, order_spans
from bot.domain.clocks import EVENTS, Target
from bot.domain.requests import RequestKind

Role = Literal["engineer", "customer_manager", "project_manager", "project_lead", "admin"]
Level = Literal["A", "B", "C"]

ROLES: tuple[Role, ...] = get_args(Role)
LEVELS: tuple[Level, ...] = get_args(Level)
MANAGER_ROLES: frozenset[Role] = frozenset(
    {"customer_manager", "project_manager", "project_lead", "admin"}
)

# Telegram's /start deep-link parameter: up to 64 characters of A-Z, a-z, 0-9, _ and -.
_INVITE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)


# --------------------------------------------------------------------------- models


class StaffConfig(ConfigModel):
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


_PHONE_RE = re.compile(r"\+?[0-9][0-9 ()-]{2,24}", re.ASCII)
_PERIOD_RE = re.compile(r"(\d{1,3})\s*(month|months|day|days)", re.ASCII)
# How often the contract promises an on-site inspection: months between two.
INSPECTION_MONTHS: dict[str, int] = {
    "none": 0, "monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12,
}  # fmt: skip
Inspections = Literal["none", "monthly", "quarterly", "half-yearly", "yearly"]


def _check_phone(value: str) -> str:
    if value and not _PHONE_RE.fullmatch(value.strip()):
        raise ValueError(
            f"invalid phone number '{value}': digits, spaces, '-', '(' and ')' only, "
            'optionally starting with +, e.g. "400-000-0000"'
        )
    return value.strip()


def _to_period(value: object) -> object:
    """ "3 months" or "90 days" → (3, "months") / (90, "days")."""
    if isinstance(value, str):
        found = _PERIOD_RE.fullmatch(value.strip())
        if found is None or int(found.group(1)) == 0:
            raise ValueError(f'invalid period \'{value}\': write e.g. "3 months" or "90 days"')
        unit = "months" if found.group(2).startswith("month") else "days"
        return (int(found.group(1)), unit)
    return value


Phone = Annotated[str, AfterValidator(_check_phone)]
Period = Annotated[tuple[int, Literal["months", "days"]], BeforeValidator(_to_period)]


class ContractConfig(ConfigModel):
    """The contract's calendar (合同): its term, warranty, renewal terms, and the work it
    promises on dates rather than on a fault (inspections, phone visits)."""

    start: date
    end: date  # inclusive: the last day of service
    # Free service (质保) until this day inclusive; afterwards paid on the same terms.
    # Default: the contract's end (the whole term is under warranty).
    warranty_until: date | None = None
    # The contract's value in yuan and the yearly renewal rate after the warranty ("8%").
    value: float | None = Field(default=None, ge=0)
    renewal_rate: str | None = None
    # On-site inspections (巡检): how often, starting from `start`.
    inspections: Inspections = "none"
    # Phone visits (电话巡访) a year, spread evenly.
    phone_visits_per_year: int = Field(default=0, ge=0, le=12)
    # A full inspection this long before the end (e.g. "3 months").
    final_inspection_before_end: Period | None = None
    # The lead and project manager are told this many days before the warranty ends.
    warranty_notices: list[int] = [90, 30, 7]

    @field_validator("renewal_rate")
    @classmethod
    def _check_rate(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,2}(\.\d{1,2})?%", value.strip()):
            raise ValueError(f'invalid rate \'{value}\': write a percentage, e.g. "8%"')
        return value

    @field_validator("warranty_notices")
    @classmethod
    def _check_notices(cls, value: list[int]) -> list[int]:
        if any(days <= 0 for days in value):
            raise ValueError("warranty_notices: days before the end, each more than 0")
        return sorted(set(value), reverse=True)

    @model_validator(mode="after")
    def _ordered(self) -> ContractConfig:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.warranty_until is not None and self.warranty_until < self.start:
            raise ValueError(f"warranty_until ({self.warranty_until}) is before start")
        return self

    @property
    def warranty_end(self) -> date:
        """The last day of free service."""
        return self.warranty_until if self.warranty_until is not None else self.end

    @property
    def inspection_months(self) -> int:
        """Months between two inspections (0: none promised)."""
        return INSPECTION_MONTHS[self.inspections]

    @property
    def renewal_percent(self) -> float | None:
        return None if self.renewal_rate is None else float(self.renewal_rate.strip()[:-1])


class ProjectConfig(ConfigModel):
    """A customer project: who is on duty, who is escalated to, which deadlines apply.

    Who belongs to it (its team's rotation too) is ``Settings.project_staff_keys``.
    """

    key: Key
    name: Text
    invite: str
    policy: str
    # The project's hotline number (热线), shown to its customers in the welcome, /help and
    # every receipt, with the customer manager's name and phone.
    hotline: Phone = ""
    # The contract's calendar: term, warranty, inspections, phone visits (optional).
    contract: ContractConfig | None = None
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
    # Proof of arrival: an engineer's shared location farther than this many metres from the
    # site's coordinates is shown to the project's managers.
    arrival_radius: int = Field(default=500, gt=0)
    escalation: list[str] = []
    members: list[str] = []
    # A resolved ticket the customer has not confirmed closes after this long, as "closed
    # without the customer's confirmation" (recorded in its service report).
    confirm_within: Duration = timedelta(days=3)
    # The daily maintenance report's draft goes to each engineer who worked that day at this
    # local time ("HH:MM", the deployment's time zone).
    daily_report_at: str = "20:00"
    # The monthly summary (每月维护报告汇总) goes out on the 1st of each month at this local
    # time to the project's manager(s) and lead(s), and to the customers in `report_to`.
    monthly_report_at: str = "09:00"
    # Telegram user ids of the customer's contacts who get the monthly summary (with its PDF);
    # each must have joined this project by its invite, else they are skipped.
    report_to: list[int] = []

    @field_validator("monthly_report_at")
    @classmethod
    def _check_monthly_report_at(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @field_validator("invite")
    @classmethod
    def _check_invite(cls, value: str) -> str:
        if not _INVITE_RE.fullmatch(value):
            raise ValueError(
                f"invalid invite code '{value}': use 1 to 64 letters, digits, '_' or '-' "
                "(it travels in a Telegram /start link)"
            )
        return value

    @field_validator("daily_report_at")
    @classmethod
    def _check_daily_report_at(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @property
    def daily_report_time(self) -> time:
        return parse_hhmm(self.daily_report_at)


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


class ClockConfig(ConfigModel):
    """One more clock of a policy (besides respond/arrive/repair)."""

    name: Key
    start: str
    stop: list[str] = Field(min_length=1)
    # One target for every level, or a table with only the levels the clock applies to (a
    # level left out has no such clock, e.g. { A = "7h", B = "7h" } for major faults only).
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

    @field_validator("target")
    @classmethod
    def _some_level(
        cls, value: Target | dict[Level, Target]
    ) -> Target | dict[Level, Target]:
        if isinstance(value, dict) and not value:
            raise ValueError('give a target for at least one level, e.g. { A = "7h" }')
        return value

    def targets(self) -> dict[Level, Target]:
        if isinstance(self.target, dict):
            return dict(self.target)
        return {level: self.target for level in LEVELS}


class CalendarConfig(ConfigModel):
    """Working hours on working days, for business-hour (bh) and working-day (wd) targets."""

    # One span ("09:00-17:30") or several, e.g. a lunch break: ["09:00-12:00", "13:00-18:00"].
    hours: str | list[str] = ["09:00-12:00", "13:00-18:00"]
    # "cn": mainland China's official working days with 调休; "none": Monday to Friday.
    official: Literal["cn", "none"] = "cn"
    extra_holidays: list[date] = []
    extra_workdays: list[date] = []

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, value: str | list[str]) -> str | list[str]:
        cls.spans(value)
        return value

    @classmethod
    def spans(cls, value: str | list[str]) -> tuple[Span, ...]:
        """The working hours of a day, in time order (ValueError if two spans overlap)."""
        items = [value] if isinstance(value, str) else value
        return order_spans(cls.parse_hours(item) for item in items)

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


def parse_hhmm(value: str) -> time:
    """A time of day written "HH:MM"."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"invalid time '{value}': use e.g. \"08:00\"")
    return time(int(match[1]), int(match[2]))


class LayerConfig(ConfigModel):
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
        parse_hhmm(value)
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


class TeamConfig(ConfigModel):
    """An on-call team (one or several projects page its current shift)."""

    key: Key
    name: str = ""
    layers: list[LayerConfig] = Field(min_length=1)


class HeightenedConfig(ConfigModel):
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


class RequestTargetsConfig(ConfigModel):
    """The two clocks of one kind of service request (not a fault): respond and resolve."""

    respond: TargetField
    resolve: TargetField


class PolicyConfig(ConfigModel):
    """Deadlines per severity level: respond (响应), arrive (到场), repair (修复), and more."""

    # The business calendar that bh/wd targets count on ("24x7": none).
    calendar: str = "24x7"
    respond: dict[Level, TargetField]
    arrive: dict[Level, TargetField]
    repair: dict[Level, TargetField]
    warn: list[WarnField] = ["50%", "80%"]
    escalate_every: Duration = timedelta(minutes=30)
    clocks: list[ClockConfig] = []
    # Complaints (投诉): the owner's first answer to the customer, and closing with a result.
    # Working days (wd) count on the policy's calendar, or on "5x8" when it is "24x7".
    complaint_respond: TargetField = Target(3600, "s")
    complaint_resolve: TargetField = Target(3, "wd")
    # Service requests (技术咨询, 升级/变更现场支持, 培训, 活动保障), per kind; a kind not
    # listed keeps its default (bot/domain/requests.py: consultation 30m/24h, others 1h/…).
    requests: dict[RequestKind, RequestTargetsConfig] = {}

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
            for kind, req in self.requests.items():
                if req.respond.business or req.resolve.business:
                    raise ValueError(
                        f"requests.{kind}: business-hour targets (bh, wd) need a "
                        'working-hours calendar, e.g. calendar = "5x8"'
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


class CauseConfig(ConfigModel):
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

