"""The equipment register: import (all or nothing) and export, one device's card and history,
the QR labels, a label scanned (/start <payload>), and a ticket linked to a device.

Who may: admins and the project managers of a project import its register; the project's
managers and admins export it and print its labels; its staff look a device up and link a
ticket to it. A customer's scan opens a report for the device, in the device's project only.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.drafts import ReportDraft
from bot.domain.equipment import (
    MAX_REASONS_SHOWN,
    Device,
    DeviceTicket,
    FileError,
    RowError,
    Table,
    normalize_code,
    plan_import,
    warranty_end,
)
from bot.domain.jobs import DocumentJob
from bot.domain.people import User
from bot.services.access import Access, staff_actor
from bot.services.dialogs import Dialogs
from bot.services.jobs import Archived, DocumentJobs, OpenRead
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import UnitOfWork

LABEL_BYTES = 16  # 22 characters of A-Za-z0-9_-: not guessable, well within Telegram's 64


def new_label() -> str:
    return secrets.token_urlsafe(LABEL_BYTES)


@dataclass(frozen=True)
class ImportResult(Params):
    """An import's answer (`equipment.imported`, `equipment.import_rejected`): counts, and the
    first rejected rows with their reasons (`more`: how many are not listed)."""

    file_name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[RowError, ...] = ()
    more: int = 0


@dataclass(frozen=True)
class FileRejected(Params):
    """A file rejected as a whole (`equipment.file_rejected`)."""

    file_name: str
    error: FileError


@dataclass(frozen=True)
class RegisterFile(Params):
    """The register of some projects as a file (`equipment.export`), or its empty template
    (`equipment.template`: no devices)."""

    devices: tuple[Device, ...]
    bot_username: str
    name: str = ""  # the file's name part: a project key, or "all"


@dataclass(frozen=True)
class LabelSheet:
    """The labels of a project's devices, as the labels job collected them."""

    project: ProjectConfig
    devices: tuple[Device, ...]
    bot_username: str
    supplier: str
    manager: str  # the project's customer manager: name and phone
    language: str | None  # the asker's Telegram language


class LabelMaker(Protocol):
    """Makes the labels' PDF in its reader's language (bot/telegram/render/equipment.py)."""

    def __call__(self, sheet: LabelSheet) -> bytes: ...


@dataclass(frozen=True)
class LabelsFile(Params):
    """The labels' PDF, archived (`equipment.labels`): the sender reads it by name and
    SHA-256."""

    path: str
    sha256: str
    project_key: str
    project: str
    count: int


@dataclass(frozen=True)
class DeviceCard(Params):
    """One device with its tickets (`equipment.device`)."""

    device: Device
    project: str
    warranty_until: date | None
    tickets: tuple[DeviceTicket, ...]


@dataclass(frozen=True)
class DeviceText(Params):
    """A code or project named in a refusal (`equipment.no_device`, `equipment.no_project`)."""

    text: str


@dataclass(frozen=True)
class DeviceLinked(Params):
    """A ticket now belongs to a device (`equipment.linked`)."""

    ticket_id: int
    code: str
    name: str
    model: str


@dataclass(frozen=True)
class DeviceScanned(Params):
    """A customer scanned a device's label: the report is for this device
    (`equipment.scanned`)."""

    device: Device
    project: str


class Equipment:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        access: Access,
        dialogs: Dialogs,
        jobs: DocumentJobs,
        make_labels: LabelMaker,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.dialogs = dialogs
        self.jobs = jobs
        self.make_labels = make_labels

    # ------------------------------------------------------------------ who may
    def importer_projects(self, staff: StaffConfig | None) -> frozenset[str]:
        """The projects whose register this person may import: all for an admin, their
        projects for a project manager, none for anyone else."""
        if staff is None:
            return frozenset()
        if staff.has_role("admin"):
            return frozenset(p.key for p in self.settings.projects)
        if staff.has_role("project_manager"):
            return frozenset(self.access.staff_projects(staff))
        return frozenset()

    def _manager_projects(self, staff: StaffConfig | None) -> list[str]:
        if staff is None or not (staff.is_manager or staff.has_role("admin")):
            return []
        return self.access.staff_projects(staff)

    # ------------------------------------------------------------------ import and export
    async def import_table(
        self, uow: UnitOfWork, user: User, file_name: str, table: Table | FileError
    ) -> Outcome:
        """A spreadsheet sent by an importer: every row checked, then all stored or none."""
        uid = user.telegram_id
        allowed = self.importer_projects(self.access.staff(uid))
        if not allowed:
            return Outcome([Notice(uid, "equipment.not_allowed")])
        if isinstance(table, FileError):
            return Outcome([Notice(uid, "equipment.file_rejected",
                                   params=FileRejected(file_name, table))])
        codes = sorted({normalize_code(c) for r in table.rows for c in r if c.strip()})
        # Only codes can be stored devices; any cell may be one, so look them all up once.
        existing = await uow.devices.by_codes(codes) if codes else {}
        plan = plan_import(
            table,
            projects=frozenset(p.key for p in self.settings.projects),
            allowed=allowed,
            existing=existing,
        )
        if isinstance(plan, FileError):
            return Outcome([Notice(uid, "equipment.file_rejected",
                                   params=FileRejected(file_name, plan))])
        if plan.rejected:
            shown = plan.rejected[:MAX_REASONS_SHOWN]
            result = ImportResult(file_name, rejected=shown, more=len(plan.rejected) - len(shown))
            return Outcome([Notice(uid, "equipment.import_rejected", params=result)])
        now = self.clock.now()
        for device in plan.added:
            await uow.devices.save(_labelled(device), now)
        for device in plan.updated:
            await uow.devices.save(device, now)
        result = ImportResult(file_name, len(plan.added), len(plan.updated), plan.unchanged)
        return Outcome([Notice(uid, "equipment.imported", params=result)])

    async def template(self, uow: UnitOfWork, user: User) -> Outcome:
        """/equipment template: the empty register to fill in."""
        uid = user.telegram_id
        if not self.importer_projects(self.access.staff(uid)):
            return Outcome([Notice(uid, "equipment.not_allowed")])
        return Outcome([Notice(uid, "equipment.template", params=RegisterFile((), ""))])

    async def export(
        self, uow: UnitOfWork, user: User, project_key: str, bot_username: str
    ) -> Outcome:
        """/equipment export [PROJECT]: the register of my projects (or one) as XLSX."""
        uid = user.telegram_id
        mine = self._manager_projects(self.access.staff(uid))
        if not mine:
            return Outcome([Notice(uid, "equipment.not_allowed")])
        if project_key and project_key not in mine:
            return Outcome([Notice(uid, "equipment.no_project", params=DeviceText(project_key))])
        keys = [project_key] if project_key else mine
        devices = tuple(await uow.devices.of_projects(keys))
        found = RegisterFile(devices, bot_username, project_key or "all")
        return Outcome([Notice(uid, "equipment.export", params=found)])

    # ------------------------------------------------------------------ one device
    async def show(self, uow: UnitOfWork, user: User, code: str) -> Outcome:
        """/equipment CODE: the device, its warranty, its tickets (staff of its project)."""
        uid = user.telegram_id
        staff = self.access.staff(uid)
        if staff is None:
            return Outcome([Notice(uid, "equipment.staff_only")])
        device = await uow.devices.get(normalize_code(code))
        if device is None or not self.access.can_work(staff, device.project_key):
            return Outcome([Notice(uid, "equipment.no_device", params=DeviceText(code[:40]))])
        return Outcome([Notice(uid, "equipment.device", params=await self._card(uow, device))])

    async def _card(self, uow: UnitOfWork, device: Device) -> DeviceCard:
        project = self.settings.find_project(device.project_key)
        contract = project.contract if project is not None else None
        until = warranty_end(device, contract.warranty_end if contract is not None else None)
        tickets = tuple(await uow.devices.tickets(device.code))
        name = project.name if project is not None else device.project_key
        return DeviceCard(device, name, until, tickets)

    async def link(self, uow: UnitOfWork, user: User, ticket_id: int, code: str) -> Outcome:
        """/device N CODE: the ticket belongs to the device (staff of the ticket's project;
        the device must be of the same project)."""
        uid = user.telegram_id
        found = await self.access.staff_ticket(uow, uid, ticket_id, via_button=False)
        if isinstance(found, Outcome):
            return found
        staff, ticket = found
        device = await uow.devices.get(normalize_code(code))
        if device is None or device.project_key != ticket.project_key:
            return Outcome([Notice(uid, "equipment.no_device", params=DeviceText(code[:40]))])
        await uow.devices.link(ticket.id, device.code)
        if not ticket.model and device.model:  # the register knows what the report did not
            await uow.tickets.save(ticket.with_details(model=device.model, serial=device.serial))
        await uow.timeline.append(
            ticket.id, self.clock.now(), staff_actor(staff), "device_linked", device=device.code,
            name=device.name,
        )
        linked = DeviceLinked(ticket.id, device.code, device.name, device.model)
        return Outcome([Notice(uid, "equipment.linked", params=linked)])

    # ------------------------------------------------------------------ labels
    async def labels(
        self, uow: UnitOfWork, user: User, project_key: str, bot_username: str
    ) -> Outcome:
        """/labels [PROJECT]: the project's labels as a PDF to print (managers, admins); a
        document job (a large register takes a minute to typeset), "preparing" meanwhile."""
        uid = user.telegram_id
        mine = self._manager_projects(self.access.staff(uid))
        if not mine:
            return Outcome([Notice(uid, "equipment.not_allowed")])
        if not project_key and len(mine) == 1:
            project_key = mine[0]
        if not project_key:
            return Outcome([Notice(uid, "equipment.which_project",
                                   params=DeviceText(" ".join(mine)))])
        if project_key not in mine:
            return Outcome([Notice(uid, "equipment.no_project", params=DeviceText(project_key))])
        project = self.settings.project(project_key)
        count = len(await uow.devices.of_projects([project_key]))
        if not count:
            return Outcome([Notice(uid, "equipment.no_devices", params=DeviceText(project.name))])
        params = {"project": project_key, "bot": bot_username}
        await self.jobs.request(uow, "labels", uid, uid, params)
        asked = DeviceText(f"{project.name} ({count})")
        return Outcome([Notice(uid, "equipment.labels_preparing", params=asked)])

    async def collect_labels(self, uow: UnitOfWork, job: DocumentJob) -> LabelSheet:
        """The labels job's devices and words, from its snapshot."""
        project = self.settings.find_project(str(job.params["project"]))
        if project is None:  # the config dropped the project since it was asked for
            raise LookupError(f"project {job.params['project']!r} is no longer configured")
        devices = tuple(await uow.devices.of_projects([project.key]))
        cm = self.settings.customer_manager(project)
        manager = " ".join(v for v in (cm.name, cm.phone) if v) if cm is not None else ""
        asker = await uow.users.get(job.requester)
        return LabelSheet(project, devices, str(job.params.get("bot", "")),
                          self.settings.supplier, manager, asker.language if asker else None)

    # ------------------------------------------------------------------ a label scanned
    async def is_label(self, uow: UnitOfWork, payload: str) -> bool:
        return await uow.devices.by_label(payload) is not None

    async def scan(self, uow: UnitOfWork, user: User, payload: str) -> Outcome:
        """/start <payload> of a QR label: a customer of the device's project (or a new one,
        who joins it) goes straight into a report for the device; staff see the device."""
        uid = user.telegram_id
        device = await uow.devices.by_label(payload)
        project = self.settings.find_project(device.project_key) if device else None
        if device is None or project is None:
            return Outcome([Notice(uid, "equipment.unknown_label")])
        staff = self.access.staff(uid)
        if staff is not None:
            if not self.access.can_work(staff, device.project_key):
                return Outcome([Notice(uid, "equipment.unknown_label")])
            card = await self._card(uow, device)
            return Outcome([Notice(uid, "equipment.device", params=card)])
        if user.project_key is not None and user.project_key != device.project_key:
            return Outcome([Notice(uid, "equipment.other_project")])
        out = Outcome()
        if user.project_key is None:
            # The label replaces the invite: the customer joins the device's project.
            await uow.users.join_project(uid, project.key)
            joined = await uow.users.get(uid)
            user = joined if joined is not None else user
        began = await self.dialogs.report(uow, user, device)
        draft = await self.dialogs.drafts.of(uow, uid)
        if isinstance(draft, ReportDraft) and draft.device == device.code:
            # The report for the device began (another open form is asked to finish first).
            out.add(Notice(uid, "equipment.scanned", params=DeviceScanned(device, project.name)))
        out.notices.extend(began.notices)
        return out


def _labelled(device: Device) -> Device:
    return replace(device, label=new_label())


class LabelsJob:
    """The labels' PDF as a document job (kind "labels")."""

    what = "equipment.labels_what"

    def __init__(self, equipment: Equipment) -> None:
        self.equipment = equipment

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> LabelSheet:
        return await self.equipment.collect_labels(uow, job)

    def make(self, job: DocumentJob, collected: LabelSheet) -> dict[str, bytes]:
        return {".pdf": self.equipment.make_labels(collected)}

    def delivered(
        self, job: DocumentJob, collected: LabelSheet, files: dict[str, Archived]
    ) -> list[Notice]:
        f, p = files[".pdf"], collected.project
        done = LabelsFile(f.path, f.sha256, p.key, p.name, len(collected.devices))
        return [Notice(job.chat, "equipment.labels", params=done)]
