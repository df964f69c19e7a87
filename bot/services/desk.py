"""The hotline desk: a fault received by phone, logged by staff with /log.

The dialog picks what is logged (a fault, or a service request of some kind), the project and
the caller, and asks when the call came in; from then on it is the customer's report (or
request) dialog (Intake) on a ReportDraft marked `logged_by`, so the severity
questions, site, symptom and model are asked and the ticket opened exactly as for a chat
report (with channel "phone" and the reported time at the call).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.domain import severity
from bot.domain.desk import MAX_NAME, MAX_REASON, CallTime, call_time, valid_contact_phone
from bot.domain.drafts import MAX_SHORT_TEXT, ReportDraft
from bot.domain.people import User
from bot.domain.requests import FAULT, TICKET_KINDS
from bot.services.access import Access
from bot.services.drafts import Drafts, Input
from bot.services.intake import ReportForm, SeverityQuestion
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.uow import UnitOfWork

DESK_STEPS = ("desk_kind", "desk_project", "desk_caller", "desk_name", "desk_unit", "desk_phone")
CALL_STEPS = ("desk_when", "desk_reason")


@dataclass(frozen=True)
class ProjectChoice(Params):
    """The projects the staff member may log a call for (`desk.ask_project`)."""

    projects: tuple[tuple[str, str], ...]  # (key, name)


@dataclass(frozen=True)
class KindChoice(Params):
    """What /log may record (`desk.ask_kind`): a fault, or a kind of service request."""

    kinds: tuple[str, ...] = TICKET_KINDS


@dataclass(frozen=True)
class CallerChoice(Params):
    """The project's customers matching what was typed (`desk.callers`), as (id, label)."""

    query: str
    callers: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class DeskStep(Params):
    """A question of the /log dialog about one project (`desk.ask_*`)."""

    project: str


def is_desk_step(step: str) -> bool:
    return step in DESK_STEPS or step in CALL_STEPS


def caller_label(u: User) -> str:
    name = u.name or u.first_name or str(u.telegram_id)
    extra = " · ".join(v for v in (u.unit, u.phone) if v)
    return f"{name} ({extra})" if extra else name


class Desk:
    def __init__(self, settings: Settings, clock: Clock, access: Access, drafts: Drafts) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts

    def _projects(self, uid: int) -> list[str]:
        staff = self.access.staff(uid)
        return [] if staff is None else self.access.staff_projects(staff)

    def _project_name(self, key: str) -> str:
        return self.settings.project(key).name

    async def begin(self, uow: UnitOfWork, user: User) -> Outcome:
        """/log: staff only; what is logged (a fault or a request kind), then the project
        when they have several."""
        uid = user.telegram_id
        if self.access.staff(uid) is None:
            return Outcome([Notice(uid, "desk.not_staff")])
        if not self._projects(uid):
            return Outcome([Notice(uid, "desk.no_projects")])
        # First what is logged: a fault, or a service request of some kind.
        draft = ReportDraft(project_key="", step="desk_kind", logged_by=uid)
        await self.drafts.put(uow, uid, draft)
        return Outcome([self.pending(uid, draft)])

    async def choose_kind(self, uow: UnitOfWork, user: User, kind: str) -> Outcome:
        """A kind button: a fault or a request kind; then the project (when several)."""
        uid = user.telegram_id
        draft = await self._draft(uow, uid, "desk_kind")
        if draft is None or kind not in TICKET_KINDS:
            return Outcome(toast="button.stale")
        draft.ticket_kind = kind
        out = await self._after_kind(uow, uid, draft)
        out.clear_buttons = True
        return out

    async def _after_kind(self, uow: UnitOfWork, uid: int, draft: ReportDraft) -> Outcome:
        keys = self._projects(uid)
        if len(keys) == 1:
            draft.project_key = keys[0]
            return await self._next(uow, uid, draft, "desk_caller")
        return await self._next(uow, uid, draft, "desk_project")

    def pending(self, uid: int, draft: ReportDraft) -> Notice:
        """The /log question the draft waits on."""
        if draft.step == "desk_kind":
            return Notice(uid, "desk.ask_kind", params=KindChoice())
        if draft.step == "desk_project":
            choice = ProjectChoice(tuple((k, self._project_name(k)) for k in self._projects(uid)))
            return Notice(uid, "desk.ask_project", params=choice)
        return Notice(
            uid,
            f"{draft.step.replace('desk_', 'desk.ask_')}",
            params=DeskStep(self._project_name(draft.project_key)),
        )

    async def _draft(self, uow: UnitOfWork, uid: int, step: str) -> ReportDraft | None:
        draft = await self.drafts.of(uow, uid)
        if isinstance(draft, ReportDraft) and draft.logged_by == uid and draft.step == step:
            return draft
        return None

    async def _next(self, uow: UnitOfWork, uid: int, draft: ReportDraft, step: str) -> Outcome:
        draft.step = step
        await self.drafts.put(uow, uid, draft)
        return Outcome([self.pending(uid, draft)])

    async def choose_project(self, uow: UnitOfWork, user: User, key: str) -> Outcome:
        """A project button (checked: still one of theirs, the dialog still asks it)."""
        uid = user.telegram_id
        draft = await self._draft(uow, uid, "desk_project")
        if draft is None or key not in self._projects(uid):
            return Outcome(toast="button.stale")
        draft.project_key = key
        out = await self._next(uow, uid, draft, "desk_caller")
        out.clear_buttons = True
        return out

    async def choose_caller(self, uow: UnitOfWork, user: User, caller_id: int) -> Outcome:
        """A caller button: a customer of the draft's project (checked again when pressed)."""
        uid = user.telegram_id
        draft = await self._draft(uow, uid, "desk_caller")
        caller = await uow.users.get(caller_id) if draft is not None else None
        if draft is None or caller is None or caller.project_key != draft.project_key:
            return Outcome(toast="button.stale")
        draft.caller_id = caller.telegram_id
        draft.caller_name = caller.name or caller.first_name
        draft.caller_unit = caller.unit
        draft.phone = caller.phone
        out = await self._next(uow, uid, draft, "desk_when")
        out.clear_buttons = True
        return out

    async def new_contact(self, uow: UnitOfWork, user: User) -> Outcome:
        """ "New contact": a caller who need not use Telegram."""
        uid = user.telegram_id
        draft = await self._draft(uow, uid, "desk_caller")
        if draft is None:
            return Outcome(toast="button.stale")
        out = await self._next(uow, uid, draft, "desk_name")
        out.clear_buttons = True
        return out

    async def call_now(self, uow: UnitOfWork, user: User) -> Outcome:
        """ "Now": the call is the moment of logging."""
        uid = user.telegram_id
        draft = await self._draft(uow, uid, "desk_when")
        if draft is None:
            return Outcome(toast="button.stale")
        draft.called_at = self.clock.now().isoformat()
        out = await self._severity(uow, uid, draft)
        out.clear_buttons = True
        return out

    async def _severity(self, uow: UnitOfWork, uid: int, draft: ReportDraft) -> Outcome:
        """Hand over to the report dialog: the first severity question; a service request
        has none, and goes on with its site."""
        if draft.ticket_kind != FAULT:
            draft.step = "site"
            await self.drafts.put(uow, uid, draft)
            return Outcome([Notice(uid, "request.ask_site", params=ReportForm(draft))])
        draft.step = "severity"
        await self.drafts.put(uow, uid, draft)
        first = severity.next_step({})
        assert isinstance(first, severity.Question)
        return Outcome([Notice(uid, "report.ask_severity", params=SeverityQuestion(first.key))])

    async def input(self, uow: UnitOfWork, user: User, draft: ReportDraft, inp: Input) -> Outcome:
        """A message while the /log dialog waits on one of its own steps."""
        uid = user.telegram_id
        step = draft.step
        typed = inp.text.strip() if inp.kind == "text" else ""
        if step in ("desk_kind", "desk_project"):
            return Outcome([Notice(uid, "hint.use_buttons")])
        if not typed:
            return Outcome([Notice(uid, "hint.want_text")])
        limit = MAX_REASON if step == "desk_reason" else MAX_NAME
        if step == "desk_unit":
            limit = MAX_SHORT_TEXT
        if len(typed) > limit:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(limit))])
        if step == "desk_caller":
            return await self._search(uow, uid, draft, typed)
        if step == "desk_name":
            draft.caller_name = typed
            return await self._next(uow, uid, draft, "desk_unit")
        if step == "desk_unit":
            draft.caller_unit = typed
            return await self._next(uow, uid, draft, "desk_phone")
        if step == "desk_phone":
            if not valid_contact_phone(typed):
                return Outcome([Notice(uid, "desk.bad_phone")])
            draft.phone = typed
            return await self._next(uow, uid, draft, "desk_when")
        if step == "desk_when":
            found = call_time(typed, self.clock.now(), self.settings.tz)
            if not isinstance(found, CallTime):
                return Outcome([Notice(uid, f"desk.bad_time.{found.reason}")])
            draft.called_at = found.at.isoformat()
            if found.back_dated:
                return await self._next(uow, uid, draft, "desk_reason")
            return await self._severity(uow, uid, draft)
        assert step == "desk_reason"
        draft.call_reason = typed
        return await self._severity(uow, uid, draft)

    async def _search(self, uow: UnitOfWork, uid: int, draft: ReportDraft, query: str) -> Outcome:
        found = await uow.users.customers_of(draft.project_key, query)
        callers = tuple((u.telegram_id, caller_label(u)) for u in found)
        return Outcome([Notice(uid, "desk.callers", params=CallerChoice(query, callers))])


def called_at(draft: ReportDraft, now: datetime) -> datetime:
    """The instant a phoned-in fault's clocks start at (now for a chat report)."""
    return datetime.fromisoformat(draft.called_at) if draft.called_at else now
