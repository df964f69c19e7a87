"""Joining: every update records the user; /start greets staff and lets customers join a
project by its invite; the profile dialog asks a customer's name, unit and phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from bot.clock import Clock
from bot.config import Settings
from bot.domain.drafts import MAX_SHORT_TEXT, ProfileDraft, valid_phone
from bot.domain.people import User
from bot.services.access import Access
from bot.services.drafts import Drafts, Input
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.uow import UnitOfWork

# The roles a staff member who is not an engineer can have, in the order they are named.
ManagerRole = Literal["customer_manager", "project_manager", "project_lead", "admin"]
MANAGER_ROLE_ORDER: tuple[ManagerRole, ...] = get_args(ManagerRole)


@dataclass(frozen=True)
class StaffGreeting(Params):
    """/start by a staff member: greeted by name (`start.staff`)."""

    name: str


@dataclass(frozen=True)
class ManagerGreeting(Params):
    """/start by a staff member who is not an engineer: greeted for their roles, not as on
    duty (`start.manager`)."""

    name: str
    roles: tuple[ManagerRole, ...]


@dataclass(frozen=True)
class ProjectName(Params):
    """The project a customer joined or is back in (`start.joined`, `start.welcome_back`);
    its key finds the hotline and customer manager the welcome shows."""

    project: str
    key: str = ""


@dataclass(frozen=True)
class SavedProfile(Params):
    """A customer's profile as saved (`profile.saved`)."""

    name: str
    unit: str
    phone: str


class Onboarding:
    def __init__(self, settings: Settings, clock: Clock, access: Access, drafts: Drafts) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts

    async def seen(
        self, uow: UnitOfWork, user_id: int, first_name: str, language: str | None
    ) -> User:
        return await uow.users.seen(user_id, first_name, language, self.clock.now())

    async def start(self, uow: UnitOfWork, user: User, invite: str) -> Outcome:
        """/start [invite]: staff are greeted; customers join the project of the invite."""
        now = self.clock.now()
        uid = user.telegram_id
        await uow.users.mark_started(uid, now)
        staff = self.access.staff(uid)
        out = Outcome()
        if staff is not None and not staff.has_role("engineer"):
            roles = tuple(r for r in MANAGER_ROLE_ORDER if r in staff.roles)
            return out.add(Notice(uid, "start.manager", params=ManagerGreeting(staff.name, roles)))
        if staff is not None:
            return out.add(Notice(uid, "start.staff", params=StaffGreeting(staff.name)))
        if invite:
            project = self.settings.project_by_invite(invite)
            if project is None:
                return out.add(Notice(uid, "start.bad_invite"))
            await uow.users.join_project(uid, project.key)
            out.add(Notice(uid, "start.joined", params=ProjectName(project.name, project.key)))
            if not user.profile_done:
                out.notices.extend((await self.begin_profile(uow, user)).notices)
            return out
        project = self.settings.find_project(user.project_key) if user.project_key else None
        if project is None:  # not joined yet, or the project was removed from the config
            return out.add(Notice(uid, "start.need_invite"))
        back = ProjectName(project.name, project.key)
        return out.add(Notice(uid, "start.welcome_back", params=back))

    async def begin_profile(
        self, uow: UnitOfWork, user: User, then_report: bool = False
    ) -> Outcome:
        draft = ProfileDraft(then_report=then_report)
        await self.drafts.put(uow, user.telegram_id, draft)
        return Outcome([Notice(user.telegram_id, "profile.ask_name")])

    async def after_report(self, uow: UnitOfWork, user: User, phone: str) -> Outcome:
        """After a report's receipt: ask the profile items still unknown (a customer who
        reported before answering them). The report's phone is the profile's phone."""
        if user.profile_done:
            return Outcome()
        uid = user.telegram_id
        draft = ProfileDraft.missing(user.name, user.unit, user.phone or phone)
        if draft is None:
            await uow.users.save_profile(uid, user.name, user.unit, user.phone or phone)
            return Outcome()
        await self.drafts.put(uow, uid, draft)
        return Outcome(
            [Notice(uid, "profile.after_report"), Notice(uid, f"profile.ask_{draft.step}")]
        )

    async def profile_input(
        self, uow: UnitOfWork, user: User, draft: ProfileDraft, inp: Input
    ) -> tuple[Outcome, bool]:
        """A message while the profile dialog waits; True once the profile is saved."""
        uid = user.telegram_id
        if inp.kind != "text":
            return Outcome([Notice(uid, "hint.want_text")]), False
        text = inp.text.strip()
        if not text:
            return Outcome([Notice(uid, "hint.want_text")]), False
        if len(text) > MAX_SHORT_TEXT:
            limit = Limit(MAX_SHORT_TEXT)
            return Outcome([Notice(uid, "hint.too_long", params=limit)]), False
        if draft.step == "name":
            draft.name = text
        elif draft.step == "unit":
            draft.unit = text
        elif draft.step == "phone":
            if not valid_phone(text):
                return Outcome([Notice(uid, "hint.bad_phone")]), False
            draft.phone = text
        step = draft.advance()
        if step != "done":
            await self.drafts.put(uow, uid, draft)
            return Outcome([Notice(uid, f"profile.ask_{step}")]), False
        await uow.users.save_profile(uid, draft.name, draft.unit, draft.phone)
        await self.drafts.drop(uow, uid)
        saved = SavedProfile(draft.name, draft.unit, draft.phone)
        return Outcome([Notice(uid, "profile.saved", params=saved)]), True
