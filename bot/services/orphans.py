"""Open tickets the config changed under: their owner, project, clock or level target is gone.

The config is read once, at start-up, so this is where a ticket can become an orphan. At
start-up (and every morning) each open ticket is settled:

- owner gone: the ticket is unowned again and its project's on-duty engineers are paged;
- project gone (retired): its reminders are held and it is unowned; its keepers (the admins,
  else every manager) can read it (/status), take it and resolve it;
- a running clock whose policy no longer has it, or no target at the ticket's level: that
  clock's reminders are held; the ticket's other clocks go on.

A held ticket is marked in its timeline; once the config has what it lacked again, its clocks
are re-armed (and an unowned ticket is paged again). The keepers (the project's managers and the
admins) get the list of the tickets settled or still held.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Literal

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.ticket import Status, Ticket
from bot.services.access import Access
from bot.services.notices import Notice, Outcome, Params
from bot.services.roster import Roster
from bot.services.sla import Sla
from bot.services.uow import UnitOfWork

OrphanReason = Literal["owner_gone", "project_gone", "clock_gone", "target_gone"]

# Timeline kinds: an owner-gone ticket is "unowned"; a held one "orphaned" until "restored".
UNOWNED, HELD, RESTORED = "unowned", "orphaned", "restored"


@dataclass(frozen=True)
class Orphan:
    """One finding: the ticket, why, and the key the config no longer has (owner, project or
    clock)."""

    ticket_id: int
    reason: OrphanReason
    key: str


@dataclass(frozen=True)
class OrphansFound(Params):
    """orphans.found: the tickets one keeper should know about."""

    orphans: list[Orphan]


class Orphans:
    def __init__(
        self, settings: Settings, clock: Clock, access: Access, roster: Roster, sla: Sla
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.roster = roster
        self.sla = sla

    async def settle_all(self, uow: UnitOfWork) -> Outcome:
        """Settle every open ticket, then tell each keeper about theirs (once a day per list)."""
        out = Outcome()
        found: list[tuple[Ticket, Orphan]] = []
        for ticket in await uow.tickets.all_open():
            orphans, notices = await self.settle(uow, ticket)
            out.notices.extend(notices)
            found.extend((ticket, o) for o in orphans)
        out.notices.extend(self.report(found))
        return out

    async def settle(self, uow: UnitOfWork, ticket: Ticket) -> tuple[list[Orphan], list[Notice]]:
        """What the config lacks for this ticket, and the pages its settling sends."""
        now = self.clock.now()
        project = self.settings.find_project(ticket.project_key)
        orphans: list[Orphan] = []
        notices: list[Notice] = []
        if ticket.owner_key and self.access.owner(ticket) is None:
            orphans.append(Orphan(ticket.id, "owner_gone", ticket.owner_key))
            gone = ticket.owner_key
            ticket = await uow.tickets.save(
                replace(ticket, status=Status.NEW, owner_key=None, handover_to=None)
            )
            await uow.timeline.append(ticket.id, now, "system", UNOWNED, **{"from": gone})
            if project is not None:
                notices.extend(await self._page_again(uow, ticket))
        if project is None:
            # Back to the keepers (the list below is their page): unowned, so that one of them
            # can take it and resolve it; no clock of a retired project is kept.
            orphans.append(Orphan(ticket.id, "project_gone", ticket.project_key))
            await uow.timers.cancel_for_ticket(ticket.id)
            if ticket.owner_key:
                ticket = await uow.tickets.save(
                    replace(ticket, status=Status.NEW, owner_key=None, handover_to=None)
                )
        else:
            policy = self.settings.sla_policy(project.key, ticket.kind)
            for state in await uow.clocks.of_ticket(ticket.id):
                spec = policy.clock(state.name)
                if not state.running or (spec is not None and ticket.level in spec.targets):
                    continue
                reason: OrphanReason = "clock_gone" if spec is None else "target_gone"
                orphans.append(Orphan(ticket.id, reason, state.name))
                await uow.timers.cancel_prefix(ticket.id, f"sla:{ticket.id}:{state.name}:")
        held = any(o.reason != "owner_gone" for o in orphans)
        was_held = await self._held(uow, ticket)
        if held and not was_held:
            await uow.timeline.append(ticket.id, now, "system", HELD)
        elif not held and was_held:
            await uow.timeline.append(ticket.id, now, "system", RESTORED)
            await self.sla.rearm_all(uow, ticket)
            if ticket.status == Status.NEW and not notices:  # not paged above already
                notices.extend(await self._page_again(uow, ticket))
        return orphans, notices

    async def _page_again(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """Page the ticket's project anew: the people paged when it opened are paged again
        (a page's dedupe key names the ticket and the person; this round gets its own)."""
        tag = self.clock.now().isoformat()
        return [
            replace(n, dedupe=f"{n.dedupe}:again:{tag}") if n.dedupe else n
            for n in await self.roster.start_paging(uow, ticket)
        ]

    @staticmethod
    async def _held(uow: UnitOfWork, ticket: Ticket) -> bool:
        """Whether the ticket's reminders were held at the last settling."""
        events = await uow.timeline.of_ticket(ticket.id)
        marks = [e.kind for e in events if e.kind in (HELD, RESTORED)]
        return bool(marks) and marks[-1] == HELD

    def report(self, found: list[tuple[Ticket, Orphan]]) -> list[Notice]:
        """One list per keeper: the project's managers and the admins (a retired project's:
        the admins, or every manager)."""
        lists: dict[str, tuple[StaffConfig, list[Orphan]]] = {}
        for ticket, orphan in found:
            project = self.settings.find_project(ticket.project_key)
            for keeper in self.access.keepers(project):
                lists.setdefault(keeper.key, (keeper, []))[1].append(orphan)
        day = self.clock.now().astimezone(self.settings.tz).date().isoformat()
        notices = []
        for keeper, orphans in lists.values():
            digest = hashlib.sha1(repr(orphans).encode()).hexdigest()[:10]
            notices.append(
                Notice(
                    keeper.telegram_id,
                    "orphans.found",
                    params=OrphansFound(orphans),
                    dedupe=f"orphans:{keeper.key}:{day}:{digest}",
                )
            )
        return notices
