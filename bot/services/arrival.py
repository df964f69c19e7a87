"""Proof of arrival: on "Arrived" the engineer is offered Telegram's "share my location"
(skippable). When both the site's coordinates and the engineer's location are known, the
distance is recorded on the ticket and its timeline; farther than the project's
`arrival_radius`, the project's managers are shown it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.arrival import DEFAULT_RADIUS_M, distance_m, valid_point
from bot.domain.drafts import WorkDraft
from bot.domain.ticket import Ticket
from bot.services.access import Access, staff_actor
from bot.services.drafts import Drafts, Input
from bot.services.notices import Notice, Outcome, Params, TicketNumber
from bot.services.uow import UnitOfWork

LOCATION_STEP = "arrival_location"  # the WorkDraft step waiting for the engineer's location


@dataclass(frozen=True)
class ArrivalDistance(Params):
    """Metres from the site to the engineer's shared location, and the project's radius."""

    metres: int
    radius: int
    engineer: str = ""


class Arrivals:
    def __init__(self, settings: Settings, clock: Clock, access: Access, drafts: Drafts) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts

    async def ask(self, uow: UnitOfWork, uid: int, ticket: Ticket) -> list[Notice]:
        """After "Arrived": the location button (unless another form of theirs is open)."""
        if await self.drafts.of(uow, uid) is not None:
            return []
        await self.drafts.put(uow, uid, WorkDraft(ticket_id=ticket.id, step=LOCATION_STEP))
        return [Notice(uid, "arrival.ask_location", ticket=ticket)]

    def _radius(self, ticket: Ticket) -> int:
        project = self.settings.find_project(ticket.project_key)
        return project.arrival_radius if project is not None else DEFAULT_RADIUS_M

    async def answer(
        self, uow: UnitOfWork, staff: StaffConfig, draft: WorkDraft, inp: Input
    ) -> Outcome:
        """The engineer's location (recorded, the distance measured) or anything else (the
        step is skipped); either way the location keyboard goes away."""
        uid = staff.telegram_id
        await self.drafts.drop(uow, uid)
        ticket = await self.access.ticket_for_staff(uow, staff, draft.ticket_id)
        if ticket is None:
            return Outcome([Notice(uid, "refuse.not_found", params=TicketNumber(draft.ticket_id))])
        lat, lon = inp.latitude, inp.longitude
        if inp.kind != "location" or lat is None or lon is None or not valid_point(lat, lon):
            return Outcome([Notice(uid, "arrival.skipped", ticket=ticket)])
        now = self.clock.now()
        if ticket.latitude is None or ticket.longitude is None:
            await uow.timeline.append(
                ticket.id, now, staff_actor(staff), "arrival_location_only", lat=lat, lon=lon
            )
            return Outcome([Notice(uid, "arrival.no_site", ticket=ticket)])
        metres = distance_m(ticket.latitude, ticket.longitude, lat, lon)
        ticket = await uow.tickets.save(replace(ticket, arrival_distance_m=metres))
        await uow.timeline.append(
            ticket.id,
            now,
            staff_actor(staff),
            "arrival_location",
            lat=lat,
            lon=lon,
            metres=round(metres),
        )
        radius = self._radius(ticket)
        far = ArrivalDistance(round(metres), radius, staff.name)
        out = Outcome([Notice(uid, "arrival.recorded", ticket=ticket, params=far)])
        if metres > radius:
            project = self.settings.find_project(ticket.project_key)
            managers = self.access.managers(project) if project is not None else []
            for m in managers:
                if m.telegram_id != uid:
                    out.add(Notice(m.telegram_id, "arrival.far", ticket=ticket, params=far))
        return out
