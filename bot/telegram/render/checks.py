"""Reachability and the daily checks (`staff.unreachable`, `orphans.found`,
`calendar.missing`)."""

from __future__ import annotations

from bot.services.checks import MissingCalendar, Unreachable
from bot.services.notices import Notice
from bot.services.orphans import OrphansFound
from bot.telegram.catalog import Markup, markup, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, message


def staff_unreachable(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(Unreachable)
    ticket = (
        markup(lang, "staff.unreachable_ticket", ticket_id=news.ticket_id)
        if news.ticket_id
        else ""
    )
    body = text(
        lang,
        "staff.unreachable",
        names="、".join(news.names) if lang == "zh" else ", ".join(news.names),
        project=news.project,
        ticket=Markup(ticket),
    )
    return [message(n, body)]


def orphans_found(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(OrphansFound)
    lines = [
        text(lang, f"orphans.{o.reason}", id=o.ticket_id, name=o.key) for o in found.orphans
    ]
    return [message(n, text(lang, "orphans.found", lines=Markup("\n".join(lines))))]


def calendar_missing(p: Parts, lang: str, n: Notice) -> list[Call]:
    """One plain line: which project, which years, what to do."""
    missing = n.params_as(MissingCalendar)
    years = [y.strip() for y in missing.years.split(",") if y.strip()]
    joined = "、".join(years) if lang == "zh" else " and ".join(years)
    return [message(n, text(lang, "calendar.missing", project=missing.project, years=joined))]


RENDERERS: dict[str, RenderFn] = {
    "staff.unreachable": staff_unreachable,
    "orphans.found": orphans_found,
    "calendar.missing": calendar_missing,
}
