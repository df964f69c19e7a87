"""Routes what a user sends to the dialog their draft belongs to; what a command does while a
dialog is open (the question it waits on is asked again)."""

from __future__ import annotations

from bot.domain.complaints import ComplaintDraft
from bot.domain.contract import TaskDraft
from bot.domain.drafts import AnyDraft, ProfileDraft, ReportDraft, WorkDraft
from bot.domain.equipment import Device
from bot.domain.people import User
from bot.services.complaints import Complaints
from bot.services.daily import WORK_STEP, Daily, DailyAsk
from bot.services.desk import Desk, is_desk_step
from bot.services.drafts import Drafts, Input
from bot.services.intake import Intake
from bot.services.notices import Notice, Outcome, TicketNumber
from bot.services.onboarding import Onboarding
from bot.services.tasks import Tasks
from bot.services.uow import UnitOfWork
from bot.services.work import Work


class Dialogs:
    def __init__(
        self,
        drafts: Drafts,
        onboarding: Onboarding,
        intake: Intake,
        work: Work,
        complaints: Complaints,
        daily: Daily | None = None,
        desk: Desk | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        self.drafts = drafts
        self.onboarding = onboarding
        self.intake = intake
        self.work = work
        self.complaints = complaints
        self.daily = daily
        self.desk = desk
        self.tasks = tasks

    async def input(self, uow: UnitOfWork, user: User, inp: Input) -> Outcome | None:
        """Route a message to the open dialog; None when no dialog waits."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if draft is None:
            return None
        if isinstance(draft, ReportDraft) and is_desk_step(draft.step) and self.desk:
            return await self.desk.input(uow, user, draft, inp)
        if isinstance(draft, ReportDraft):
            return await self.intake.report_input(uow, user, draft, inp)
        if isinstance(draft, ComplaintDraft):
            return await self.complaints.input(uow, user, draft, inp)
        if isinstance(draft, TaskDraft):
            if self.tasks is None:
                await self.drafts.drop(uow, uid)
                return Outcome()
            return await self.tasks.input(uow, user, draft, inp)
        if isinstance(draft, ProfileDraft):
            out, saved = await self.onboarding.profile_input(uow, user, draft, inp)
            if saved and draft.then_report:
                # A profile draft of an older version, asked for by /report: the report follows.
                fresh = await uow.users.get(uid)
                assert fresh is not None
                out.notices.extend((await self.intake.begin_report(uow, fresh)).notices)
            return out
        if draft.step == WORK_STEP and self.daily is not None:
            return await self.daily.work_input(uow, user, draft, inp)
        return await self.work.work_input(uow, user, draft, inp)

    async def report(self, uow: UnitOfWork, user: User, device: Device | None = None) -> Outcome:
        """/report: urgent first. The profile questions and the details of an early (A-level)
        ticket give way to a new report; any other open dialog is asked to finish first."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        out = Outcome()
        if isinstance(draft, ReportDraft) and draft.ticket_id is not None:
            # The early ticket stays open with what it has; its details form ends.
            await self.drafts.drop(uow, uid)
            out.add(Notice(uid, "cancel.report_open", params=TicketNumber(draft.ticket_id)))
        elif isinstance(draft, ProfileDraft):
            await self.drafts.drop(uow, uid)  # asked again after the receipt if still unknown
        elif isinstance(draft, WorkDraft) and draft.step in ("still_wrong", "survey_comment"):
            await self.drafts.drop(uow, uid)  # a new fault beats describing the old one
        elif draft is not None:
            return await self.busy(uow, user, draft)
        out.notices.extend((await self.intake.begin_report(uow, user, device)).notices)
        return out

    async def request(self, uow: UnitOfWork, user: User) -> Outcome:
        """/request: a service request; any open dialog is asked to finish first."""
        draft = await self.drafts.of(uow, user.telegram_id)
        if isinstance(draft, ProfileDraft):
            await self.drafts.drop(uow, user.telegram_id)  # asked again after the receipt
        elif draft is not None:
            return await self.busy(uow, user, draft)
        return await self.intake.begin_request(uow, user)

    async def log(self, uow: UnitOfWork, user: User) -> Outcome:
        """/log: a fault received by phone (staff); any open dialog is asked to finish first."""
        assert self.desk is not None
        draft = await self.drafts.of(uow, user.telegram_id)
        if draft is not None and self.desk.access.staff(user.telegram_id) is not None:
            return await self.busy(uow, user, draft)
        return await self.desk.begin(uow, user)

    async def busy(
        self, uow: UnitOfWork, user: User, draft: AnyDraft, key: str = "dialog.busy"
    ) -> Outcome:
        """A command that cannot run in the middle of a form: say so (`key`) and ask the
        pending question again, so that the user is not stuck when it has scrolled away."""
        uid = user.telegram_id
        out = Outcome([Notice(uid, key)])
        pending = await self.pending(uow, uid, draft)
        if pending is not None:
            out.add(pending)
        return out

    async def pending(self, uow: UnitOfWork, uid: int, draft: AnyDraft) -> Notice | None:
        """The question the open dialog waits on; None when its ticket is gone."""
        if isinstance(draft, ReportDraft) and is_desk_step(draft.step) and self.desk:
            return self.desk.pending(uid, draft)
        if isinstance(draft, ReportDraft):
            return self.intake.pending(uid, draft)
        if isinstance(draft, ProfileDraft):
            return Notice(uid, f"profile.ask_{draft.step}")
        if isinstance(draft, ComplaintDraft):
            return self.complaints.pending(uid, draft)
        if isinstance(draft, TaskDraft):
            return None if self.tasks is None else await self.tasks.pending(uow, uid, draft)
        assert isinstance(draft, WorkDraft)
        if draft.step == WORK_STEP:
            project, _, day = draft.about.partition("/")
            return Notice(uid, "daily.ask_work", params=DailyAsk(day, project))
        if draft.step == "resolution":
            return Notice(uid, "work.ask_resolution", params=TicketNumber(draft.ticket_id))
        ticket = await uow.tickets.get(draft.ticket_id)
        if ticket is None:
            return None
        return Notice(uid, f"work.ask_{draft.step}", ticket=ticket)
