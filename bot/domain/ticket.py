"""Tickets and their state machine (pure).

A ticket moves new → accepted → on_way → on_site → resolved → closed. The owner may resolve
remotely (accepted → resolved). The customer may answer "not fixed" to a resolved ticket, which
reopens it to `accepted` with the same owner (首问负责制) and is counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum


class Level(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Status(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    ON_WAY = "on_way"
    ON_SITE = "on_site"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.ON_WAY, Status.ON_SITE)
WORKING_STATUSES = (Status.ACCEPTED, Status.ON_WAY, Status.ON_SITE)


class TransitionError(Exception):
    """A change the ticket's state does not allow; `reason` is a catalog key suffix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Deadlines:
    respond_due: datetime
    arrive_due: datetime
    repair_due: datetime | None  # known once the engineer is on site


@dataclass(frozen=True)
class Ticket:
    id: int
    project_key: str
    customer_id: int
    level: Level
    status: Status
    reported_at: datetime
    deadlines: Deadlines
    site: str = ""
    latitude: float | None = None
    longitude: float | None = None
    symptom: str = ""
    model: str = ""
    serial: str = ""
    contact_name: str = ""
    contact_unit: str = ""
    contact_phone: str = ""
    photos: tuple[str, ...] = ()
    owner_key: str | None = None
    handover_to: str | None = None
    accepted_at: datetime | None = None
    on_way_at: datetime | None = None
    on_site_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    cause: str = ""
    resolution: str = ""
    reopen_count: int = 0
    # Proof of arrival: metres from the site to where the engineer shared their location on
    # arriving (None: not shared, or the site has no coordinates).
    arrival_distance_m: float | None = None
    # Why an open ticket is not fixed yet: a cause key (power, transmission, ...) or "".
    blocking_reason: str = ""
    # How the fault reached the hotline: "chat" (the guided dialog) or "phone" (logged by staff).
    channel: str = "chat"
    # Closed after `confirm_within` without the customer's sign-off (counted in every report).
    closed_unconfirmed: bool = False
    # A phoned-in fault whose caller has no Telegram (customer_id 0): the staff member who
    # logged it, who gets the customer's updates as calls to make.
    relay_staff: int | None = None
    # Free (in warranty) or paid, decided when the ticket was filed (bot/domain/warranty.py);
    # "" when the project has no contract.
    billing: str = ""
    # "fault", or a service request's kind (bot/domain/requests.py): a request has no level
    # (stored as C), and its `deadlines.arrive_due` holds its resolve deadline.
    kind: str = "fault"
    # A request's preferred time, as the customer wrote it ("" when none).
    preferred: str = ""
    version: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_request(self) -> bool:
        """A service request (consultation, upgrade support, …), not a fault."""
        return self.kind != "fault"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def accept(self, staff_key: str, at: datetime) -> Ticket:
        if self.status != Status.NEW:
            taken = self.status in WORKING_STATUSES
            raise TransitionError("already_taken" if taken else "not_open")
        return replace(self, status=Status.ACCEPTED, owner_key=staff_key, accepted_at=at)

    def _require_owner(self, staff_key: str) -> None:
        if self.status not in WORKING_STATUSES:
            raise TransitionError("not_in_progress")
        if self.owner_key != staff_key:
            raise TransitionError("not_owner")

    def set_on_way(self, staff_key: str, at: datetime) -> Ticket:
        self._require_owner(staff_key)
        if self.status != Status.ACCEPTED:
            raise TransitionError("wrong_step")
        return replace(self, status=Status.ON_WAY, on_way_at=at)

    def arrive(self, staff_key: str, at: datetime, deadlines: Deadlines) -> Ticket:
        self._require_owner(staff_key)
        if self.status == Status.ON_SITE:
            raise TransitionError("wrong_step")
        return replace(self, status=Status.ON_SITE, on_site_at=at, deadlines=deadlines)

    def resolve(self, staff_key: str, at: datetime, cause: str, resolution: str) -> Ticket:
        self._require_owner(staff_key)
        return replace(
            self,
            status=Status.RESOLVED,
            resolved_at=at,
            cause=cause,
            resolution=resolution,
            handover_to=None,
            blocking_reason="",
        )

    def block(self, reason: str) -> Ticket:
        """Record why the open ticket is not fixed yet ("" clears it)."""
        if not self.is_open:
            raise TransitionError("not_open")
        return replace(self, blocking_reason=reason)

    def propose_handover(self, staff_key: str, to_key: str) -> Ticket:
        self._require_owner(staff_key)
        if to_key == staff_key:
            raise TransitionError("handover_self")
        return replace(self, handover_to=to_key)

    def take_over(self, staff_key: str) -> Ticket:
        if self.status not in WORKING_STATUSES or self.handover_to != staff_key:
            raise TransitionError("no_handover")
        return replace(self, owner_key=staff_key, handover_to=None)

    def decline_handover(self, staff_key: str) -> Ticket:
        if self.handover_to != staff_key:
            raise TransitionError("no_handover")
        return replace(self, handover_to=None)

    def reopen(self, customer_id: int) -> Ticket:
        if customer_id != self.customer_id:
            raise TransitionError("not_yours")
        if self.status != Status.RESOLVED:
            raise TransitionError("not_resolved")
        return replace(
            self,
            status=Status.ACCEPTED,
            resolved_at=None,
            reopen_count=self.reopen_count + 1,
        )

    def confirm(self, customer_id: int, at: datetime) -> Ticket:
        if customer_id != self.customer_id:
            raise TransitionError("not_yours")
        if self.status != Status.RESOLVED:
            raise TransitionError("not_resolved")
        return replace(self, status=Status.CLOSED, closed_at=at)

    def regrade(self, level: Level, deadlines: Deadlines) -> Ticket:
        if not self.is_open:
            raise TransitionError("not_open")
        if level == self.level:
            raise TransitionError("same_level")
        return replace(self, level=level, deadlines=deadlines)

    def with_details(self, **changes: object) -> Ticket:
        """Details the customer adds after an A-level ticket was opened early."""
        allowed = {
            "symptom", "photos", "model", "serial", "contact_phone", "site", "latitude",
            "longitude",
        }  # fmt: skip
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not a ticket detail: {sorted(unknown)}")
        return replace(self, **changes)  # type: ignore[arg-type]
