"""The report dialog: severity questions, then site, symptom, photos, model, phone and a
summary to confirm; the ticket opens at confirmation (A-level: at once, the form follows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

from bot.clock import Clock
from bot.config import ProjectConfig, Settings
from bot.domain import severity
from bot.domain.clocks import Target
from bot.domain.drafts import (
    MAX_PHOTOS,
    MAX_SHORT_TEXT,
    MAX_SITE,
    MAX_SYMPTOM,
    ReportDraft,
    split_model,
    valid_phone,
)
from bot.domain.equipment import Device, warranty_end
from bot.domain.people import User
from bot.domain.requests import request_kind
from bot.domain.ticket import Level, Status, Ticket
from bot.domain.warranty import billing_of
from bot.services.access import Access, customer_actor, staff_actor
from bot.services.drafts import Drafts, Input
from bot.services.notices import Limit, Notice, Outcome, Params, TicketNumber
from bot.services.onboarding import Onboarding
from bot.services.roster import Roster
from bot.services.sla import Sla, promised, promised_request
from bot.services.tracking import Tracking
from bot.services.uow import UnitOfWork

# The fields of the form an early A-level ticket receives as they arrive (EDITABLE_STEPS).
DetailField = Literal["site", "symptom", "photos", "model", "phone"]
DETAIL_FIELDS: tuple[DetailField, ...] = get_args(DetailField)


def detail_field(step: str) -> DetailField | None:
    """The report step as a field of the form, or None for the other steps."""
    return next((f for f in DETAIL_FIELDS if f == step), None)


@dataclass(frozen=True)
class SeverityQuestion(Params):
    """The severity question to ask, by its catalog key (`report.ask_severity`); `again` when
    it is asked again (a command interrupted the form), without the report's introduction."""

    question: str
    again: bool = False


@dataclass(frozen=True)
class LevelFound(Params):
    """The level the answers decided and what it promises, as durations (`report.level`): the
    instants are computed once, when the ticket opens, and the receipt shows them."""

    level: Level
    respond: Target
    arrive: Target
    repair: Target


@dataclass(frozen=True)
class RequestPromise(Params):
    """A service request's kind and what it promises (`request.kind`): respond and resolve."""

    kind: str
    respond: Target
    resolve: Target


@dataclass(frozen=True)
class ReportForm(Params):
    """The report as filled in so far (`report.ask_<step>`, `report.photo_added`)."""

    draft: ReportDraft


@dataclass(frozen=True)
class DetailsAdded(Params):
    """An early ticket received a field of its form (`ticket.details_added`)."""

    field: DetailField


class Intake:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        drafts: Drafts,
        onboarding: Onboarding,
        sla: Sla,
        roster: Roster,
        tracking: Tracking,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts
        self.onboarding = onboarding
        self.sla = sla
        self.roster = roster
        self.tracking = tracking

    def _customer_project(self, user: User) -> ProjectConfig | None:
        if user.project_key is None:
            return None
        try:
            return self.settings.project(user.project_key)
        except KeyError:
            return None  # the project was removed from the config

    async def begin_report(
        self, uow: UnitOfWork, user: User, device: Device | None = None
    ) -> Outcome:
        """/report: start the guided dialog with the first severity question (a device's
        label: its site, model and serial filled in)."""
        uid = user.telegram_id
        if self.access.staff(uid) is not None and user.project_key is None:
            return Outcome([Notice(uid, "report.staff")])
        project = self._customer_project(user)
        if project is None:
            return Outcome([Notice(uid, "start.need_invite")])
        # Nothing stands between a customer and a page: the profile items not yet known are
        # asked after the receipt (the phone is a step of the report).
        draft = ReportDraft(project_key=project.key, phone=user.phone)
        if device is not None and device.project_key == project.key:
            # The site and model questions are skipped: a device registered without a site is
            # reported at its name and code (the summary shows it, and it can be edited).
            draft.device, draft.site = device.code, device.site or f"{device.name} {device.code}"
            draft.latitude, draft.longitude = device.latitude, device.longitude
            draft.model, draft.serial = device.model, device.serial
        await self.drafts.put(uow, uid, draft)
        first = severity.next_step({})
        assert isinstance(first, severity.Question)
        return Outcome([Notice(uid, "report.ask_severity", params=SeverityQuestion(first.key))])

    async def begin_request(self, uow: UnitOfWork, user: User) -> Outcome:
        """/request: a service request that is not a fault; its kind first."""
        uid = user.telegram_id
        if self.access.staff(uid) is not None and user.project_key is None:
            return Outcome([Notice(uid, "request.staff")])
        project = self._customer_project(user)
        if project is None:
            return Outcome([Notice(uid, "start.need_invite")])
        draft = ReportDraft(
            project_key=project.key, phone=user.phone, ticket_kind="", step="request_kind"
        )
        await self.drafts.put(uow, uid, draft)
        return Outcome([self._ask(uid, draft)])

    def promise(self, uid: int, draft: ReportDraft) -> Notice:
        """What the chosen kind of request promises (`request.kind`)."""
        policy = self.settings.sla_policy(draft.project_key, draft.ticket_kind)

        def target(name: str) -> Target:
            spec = policy.clock(name)
            found = spec.target_for(Level.C) if spec is not None else None
            assert found is not None  # a request policy has both clocks at every level
            return found

        found = RequestPromise(draft.ticket_kind, target("respond"), target("resolve"))
        return Notice(uid, "request.kind", params=found)

    @staticmethod
    def _ask(uid: int, draft: ReportDraft) -> Notice:
        # A request asks its own questions where a fault's would not fit ("what is needed?").
        own = draft.is_request and draft.step in ("request_kind", "site", "symptom", "preferred")
        area = "request" if own else "report"
        return Notice(uid, f"{area}.ask_{draft.step}", params=ReportForm(draft))

    @classmethod
    def pending(cls, uid: int, draft: ReportDraft) -> Notice:
        """The question the report dialog waits on, asked again."""
        if draft.step == "severity":
            asked = severity.next_step(draft.answers)
            assert isinstance(asked, severity.Question)
            return Notice(uid, "report.ask_severity", params=SeverityQuestion(asked.key, True))
        if draft.step == "confirm" and draft.choosing:
            return Notice(uid, "report.ask_edit", params=ReportForm(draft))
        return cls._ask(uid, draft)

    async def report_severity(
        self, uow: UnitOfWork, user: User, question_key: str, yes: bool
    ) -> Outcome:
        """A Yes/No button of a severity question."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if (
            not isinstance(draft, ReportDraft)
            or draft.step != "severity"
            or severity.question(question_key) is None
            or question_key in draft.answers
        ):
            return Outcome(toast="button.stale")
        asked = severity.next_step(draft.answers)
        if not isinstance(asked, severity.Question) or asked.key != question_key:
            return Outcome(toast="button.stale")  # forged: a question that was not asked
        draft.answers[question_key] = yes
        step = severity.next_step(draft.answers)
        out = Outcome(clear_buttons=True)
        if isinstance(step, severity.Question):
            await self.drafts.put(uow, uid, draft)
            return out.add(Notice(uid, "report.ask_severity", params=SeverityQuestion(step.key)))
        draft.level = step.value
        draft.advance()
        await self.drafts.put(uow, uid, draft)
        policy = self.settings.sla_policy(draft.project_key)

        def target(name: str) -> Target:
            # respond, arrive and repair have a target at every level (the config insists).
            spec = policy.clock(name)
            found = spec.target_for(step) if spec is not None else None
            assert found is not None
            return found

        found = LevelFound(step, target("respond"), target("arrive"), target("repair"))
        # The level found opens the next question (one message), unless a ticket opens first.
        out.add(Notice(uid, "report.level", params=found, lead_in=not draft.opens_early))
        if draft.opens_early:  # A-level from a device's label: its site is already known
            out.notices.extend((await self._open_ticket(uow, user, draft)).notices)
            await self.drafts.put(uow, uid, draft)
        return out.add(self._ask(uid, draft))

    async def report_input(
        self, uow: UnitOfWork, user: User, draft: ReportDraft, inp: Input
    ) -> Outcome:
        """A message while the report dialog waits for the current step."""
        uid = user.telegram_id
        step = draft.step
        if step in ("severity", "request_kind"):
            return Outcome([Notice(uid, "hint.use_buttons")])
        if step == "site":
            if inp.kind == "location":
                draft.latitude, draft.longitude = inp.latitude, inp.longitude
                draft.site = draft.site or ""
            elif inp.kind == "text" and inp.text.strip():
                if len(inp.text) > MAX_SITE:
                    return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_SITE))])
                draft.site = inp.text.strip()
            else:
                return Outcome([Notice(uid, "hint.want_site")])
        elif step == "symptom":
            if inp.kind != "text" or not inp.text.strip():
                return Outcome([Notice(uid, "hint.want_text")])
            if len(inp.text) > MAX_SYMPTOM:
                return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_SYMPTOM))])
            draft.symptom = inp.text.strip()
        elif step == "photos":
            if inp.kind != "photo":
                return Outcome([Notice(uid, "hint.want_photo")])
            if len(draft.photos) >= MAX_PHOTOS:
                return Outcome([Notice(uid, "hint.too_many_photos", params=Limit(MAX_PHOTOS))])
            draft.photos.append(inp.file_id)
            await self.drafts.put(uow, uid, draft)
            return Outcome([Notice(uid, "report.photo_added", params=ReportForm(draft))])
        elif step == "model":
            if inp.kind != "text" or not inp.text.strip():
                return Outcome([Notice(uid, "hint.want_text")])
            if len(inp.text) > MAX_SHORT_TEXT:
                return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_SHORT_TEXT))])
            draft.model, draft.serial = split_model(inp.text)
        elif step == "preferred":
            if inp.kind != "text" or not inp.text.strip():
                return Outcome([Notice(uid, "hint.want_text")])
            if len(inp.text) > MAX_SHORT_TEXT:
                return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_SHORT_TEXT))])
            draft.preferred = inp.text.strip()
        elif step == "phone":
            if inp.kind != "text" or not valid_phone(inp.text):
                return Outcome([Notice(uid, "hint.bad_phone")])
            draft.phone = inp.text.strip()
        elif step == "confirm":
            return Outcome([Notice(uid, "hint.use_buttons")])
        return await self._after_step(uow, user, draft, step)

    async def _after_step(
        self, uow: UnitOfWork, user: User, draft: ReportDraft, step: str
    ) -> Outcome:
        uid = user.telegram_id
        out = Outcome()
        field = detail_field(step)
        if draft.ticket_id is not None and field is not None:
            out.notices.extend((await self._add_details(uow, user, draft, field)).notices)
        if draft.opens_early:
            # A-level: open the ticket and page now; the rest of the form follows.
            out.notices.extend((await self._open_ticket(uow, user, draft)).notices)
        nxt = draft.advance()
        if nxt == "done":
            await self.drafts.drop(uow, uid)
            out.add(Notice(uid, "report.details_done", params=TicketNumber(draft.ticket_id)))
            out.notices.extend(await self._profile_after(uow, user, draft))
            return out
        await self.drafts.put(uow, uid, draft)
        return out.add(self._ask(uid, draft))

    async def report_button(
        self, uow: UnitOfWork, user: User, step: str, action: str, round_: int | None = None
    ) -> Outcome:
        """Buttons of the report dialog: skip, done, keep phone, confirm, edit, cancel."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if not isinstance(draft, ReportDraft) or draft.step != step:
            return Outcome(toast="button.stale")
        if step == "confirm" and (
            # A button of an earlier summary or list; or of the summary while the list is
            # shown (a double tap on Edit), or of the list while it is not.
            (round_ or 0) != draft.round or action.startswith("edit_") != draft.choosing
        ):
            return Outcome(toast="button.stale")
        out = Outcome(clear_buttons=True)
        if step == "request_kind" and request_kind(action) is not None and draft.is_request:
            draft.ticket_kind = action
            draft.advance()
            await self.drafts.put(uow, uid, draft)
            res = Outcome([self.promise(uid, draft), self._ask(uid, draft)])
        elif step == "preferred" and action == "skip":
            res = await self._after_step(uow, user, draft, step)
        elif step == "photos" and action == "done":
            res = await self._after_step(uow, user, draft, step)
        elif step == "model" and action == "skip":
            res = await self._after_step(uow, user, draft, step)
        elif step == "phone" and action == "keep" and draft.phone:
            res = await self._after_step(uow, user, draft, step)
        elif step == "confirm" and action == "ok":
            res = await self._open_ticket(uow, user, draft)
            await self.drafts.drop(uow, uid)
            res.notices.extend(await self._profile_after(uow, user, draft))
        elif step == "confirm" and action == "cancel":
            await self.drafts.drop(uow, uid)
            res = Outcome([Notice(uid, "cancel.done")])
        elif step == "confirm" and action == "edit":
            draft.choosing = True
            await self.drafts.put(uow, uid, draft)
            res = Outcome([Notice(uid, "report.ask_edit", params=ReportForm(draft))])
        elif step == "confirm" and action.startswith("edit_") and action[5:] in draft.editable:
            draft.step, draft.editing, draft.choosing = action[5:], True, False
            draft.round += 1
            await self.drafts.put(uow, uid, draft)
            res = Outcome([self._ask(uid, draft)])
        else:
            return Outcome(toast="button.stale")
        out.notices.extend(res.notices)
        return out

    def _actor(self, user: User, draft: ReportDraft) -> str:
        """Who the timeline says did it: the customer, or the staff member who logged a call."""
        staff = self.access.staff(user.telegram_id) if draft.logged_by else None
        return staff_actor(staff) if staff is not None else customer_actor(user.telegram_id)

    async def _profile_after(
        self, uow: UnitOfWork, user: User, draft: ReportDraft
    ) -> list[Notice]:
        """The report is done (its draft dropped): the profile items still unknown."""
        if draft.logged_by is not None:
            return []  # a call logged by staff: the caller's profile is not theirs to fill
        return (await self.onboarding.after_report(uow, user, draft.phone)).notices

    async def _open_ticket(self, uow: UnitOfWork, user: User, draft: ReportDraft) -> Outcome:
        now = self.clock.now()
        # A phoned-in fault (/log) is reported at the call, which may be up to 2 h back.
        phoned = draft.logged_by is not None
        reported_at = datetime.fromisoformat(draft.called_at) if draft.called_at else now
        # A service request has no level (stored as C) and its own clocks.
        level = Level.C if draft.is_request else draft.level_enum
        assert level is not None
        project = self.settings.project(draft.project_key)
        device = await uow.devices.get(draft.device) if draft.device else None
        policy = self.settings.sla_policy(project.key, draft.ticket_kind)
        deadlines = (
            promised_request(policy, reported_at)
            if draft.is_request
            else promised(policy, level, reported_at)
        )
        ticket = await uow.tickets.add(
            Ticket(
                id=0,
                project_key=project.key,
                customer_id=(draft.caller_id or 0) if phoned else user.telegram_id,
                level=level,
                status=Status.NEW,
                reported_at=reported_at,
                deadlines=deadlines,
                site=draft.site,
                latitude=draft.latitude,
                longitude=draft.longitude,
                symptom=draft.symptom,
                model=draft.model,
                serial=draft.serial,
                contact_name=draft.caller_name if phoned else user.name or user.first_name,
                contact_unit=draft.caller_unit if phoned else user.unit,
                contact_phone=draft.phone if phoned else draft.phone or user.phone,
                photos=tuple(draft.photos),
                channel="phone" if phoned else "chat",
                relay_staff=draft.logged_by if phoned and draft.caller_id is None else None,
                billing=billing_of(
                    reported_at, self.settings.tz, warranty_end(device, _warranty_end(project))
                ),
                kind=draft.ticket_kind,
                preferred=draft.preferred,
            )
        )
        draft.ticket_id = ticket.id
        if device is not None:  # opened from the device's label: its history
            await uow.devices.link(ticket.id, device.code)
        actor = self._actor(user, draft)
        # A request's entry names its kind (shown instead of a level).
        kind = {"request": ticket.kind} if ticket.is_request else {}
        await uow.timeline.append(
            ticket.id, reported_at, actor, "reported", level=level.value, **kind
        )
        if device is not None:  # the proof names the device (the service report prints it)
            await uow.timeline.append(
                ticket.id, reported_at, actor, "device_linked", device=device.code,
                name=device.name,
            )
        out = Outcome()
        if phoned:
            local = reported_at.astimezone(self.settings.tz).strftime("%Y-%m-%d %H:%M")
            await uow.timeline.append(
                ticket.id, now, actor, "phoned_in", call=local,
                called_at=reported_at.isoformat(), reason=draft.call_reason or "—",
            )
            out.add(Notice(user.telegram_id, "desk.logged", ticket=ticket))
        sla_notices = await self.sla.on_event(uow, ticket, "reported")
        # The caller's receipt: to them in Telegram, or through their relay (customer 0).
        out.add(Notice(ticket.customer_id, "ticket.receipt", ticket=ticket))
        out.notices.extend(sla_notices)
        out.notices.extend(await self.roster.start_paging(uow, ticket))
        out.notices.extend(
            self.tracking.group(project, ticket, "ticket.page", purpose="group_page")
        )
        return out

    async def _add_details(
        self, uow: UnitOfWork, user: User, draft: ReportDraft, field: DetailField
    ) -> Outcome:
        """An early A-level ticket gets the rest of the form as it arrives."""
        assert draft.ticket_id is not None
        ticket = await uow.tickets.get(draft.ticket_id)
        if ticket is None:
            return Outcome()
        changes: dict[str, object] = {
            "site": {"site": draft.site, "latitude": draft.latitude, "longitude": draft.longitude},
            "symptom": {"symptom": draft.symptom},
            "photos": {"photos": tuple(draft.photos)},
            "model": {"model": draft.model, "serial": draft.serial},
            "phone": {"contact_phone": draft.phone},
        }[field]  # type: ignore[assignment]
        assert isinstance(changes, dict)
        if all(getattr(ticket, k) == v for k, v in changes.items()):
            return Outcome()  # skipped or unchanged: nothing to tell
        ticket = await uow.tickets.save(ticket.with_details(**changes))
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, self._actor(user, draft), "details_added", field=field
        )
        added = DetailsAdded(field)
        return Outcome(
            [
                Notice(s.telegram_id, "ticket.details_added", ticket=ticket, params=added)
                for s in await self.access.workers_of(uow, ticket)
            ]
        )


def _warranty_end(project: ProjectConfig) -> date | None:
    """The last day of free service of the project's contract (None: no contract)."""
    return project.contract.warranty_end if project.contract is not None else None
