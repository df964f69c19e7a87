"""The port to storage: what the use cases need of one transaction's repositories.

Services and the Telegram adapter are typed with these protocols, not with a database class;
`bot/storage/` satisfies them structurally (checked by mypy there), so a second backend is one
more set of classes with these methods. Only what is used outside storage is listed here.
The plain records that cross the port and are not domain objects live here too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.domain.clocks import ClockState
from bot.domain.complaints import Complaint, ComplaintEntry
from bot.domain.contract import ContractTask, PlannedTask, TaskResult
from bot.domain.daily import DailyContent, SignedPart, WorkItem
from bot.domain.drafts import AnyDraft
from bot.domain.equipment import Device, DeviceTicket
from bot.domain.events import Event, Standby
from bot.domain.export import History
from bot.domain.jobs import DocumentJob
from bot.domain.monthly import MonthlyDetails, MonthlySummary, Period
from bot.domain.paging import Paging
from bot.domain.pauses import Party, Pause
from bot.domain.people import User
from bot.domain.reports import IssuedReport, ReportJob
from bot.domain.roster import Override
from bot.domain.survey import Survey
from bot.domain.swaps import Swap
from bot.domain.ticket import Ticket
from bot.domain.timeline import TimelineEntry


class ConcurrentUpdate(Exception):
    """The ticket changed since it was read (a conditional update matched no row)."""


@dataclass(frozen=True)
class OutboxRow:
    """One queued Bot API call."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    ticket_id: int | None
    purpose: str
    status: str
    attempts: int
    message_id: int | None
    priority: int = 1  # bot/domain/delivery.py: 0 reply, 1 page, 2 reminder, 3 bulk


@dataclass(frozen=True)
class Timer:
    """A due event; `key` is unique, so re-scheduling a key moves the one timer."""

    id: int
    key: str
    kind: str
    ticket_id: int | None
    user_id: int | None
    due_at: datetime
    payload: dict[str, Any]


class UsersRepo(Protocol):
    async def get(self, telegram_id: int) -> User | None: ...

    async def many(self, ids: Iterable[int]) -> dict[int, User]: ...

    async def customers_of(self, project_key: str, query: str, limit: int = 8) -> list[User]: ...

    async def seen(
        self, telegram_id: int, first_name: str, language: str | None, at: datetime
    ) -> User: ...

    async def mark_started(self, telegram_id: int, at: datetime) -> None: ...

    async def mark_unreachable(self, telegram_id: int, at: datetime, reason: str) -> bool: ...

    async def join_project(self, telegram_id: int, project_key: str) -> None: ...

    async def save_profile(self, telegram_id: int, name: str, unit: str, phone: str) -> None: ...


class DraftsRepo(Protocol):
    async def get(self, user_id: int) -> tuple[AnyDraft, datetime] | None: ...

    async def put(self, user_id: int, draft: AnyDraft, at: datetime) -> None: ...

    async def delete(self, user_id: int) -> None: ...


class TicketsRepo(Protocol):
    async def add(self, ticket: Ticket) -> Ticket: ...

    async def get(self, ticket_id: int) -> Ticket | None: ...

    async def save(self, ticket: Ticket) -> Ticket:
        """Raises ConcurrentUpdate if the ticket changed since it was read."""
        ...

    async def open_of_customer(self, customer_id: int, limit: int = 50) -> list[Ticket]: ...

    async def open_of_projects(
        self, project_keys: Sequence[str], limit: int = 50
    ) -> list[Ticket]: ...

    async def open_of_owner(self, staff_key: str, limit: int = 50) -> list[Ticket]: ...

    async def all_open(self, limit: int = 10_000) -> list[Ticket]:
        """Every open ticket, of every project (also of projects the config has retired)."""
        ...


class TimelineRepo(Protocol):
    async def append(
        self, ticket_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None: ...

    async def of_ticket(self, ticket_id: int) -> list[TimelineEntry]: ...


class OutboxRepo(Protocol):
    # The class of the rows this transaction adds (the dispatcher sets it for its use case),
    # the chat whose rows are replies, the most urgent class added, and whether any row became
    # due (then the sender is woken after the commit).
    priority: int
    reply_to: int | None
    urgent: int | None
    queued: bool
    behind: int

    async def add(
        self,
        chat_id: int,
        method: str,
        payload: dict[str, Any],
        at: datetime,
        *,
        ticket_id: int | None = None,
        purpose: str = "",
        dedupe_key: str | None = None,
    ) -> int | None: ...

    async def due(
        self, now: datetime, limit: int = 50, skip: Collection[int] = (), *, long: bool = False
    ) -> list[OutboxRow]: ...

    async def next_attempt_at(self, after: datetime | None = None) -> datetime | None: ...

    async def mark_sent(self, row_id: int, at: datetime, message_id: int | None) -> str: ...

    async def retry_later(self, row_id: int, when: datetime, error: str) -> None: ...

    async def mark_failed(self, row_id: int, error: str) -> None: ...

    async def cancel_pages(self, ticket_id: int) -> None: ...

    async def sent_pages(self, ticket_id: int) -> list[OutboxRow]: ...

    async def get(self, row_id: int) -> OutboxRow | None: ...

    async def kept(
        self, ticket_id: int, purpose: str, chat_id: int | None = None
    ) -> list[OutboxRow]: ...

    async def shown(self, chat_id: int, message_id: int) -> OutboxRow | None: ...

    async def rewrite(self, row_id: int, payload: dict[str, Any]) -> bool: ...

    async def awaiting_document(self, job: str) -> list[OutboxRow]: ...

    async def release(self, row_id: int, payload: dict[str, Any], now: datetime) -> None: ...


class TimersRepo(Protocol):
    @property
    def earliest_scheduled(self) -> datetime | None:
        """The earliest due time this transaction scheduled (for the waker)."""
        ...

    async def schedule(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None: ...

    async def schedule_once(
        self,
        key: str,
        kind: str,
        due_at: datetime,
        *,
        ticket_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> bool: ...

    async def cancel(self, key: str) -> None: ...

    async def cancel_prefix(self, ticket_id: int, prefix: str) -> None: ...

    async def cancel_for_ticket(self, ticket_id: int, kind: str | None = None) -> None: ...

    async def count_fired(self, ticket_id: int, prefix: str) -> int: ...

    async def due(self, now: datetime, limit: int = 100) -> list[Timer]: ...

    async def mark_fired(self, timer_id: int, at: datetime) -> bool: ...

    async def mark_failed(self, timer_id: int, at: datetime, error: str) -> None: ...

    async def earliest(self) -> datetime | None: ...


class ClocksRepo(Protocol):
    async def of_ticket(self, ticket_id: int) -> list[ClockState]: ...

    async def get(self, ticket_id: int, name: str) -> ClockState | None: ...

    async def put(self, c: ClockState) -> None: ...


class PausesRepo(Protocol):
    async def add(
        self, ticket_id: int, kind: str, reason: str, state: str, by: str, at: datetime
    ) -> Pause: ...

    async def get(self, pause_id: int) -> Pause | None: ...

    async def current(self, ticket_id: int) -> Pause | None: ...

    async def answer(
        self, pause_id: int, party: Party, agree: bool, by: str, at: datetime
    ) -> Pause | None: ...

    async def withdraw(self, pause_id: int, at: datetime) -> bool: ...

    async def end(self, pause_id: int, at: datetime) -> bool: ...


class RostersRepo(Protocol):
    async def add_override(self, o: Override, kind: str, by: str, at: datetime) -> int: ...

    async def overrides(self, team: str, after: datetime) -> list[Override]: ...

    async def add_swap(
        self, team: str, layer: str, member: str, start: datetime, end: datetime, at: datetime
    ) -> Swap: ...

    async def swap(self, swap_id: int) -> Swap | None: ...

    async def move_swap(
        self, swap_id: int, from_state: str, to_state: str, at: datetime, to_member: str = ""
    ) -> bool: ...

    async def paging(self, ticket_id: int) -> Paging | None: ...

    async def put_paging(self, p: Paging) -> None: ...

    async def advance_paging(self, ticket_id: int, from_step: int) -> bool: ...


class RecordsRepo(Protocol):
    jobs_added: int  # versions laid out in this transaction, to typeset after it

    async def add(self, report: IssuedReport) -> None: ...

    async def latest(self, ticket_id: int) -> IssuedReport | None: ...

    async def of_ticket(self, ticket_id: int) -> list[IssuedReport]: ...

    async def add_job(self, job: ReportJob) -> None: ...

    async def jobs(self) -> list[ReportJob]: ...

    async def jobs_of(self, ticket_id: int) -> list[ReportJob]: ...

    async def job_done(self, job: ReportJob) -> None: ...

    async def job_failed(self, job: ReportJob, error: str) -> None: ...


class HandledUpdatesRepo(Protocol):
    async def claim(self, update_id: int, at: datetime) -> bool:
        """False if the update was handled before (a re-delivery)."""
        ...

    async def forget_before(self, at: datetime) -> int: ...


class RetentionRepo(Protocol):
    """The delivery log and fired timers past the retention period (bot/storage/retention)."""

    async def prune_outbox(self, before: datetime, limit: int) -> int: ...

    async def prune_timers(self, before: datetime, limit: int) -> int: ...

    async def free_pages(self) -> int: ...

    async def give_back(self, pages: int) -> None: ...


class SurveysRepo(Protocol):
    async def get(self, ticket_id: int) -> Survey | None: ...

    async def add(self, survey: Survey) -> bool:
        """False when the ticket was answered before (nothing changes)."""
        ...

    async def update(self, survey: Survey) -> None: ...


class ComplaintsRepo(Protocol):
    async def add(self, c: Complaint) -> Complaint: ...

    async def get(self, complaint_id: int) -> Complaint | None: ...

    async def save(self, c: Complaint) -> Complaint:
        """Raises ConcurrentUpdate if the complaint changed since it was read."""
        ...

    async def open_of_projects(
        self, project_keys: list[str], limit: int = 50
    ) -> list[Complaint]: ...

    async def received_between(
        self, project_key: str, start: datetime, end: datetime
    ) -> list[Complaint]: ...

    async def recent_ticket_ids(self, customer_id: int, limit: int = 5) -> list[int]: ...

    async def append(
        self, complaint_id: int, at: datetime, actor: str, kind: str, **detail: Any
    ) -> None: ...

    async def timeline(self, complaint_id: int) -> list[ComplaintEntry]: ...


class DailyReportsRepo(Protocol):
    async def touched_tickets(
        self, staff_key: str, project_key: str, start: datetime, end: datetime
    ) -> list[int]: ...

    async def add_work(
        self, staff_key: str, project_key: str, day: date, at: datetime, text: str
    ) -> WorkItem: ...

    async def work_of(self, staff_key: str, project_key: str, day: date) -> list[WorkItem]: ...

    async def signed(self, staff_key: str, project_key: str, day: date) -> list[SignedPart]: ...

    async def sign(self, part: SignedPart) -> bool:
        """False when the part was signed before (nothing changes)."""
        ...

    async def add_file(
        self, content: DailyContent, language: str, path: str, sha256: str
    ) -> None: ...

    async def file(self, content: DailyContent, language: str) -> tuple[str, str] | None: ...

class DocumentJobsRepo(Protocol):
    added: int  # jobs recorded in this transaction

    async def add(self, job: DocumentJob) -> DocumentJob:
        """Record a pending job; returns it with its id."""
        ...

    async def get(self, job_id: int) -> DocumentJob | None: ...

    async def pending(self) -> list[DocumentJob]: ...

    async def finish(self, job_id: int, path: str, sha256: str) -> bool:
        """Pending → done; False when it was finished before (it takes effect once)."""
        ...

    async def fail(self, job_id: int, error: str) -> bool: ...


class AuditRepo(Protocol):
    async def reported_between(
        self, project_key: str, start: datetime, end: datetime
    ) -> list[History]:
        """A project's tickets reported in [start, end), with their timelines, clocks, pauses
        and surveys (the auditor's export)."""
        ...
class MonthlyRepo(Protocol):
    async def summary(
        self, period: Period, days: list[tuple[date, datetime, datetime]], now: datetime
    ) -> MonthlySummary: ...

    async def details(self, period: Period) -> MonthlyDetails: ...

    async def reported(self, period: Period) -> int:
        """How many faults were reported in the month (from the index alone)."""
        ...


class ContractTasksRepo(Protocol):
    async def add(
        self, task: PlannedTask, assignee: str, at: datetime, origin: str = "contract"
    ) -> bool:
        """Insert a planned task; False when its key is known (nothing changes)."""
        ...

    async def assign(self, task_id: int, assignee: str) -> None: ...

    async def close(self, task_id: int, status: str, at: datetime) -> bool:
        """open → done or cancelled; False when it was no longer open."""
        ...

    async def get(self, task_id: int) -> ContractTask | None: ...

    async def open_of(self, project_keys: Sequence[str]) -> list[ContractTask]: ...

    async def done_since(
        self, project_keys: Sequence[str], since: datetime
    ) -> list[ContractTask]: ...

    async def due_between(
        self, project_key: str, first: date, last: date
    ) -> list[ContractTask]: ...

    async def record(self, result: TaskResult) -> bool:
        """Keep a result; False when the task has one (nothing changes)."""
        ...

    async def result(self, task_id: int) -> TaskResult | None: ...

    async def add_file(self, task_id: int, language: str, path: str, sha256: str) -> None: ...

    async def file(self, task_id: int, language: str) -> tuple[str, str] | None: ...
class EventsRepo(Protocol):
    async def add(
        self, project_key: str | None, name: str, start: date, end: date, by: str, at: datetime
    ) -> Event: ...

    async def get(self, event_id: int) -> Event | None: ...

    async def chosen(self, event_id: int) -> bool: ...

    async def choose_project(self, event_id: int, project_key: str) -> bool: ...

    async def end(self, event_id: int, by: str, at: datetime) -> bool: ...

    async def ending_since(self, day: date) -> list[Event]: ...

    async def add_standby(self, s: Standby) -> bool: ...

    async def standby(self, event_ids: Sequence[int]) -> list[Standby]: ...

    async def customers(self, project_keys: Sequence[str]) -> list[int]: ...


class DevicesRepo(Protocol):
    async def get(self, code: str) -> Device | None: ...

    async def by_label(self, label: str) -> Device | None: ...

    async def by_codes(self, codes: Sequence[str]) -> dict[str, Device]: ...

    async def of_projects(self, project_keys: Sequence[str]) -> list[Device]: ...

    async def save(self, device: Device, at: datetime) -> None: ...

    async def link(self, ticket_id: int, code: str) -> None: ...

    async def of_ticket(self, ticket_id: int) -> Device | None: ...

    async def tickets(self, code: str, limit: int = 50) -> list[DeviceTicket]: ...

    async def most_faults(
        self, project_key: str, since: datetime, until: datetime, limit: int = 10
    ) -> list[tuple[Device, int]]: ...


class UnitOfWork(Protocol):
    """The repositories of one transaction (the adapter opens and commits it, not the use case)."""

    @property
    def users(self) -> UsersRepo: ...

    @property
    def drafts(self) -> DraftsRepo: ...

    @property
    def tickets(self) -> TicketsRepo: ...

    @property
    def timeline(self) -> TimelineRepo: ...

    @property
    def outbox(self) -> OutboxRepo: ...

    @property
    def timers(self) -> TimersRepo: ...

    @property
    def clocks(self) -> ClocksRepo: ...

    @property
    def pauses(self) -> PausesRepo: ...

    @property
    def rosters(self) -> RostersRepo: ...

    @property
    def handled_updates(self) -> HandledUpdatesRepo: ...

    @property
    def surveys(self) -> SurveysRepo: ...

    @property
    def complaints(self) -> ComplaintsRepo: ...

    @property
    def records(self) -> RecordsRepo: ...

    @property
    def daily(self) -> DailyReportsRepo: ...

    @property
    def audit(self) -> AuditRepo: ...

    @property
    def monthly(self) -> MonthlyRepo: ...

    @property
    def document_jobs(self) -> DocumentJobsRepo: ...

    @property
    def contract_tasks(self) -> ContractTasksRepo: ...

    @property
    def events(self) -> EventsRepo: ...

    @property
    def retention(self) -> RetentionRepo: ...

    @property
    def devices(self) -> DevicesRepo: ...
