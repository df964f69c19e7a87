"""Open dialogs: one draft per user in the database, dropped after `draft_ttl` untouched.

A dialog (profile, report, resolve, note) keeps its state in the user's draft; what the user
sends while a draft is open is an `Input` to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from bot.clock import Clock
from bot.config import Settings
from bot.domain.contract import TaskDraft
from bot.domain.drafts import AnyDraft, ReportDraft, WorkDraft
from bot.domain.literals import one_of
from bot.services.notices import Notice, Outcome, Params, TicketNumber
from bot.services.uow import UnitOfWork

# "skip_location": the location keyboard's skip button (a reply keyboard sends its label as
# text; the adapter tells it apart, so that it is never taken for an answer to another form).
InputKind = Literal["text", "location", "photo", "other", "skip_location"]
# The dialogs a draft can belong to (each draft class's `kind`).
DraftKind = Literal["report", "profile", "work", "complaint", "task"]
DRAFT_KINDS: tuple[DraftKind, ...] = get_args(DraftKind)


@dataclass(frozen=True)
class Input:
    """What a user sent while a dialog waits: text, a location, a photo, or something else."""

    kind: InputKind
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    file_id: str = ""


@dataclass(frozen=True)
class ExpiredDraft(Params):
    """A dialog dropped for being untouched, and the ticket it was about, if any
    (`draft.expired`, `draft.expired_open`, `draft.expired_work`)."""

    kind: DraftKind
    ticket_id: int | None


# Work steps whose answer may be skipped (the survey's comment, the arrival location): their
# draft expires silently.
OPTIONAL_STEPS = ("survey_comment", "arrival_location", "daily_work")


class Drafts:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def put(self, uow: UnitOfWork, user_id: int, draft: AnyDraft) -> None:
        """Save the draft and (re)arm its expiry."""
        now = self.clock.now()
        await uow.drafts.put(user_id, draft, now)
        await uow.timers.schedule(
            f"draft:{user_id}", "draft_expiry", now + self.settings.draft_ttl, user_id=user_id
        )

    async def drop(self, uow: UnitOfWork, user_id: int) -> None:
        await uow.drafts.delete(user_id)
        await uow.timers.cancel(f"draft:{user_id}")

    async def of(self, uow: UnitOfWork, user_id: int) -> AnyDraft | None:
        found = await uow.drafts.get(user_id)
        return None if found is None else found[0]

    async def cancel(self, uow: UnitOfWork, user_id: int) -> Outcome:
        """/cancel: leave whatever dialog is open."""
        draft = await self.of(uow, user_id)
        if draft is None:
            return Outcome([Notice(user_id, "cancel.nothing")])
        await self.drop(uow, user_id)
        key = (
            "cancel.report_open"
            if isinstance(draft, ReportDraft) and draft.ticket_id
            else "cancel.done"
        )
        ticket_id = draft.ticket_id if isinstance(draft, ReportDraft) else None
        return Outcome([Notice(user_id, key, params=TicketNumber(ticket_id))])

    async def expire(self, uow: UnitOfWork, user_id: int) -> Outcome:
        """A draft untouched for `draft_ttl` is dropped with a notice."""
        found = await uow.drafts.get(user_id)
        if found is None:
            return Outcome()
        draft, updated_at = found
        if updated_at + self.settings.draft_ttl > self.clock.now():
            return Outcome()  # touched since the timer was armed
        await uow.drafts.delete(user_id)
        if isinstance(draft, WorkDraft) and draft.step in OPTIONAL_STEPS:
            return Outcome()  # an optional answer never given: nothing was lost
        # Say what was lost, and what was not: an open ticket stays open.
        key, ticket_id = "draft.expired", None
        if isinstance(draft, ReportDraft) and draft.ticket_id is not None:
            key, ticket_id = "draft.expired_open", draft.ticket_id
        elif isinstance(draft, WorkDraft):
            key, ticket_id = "draft.expired_work", draft.ticket_id
        elif isinstance(draft, TaskDraft):
            key = "tasks.expired"  # a contract task's result: recorded again from /tasks
        expired = ExpiredDraft(one_of(draft.kind, DRAFT_KINDS, "draft kind"), ticket_id)
        return Outcome([Notice(user_id, key, params=expired)])
