"""Who is who: staff by Telegram user id (never by username), their projects and roles, and the
one check every staff use case starts with: "the acting staff member and their ticket, or the
polite refusal".

The config may have dropped a ticket's owner or project since the ticket was opened: this is
the one place that says what then happens. A ticket whose owner left is worked on by its
project's on-duty engineers; a retired project's ticket is looked after by the admins (or, with
no admin configured, every manager), who may still read it."""

from __future__ import annotations

from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.ticket import Ticket
from bot.services.notices import Notice, Outcome, TicketNumber
from bot.services.roster import Roster
from bot.services.uow import UnitOfWork


def staff_actor(staff: StaffConfig) -> str:
    """How the timeline names a staff member."""
    return f"staff:{staff.key}"


def customer_actor(user_id: int) -> str:
    """How the timeline names a customer."""
    return f"customer:{user_id}"


def refusal(uid: int, reason: str, ticket_id: int, via_button: bool) -> Outcome:
    """A refusal as a button's alert, or as a message to a typed command."""
    if via_button:
        return Outcome(toast=f"refuse.{reason}", toast_alert=True)
    return Outcome([Notice(uid, f"refuse.{reason}", params=TicketNumber(ticket_id))])


class Access:
    """Who may do what, from the config; who works on a ticket now, from the roster."""

    def __init__(self, settings: Settings, roster: Roster) -> None:
        self.settings = settings
        self.roster = roster

    def staff(self, user_id: int) -> StaffConfig | None:
        return self.settings.staff_by_telegram_id(user_id)

    def project_staff(self, project: ProjectConfig) -> list[StaffConfig]:
        return [self.settings.staff_by_key(k) for k in self.settings.project_staff_keys(project)]

    def managers(self, project: ProjectConfig) -> list[StaffConfig]:
        return [s for s in self.project_staff(project) if s.is_manager]

    def approvers(self, project: ProjectConfig) -> list[StaffConfig]:
        """Who approves a force-majeure pause: the project managers (else the chain's top)."""
        chain = self.project_staff(project)
        pms = [s for s in chain if s.has_role("project_manager")]
        return pms or [s for s in chain if s.has_role("project_lead", "admin")]

    def keepers(self, project: ProjectConfig | None) -> list[StaffConfig]:
        """Who looks after a ticket nobody else can: its project's managers and the admins;
        a retired project's (None): the admins, or every manager when there is no admin."""
        admins = [s for s in self.settings.staff if s.has_role("admin")]
        if project is not None:
            people = [*self.managers(project), *admins]
        else:
            people = admins or [s for s in self.settings.staff if s.is_manager]
        return list({s.key: s for s in people}.values())

    def retired(self, ticket: Ticket) -> bool:
        """Its project left the config: the ticket is read, taken and resolved, nothing more."""
        return self.settings.find_project(ticket.project_key) is None

    def owner(self, ticket: Ticket) -> StaffConfig | None:
        """The ticket's owner, if it has one the config still knows."""
        return self.settings.find_staff(ticket.owner_key) if ticket.owner_key else None

    def can_work(self, staff: StaffConfig, project_key: str) -> bool:
        if staff.has_role("admin"):
            return True
        project = self.settings.find_project(project_key)
        if project is None:  # retired: its keepers read and close its tickets
            return staff in self.keepers(None)
        return staff.key in self.settings.project_staff_keys(project)

    def can_take(self, staff: StaffConfig, ticket: Ticket) -> bool:
        if self.settings.find_project(ticket.project_key) is None:
            return staff in self.keepers(None)
        return staff.has_role("engineer") and self.can_work(staff, ticket.project_key)

    def staff_projects(self, staff: StaffConfig) -> list[str]:
        if staff.has_role("admin"):
            return [p.key for p in self.settings.projects]
        return [p.key for p in self.settings.projects_of_staff(staff.key)]

    async def ticket_for_staff(
        self, uow: UnitOfWork, staff: StaffConfig, ticket_id: int
    ) -> Ticket | None:
        """A ticket of the staff member's projects; None for "no such ticket" and "not yours"
        alike (numbers leak nothing)."""
        ticket = await uow.tickets.get(ticket_id)
        if ticket is None or not self.can_work(staff, ticket.project_key):
            return None
        return ticket

    async def staff_ticket(
        self, uow: UnitOfWork, uid: int, ticket_id: int, via_button: bool, *, owner: bool = False
    ) -> tuple[StaffConfig, Ticket] | Outcome:
        """The acting staff member and a ticket of their projects (with `owner`: an open
        ticket they own), or the polite refusal."""
        staff = self.staff(uid)
        if staff is None:
            return refusal(uid, "staff_only", ticket_id, via_button)
        ticket = await self.ticket_for_staff(uow, staff, ticket_id)
        if ticket is None:
            return refusal(uid, "not_found", ticket_id, via_button)
        if owner and (ticket.owner_key != staff.key or not ticket.is_open):
            reason = "not_owner" if ticket.is_open else "not_in_progress"
            return refusal(uid, reason, ticket_id, via_button)
        return staff, ticket

    async def workers_of(self, uow: UnitOfWork, ticket: Ticket) -> list[StaffConfig]:
        """Who works on a ticket now: its owner, or while unowned (or its owner has left) the
        on-duty engineers (and a major event's standby engineers); a retired project's ticket:
        its keepers."""
        owner = self.owner(ticket)
        if owner is not None:
            return [owner]
        project = self.settings.find_project(ticket.project_key)
        if project is None:
            return self.keepers(None)
        on_duty = await self.roster.on_duty(uow, project)
        # During a major event its standby engineers (paged first) work on it too.
        event = await self.roster.heightened(uow, project.key)
        standby = await self.roster.standby(uow, event, project) if event else []
        return [*self.roster.people(standby), *(p for p in on_duty if p.key not in standby)]
