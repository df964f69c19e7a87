"""Routes what a user sends to the dialog their draft belongs to."""

from __future__ import annotations

from bot.domain.drafts import ProfileDraft, ReportDraft
from bot.domain.people import User
from bot.services.drafts import Drafts, Input
from bot.services.intake import Intake
from bot.services.notices import Outcome
from bot.services.onboarding import Onboarding
from bot.services.uow import UnitOfWork
from bot.services.work import Work


class Dialogs:
    def __init__(self, drafts: Drafts, onboarding: Onboarding, intake: Intake, work: Work) -> None:
        self.drafts = drafts
        self.onboarding = onboarding
        self.intake = intake
        self.work = work

    async def input(self, uow: UnitOfWork, user: User, inp: Input) -> Outcome | None:
        """Route a message to the open dialog; None when no dialog waits."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if draft is None:
            return None
        if isinstance(draft, ReportDraft):
            return await self.intake.report_input(uow, user, draft, inp)
        if isinstance(draft, ProfileDraft):
            out, saved = await self.onboarding.profile_input(uow, user, draft, inp)
            if saved and draft.then_report:
                # The profile was asked for by /report: the report dialog follows.
                fresh = await uow.users.get(uid)
                assert fresh is not None
                out.notices.extend((await self.intake.begin_report(uow, fresh)).notices)
            return out
        return await self.work.work_input(uow, user, draft, inp)
