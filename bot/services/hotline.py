"""Use cases of the hotline: each takes a unit of work and returns what to send.

Buttons and commands call the same methods. Nothing here knows Telegram: a user is a Telegram
user id, a message is a `Notice`, and rendering is the adapter's job.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain import severity
from bot.domain.calendar import missing_years
from bot.domain.drafts import (
    EDITABLE_STEPS,
    MAX_NOTE,
    MAX_PHOTOS,
    MAX_SHORT_TEXT,
    MAX_SITE,
    MAX_SYMPTOM,
    AnyDraft,
    ProfileDraft,
    ReportDraft,
    WorkDraft,
    valid_phone,
)
from bot.domain.people import User
from bot.domain.ticket import Level, Status, Ticket, TransitionError
from bot.services.notices import Notice, Outcome
from bot.services.roster import Roster
from bot.services.sla import Sla, promised
from bot.services.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Input:
    """What a user sent while a dialog waits: text, a location, a photo, or something else."""

    kind: str  # "text" | "location" | "photo" | "other"
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    file_id: str = ""


def _actor_staff(staff: StaffConfig) -> str:
    return f"staff:{staff.key}"


def _actor_customer(user_id: int) -> str:
    return f"customer:{user_id}"


class Hotline:
    """The application's use cases over settings and a clock."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.roster = Roster(settings, clock)
        self.sla = Sla(settings, clock, self.roster)

    # ------------------------------------------------------------------ who is who
    def staff(self, user_id: int) -> StaffConfig | None:
        return self.settings.staff_by_telegram_id(user_id)

    def _project_staff(self, project: ProjectConfig) -> list[StaffConfig]:
        return [self.settings.staff_by_key(k) for k in self.settings.project_staff_keys(project)]

    def _managers(self, project: ProjectConfig) -> list[StaffConfig]:
        return [s for s in self._project_staff(project) if s.is_manager]

    def _can_work(self, staff: StaffConfig, project_key: str) -> bool:
        if staff.has_role("admin"):
            return True
        project = self.settings.project(project_key)
        return staff.key in self.settings.project_staff_keys(project)

    def _can_take(self, staff: StaffConfig, ticket: Ticket) -> bool:
        return staff.has_role("engineer") and self._can_work(staff, ticket.project_key)

    def _staff_projects(self, staff: StaffConfig) -> list[str]:
        if staff.has_role("admin"):
            return [p.key for p in self.settings.projects]
        return [p.key for p in self.settings.projects_of_staff(staff.key)]

    # ------------------------------------------------------------------ joining
    async def seen(
        self, uow: UnitOfWork, user_id: int, first_name: str, language: str | None
    ) -> User:
        return await uow.users.seen(user_id, first_name, language, self.clock.now())

    async def start(self, uow: UnitOfWork, user: User, invite: str) -> Outcome:
        """/start [invite]: staff are greeted; customers join the project of the invite."""
        now = self.clock.now()
        uid = user.telegram_id
        await uow.users.mark_started(uid, now)
        staff = self.staff(uid)
        out = Outcome()
        if staff is not None:
            return out.add(Notice(uid, "start.staff", params={"name": staff.name}))
        if invite:
            project = self.settings.project_by_invite(invite)
            if project is None:
                return out.add(Notice(uid, "start.bad_invite"))
            await uow.users.join_project(uid, project.key)
            out.add(Notice(uid, "start.joined", params={"project": project.name}))
            if not user.profile_done:
                out.notices.extend((await self.begin_profile(uow, user)).notices)
            return out
        if user.project_key is None:
            return out.add(Notice(uid, "start.need_invite"))
        project = self.settings.project(user.project_key)
        return out.add(Notice(uid, "start.welcome_back", params={"project": project.name}))

    def _customer_project(self, user: User) -> ProjectConfig | None:
        if user.project_key is None:
            return None
        try:
            return self.settings.project(user.project_key)
        except KeyError:
            return None  # the project was removed from the config

    # ------------------------------------------------------------------ drafts
    async def _put_draft(self, uow: UnitOfWork, user_id: int, draft: AnyDraft) -> None:
        now = self.clock.now()
        await uow.drafts.put(user_id, draft, now)
        await uow.timers.schedule(
            f"draft:{user_id}", "draft_expiry", now + self.settings.draft_ttl, user_id=user_id
        )

    async def _drop_draft(self, uow: UnitOfWork, user_id: int) -> None:
        await uow.drafts.delete(user_id)
        await uow.timers.cancel(f"draft:{user_id}")

    async def draft_of(self, uow: UnitOfWork, user_id: int) -> AnyDraft | None:
        found = await uow.drafts.get(user_id)
        return None if found is None else found[0]

    async def cancel(self, uow: UnitOfWork, user_id: int) -> Outcome:
        """/cancel: leave whatever dialog is open."""
        draft = await self.draft_of(uow, user_id)
        if draft is None:
            return Outcome([Notice(user_id, "cancel.nothing")])
        await self._drop_draft(uow, user_id)
        key = (
            "cancel.report_open"
            if isinstance(draft, ReportDraft) and draft.ticket_id
            else ("cancel.done")
        )
        ticket_id = draft.ticket_id if isinstance(draft, ReportDraft) else None
        return Outcome([Notice(user_id, key, params={"ticket_id": ticket_id})])

    async def expire_draft(self, uow: UnitOfWork, user_id: int) -> Outcome:
        """A draft untouched for `draft_ttl` is dropped with a notice."""
        found = await uow.drafts.get(user_id)
        if found is None:
            return Outcome()
        draft, updated_at = found
        if updated_at + self.settings.draft_ttl > self.clock.now():
            return Outcome()  # touched since the timer was armed
        await uow.drafts.delete(user_id)
        # Say what was lost, and what was not: an open ticket stays open.
        key, ticket_id = "draft.expired", None
        if isinstance(draft, ReportDraft) and draft.ticket_id is not None:
            key, ticket_id = "draft.expired_open", draft.ticket_id
        elif isinstance(draft, WorkDraft):
            key, ticket_id = "draft.expired_work", draft.ticket_id
        return Outcome([Notice(user_id, key, params={"kind": draft.kind, "ticket_id": ticket_id})])

    # ------------------------------------------------------------------ profile
    async def begin_profile(
        self, uow: UnitOfWork, user: User, then_report: bool = False
    ) -> Outcome:
        draft = ProfileDraft(then_report=then_report)
        await self._put_draft(uow, user.telegram_id, draft)
        return Outcome([Notice(user.telegram_id, "profile.ask_name", params={"user": user})])

    async def _profile_input(
        self, uow: UnitOfWork, user: User, draft: ProfileDraft, inp: Input
    ) -> Outcome:
        uid = user.telegram_id
        if inp.kind != "text":
            return Outcome([Notice(uid, "hint.want_text")])
        text = inp.text.strip()
        if not text:
            return Outcome([Notice(uid, "hint.want_text")])
        if len(text) > MAX_SHORT_TEXT:
            return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_SHORT_TEXT})])
        if draft.step == "name":
            draft.name = text
        elif draft.step == "unit":
            draft.unit = text
        elif draft.step == "phone":
            if not valid_phone(text):
                return Outcome([Notice(uid, "hint.bad_phone")])
            draft.phone = text
        step = draft.advance()
        if step != "done":
            await self._put_draft(uow, uid, draft)
            return Outcome([Notice(uid, f"profile.ask_{step}", params={"user": user})])
        await uow.users.save_profile(uid, draft.name, draft.unit, draft.phone)
        await self._drop_draft(uow, uid)
        out = Outcome([Notice(uid, "profile.saved", params={"draft": draft})])
        if draft.then_report:
            fresh = await uow.users.get(uid)
            assert fresh is not None
            out.notices.extend((await self.begin_report(uow, fresh)).notices)
        return out

    # ------------------------------------------------------------------ report dialog
    async def begin_report(self, uow: UnitOfWork, user: User) -> Outcome:
        """/report: start the guided dialog with the first severity question."""
        uid = user.telegram_id
        if self.staff(uid) is not None and user.project_key is None:
            return Outcome([Notice(uid, "report.staff")])
        project = self._customer_project(user)
        if project is None:
            return Outcome([Notice(uid, "start.need_invite")])
        if not user.profile_done:
            return await self.begin_profile(uow, user, then_report=True)
        draft = ReportDraft(project_key=project.key, phone=user.phone)
        await self._put_draft(uow, uid, draft)
        first = severity.next_step({})
        assert isinstance(first, severity.Question)
        return Outcome([Notice(uid, "report.ask_severity", params={"question": first.key})])

    def _ask(self, uid: int, draft: ReportDraft) -> Notice:
        return Notice(uid, f"report.ask_{draft.step}", params={"draft": draft})

    async def report_severity(
        self, uow: UnitOfWork, user: User, question_key: str, yes: bool
    ) -> Outcome:
        uid = user.telegram_id
        draft = await self.draft_of(uow, uid)
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
            await self._put_draft(uow, uid, draft)
            return out.add(Notice(uid, "report.ask_severity", params={"question": step.key}))
        draft.level = step.value
        draft.advance()
        await self._put_draft(uow, uid, draft)
        policy = self.settings.sla_policy(draft.project_key)
        repair = policy.clock("repair")
        assert repair is not None
        out.add(
            Notice(
                uid,
                "report.level",
                params={
                    "level": step,
                    "deadlines": promised(policy, step, self.clock.now()),
                    "repair": repair.targets[step],
                },
            )
        )
        return out.add(self._ask(uid, draft))

    async def report_input(
        self, uow: UnitOfWork, user: User, draft: ReportDraft, inp: Input
    ) -> Outcome:
        """A message while the report dialog waits for the current step."""
        uid = user.telegram_id
        step = draft.step
        if step == "severity":
            return Outcome([Notice(uid, "hint.use_buttons")])
        if step == "site":
            if inp.kind == "location":
                draft.latitude, draft.longitude = inp.latitude, inp.longitude
                draft.site = draft.site or ""
            elif inp.kind == "text" and inp.text.strip():
                if len(inp.text) > MAX_SITE:
                    return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_SITE})])
                draft.site = inp.text.strip()
            else:
                return Outcome([Notice(uid, "hint.want_site")])
        elif step == "symptom":
            if inp.kind != "text" or not inp.text.strip():
                return Outcome([Notice(uid, "hint.want_text")])
            if len(inp.text) > MAX_SYMPTOM:
                return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_SYMPTOM})])
            draft.symptom = inp.text.strip()
        elif step == "photos":
            if inp.kind != "photo":
                return Outcome([Notice(uid, "hint.want_photo")])
            if len(draft.photos) >= MAX_PHOTOS:
                return Outcome([Notice(uid, "hint.too_many_photos", params={"limit": MAX_PHOTOS})])
            draft.photos.append(inp.file_id)
            await self._put_draft(uow, uid, draft)
            return Outcome([Notice(uid, "report.photo_added", params={"draft": draft})])
        elif step == "model":
            if inp.kind != "text" or not inp.text.strip():
                return Outcome([Notice(uid, "hint.want_text")])
            if len(inp.text) > MAX_SHORT_TEXT:
                return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_SHORT_TEXT})])
            draft.model = inp.text.strip()
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
        if draft.ticket_id is not None and step in EDITABLE_STEPS:
            out.notices.extend((await self._add_details(uow, user, draft, step)).notices)
        if draft.opens_early:
            # A-level: open the ticket and page now; the rest of the form follows.
            out.notices.extend((await self._open_ticket(uow, user, draft)).notices)
        nxt = draft.advance()
        if nxt == "done":
            await self._drop_draft(uow, uid)
            return out.add(
                Notice(uid, "report.details_done", params={"ticket_id": draft.ticket_id})
            )
        await self._put_draft(uow, uid, draft)
        return out.add(self._ask(uid, draft))

    async def report_button(
        self, uow: UnitOfWork, user: User, step: str, action: str, round_: int | None = None
    ) -> Outcome:
        """Buttons of the report dialog: skip, done, keep phone, confirm, edit, cancel."""
        uid = user.telegram_id
        draft = await self.draft_of(uow, uid)
        if not isinstance(draft, ReportDraft) or draft.step != step:
            return Outcome(toast="button.stale")
        if step == "confirm" and (
            # A button of an earlier summary or list; or of the summary while the list is
            # shown (a double tap on Edit), or of the list while it is not.
            (round_ or 0) != draft.round or action.startswith("edit_") != draft.choosing
        ):
            return Outcome(toast="button.stale")
        out = Outcome(clear_buttons=True)
        if step == "photos" and action == "done":
            res = await self._after_step(uow, user, draft, step)
        elif step == "model" and action == "skip":
            res = await self._after_step(uow, user, draft, step)
        elif step == "phone" and action == "keep" and draft.phone:
            res = await self._after_step(uow, user, draft, step)
        elif step == "confirm" and action == "ok":
            res = await self._open_ticket(uow, user, draft)
            await self._drop_draft(uow, uid)
        elif step == "confirm" and action == "cancel":
            await self._drop_draft(uow, uid)
            res = Outcome([Notice(uid, "cancel.done")])
        elif step == "confirm" and action == "edit":
            draft.choosing = True
            await self._put_draft(uow, uid, draft)
            res = Outcome([Notice(uid, "report.ask_edit", params={"draft": draft})])
        elif step == "confirm" and action.startswith("edit_") and action[5:] in EDITABLE_STEPS:
            draft.step, draft.editing, draft.choosing = action[5:], True, False
            draft.round += 1
            await self._put_draft(uow, uid, draft)
            res = Outcome([self._ask(uid, draft)])
        else:
            return Outcome(toast="button.stale")
        out.notices.extend(res.notices)
        return out

    async def _open_ticket(self, uow: UnitOfWork, user: User, draft: ReportDraft) -> Outcome:
        now = self.clock.now()
        level = draft.level_enum
        assert level is not None
        project = self.settings.project(draft.project_key)
        policy = self.settings.sla_policy(project.key)
        ticket = await uow.tickets.add(
            Ticket(
                id=0,
                project_key=project.key,
                customer_id=user.telegram_id,
                level=level,
                status=Status.NEW,
                reported_at=now,
                deadlines=promised(policy, level, now),
                site=draft.site,
                latitude=draft.latitude,
                longitude=draft.longitude,
                symptom=draft.symptom,
                model=draft.model,
                contact_name=user.name or user.first_name,
                contact_unit=user.unit,
                contact_phone=draft.phone or user.phone,
                photos=tuple(draft.photos),
            )
        )
        draft.ticket_id = ticket.id
        await uow.timeline.append(
            ticket.id, now, _actor_customer(user.telegram_id), "reported", level=level.value
        )
        sla_notices = await self.sla.on_event(uow, ticket, "reported")
        out = Outcome([Notice(user.telegram_id, "ticket.receipt", ticket=ticket)])
        out.notices.extend(sla_notices)
        out.notices.extend(await self.roster.start_paging(uow, ticket))
        out.notices.extend(self._group(project, ticket, "ticket.page", purpose="group_page"))
        return out

    def _group(
        self, project: ProjectConfig, ticket: Ticket, key: str, **params: object
    ) -> list[Notice]:
        """Mirror into the project's team group chat, when it has one."""
        if project.group_chat_id is None:
            return []
        purpose = str(params.pop("purpose", "group"))
        return [
            Notice(
                project.group_chat_id,
                key,
                ticket=ticket,
                purpose=purpose,
                params={"topic": project.group_topic_id, **params},
            )
        ]

    async def _add_details(
        self, uow: UnitOfWork, user: User, draft: ReportDraft, step: str
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
            "model": {"model": draft.model},
            "phone": {"contact_phone": draft.phone},
        }[step]  # type: ignore[assignment]
        assert isinstance(changes, dict)
        if all(getattr(ticket, k) == v for k, v in changes.items()):
            return Outcome()  # skipped or unchanged: nothing to tell
        ticket = await uow.tickets.save(ticket.with_details(**changes))
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, _actor_customer(user.telegram_id), "details_added", field=step
        )
        return Outcome(
            [
                Notice(
                    s.telegram_id, "ticket.details_added", ticket=ticket, params={"field": step}
                )
                for s in await self._workers_of(uow, ticket)
            ]
        )

    async def _workers_of(self, uow: UnitOfWork, ticket: Ticket) -> list[StaffConfig]:
        """Who works on a ticket now: its owner, or while unowned the on-duty engineers."""
        if ticket.owner_key:
            return [self.settings.staff_by_key(ticket.owner_key)]
        return await self.roster.on_duty(uow, self.settings.project(ticket.project_key))

    async def dialog_input(self, uow: UnitOfWork, user: User, inp: Input) -> Outcome | None:
        """Route a message to the open dialog; None when no dialog waits."""
        draft = await self.draft_of(uow, user.telegram_id)
        if draft is None:
            return None
        if isinstance(draft, ReportDraft):
            return await self.report_input(uow, user, draft, inp)
        if isinstance(draft, ProfileDraft):
            return await self._profile_input(uow, user, draft, inp)
        return await self._work_input(uow, user, draft, inp)

    # ------------------------------------------------------------------ customers' views
    async def my_tickets(self, uow: UnitOfWork, user: User) -> Outcome:
        tickets = await uow.tickets.open_of_customer(user.telegram_id)
        return Outcome([Notice(user.telegram_id, "list.my", params={"tickets": tickets})])

    async def status(self, uow: UnitOfWork, user: User, ticket_id: int) -> Outcome:
        """/status N: one ticket's timeline, for its customer or staff of its project."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        staff = self.staff(uid)
        allowed = ticket is not None and (
            ticket.customer_id == uid
            or (staff is not None and self._can_work(staff, ticket.project_key))
        )
        if ticket is None or not allowed:
            # The same answer for "no such ticket" and "not yours": numbers leak nothing.
            return Outcome([Notice(uid, "ticket.not_found", params={"ticket_id": ticket_id})])
        events = await uow.timeline.of_ticket(ticket.id)
        return Outcome(
            [
                Notice(
                    uid,
                    "ticket.status",
                    ticket=ticket,
                    params={"events": events, "for_staff": staff is not None},
                )
            ]
        )

    async def customer_verdict(
        self, uow: UnitOfWork, user: User, ticket_id: int, fixed: bool
    ) -> Outcome:
        """The customer confirms a resolved ticket, or says it is not fixed (reopens it)."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None:
            return Outcome(toast="button.stale")
        now = self.clock.now()
        try:
            changed = ticket.confirm(uid, now) if fixed else ticket.reopen(uid)
        except TransitionError as e:
            return Outcome(toast=f"refuse.{e.reason}", toast_alert=True)
        ticket = await uow.tickets.save(changed)
        kind = "confirmed" if fixed else "reopened"
        await uow.timeline.append(ticket.id, now, _actor_customer(uid), kind)
        out = Outcome(clear_buttons=True)
        out.add(Notice(uid, f"customer.{kind}", ticket=ticket))
        if ticket.owner_key:
            owner = self.settings.staff_by_key(ticket.owner_key)
            out.add(Notice(owner.telegram_id, f"owner.{kind}", ticket=ticket))
            if not fixed:
                out.add(await self._card(uow, owner.telegram_id, ticket))
        return out

    # ------------------------------------------------------------------ engineers
    async def _ticket_for_staff(
        self, uow: UnitOfWork, staff: StaffConfig, ticket_id: int
    ) -> Ticket | None:
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or not self._can_work(staff, ticket.project_key):
            return None
        return ticket

    async def _card(
        self, uow: UnitOfWork, to: int, ticket: Ticket, edit_message_id: int | None = None
    ) -> Notice:
        """The owner's ticket card, with the nearest deadline and any pause."""
        return Notice(
            to,
            "ticket.card",
            ticket=ticket,
            edit_message_id=edit_message_id,
            params={
                "nearest": await self.sla.nearest(uow, ticket),
                "pause": await uow.pauses.current(ticket.id),
            },
        )

    async def _event(
        self, uow: UnitOfWork, ticket: Ticket, event: str
    ) -> tuple[Ticket, list[Notice]]:
        """Tell the SLA clocks; keep the ticket's shown deadlines in step with them."""
        notices = await self.sla.on_event(uow, ticket, event)
        return await self._sync_deadlines(uow, ticket), notices

    async def _sync_deadlines(self, uow: UnitOfWork, ticket: Ticket) -> Ticket:
        shown = self.sla.deadlines(ticket, await uow.clocks.of_ticket(ticket.id))
        if shown == ticket.deadlines:
            return ticket
        return await uow.tickets.save(replace(ticket, deadlines=shown))

    async def _staff_ticket(
        self, uow: UnitOfWork, uid: int, ticket_id: int, via_button: bool, *, owner: bool = False
    ) -> tuple[StaffConfig, Ticket] | Outcome:
        """The acting staff member and a ticket of their projects (with `owner`: an open
        ticket they own), or the polite refusal."""
        staff = self.staff(uid)
        if staff is None:
            return self._refusal(uid, "staff_only", ticket_id, via_button)
        ticket = await self._ticket_for_staff(uow, staff, ticket_id)
        if ticket is None:
            return self._refusal(uid, "not_found", ticket_id, via_button)
        if owner and (ticket.owner_key != staff.key or not ticket.is_open):
            reason = "not_owner" if ticket.is_open else "not_in_progress"
            return self._refusal(uid, reason, ticket_id, via_button)
        return staff, ticket

    def _refusal(self, uid: int, reason: str, ticket_id: int, via_button: bool) -> Outcome:
        if via_button:
            return Outcome(toast=f"refuse.{reason}", toast_alert=True)
        return Outcome([Notice(uid, f"refuse.{reason}", params={"ticket_id": ticket_id})])

    async def accept(
        self, uow: UnitOfWork, uid: int, ticket_id: int, *, source_message_id: int | None = None
    ) -> Outcome:
        """接单: the first engineer to accept owns the ticket (首问负责制)."""
        via_button = source_message_id is not None
        found = await self._staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if not self._can_take(staff, ticket):
            return self._refusal(uid, "engineers_only", ticket_id, via_button)
        now = self.clock.now()
        try:
            ticket = await uow.tickets.save(ticket.accept(staff.key, now))
        except TransitionError as e:
            if e.reason == "already_taken" and ticket.owner_key == staff.key:
                return self._refusal(uid, "already_yours", ticket_id, via_button)
            return self._refusal(uid, e.reason, ticket_id, via_button)
        await uow.timeline.append(ticket.id, now, _actor_staff(staff), "accepted")
        ticket, sla_notices = await self._event(uow, ticket, "accepted")
        await uow.outbox.cancel_pages(ticket.id)
        await self.roster.stop_paging(uow, ticket.id)
        project = self.settings.project(ticket.project_key)
        sla_notices += self._group(
            project, ticket, "group.status", event="accepted", actor=staff.name
        )
        out = Outcome(sla_notices, toast="toast.accepted")
        # Every sent page (including the acceptor's own) becomes "taken by X", without button.
        for page in await uow.outbox.sent_pages(ticket.id):
            out.add(
                Notice(
                    page.chat_id,
                    "ticket.page_taken",
                    ticket=ticket,
                    edit_message_id=page.message_id,
                )
            )
        out.add(await self._card(uow, uid, ticket))
        customer = Notice(
            ticket.customer_id, "customer.accepted", ticket=ticket, params={"engineer": staff}
        )
        return out.add(customer)

    async def progress(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        action: str,
        *,
        source_message_id: int | None = None,
    ) -> Outcome:
        """On my way / Arrived: owner only, in the order of the work."""
        via_button = source_message_id is not None
        found = await self._staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        now = self.clock.now()
        try:
            if action == "on_way":
                changed = ticket.set_on_way(staff.key, now)
            else:
                policy = self.settings.sla_policy(ticket.project_key)
                changed = ticket.arrive(
                    staff.key, now, promised(policy, ticket.level, ticket.reported_at, now)
                )
        except TransitionError as e:
            return self._refusal(uid, e.reason, ticket_id, via_button)
        ticket = await uow.tickets.save(changed)
        await uow.timeline.append(ticket.id, now, _actor_staff(staff), action)
        ticket, sla_notices = await self._event(
            uow, ticket, "on_site" if action == "arrived" else action
        )
        out = Outcome(sla_notices, toast=f"toast.{action}")
        out.notices += self._group(
            self.settings.project(ticket.project_key),
            ticket,
            "group.status",
            event=action,
            actor=staff.name,
        )
        out.add(await self._card(uow, uid, ticket, source_message_id))
        return out.add(
            Notice(
                ticket.customer_id, f"customer.{action}", ticket=ticket, params={"engineer": staff}
            )
        )

    async def begin_resolve(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        resolution: str = "",
        *,
        source_message_id: int | None = None,
    ) -> Outcome:
        """Resolved: ask for the cause category (buttons), then what was done."""
        via_button = source_message_id is not None
        found = await self._staff_ticket(uow, uid, ticket_id, via_button, owner=True)
        if isinstance(found, Outcome):
            return found
        _, ticket = found
        if len(resolution) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_NOTE})])
        await self._put_draft(
            uow, uid, WorkDraft(ticket_id=ticket.id, step="cause", resolution=resolution.strip())
        )
        return Outcome([Notice(uid, "work.ask_cause", ticket=ticket)], toast="toast.ok")

    async def choose_cause(self, uow: UnitOfWork, uid: int, ticket_id: int, cause: str) -> Outcome:
        draft = await self.draft_of(uow, uid)
        if (
            not isinstance(draft, WorkDraft)
            or draft.ticket_id != ticket_id
            or draft.step != "cause"
            or cause not in {c.key for c in self.settings.causes}
        ):
            return Outcome(toast="button.stale")
        draft.cause = cause
        if draft.resolution:
            res = await self._finish_resolve(uow, uid, draft)
            res.clear_buttons = True
            return res
        draft.step = "resolution"
        await self._put_draft(uow, uid, draft)
        return Outcome(
            [Notice(uid, "work.ask_resolution", params={"ticket_id": ticket_id})],
            clear_buttons=True,
        )

    async def _finish_resolve(self, uow: UnitOfWork, uid: int, draft: WorkDraft) -> Outcome:
        staff = self.staff(uid)
        assert staff is not None
        await self._drop_draft(uow, uid)
        ticket = await self._ticket_for_staff(uow, staff, draft.ticket_id)
        if ticket is None:
            return self._refusal(uid, "not_found", draft.ticket_id, False)
        now = self.clock.now()
        try:
            ticket = await uow.tickets.save(
                ticket.resolve(staff.key, now, draft.cause, draft.resolution)
            )
        except TransitionError as e:
            return self._refusal(uid, e.reason, draft.ticket_id, False)
        await uow.timeline.append(
            ticket.id,
            now,
            _actor_staff(staff),
            "resolved",
            cause=draft.cause,
            note=draft.resolution,
        )
        await self._end_pause(uow, ticket, staff, quiet=True)
        ticket, sla_notices = await self._event(uow, ticket, "resolved")
        await uow.timers.cancel_for_ticket(ticket.id)
        out = Outcome(sla_notices)
        out.notices += self._group(
            self.settings.project(ticket.project_key),
            ticket,
            "group.status",
            event="resolved",
            actor=staff.name,
        )
        out.add(await self._card(uow, uid, ticket))
        return out.add(Notice(ticket.customer_id, "customer.resolved", ticket=ticket))

    async def begin_note(
        self,
        uow: UnitOfWork,
        uid: int,
        ticket_id: int,
        text: str = "",
        *,
        source_message_id: int | None = None,
    ) -> Outcome:
        """Add note: with text (/note N text) at once, from the button by asking for it."""
        via_button = source_message_id is not None
        found = await self._staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if text.strip():
            return await self._save_note(uow, staff, ticket, text.strip())
        await self._put_draft(uow, uid, WorkDraft(ticket_id=ticket.id, step="note"))
        return Outcome([Notice(uid, "work.ask_note", ticket=ticket)], toast="toast.ok")

    async def _save_note(
        self, uow: UnitOfWork, staff: StaffConfig, ticket: Ticket, text: str
    ) -> Outcome:
        uid = staff.telegram_id
        if len(text) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_NOTE})])
        await uow.timeline.append(
            ticket.id, self.clock.now(), _actor_staff(staff), "note", text=text
        )
        return Outcome([Notice(uid, "work.note_saved", ticket=ticket)])

    async def _work_input(
        self, uow: UnitOfWork, user: User, draft: WorkDraft, inp: Input
    ) -> Outcome:
        uid = user.telegram_id
        staff = self.staff(uid)
        if staff is None:  # removed from the config while a draft was open
            await self._drop_draft(uow, uid)
            return Outcome([Notice(uid, "refuse.staff_only")])
        if draft.step == "cause":
            return Outcome([Notice(uid, "hint.use_buttons")])
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([Notice(uid, "hint.want_text")])
        if len(inp.text) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_NOTE})])
        if draft.step == "resolution":
            draft.resolution = inp.text.strip()
            return await self._finish_resolve(uow, uid, draft)
        await self._drop_draft(uow, uid)
        ticket = await self._ticket_for_staff(uow, staff, draft.ticket_id)
        if ticket is None:
            return Outcome(
                [Notice(uid, "refuse.not_found", params={"ticket_id": draft.ticket_id})]
            )
        return await self._save_note(uow, staff, ticket, inp.text.strip())

    async def begin_handover(
        self, uow: UnitOfWork, uid: int, ticket_id: int, *, source_message_id: int | None = None
    ) -> Outcome:
        """Hand over: the owner picks another engineer of the project."""
        via_button = source_message_id is not None
        found = await self._staff_ticket(uow, uid, ticket_id, via_button)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if ticket.owner_key != staff.key or ticket.status not in (
            Status.ACCEPTED,
            Status.ON_WAY,
            Status.ON_SITE,
        ):
            return self._refusal(uid, "not_owner", ticket_id, via_button)
        project = self.settings.project(ticket.project_key)
        candidates = [
            s
            for s in self._project_staff(project)
            if s.has_role("engineer") and s.key != staff.key
        ]
        if not candidates:
            return self._refusal(uid, "no_candidates", ticket_id, via_button)
        return Outcome(
            [Notice(uid, "work.ask_handover", ticket=ticket, params={"candidates": candidates})],
            toast="toast.ok",
        )

    async def propose_handover(
        self, uow: UnitOfWork, uid: int, ticket_id: int, to_key: str
    ) -> Outcome:
        staff = self.staff(uid)
        if staff is None:
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        ticket = await self._ticket_for_staff(uow, staff, ticket_id)
        try:
            target = self.settings.staff_by_key(to_key)
        except KeyError:
            return Outcome(toast="button.stale")
        if ticket is None or not self._can_take(target, ticket):
            return Outcome(toast="button.stale")
        if ticket.handover_to == target.key and ticket.owner_key == staff.key:
            # A double tap: the offer is out already (and this list's buttons are gone).
            return Outcome(toast="refuse.handover_pending")
        try:
            ticket = await uow.tickets.save(ticket.propose_handover(staff.key, target.key))
        except TransitionError as e:
            return Outcome(toast=f"refuse.{e.reason}", toast_alert=True)
        await uow.timeline.append(
            ticket.id, self.clock.now(), _actor_staff(staff), "handover_proposed", to=target.key
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        out.add(Notice(uid, "work.handover_sent", ticket=ticket, params={"target": target}))
        return out.add(
            Notice(
                target.telegram_id, "work.handover_offer", ticket=ticket, params={"owner": staff}
            )
        )

    async def answer_handover(
        self, uow: UnitOfWork, uid: int, ticket_id: int, take: bool
    ) -> Outcome:
        staff = self.staff(uid)
        if staff is None:
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        ticket = await self._ticket_for_staff(uow, staff, ticket_id)
        if ticket is None or ticket.handover_to != staff.key or ticket.owner_key is None:
            return Outcome(toast="button.stale")
        previous = self.settings.staff_by_key(ticket.owner_key)
        try:
            changed = ticket.take_over(staff.key) if take else ticket.decline_handover(staff.key)
        except TransitionError:
            return Outcome(toast="button.stale")
        ticket = await uow.tickets.save(changed)
        kind = "handover_accepted" if take else "handover_declined"
        await uow.timeline.append(
            ticket.id,
            self.clock.now(),
            _actor_staff(staff),
            kind,
            **({"from": previous.key} if take else {}),
        )
        out = Outcome(clear_buttons=True, toast="toast.ok")
        out.add(
            Notice(previous.telegram_id, f"work.{kind}", ticket=ticket, params={"target": staff})
        )
        if take:
            out.add(await self._card(uow, uid, ticket))
            out.add(
                Notice(
                    ticket.customer_id,
                    "customer.accepted",
                    ticket=ticket,
                    params={"engineer": staff},
                )
            )
        return out

    async def regrade(self, uow: UnitOfWork, uid: int, ticket_id: int, level_text: str) -> Outcome:
        """/regrade N A|B|C (managers): recomputes the deadlines; recorded."""
        staff = self.staff(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "refuse.managers_only")])
        try:
            level = Level(level_text.strip().upper())
        except ValueError:
            return Outcome([Notice(uid, "usage.regrade")])
        ticket = await self._ticket_for_staff(uow, staff, ticket_id)
        if ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params={"ticket_id": ticket_id})])
        policy = self.settings.sla_policy(ticket.project_key)
        old = ticket.level
        try:
            ticket = await uow.tickets.save(
                ticket.regrade(
                    level, promised(policy, level, ticket.reported_at, ticket.on_site_at)
                )
            )
        except TransitionError as e:
            return Outcome([Notice(uid, f"refuse.{e.reason}", params={"ticket_id": ticket_id})])
        now = self.clock.now()
        await uow.timeline.append(
            ticket.id, now, _actor_staff(staff), "regraded", old=old.value, new=level.value
        )
        await self.sla.regrade(uow, ticket)
        ticket = await self._sync_deadlines(uow, ticket)
        out = Outcome([Notice(uid, "work.regraded", ticket=ticket, params={"old": old})])
        for worker in await self._workers_of(uow, ticket):
            if worker.telegram_id != uid:
                out.add(
                    Notice(worker.telegram_id, "work.regraded", ticket=ticket, params={"old": old})
                )
        return out.add(
            Notice(ticket.customer_id, "customer.regraded", ticket=ticket, params={"old": old})
        )

    # ------------------------------------------------------------------ the contract (SLA)
    async def sla_view(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/sla N: each clock's target, elapsed, remaining, paused time, met or missed."""
        found = await self._staff_ticket(uow, uid, ticket_id, via_button=False)
        if isinstance(found, Outcome):
            return found
        _, ticket = found
        views = await self.sla.views(uow, ticket)
        pause = await uow.pauses.current(ticket.id)
        return Outcome(
            [Notice(uid, "sla.view", ticket=ticket, params={"views": views, "pause": pause})]
        )

    async def record_event(self, uow: UnitOfWork, uid: int, ticket_id: int, event: str) -> Outcome:
        """/proposal N, /spare N, /loaner N: the owner records a promised step as done."""
        found = await self._staff_ticket(uow, uid, ticket_id, via_button=False, owner=True)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        now = self.clock.now()
        await uow.timeline.append(ticket.id, now, _actor_staff(staff), event)
        ticket, notices = await self._event(uow, ticket, event)
        out = Outcome(notices)
        out.add(Notice(uid, "work.event_recorded", ticket=ticket, params={"event": event}))
        out.add(await self._card(uow, uid, ticket))
        return out.add(
            Notice(
                ticket.customer_id, f"customer.{event}", ticket=ticket, params={"engineer": staff}
            )
        )

    def _approvers(self, project: ProjectConfig) -> list[StaffConfig]:
        """Who approves a force-majeure pause: the project managers (else the chain's top)."""
        chain = self._project_staff(project)
        pms = [s for s in chain if s.has_role("project_manager")]
        return pms or [s for s in chain if s.has_role("project_lead", "admin")]

    async def propose_pause(
        self, uow: UnitOfWork, uid: int, ticket_id: int, kind: str, reason: str
    ) -> Outcome:
        """Force majeure (needs a project manager's approval) or waiting for the customer."""
        found = await self._staff_ticket(uow, uid, ticket_id, via_button=False, owner=True)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        reason = reason.strip()
        if not reason:
            return Outcome(
                [Notice(uid, f"usage.{'pause' if kind == 'force_majeure' else 'wait'}")]
            )
        if len(reason) > MAX_NOTE:
            return Outcome([Notice(uid, "hint.too_long", params={"limit": MAX_NOTE})])
        if await uow.pauses.current(ticket.id) is not None:
            return Outcome([Notice(uid, "refuse.already_paused", params={"ticket_id": ticket_id})])
        now = self.clock.now()
        actor = _actor_staff(staff)
        if kind == "waiting":
            pause = await uow.pauses.add(ticket.id, kind, reason, "active", actor, now)
            return await self._start_pause(uow, ticket, pause.kind, reason, actor)
        pause = await uow.pauses.add(ticket.id, kind, reason, "proposed", actor, now)
        await uow.timeline.append(ticket.id, now, actor, "pause_proposed", reason=reason)
        project = self.settings.project(ticket.project_key)
        out = Outcome([Notice(uid, "pause.proposed", ticket=ticket, params={"reason": reason})])
        for approver in self._approvers(project):
            out.add(
                Notice(
                    approver.telegram_id,
                    "pause.approve",
                    ticket=ticket,
                    params={"reason": reason, "owner": staff, "pause_id": pause.id},
                )
            )
        return out

    async def _start_pause(
        self, uow: UnitOfWork, ticket: Ticket, kind: str, reason: str, actor: str
    ) -> Outcome:
        now = self.clock.now()
        await self.sla.pause(uow, ticket)
        await uow.timeline.append(ticket.id, now, actor, "paused", pause=kind, reason=reason)
        out = Outcome()
        params = {"kind": kind, "reason": reason}
        for worker in await self._workers_of(uow, ticket):
            out.add(Notice(worker.telegram_id, "pause.started", ticket=ticket, params=params))
        return out.add(Notice(ticket.customer_id, "customer.paused", ticket=ticket, params=params))

    async def decide_pause(
        self, uow: UnitOfWork, uid: int, pause_id: int, approve: bool
    ) -> Outcome:
        """The project manager's Approve / Reject on a force-majeure pause."""
        staff = self.staff(uid)
        pause = await uow.pauses.get(pause_id)
        if staff is None or pause is None:
            return Outcome(toast="button.stale")
        ticket = await self._ticket_for_staff(uow, staff, pause.ticket_id)
        if ticket is None or staff not in self._approvers(
            self.settings.project(ticket.project_key)
        ):
            return Outcome(toast="refuse.approvers_only", toast_alert=True)
        if not ticket.is_open:
            return Outcome(toast="refuse.not_open", toast_alert=True)
        now = self.clock.now()
        if not await uow.pauses.decide(
            pause.id, "active" if approve else "rejected", _actor_staff(staff), now
        ):
            return Outcome(toast="button.stale")  # decided already (double press, another PM)
        out = Outcome(clear_buttons=True, toast="toast.ok")
        if approve:
            res = await self._start_pause(
                uow, ticket, pause.kind, pause.reason, _actor_staff(staff)
            )
            out.notices.extend(res.notices)
            return out
        await uow.timeline.append(ticket.id, now, _actor_staff(staff), "pause_rejected")
        for worker in await self._workers_of(uow, ticket):
            out.add(
                Notice(worker.telegram_id, "pause.rejected", ticket=ticket, params={"by": staff})
            )
        return out

    async def resume(self, uow: UnitOfWork, uid: int, ticket_id: int) -> Outcome:
        """/resume N: the owner or a manager ends the pause; the clocks run again."""
        found = await self._staff_ticket(uow, uid, ticket_id, via_button=False)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        if ticket.owner_key != staff.key and not staff.is_manager:
            return Outcome([Notice(uid, "refuse.not_owner", params={"ticket_id": ticket_id})])
        notices = await self._end_pause(uow, ticket, staff, quiet=False)
        if not notices:
            return Outcome([Notice(uid, "refuse.not_paused", params={"ticket_id": ticket_id})])
        return Outcome(notices)

    async def _end_pause(
        self, uow: UnitOfWork, ticket: Ticket, staff: StaffConfig, *, quiet: bool
    ) -> list[Notice]:
        """End a proposed or active pause; returns what to say (nothing when quiet)."""
        pause = await uow.pauses.current(ticket.id)
        if pause is None:
            return []
        now = self.clock.now()
        if pause.state == "proposed":
            await uow.pauses.decide(pause.id, "rejected", _actor_staff(staff), now)
            return []
        await uow.pauses.end(pause.id, now)
        await self.sla.resume(uow, ticket)
        ticket = await self._sync_deadlines(uow, ticket)
        paused = (now - (pause.started_at or now)).total_seconds()
        await uow.timeline.append(
            ticket.id, now, _actor_staff(staff), "resumed", pause=pause.kind, seconds=round(paused)
        )
        if quiet:
            return []
        params = {"kind": pause.kind, "seconds": paused}
        notices = [
            Notice(w.telegram_id, "pause.ended", ticket=ticket, params=params)
            for w in await self._workers_of(uow, ticket)
        ]
        notices.append(
            Notice(ticket.customer_id, "customer.resumed", ticket=ticket, params=params)
        )
        return notices

    async def queue(self, uow: UnitOfWork, uid: int) -> Outcome:
        staff = self.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        tickets = await uow.tickets.open_of_projects(self._staff_projects(staff))
        return Outcome([Notice(uid, "list.queue", params={"tickets": tickets})])

    async def mine(self, uow: UnitOfWork, uid: int) -> Outcome:
        staff = self.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        tickets = await uow.tickets.open_of_owner(staff.key)
        return Outcome([Notice(uid, "list.mine", params={"tickets": tickets})])

    # ------------------------------------------------------------------ reachability
    async def page_failed(
        self, uow: UnitOfWork, chat_id: int, reason: str, ticket_id: int | None
    ) -> Outcome:
        """A message to staff was refused (blocked / never started): tell the managers."""
        staff = self.staff(chat_id)
        news = await uow.users.mark_unreachable(chat_id, self.clock.now(), reason)
        out = Outcome()
        if ticket_id is not None:
            # The page reached nobody in that tier: the next person is paged at once.
            out.notices.extend(await self.roster.page_refused(uow, ticket_id, chat_id))
        if staff is None or not (news or ticket_id):
            return out
        projects = self.settings.projects_of_staff(staff.key)
        for project in projects:
            for manager in self._managers(project):
                if manager.key != staff.key:
                    out.add(
                        Notice(
                            manager.telegram_id,
                            "staff.unreachable",
                            params={
                                "names": [staff.name],
                                "project": project.name,
                                "ticket_id": ticket_id,
                            },
                        )
                    )
        return out

    async def unreachable_report(self, uow: UnitOfWork) -> Outcome:
        """At start-up: name the staff who never started the bot or blocked it."""
        now: datetime = self.clock.now()
        everyone = await uow.users.many(s.telegram_id for s in self.settings.staff)
        out = Outcome()
        for project in self.settings.projects:
            missing = [
                s
                for s in self._project_staff(project)
                if (u := everyone.get(s.telegram_id)) is None
                or u.started_at is None
                or u.unreachable_at is not None
            ]
            if not missing:
                continue
            names = [s.name for s in missing]
            digest = hashlib.sha1("|".join(sorted(names)).encode()).hexdigest()[:10]
            day = now.astimezone(self.settings.tz).date().isoformat()
            for manager in self._managers(project):
                if manager in missing:
                    continue
                out.add(
                    Notice(
                        manager.telegram_id,
                        "staff.unreachable",
                        params={"names": names, "project": project.name, "ticket_id": None},
                        dedupe=f"unreachable:{project.key}:{manager.key}:{day}:{digest}",
                    )
                )
        return out

    async def calendar_report(self, uow: UnitOfWork) -> Outcome:
        """Business calendars lacking the official working days of a coming year: say so.

        The official calendar of a year is published each November; until the package that
        carries it is updated, Monday–Friday plus the config's extra days is used instead.
        """
        now = self.clock.now()
        today = now.astimezone(self.settings.tz).date()
        years = {today.year, (today + timedelta(days=90)).year}
        out = Outcome()
        for project in self.settings.projects:
            policy = self.settings.sla_policy(project.key)
            days = getattr(policy.calendar, "days", None)
            if days is None or not getattr(days, "official", False):
                continue  # 24x7, or plain Monday–Friday by choice
            missing = missing_years(years)
            if not missing:
                continue
            log.warning(
                "no official working-day calendar for %s (project %s): using Monday-Friday "
                "plus the config's extra days; update the chinesecalendar package",
                ", ".join(map(str, missing)),
                project.key,
            )
            people = [
                s for s in self._project_staff(project) if s.has_role("project_manager", "admin")
            ]
            people += [s for s in self.settings.staff if s.has_role("admin")]
            for person in {p.telegram_id: p for p in people}.values():
                out.add(
                    Notice(
                        person.telegram_id,
                        "calendar.missing",
                        params={
                            "years": ", ".join(map(str, missing)),
                            "project": project.name,
                            "calendar": policy.calendar.name,
                        },
                        dedupe=f"calendar:{project.key}:{person.key}:{today.isoformat()}",
                    )
                )
        return out

    async def arm_daily_check(self, uow: UnitOfWork) -> None:
        """The daily check runs every morning at 08:00 local time (a timer in the database)."""
        tz = self.settings.tz
        local = self.clock.now().astimezone(tz)
        nxt = datetime.combine(local.date(), time(8, 0), tzinfo=tz)
        if nxt <= local:
            nxt += timedelta(days=1)
        await uow.timers.schedule(f"daily:{nxt.date().isoformat()}", "daily_check", nxt)

    async def daily_check(self, uow: UnitOfWork) -> Outcome:
        """Every morning: unreachable staff, roster gaps, missing calendar years; re-arm."""
        out = await self.unreachable_report(uow)
        out.notices.extend((await self.calendar_report(uow)).notices)
        out.notices.extend((await self.roster.gaps_report(uow)).notices)
        await self.roster.arm(uow)
        await self.arm_daily_check(uow)
        return out
