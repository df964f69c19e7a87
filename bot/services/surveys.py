"""The satisfaction survey (满意度调查): after the customer confirms a ticket, 1-5 stars and an
optional comment. A low score (2 stars or fewer) tells the project's customer managers at once
and starts the `low_rating` event: a policy's call-back clock (stop event `callback_done`)
reminds and escalates until a manager records the call-back with `/callback N what was agreed`.
The customer is offered to file a complaint. Once the survey is complete (the comment given or
skipped, or never given in time), the service report is re-issued with it (bot/services/
records.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.drafts import WorkDraft
from bot.domain.people import User
from bot.domain.survey import MAX_COMMENT, STARS, Survey
from bot.domain.ticket import Status, Ticket
from bot.services.access import Access, customer_actor, staff_actor
from bot.services.drafts import Drafts, Input
from bot.services.notices import Limit, Notice, Outcome, Params, TicketNumber
from bot.services.records import Records
from bot.services.sla import Sla
from bot.services.uow import UnitOfWork

COMMENT_STEP = "survey_comment"  # the WorkDraft step waiting for the customer's comment
# The comment's question is kept (its message id known): a comment typed instead of pressing
# Skip takes the Skip button off it, as a pressed button's answer does.
COMMENT_QUESTION = "survey_comment"


@dataclass(frozen=True)
class Rated(Params):
    """A survey's answer as the customer manager reads it ("" comment: none given)."""

    stars: int
    comment: str = ""


@dataclass(frozen=True)
class CalledBack(Params):
    """A call-back recorded after a low score: who, and what was agreed."""

    name: str
    note: str


class Surveys:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        drafts: Drafts,
        sla: Sla,
        records: Records | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts
        self.sla = sla
        self.records = records  # re-issues the service report with the survey in it

    def ask(self, ticket: Ticket) -> Notice:
        """The stars question, sent when the customer confirms the ticket."""
        return Notice(ticket.customer_id, "survey.ask", ticket=ticket)

    def _customer_managers(self, ticket: Ticket) -> list[StaffConfig]:
        """The project's customer managers (else its managers): told of a low score."""
        project = self.settings.find_project(ticket.project_key)
        if project is None:
            return self.access.keepers(None)
        staff = self.access.project_staff(project)
        return [s for s in staff if s.has_role("customer_manager")] or self.access.managers(
            project
        )

    async def rate(self, uow: UnitOfWork, user: User, ticket_id: int, stars: int) -> Outcome:
        """A star button: stored once; the comment is asked; a low score tells the managers."""
        uid = user.telegram_id
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or ticket.customer_id != uid or stars not in STARS:
            return Outcome(toast="button.stale")
        if ticket.status != Status.CLOSED:
            return Outcome(toast="button.stale")
        now = self.clock.now()
        survey = Survey(ticket.id, uid, stars, now)
        if not await uow.surveys.add(survey):
            return Outcome(toast="survey.answered")
        await uow.timeline.append(ticket.id, now, customer_actor(uid), "rated", stars=stars)
        out = Outcome(clear_buttons=True)
        if survey.low:
            rated = Rated(stars)
            for cm in self._customer_managers(ticket):
                out.add(Notice(cm.telegram_id, "survey.low", ticket=ticket, params=rated))
            out.notices += await self.sla.on_event(uow, ticket, "low_rating")
            out.add(Notice(uid, "survey.complain_offer", ticket=ticket))
        if await self.drafts.of(uow, uid) is None:  # never overwrite a form in progress
            await self.drafts.put(uow, uid, WorkDraft(ticket_id=ticket.id, step=COMMENT_STEP))
            out.add(Notice(uid, "survey.ask_comment", ticket=ticket, purpose=COMMENT_QUESTION,
                           keep="anew"))
            if self.records is not None:
                await self.records.await_comment(uow, ticket, now + self.settings.draft_ttl)
        else:
            out.add(Notice(uid, "survey.thanks", ticket=ticket))
            if self.records is not None:  # no comment is asked: the survey is complete
                await self.records.rated(uow, ticket.id)
        return out

    async def skip(self, uow: UnitOfWork, user: User, ticket_id: int) -> Outcome:
        """The comment's Skip button: the survey ends without a comment."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if not (isinstance(draft, WorkDraft) and draft.step == COMMENT_STEP):
            return Outcome(toast="button.stale")
        if draft.ticket_id != ticket_id:
            return Outcome(toast="button.stale")
        await self.drafts.drop(uow, uid)
        ticket = await uow.tickets.get(ticket_id)
        out = Outcome(clear_buttons=True)
        if ticket is not None:
            out.add(Notice(uid, "survey.thanks", ticket=ticket))
            if self.records is not None:
                await self.records.rated(uow, ticket.id)
        return out

    async def comment(self, uow: UnitOfWork, user: User, draft: WorkDraft, inp: Input) -> Outcome:
        """The customer's comment: stored with the stars; a low score's goes to the managers."""
        uid = user.telegram_id
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([Notice(uid, "hint.want_text")])
        if len(inp.text) > MAX_COMMENT:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_COMMENT))])
        await self.drafts.drop(uow, uid)
        ticket = await uow.tickets.get(draft.ticket_id)
        survey = await uow.surveys.get(draft.ticket_id)
        if ticket is None or survey is None or survey.customer_id != uid:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(draft.ticket_id))])
        said = inp.text.strip()
        survey = survey.with_comment(said)
        await uow.surveys.update(survey)
        now = self.clock.now()
        await uow.timeline.append(ticket.id, now, customer_actor(uid), "rating_comment", text=said)
        if self.records is not None:
            await self.records.rated(uow, ticket.id, commented=True)
        # The thanks replace the question as the kept message: its Skip button goes (one edit;
        # after a pressed Skip the answer's edit did that, so Skip's thanks are not kept).
        thanks = Notice(uid, "survey.thanks", ticket=ticket, purpose=COMMENT_QUESTION, keep="anew")
        out = Outcome([thanks])
        if survey.low:
            rated = Rated(survey.stars, said)
            for cm in self._customer_managers(ticket):
                out.add(Notice(cm.telegram_id, "survey.low_comment", ticket=ticket, params=rated))
        return out

    async def callback(self, uow: UnitOfWork, uid: int, ticket_id: int, note: str) -> Outcome:
        """/callback N what was agreed: a manager of the project records the call-back after
        a low score; the call-back clock stops."""
        staff = self.access.staff(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "refuse.managers_only_callback")])
        if not note.strip():
            return Outcome([Notice(uid, "usage.callback")])
        if len(note) > MAX_COMMENT:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_COMMENT))])
        ticket = await self.access.ticket_for_staff(uow, staff, ticket_id)
        survey = await uow.surveys.get(ticket_id) if ticket is not None else None
        if ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(ticket_id))])
        if survey is None or not survey.low:
            return Outcome([Notice(uid, "survey.no_low_rating", params=TicketNumber(ticket_id))])
        if survey.called_back:
            again = TicketNumber(ticket_id)
            return Outcome([Notice(uid, "survey.called_back_before", params=again)])
        now = self.clock.now()
        said = note.strip()
        await uow.surveys.update(survey.call_back(staff.key, now, said))
        await uow.timeline.append(ticket.id, now, staff_actor(staff), "callback_done", text=said)
        out = Outcome(await self.sla.on_event(uow, ticket, "callback_done"))
        done = Notice(
            uid, "survey.callback_recorded", ticket=ticket, params=CalledBack(staff.name, said)
        )
        out.add(done)
        for cm in self._customer_managers(ticket):
            if cm.telegram_id != uid:
                out.add(replace(done, to=cm.telegram_id))
        return out
