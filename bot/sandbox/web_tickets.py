"""The sandbox page's side panel: the open tickets with their clocks, read from the bot's
database, and apart from them the last few no longer open, labelled in the page's language."""

from __future__ import annotations

from typing import Any

from bot.app import HotlineBot
from bot.domain.ticket import Ticket
from bot.services.uow import UnitOfWork
from bot.storage.uow import unit_of_work
from bot.telegram.catalog import LANGUAGES
from bot.telegram.catalog import text as catalog_text

JsonDict = dict[str, Any]

KEEP_CLOSED = 8  # tickets no longer open stay in the side panel (apart), newest first


class TicketPanel:
    """The tickets the page lists; remembers which it saw open to list them once closed."""

    def __init__(self, bot: HotlineBot) -> None:
        self.bot = bot
        self.settings = bot.settings
        self._seen_tickets: dict[int, None] = {}

    async def read(self, lang: str) -> JsonDict:
        """Open tickets, and apart from them the last few no longer open, with their labels
        in the language asked for (the page asks in its persona's language)."""
        bot = self.bot
        now = bot.clock.now()
        if lang not in LANGUAGES:
            lang = self.settings.default_language
        keys = [p.key for p in self.settings.projects]
        async with unit_of_work(bot.db) as uow:
            open_tickets = await uow.tickets.open_of_projects(keys, limit=200)
            for ticket in open_tickets:
                self._seen_tickets.pop(ticket.id, None)
                self._seen_tickets[ticket.id] = None
            open_ids = {t.id for t in open_tickets}
            done_ids = [i for i in self._seen_tickets if i not in open_ids][-KEEP_CLOSED:]
            done: list[Ticket] = []
            for ticket_id in done_ids:
                found = await uow.tickets.get(ticket_id)
                if found is not None:
                    done.append(found)
            rows = [
                await self._ticket_row(uow, ticket, lang)
                for ticket in sorted(open_tickets, key=lambda t: -t.id)
            ]
            closed = [await self._ticket_row(uow, ticket, lang) for ticket in done[::-1]]
        return {"ok": True, "bot_now": now.timestamp(), "tickets": rows, "closed": closed}

    async def _ticket_row(self, uow: UnitOfWork, ticket: Ticket, lang: str) -> JsonDict:
        settings = self.settings
        customer = await uow.users.get(ticket.customer_id)
        owner = ""
        if ticket.owner_key:
            try:
                owner = settings.staff_by_key(ticket.owner_key).name
            except KeyError:
                owner = ticket.owner_key
        try:
            project = settings.project(ticket.project_key).name
        except KeyError:
            project = ticket.project_key
        return {
            "id": ticket.id,
            "project": project,
            "level": str(ticket.level),
            # A service request shows its kind where a fault shows its level.
            "level_label": catalog_text(
                lang,
                f"request.kind.{ticket.kind}" if ticket.is_request else f"level.{ticket.level}",
            ),
            "status": str(ticket.status),
            "status_label": catalog_text(lang, f"status.{ticket.status}"),
            "open": ticket.is_open,
            "owner": owner,
            "customer": customer.display_name if customer is not None else "",
            "site": ticket.site
            or (
                f"📍 {ticket.latitude:.5f}, {ticket.longitude:.5f}"
                if ticket.latitude is not None and ticket.longitude is not None
                else ""
            ),
            "reported": ticket.reported_at.timestamp(),
            "clocks": await self._clocks(uow, ticket, lang),
        }

    async def _clocks(self, uow: UnitOfWork, ticket: Ticket, lang: str) -> list[JsonDict]:
        """The ticket's SLA clocks: label, due time, and where each stands."""
        clocks = []
        for view in await self.bot.services.sla.views(uow, ticket):
            spec = view.spec
            label = spec.labels.get(lang)
            if not label:
                try:
                    label = catalog_text(lang, f"sla.clock.{spec.name}")
                except KeyError:
                    label = spec.labels.get("en") or spec.name
            clocks.append(
                {
                    "name": spec.name,
                    "label": label,
                    "due": view.due_at.timestamp() if view.due_at is not None else None,
                    "running": view.state.running,
                    "paused": view.state.paused_since is not None,
                    "met": view.met,
                    "breached": view.state.breached_at is not None or view.remaining < 0,
                    "remaining": view.remaining,
                }
            )
        return clocks
