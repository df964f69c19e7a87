"""The contract's calendar (合同日历): tasks planned from each project's contract, their
reminders, `/tasks` and recording a task's result.

Planning runs at start-up and every morning (the daily check): every task of the term is
inserted by its key (nothing twice); open tasks the config no longer plans are cancelled.
Inspections go to the project's first engineer (on duty, then members), phone visits to its
customer manager. Each open task has three timers at 09:00 local: a week before, on the due
day, and the day after (overdue: the assignee and the project's escalation chain are told,
then again every morning while it stays open; once a day, not the policy's escalate_every).
A warranty-end notice is a task too: on its day the leads and project managers are told.

A task is done by recording its result (an inspection: the contract's checklist and the
findings, then the inspection report PDF to the project managers, the customers in
`report_to` and the engineer; a phone visit: who was called, what they said, satisfaction).
The result is a record: canonical JSON and its SHA-256, kept once, never changed. Its PDFs are
typeset after the recording transaction, as a document job (kind "inspection":
bot/services/jobs.py), never under the write lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.config.schema import Role
from bot.domain.contract import (
    CHECKLIST,
    MAX_ANSWER,
    CheckItem,
    ContractTask,
    PlannedTask,
    TaskDraft,
    TaskResult,
    Terms,
    plan,
    reminder_days,
    report_file_name,
)
from bot.domain.daily import at_local, local_day
from bot.domain.jobs import DocumentJob
from bot.domain.people import User
from bot.services.access import Access
from bot.services.drafts import Drafts, Input
from bot.services.jobs import Archived, DocumentJobs, OpenRead, language_of, readers_of
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.records import Archive, verified
from bot.services.uow import Timer, UnitOfWork

REMIND_AT = time(9, 0)
UPCOMING_DAYS = 90  # /tasks shows what is due within this many days (and what is overdue)
DONE_DAYS = 30  # and what was done within this many days, with who recorded it
TIMER_KIND = "contract_task"
NO_NOTE = ("-", "—", "无", "none")


class InspectionTypesetter(Protocol):
    """Makes an inspection report's PDF in a language."""

    def language(self, code: str | None) -> str: ...

    def __call__(self, task: ContractTask, result: TaskResult, lang: str) -> bytes: ...


@dataclass(frozen=True)
class TaskLine:
    """One task as /tasks lists it."""

    id: int
    kind: str
    due: str
    project: str
    assignee: str
    overdue_days: int
    button: bool  # a "Record result" button (open and recordable by the reader)


@dataclass(frozen=True)
class DoneLine:
    """A task done lately, as its history has it: who recorded it, when, and its hash."""

    id: int
    kind: str
    due: str
    project: str
    by: str
    at: str  # local "YYYY-MM-DD HH:MM"
    sha256: str
    satisfaction: int = 0


@dataclass(frozen=True)
class TasksView(Params):
    """tasks.list: my tasks, my projects' other upcoming tasks, and those done lately."""

    mine: tuple[TaskLine, ...]
    others: tuple[TaskLine, ...]
    done: tuple[DoneLine, ...] = ()
    days: int = UPCOMING_DAYS
    done_days: int = DONE_DAYS


@dataclass(frozen=True)
class TaskAsk(Params):
    """tasks.ask: the recording dialog's question (`step`) about a task."""

    task_id: int
    step: str
    kind: str
    due: str
    project: str


@dataclass(frozen=True)
class TaskRecorded(Params):
    """tasks.recorded: the receipt of a recorded result."""

    task_id: int
    kind: str
    due: str
    project: str
    sha256: str


@dataclass(frozen=True)
class TaskFile(Params):
    """tasks.document: an inspection report PDF, by its archived file and SHA-256."""

    path: str
    sha256: str
    task_id: int
    kind: str
    due: str
    project: str
    project_key: str


@dataclass(frozen=True)
class TaskReminder(Params):
    """tasks.remind_week / tasks.remind_due / tasks.overdue: a task's reminder."""

    task_id: int
    kind: str
    due: str
    project: str
    assignee: str
    days: int  # overdue by this many days


@dataclass(frozen=True)
class WarrantyEnds(Params):
    """tasks.warranty: the warranty of a project's contract ends in `days` days."""

    project: str
    until: str
    days: int


class Tasks:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        drafts: Drafts,
        typeset: InspectionTypesetter,
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

    def _today(self) -> date:
        return local_day(self.clock.now(), self.settings.tz)

    # ------------------------------------------------------------------ planning
    @staticmethod
    def terms(project: ProjectConfig) -> Terms | None:
        c = project.contract
        if c is None:
            return None
        return Terms(
            c.start, c.end, c.inspection_months, c.phone_visits_per_year,
            c.final_inspection_before_end, c.warranty_end, tuple(c.warranty_notices),
        )  # fmt: skip

    def assignee(self, project: ProjectConfig, kind: str) -> str:
        """Inspections: the first engineer on duty, else of the members; phone visits: the
        customer manager; a warranty notice: nobody (it goes to the leads and PMs)."""
        if kind == "warranty_notice":
            return ""
        people = self.access.project_staff(project)
        role: Role = "customer_manager" if kind == "phone_visit" else "engineer"
        for key in [*project.on_duty, *project.members, *(s.key for s in people)]:
            staff = self.settings.find_staff(key)
            if staff is not None and staff.has_role(role) and staff in people:
                return staff.key
        return ""

    async def plan(self, uow: UnitOfWork) -> None:
        """Insert every planned task not stored yet (due today or later), cancel open ones
        the config no longer plans, and arm the open tasks' reminders."""
        now, today = self.clock.now(), self._today()
        for project in self.settings.projects:
            terms = self.terms(project)
            planned: dict[str, PlannedTask] = {}
            if terms is not None:
                planned = {t.key: t for t in plan(project.key, terms)}
            for t in planned.values():
                if t.due >= today:
                    await uow.contract_tasks.add(t, self.assignee(project, t.kind), now)
            for task in await uow.contract_tasks.open_of([project.key]):
                if task.origin == "contract" and task.key not in planned:
                    await uow.contract_tasks.close(task.id, "cancelled", now)
                    for stage in reminder_days(task.due):
                        await uow.timers.cancel(f"task:{task.id}:{stage}")
                    continue
                wanted = self.assignee(project, task.kind)
                if wanted != task.assignee:
                    await uow.contract_tasks.assign(task.id, wanted)
                await self._arm(uow, task, today)

    async def _arm(self, uow: UnitOfWork, task: ContractTask, today: date) -> None:
        tz = self.settings.tz
        for stage, day in reminder_days(task.due).items():
            if task.kind == "warranty_notice" and stage != "due":
                continue
            if stage == "overdue":
                # Each morning while open (late rather than never after a restart; the
                # notices are deduplicated per day, so arming again never tells twice).
                day = max(day, today)
            elif day < today:
                continue  # a reminder for a day gone by says nothing true now
            await uow.timers.schedule_once(
                f"task:{task.id}:{stage}",
                TIMER_KIND,
                at_local(day, REMIND_AT, tz),
                payload={"task": task.id, "stage": stage},
            )

    # ------------------------------------------------------------------ reminders
    async def fire(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """A task's reminder: a week before, on the day, and every day while overdue."""
        task = await uow.contract_tasks.get(int(timer.payload.get("task", 0)))
        stage = str(timer.payload.get("stage", ""))
        project = None if task is None else self.settings.find_project(task.project_key)
        if task is None or project is None or task.status != "open":
            return Outcome()
        today = self._today()
        if task.kind == "warranty_notice":
            return await self._warranty(uow, task, project)
        who = self.settings.find_staff(task.assignee)
        overdue = max((today - task.due).days, 0)
        params = TaskReminder(task.id, task.kind, task.due.isoformat(), project.name,
                              who.name if who else "—", overdue)
        if stage != "overdue":
            key = "tasks.remind_week" if stage == "week" else "tasks.remind_due"
            people = [who] if who else self.access.approvers(project)
            return Outcome([Notice(p.telegram_id, key, params=params) for p in people])
        # Overdue: like a missed clock, the assignee and the escalation chain; every morning.
        await uow.timers.schedule(
            f"task:{task.id}:overdue", TIMER_KIND, at_local(today + timedelta(days=1),
                                                            REMIND_AT, self.settings.tz),
            payload={"task": task.id, "stage": "overdue"},
        )
        chain = [self.settings.find_staff(k) for k in project.escalation]
        people = [p for p in [who, *chain] if p is not None]
        seen: dict[int, StaffConfig] = {p.telegram_id: p for p in people}
        return Outcome([
            Notice(uid, "tasks.overdue", params=params,
                   dedupe=f"task_overdue:{task.id}:{today.isoformat()}:{uid}")
            for uid in seen
        ])

    async def _warranty(
        self, uow: UnitOfWork, task: ContractTask, project: ProjectConfig
    ) -> Outcome:
        """The warranty ends in `number` days: the leads and project managers are told."""
        await uow.contract_tasks.close(task.id, "done", self.clock.now())
        c = project.contract
        until = (c.warranty_end if c else task.due + timedelta(days=task.number)).isoformat()
        people = [
            s for s in self.access.project_staff(project)
            if s.has_role("project_lead", "project_manager")
        ]
        told = WarrantyEnds(project.name, until, task.number)
        return Outcome([Notice(p.telegram_id, "tasks.warranty", params=told) for p in people])

    # ------------------------------------------------------------------ /tasks
    async def show(self, uow: UnitOfWork, user: User) -> Outcome:
        """/tasks: my tasks, then my projects' other tasks due within 90 days or overdue."""
        uid = user.telegram_id
        me = self.access.staff(uid)
        if me is None:
            return Outcome([Notice(uid, "tasks.staff_only")])
        today = self._today()
        horizon = today + timedelta(days=UPCOMING_DAYS)
        mine: list[TaskLine] = []
        others: list[TaskLine] = []
        for task in await uow.contract_tasks.open_of(self.access.staff_projects(me)):
            if task.due > horizon or not task.recordable:
                continue
            who = self.settings.find_staff(task.assignee)
            line = TaskLine(
                task.id, task.kind, task.due.isoformat(),
                self.settings.project(task.project_key).name, who.name if who else "—",
                max((today - task.due).days, 0), True,
            )  # fmt: skip
            (mine if task.assignee == me.key else others).append(line)
        done = []
        since = self.clock.now() - timedelta(days=DONE_DAYS)
        for task in await uow.contract_tasks.done_since(self.access.staff_projects(me), since):
            result = await uow.contract_tasks.result(task.id)
            if result is None:
                continue  # a warranty notice: done when sent, nothing recorded
            at = datetime.fromisoformat(result.recorded_at).astimezone(self.settings.tz)
            done.append(DoneLine(
                task.id, task.kind, task.due.isoformat(), self.settings.project(
                    task.project_key).name, result.by_name, at.strftime("%Y-%m-%d %H:%M"),
                result.sha256, result.satisfaction,
            ))  # fmt: skip
        view = TasksView(tuple(mine), tuple(others), tuple(done))
        return Outcome([Notice(uid, "tasks.list", params=view)])

    # ------------------------------------------------------------------ recording
    async def _recordable(
        self, uow: UnitOfWork, uid: int, task_id: int
    ) -> tuple[StaffConfig, ContractTask] | None:
        """The staff member and an open task of their projects; None for anything else."""
        me = self.access.staff(uid)
        task = await uow.contract_tasks.get(task_id)
        if me is None or task is None or task.status != "open" or not task.recordable:
            return None
        if task.project_key not in self.access.staff_projects(me):
            return None
        return me, task

    def _ask(self, uid: int, task: ContractTask, step: str) -> Notice:
        project = self.settings.find_project(task.project_key)
        return Notice(uid, "tasks.ask", params=TaskAsk(
            task.id, step, task.kind, task.due.isoformat(), project.name if project else ""))

    async def begin(self, uow: UnitOfWork, user: User, task_id: int) -> Outcome:
        """The "Record result" button: the first question of the task's dialog."""
        uid = user.telegram_id
        found = await self._recordable(uow, uid, task_id)
        if found is None:
            return Outcome(toast="tasks.stale", toast_alert=True)
        task = found[1]
        draft = await self.drafts.of(uow, uid)
        if draft is not None and not isinstance(draft, TaskDraft):
            return Outcome([Notice(uid, "dialog.busy")])
        fresh = TaskDraft.begin(task)
        await self.drafts.put(uow, uid, fresh)
        return Outcome([self._ask(uid, task, fresh.step)])

    async def pending(self, uow: UnitOfWork, uid: int, draft: TaskDraft) -> Notice | None:
        task = await uow.contract_tasks.get(draft.task_id)
        return None if task is None else self._ask(uid, task, draft.step)

    async def check(
        self, uow: UnitOfWork, user: User, task_id: int, item: str, ok: bool
    ) -> Outcome:
        """A checklist item's button: OK or a problem; then its note."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        found = await self._recordable(uow, uid, task_id)
        if (found is None or not isinstance(draft, TaskDraft) or draft.task_id != task_id
                or draft.step != item or item not in CHECKLIST):
            return Outcome(toast="tasks.stale", toast_alert=True)
        draft.checks.append([item, ok, ""])
        draft.advance()
        await self.drafts.put(uow, uid, draft)
        return Outcome([self._ask(uid, found[1], draft.step)], clear_buttons=True)

    async def stars(self, uow: UnitOfWork, user: User, task_id: int, stars: int) -> Outcome:
        """The phone visit's satisfaction button: the result is recorded."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        found = await self._recordable(uow, uid, task_id)
        if (found is None or not isinstance(draft, TaskDraft) or draft.task_id != task_id
                or draft.step != "satisfaction" or not 1 <= stars <= 5):
            return Outcome(toast="tasks.stale", toast_alert=True)
        out = await self._finish(uow, user, found[0], found[1], draft, stars)
        out.clear_buttons = True
        return out

    async def input(self, uow: UnitOfWork, user: User, draft: TaskDraft, inp: Input) -> Outcome:
        """A text answer of the recording dialog."""
        uid = user.telegram_id
        found = await self._recordable(uow, uid, draft.task_id)
        if found is None:
            await self.drafts.drop(uow, uid)
            return Outcome([Notice(uid, "tasks.gone")])
        me, task = found
        if draft.step in CHECKLIST or draft.step == "satisfaction":
            return Outcome([Notice(uid, "tasks.use_buttons"), self._ask(uid, task, draft.step)])
        said = inp.text.strip() if inp.kind == "text" else ""
        if not said:
            return Outcome([Notice(uid, "hint.want_text")])
        if len(said) > MAX_ANSWER:
            return Outcome([Notice(uid, "hint.too_long", params=Limit(MAX_ANSWER))])
        if draft.step.endswith("_note"):
            draft.checks[-1][2] = "" if said.lower() in NO_NOTE else said
        elif draft.step == "findings":
            draft.findings = said
        elif draft.step == "called":
            draft.called = said
        elif draft.step == "said":
            draft.said = said
        if draft.advance() == "done":
            return await self._finish(uow, user, me, task, draft, 0)
        await self.drafts.put(uow, uid, draft)
        return Outcome([self._ask(uid, task, draft.step)])

    async def _finish(
        self,
        uow: UnitOfWork,
        user: User,
        me: StaffConfig,
        task: ContractTask,
        draft: TaskDraft,
        stars: int,
    ) -> Outcome:
        uid = user.telegram_id
        await self.drafts.drop(uow, uid)
        result = TaskResult(
            task.id, task.key, task.project_key, task.kind, task.due,
            self.clock.now().astimezone(UTC).isoformat(timespec="seconds"), uid, me.name,
            tuple(CheckItem(str(i), bool(ok), str(note)) for i, ok, note in draft.checks),
            draft.findings, draft.called, draft.said, stars,
        )  # fmt: skip
        if not await uow.contract_tasks.record(result):
            return Outcome([Notice(uid, "tasks.gone")])
        await uow.contract_tasks.close(task.id, "done", self.clock.now())
        for stage in reminder_days(task.due):
            await uow.timers.cancel(f"task:{task.id}:{stage}")
        project = self.settings.project(task.project_key)
        out = Outcome([Notice(uid, "tasks.recorded", params=TaskRecorded(
            task.id, task.kind, task.due.isoformat(), project.name, result.sha256))])
        if task.is_inspection:
            out.notices.extend(await self._reports(uow, task, project, uid))
        return out

    async def _reports(
        self,
        uow: UnitOfWork,
        task: ContractTask,
        project: ProjectConfig,
        recorder: int,
    ) -> list[Notice]:
        """The inspection report PDF to the recorder, the project managers and the customers
        in `report_to` who joined the project, each in their language: a file archived before
        now, as it is; the others typeset by a document job after the commit."""
        readers = [recorder, *(m.telegram_id for m in self.access.approvers(project))]
        users = await uow.users.many([*readers, *project.report_to])
        readers += [c for c in project.report_to
                    if (u := users.get(c)) is not None and u.project_key == project.key]
        notices = []
        later: list[list[Any]] = []
        for reader in dict.fromkeys(readers):
            u = users.get(reader)
            lang = self.typeset.language(u.language if u else None)
            stored = await uow.contract_tasks.file(task.id, lang)
            if stored is None:
                later.append([reader, lang])
            elif (found := verified(self.archive, stored)) is None:
                notices.append(Notice(reader, "tasks.damaged"))
            else:
                notices.append(self._document(reader, task, project, found))
        if later:
            await self.jobs.request(uow, "inspection", recorder, recorder,
                                    {"task": task.id, "readers": later})  # fmt: skip
        return notices

    @staticmethod
    def _document(
        reader: int, task: ContractTask, project: ProjectConfig, stored: tuple[str, str]
    ) -> Notice:
        return Notice(reader, "tasks.document", params=TaskFile(
            *stored, task.id, task.kind, task.due.isoformat(), project.name, project.key))

    # ------------------------------------------------------------------ the PDFs' job
    async def collect_report(self, uow: UnitOfWork, job: DocumentJob) -> ReportToMake:
        """The task and its recorded result a job names (a record: as it was recorded) and
        the languages of its readers not archived yet."""
        task = await uow.contract_tasks.get(int(job.params["task"]))
        result = None if task is None else await uow.contract_tasks.result(task.id)
        if task is None or result is None:
            raise LookupError(f"no recorded result of task {job.params['task']}")
        readers = readers_of(job.params)
        langs = dict.fromkeys(lang for _, lang in readers)
        missing = [lang for lang in langs if await uow.contract_tasks.file(task.id, lang) is None]
        return ReportToMake(task, result, readers, tuple(missing))

    async def deliver_report(
        self, uow: UnitOfWork, made: ReportToMake, files: dict[str, Archived]
    ) -> list[Notice]:
        """The new files recorded (the first recorded of a language stays), then each
        reader's PDF."""
        task = made.task
        for suffix, f in files.items():
            await uow.contract_tasks.add_file(task.id, language_of(suffix), f.path, f.sha256)
        project = self.settings.project(task.project_key)
        notices = []
        for reader, lang in made.readers:
            stored = await uow.contract_tasks.file(task.id, lang)
            if stored is None:  # not made and not archived: never send a guess
                notices.append(Notice(reader, "tasks.damaged"))
            else:
                notices.append(self._document(reader, task, project, stored))
        return notices


@dataclass(frozen=True)
class ReportToMake:
    """An inspection job's task and result, who reads it in which language, and the
    languages to typeset (those not archived yet)."""

    task: ContractTask
    result: TaskResult
    readers: tuple[tuple[int, str], ...]
    languages: tuple[str, ...]


class InspectionJob:
    """An inspection report's PDFs as a document job (kind "inspection"): typeset after the
    recording transaction, archived under the report's names, recorded when delivered."""

    what = "tasks.pdf_what"

    def __init__(self, tasks: Tasks) -> None:
        self.tasks = tasks

    async def collect(
        self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead
    ) -> ReportToMake:
        return await self.tasks.collect_report(uow, job)

    def make(self, job: DocumentJob, collected: ReportToMake) -> dict[str, bytes]:
        typeset = self.tasks.typeset
        return {f".{lang}.pdf": typeset(collected.task, collected.result, lang)
                for lang in collected.languages}  # fmt: skip

    def file_name(
        self, job: DocumentJob, collected: ReportToMake, suffix: str, sha256: str
    ) -> str:
        return report_file_name(collected.task, language_of(suffix), sha256)

    async def recorded(
        self, uow: UnitOfWork, job: DocumentJob, collected: ReportToMake,
        files: dict[str, Archived],
    ) -> list[Notice]:  # fmt: skip
        return await self.tasks.deliver_report(uow, collected, files)
