"""The daily maintenance report (每日设备维护报告): per engineer, project and day.

At each project's `daily_report_at` every engineer who worked on it that day gets the day's
draft; they add work that is not a ticket (button or `/daily add TEXT`) and sign it. A signed
part is frozen (content JSON + SHA-256, insert-only) and goes as a PDF to the engineer and the
project's managers. The PDFs are typeset after the signing transaction, as a document job
(kind "daily": bot/services/jobs.py), never under the write lock; a PDF archived before is
sent again as it is. Unsigned by 10:00 the next morning: a reminder; by 18:00: the project
manager is told. `/daily [YYYY-MM-DD]` shows my report; `/daily STAFF YYYY-MM-DD` a manager's
view of an engineer of their projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, Literal, Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.config.schema import Role
from bot.domain.daily import (
    MAX_WORK_TEXT,
    DailyContent,
    DailyLine,
    Signature,
    SignedPart,
    archive_name,
    at_local,
    cutoff_of,
    day_bounds,
    line_of,
    local_day,
    next_at,
    unsigned_part,
)
from bot.domain.drafts import WorkDraft
from bot.domain.jobs import DocumentJob
from bot.domain.people import User
from bot.services.access import Access
from bot.services.drafts import Drafts, Input
from bot.services.jobs import Archived, DocumentJobs, OpenRead, language_of, readers_of
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.records import Archive, verified
from bot.services.uow import Timer, UnitOfWork

WORK_STEP = "daily_work"  # the WorkDraft step waiting for the text of "Add work"
REMIND_AT = time(10, 0)  # the next morning: the engineer is reminded
TELL_AT = time(18, 0)  # the next evening: the project manager is told
MANAGER_ROLES: tuple[Role, ...] = ("project_manager", "project_lead", "admin")

Intro = Literal["", "draft", "reminder", "added"]


class DailyTypesetter(Protocol):
    """Makes the PDF of a signed part in a language; `language` picks it from a user's
    Telegram code (None: the default)."""

    def language(self, code: str | None) -> str: ...

    def __call__(self, part: SignedPart, staff_name: str, lang: str) -> bytes: ...


@dataclass(frozen=True)
class DailyView(Params):
    """daily.view: a day's report as a reader sees it: the signed parts, then the part still to
    sign (None when there is none); `buttons` (Sign, Add work) when its engineer reads it."""

    staff_key: str
    staff_name: str
    project_key: str
    day: str
    signed: tuple[SignedPart, ...]
    draft: DailyContent | None
    buttons: bool
    intro: Intro = ""


@dataclass(frozen=True)
class DailySigned(Params):
    """daily.signed: the engineer's receipt for a signed part."""

    day: str
    part: int
    sha256: str
    project: str


@dataclass(frozen=True)
class DailyUnsigned(Params):
    """daily.unsigned_manager: an engineer's report is still unsigned the next evening."""

    name: str
    day: str
    project: str


@dataclass(frozen=True)
class DailyFile(Params):
    """daily.document: a signed part as a PDF, named by its archived file and SHA-256 (the
    sender reads and checks it when sending, so the outbox row stays small)."""

    path: str
    sha256: str
    staff_key: str
    staff_name: str
    day: str
    part: int


@dataclass(frozen=True)
class DailyAsk(Params):
    """daily.ask_work: what to type for "Add work" (the day and project it goes to)."""

    day: str
    project: str


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


class Daily:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        drafts: Drafts,
        typeset: DailyTypesetter,
        archive: Archive,
        jobs: DocumentJobs,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts
        self.typeset = typeset
        self.archive = archive
        self.jobs = jobs

    # ------------------------------------------------------------------ the day's content
    async def lines(
        self, uow: UnitOfWork, staff_key: str, project_key: str, day: date
    ) -> list[DailyLine]:
        """One line per ticket of the project the staff member touched that local day."""
        tz = self.settings.tz
        start, end = day_bounds(day, tz)
        cutoff = cutoff_of(day, self.clock.now(), tz)
        lines = []
        for ticket_id in await uow.daily.touched_tickets(staff_key, project_key, start, end):
            ticket = await uow.tickets.get(ticket_id)
            if ticket is not None:
                events = await uow.timeline.of_ticket(ticket_id)
                lines.append(line_of(ticket, events, cutoff))
        return lines

    async def view(
        self, uow: UnitOfWork, staff_key: str, project_key: str, day: date, intro: Intro = ""
    ) -> DailyView:
        """The signed parts and the part still to sign, as of now."""
        signed = await uow.daily.signed(staff_key, project_key, day)
        lines = await self.lines(uow, staff_key, project_key, day)
        work = await uow.daily.work_of(staff_key, project_key, day)
        draft = unsigned_part(signed, staff_key, project_key, day, lines, work)
        staff = self.settings.find_staff(staff_key)
        return DailyView(
            staff_key,
            staff.name if staff else staff_key,
            project_key,
            day.isoformat(),
            tuple(signed),
            None if draft.empty else draft,
            buttons=True,
            intro=intro,
        )

    def _today(self) -> date:
        return local_day(self.clock.now(), self.settings.tz)

    # ------------------------------------------------------------------ the evening's draft
    async def arm(self, uow: UnitOfWork) -> None:
        """Each project's next `daily_report_at` (once per project and day, even across
        restarts: the key names the day, and a fired timer stays fired)."""
        now = self.clock.now()
        for project in self.settings.projects:
            due = next_at(now, project.daily_report_time, self.settings.tz)
            day = local_day(due, self.settings.tz).isoformat()
            await uow.timers.schedule_once(
                f"daily_report:{project.key}:{day}",
                "daily_report",
                due,
                payload={"project": project.key, "day": day},
            )

    async def fire_report(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """`daily_report_at`: the day's draft to everyone who worked on the project."""
        await self.arm(uow)
        project = self.settings.find_project(str(timer.payload.get("project", "")))
        day = parse_day(str(timer.payload.get("day", "")))
        out = Outcome()
        if project is None or day is None:
            return out
        for staff in self.access.project_staff(project):
            if not staff.has_role("engineer"):
                continue  # a manager's regrade or /assign is not a day of maintenance
            v = await self.view(uow, staff.key, project.key, day, "draft")
            if v.draft is None:
                continue
            out.add(
                Notice(
                    staff.telegram_id,
                    "daily.view",
                    params=v,
                    dedupe=f"daily:{project.key}:{staff.key}:{day}:{v.draft.part}",
                )
            )
            await self._arm_reminders(uow, staff, project, day)
        return out

    async def _arm_reminders(
        self, uow: UnitOfWork, staff: StaffConfig, project: ProjectConfig, day: date
    ) -> None:
        tz = self.settings.tz
        nxt = day + timedelta(days=1)
        payload = {"project": project.key, "staff": staff.key, "day": day.isoformat()}
        for kind, when in (("daily_remind", REMIND_AT), ("daily_tell", TELL_AT)):
            await uow.timers.schedule_once(
                f"{kind}:{project.key}:{staff.key}:{day.isoformat()}",
                kind,
                at_local(nxt, when, tz),
                payload=payload,
            )

    async def _cancel_reminders(
        self, uow: UnitOfWork, staff_key: str, project: str, day: date
    ) -> None:
        for kind in ("daily_remind", "daily_tell"):
            await uow.timers.cancel(f"{kind}:{project}:{staff_key}:{day.isoformat()}")

    async def fire_reminder(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """10:00 the next morning: still unsigned → the engineer; 18:00 → the project manager."""
        project = self.settings.find_project(str(timer.payload.get("project", "")))
        staff = self.settings.find_staff(str(timer.payload.get("staff", "")))
        day = parse_day(str(timer.payload.get("day", "")))
        if project is None or staff is None or day is None:
            return Outcome()
        v = await self.view(uow, staff.key, project.key, day, "reminder")
        if v.draft is None:
            return Outcome()  # signed meanwhile
        if timer.kind == "daily_remind":
            return Outcome([Notice(staff.telegram_id, "daily.view", params=v)])
        told = DailyUnsigned(staff.name, day.isoformat(), project.name)
        return Outcome(
            [
                Notice(m.telegram_id, "daily.unsigned_manager", params=told)
                for m in self.access.approvers(project)
                if m.key != staff.key
            ]
        )

    # ------------------------------------------------------------------ /daily
    async def show(
        self, uow: UnitOfWork, user: User, who: str | None, day_text: str | None
    ) -> Outcome:
        """/daily [YYYY-MM-DD] (mine) or /daily STAFF YYYY-MM-DD (managers)."""
        uid = user.telegram_id
        me = self.access.staff(uid)
        if me is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        day = self._today() if day_text is None else parse_day(day_text)
        if day is None:
            return Outcome([Notice(uid, "daily.usage")])
        if day > self._today():
            return Outcome([Notice(uid, "daily.future")])
        if who is None or who == me.key:
            return await self._mine(uow, me, day)
        if not me.has_role(*MANAGER_ROLES):
            return Outcome([Notice(uid, "daily.managers_only")])
        other = self.settings.find_staff(who)
        mine = set(self.access.staff_projects(me))
        projects = [] if other is None else [
            p for p in self.settings.projects_of_staff(other.key) if p.key in mine
        ]
        if other is None or not projects:
            # "No such engineer" and "not of your projects" look alike.
            return Outcome([Notice(uid, "daily.no_staff")])
        out = Outcome()
        for p in projects:
            v = await self.view(uow, other.key, p.key, day)
            if v.signed or v.draft is not None:
                out.add(Notice(uid, "daily.view", params=_read_only(v)))
                out.notices.extend(await self._documents(uow, v, uid, [uid]))
        if not out.notices:
            out.add(Notice(uid, "daily.nothing_of", params=DailyUnsigned(
                other.name, day.isoformat(), "")))
        return out

    async def _mine(self, uow: UnitOfWork, me: StaffConfig, day: date) -> Outcome:
        uid = me.telegram_id
        keys = self.access.staff_projects(me)
        out = Outcome()
        for key in keys:
            v = await self.view(uow, me.key, key, day)
            if v.signed or v.draft is not None:
                out.add(Notice(uid, "daily.view", params=v))
        if not out.notices and keys:
            # Nothing yet: the empty report, so that work can be added to it.
            v = await self.view(uow, me.key, keys[0], day)
            out.add(Notice(uid, "daily.view", params=v))
        if not keys:
            out.add(Notice(uid, "daily.no_project"))
        return out

    # ------------------------------------------------------------------ adding work
    async def add(self, uow: UnitOfWork, user: User, text: str) -> Outcome:
        """/daily add [PROJECT] TEXT: today's work that is not a ticket."""
        uid = user.telegram_id
        me = self.access.staff(uid)
        if me is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        keys = self.access.staff_projects(me)
        if not keys:
            return Outcome([Notice(uid, "daily.no_project")])
        first, _, rest = text.strip().partition(" ")
        project = keys[0]
        if len(keys) > 1 and first in keys and rest.strip():
            project, text = first, rest
        return await self._add(uow, me, project, self._today(), text)

    async def _add(
        self, uow: UnitOfWork, me: StaffConfig, project: str, day: date, text: str
    ) -> Outcome:
        uid = me.telegram_id
        said = text.strip()
        if not said:
            return Outcome([Notice(uid, "daily.usage")])
        if len(said) > MAX_WORK_TEXT:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_WORK_TEXT))])
        await uow.daily.add_work(me.key, project, day, self.clock.now(), said)
        return Outcome([Notice(uid, "daily.view", params=await self.view(
            uow, me.key, project, day, "added"))])

    async def begin_add(self, uow: UnitOfWork, uid: int, project: str, day: date) -> Outcome:
        """The "Add work" button: the next message is the work's description."""
        me = self.access.staff(uid)
        if me is None or project not in self.access.staff_projects(me) or day > self._today():
            return Outcome(toast="button.stale", toast_alert=True)
        draft = WorkDraft(ticket_id=0, step=WORK_STEP, about=f"{project}/{day.isoformat()}")
        await self.drafts.put(uow, uid, draft)
        return Outcome([Notice(uid, "daily.ask_work", params=DailyAsk(day.isoformat(), project))])

    async def work_input(
        self, uow: UnitOfWork, user: User, draft: WorkDraft, inp: Input
    ) -> Outcome:
        """The text after "Add work"."""
        uid = user.telegram_id
        me = self.access.staff(uid)
        project, _, day_text = draft.about.partition("/")
        day = parse_day(day_text)
        if me is None or day is None or project not in self.access.staff_projects(me):
            await self.drafts.drop(uow, uid)
            return Outcome([Notice(uid, "refuse.staff_only")])
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([Notice(uid, "hint.want_text")])
        if len(inp.text) > MAX_WORK_TEXT:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_WORK_TEXT))])
        await self.drafts.drop(uow, uid)
        return await self._add(uow, me, project, day, inp.text)

    # ------------------------------------------------------------------ signing
    async def sign(
        self, uow: UnitOfWork, user: User, project: str, day: date, part: int, digest: str
    ) -> Outcome:
        """Sign (签字确认): exactly the part the button was shown with, by its engineer."""
        uid = user.telegram_id
        me = self.access.staff(uid)
        if me is None or project not in self.access.staff_projects(me):
            return Outcome(toast="daily.stale", toast_alert=True)
        v = await self.view(uow, me.key, project, day)
        draft = v.draft
        if draft is None or draft.part != part:
            done = any(x.content.part == part and x.sha256[:8] == digest for x in v.signed)
            return Outcome(toast="daily.already_signed" if done else "daily.stale",
                           toast_alert=True)
        if draft.digest != digest:
            # The report changed since that message: sign the current one, not a guess.
            fresh = Notice(uid, "daily.view", params=v)
            return Outcome([fresh], toast="daily.stale", toast_alert=True)
        name = user.first_name or me.name
        signed = SignedPart(draft, Signature(self.clock.now(), uid, name), draft.sha256)
        if not await uow.daily.sign(signed):
            return Outcome(toast="daily.already_signed", toast_alert=True)
        await self._cancel_reminders(uow, me.key, project, day)
        out = Outcome(toast="daily.signed_toast", clear_buttons=True)
        out.add(Notice(uid, "daily.signed", params=DailySigned(
            day.isoformat(), part, signed.sha256, self.settings.project(project).name)))
        found = self.settings.find_project(project)
        readers = [uid] + [
            m.telegram_id for m in (self.access.approvers(found) if found else [])
            if m.telegram_id != uid
        ]
        after = await self.view(uow, me.key, project, day)
        only = _read_only(after)
        out.notices.extend(await self._documents(uow, only, uid, readers, parts=[signed]))
        return out

    async def _documents(
        self,
        uow: UnitOfWork,
        v: DailyView,
        requester: int,
        readers: list[int],
        parts: list[SignedPart] | None = None,
    ) -> list[Notice]:
        """Each signed part as a PDF to each reader in their language: an archived file now,
        as it is (checked against its hash); the languages not typeset yet by a document job
        after the commit, one per part."""
        users = await uow.users.many(readers)
        notices = []
        for part in parts if parts is not None else list(v.signed):
            c = part.content
            later: list[list[Any]] = []
            for reader in readers:
                u = users.get(reader)
                lang = self.typeset.language(u.language if u else None)
                stored = await uow.daily.file(c, lang)
                if stored is None:
                    later.append([reader, lang])
                elif (found := verified(self.archive, stored)) is None:
                    notices.append(Notice(reader, "daily.damaged"))
                else:
                    notices.append(Notice(reader, "daily.document", params=DailyFile(
                        *found, v.staff_key, v.staff_name, v.day, c.part)))
            if later:
                params = {"staff": c.staff_key, "project": c.project_key,
                          "day": c.day.isoformat(), "part": c.part, "readers": later}
                await self.jobs.request(uow, "daily", requester, requester, params)
        return notices

    # ------------------------------------------------------------------ the PDFs' job
    async def collect_part(self, uow: UnitOfWork, job: DocumentJob) -> PartToMake:
        """The signed part a job names (frozen: the same as when it was signed) and the
        languages of its readers not archived yet (another job may have made one since)."""
        p = job.params
        day = parse_day(str(p["day"]))
        assert day is not None
        signed = await uow.daily.signed(str(p["staff"]), str(p["project"]), day)
        [part] = [x for x in signed if x.content.part == int(p["part"])]
        staff = self.settings.find_staff(part.content.staff_key)
        readers = readers_of(p)
        langs = dict.fromkeys(lang for _, lang in readers)
        missing = [lang for lang in langs if await uow.daily.file(part.content, lang) is None]
        return PartToMake(part, staff.name if staff else part.content.staff_key, readers,
                          tuple(missing))  # fmt: skip

    async def deliver_part(
        self, uow: UnitOfWork, made: PartToMake, files: dict[str, Archived]
    ) -> list[Notice]:
        """The new files recorded (the first recorded of a language stays: it is the one
        sent, now and later), then each reader's PDF."""
        c = made.part.content
        for suffix, f in files.items():
            await uow.daily.add_file(c, language_of(suffix), f.path, f.sha256)
        notices = []
        for reader, lang in made.readers:
            stored = await uow.daily.file(c, lang)
            if stored is None:  # not made and not archived: cannot be, but never send a guess
                notices.append(Notice(reader, "daily.damaged"))
                continue
            notices.append(Notice(reader, "daily.document", params=DailyFile(
                *stored, c.staff_key, made.staff_name, c.day.isoformat(), c.part)))
        return notices


@dataclass(frozen=True)
class PartToMake:
    """A daily job's signed part, who reads it in which language, and the languages to
    typeset (those not archived yet)."""

    part: SignedPart
    staff_name: str
    readers: tuple[tuple[int, str], ...]
    languages: tuple[str, ...]


class DailyJob:
    """A signed part's PDFs as a document job (kind "daily"): typeset after the signing
    transaction, archived under the daily report's names, recorded when delivered."""

    what = "daily.pdf_what"

    def __init__(self, daily: Daily) -> None:
        self.daily = daily

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> PartToMake:
        return await self.daily.collect_part(uow, job)

    def make(self, job: DocumentJob, collected: PartToMake) -> dict[str, bytes]:
        typeset = self.daily.typeset
        return {f".{lang}.pdf": typeset(collected.part, collected.staff_name, lang)
                for lang in collected.languages}  # fmt: skip

    def file_name(self, job: DocumentJob, collected: PartToMake, suffix: str, sha256: str) -> str:
        c = collected.part.content
        return archive_name(c.staff_key, c.project_key, c.day, c.part, language_of(suffix),
                            sha256)  # fmt: skip

    async def recorded(
        self, uow: UnitOfWork, job: DocumentJob, collected: PartToMake,
        files: dict[str, Archived],
    ) -> list[Notice]:  # fmt: skip
        return await self.daily.deliver_part(uow, collected, files)


def _read_only(v: DailyView) -> DailyView:
    """The same view without the engineer's buttons (for managers and documents)."""
    return DailyView(
        v.staff_key, v.staff_name, v.project_key, v.day, v.signed, v.draft, False, v.intro
    )

