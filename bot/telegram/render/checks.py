"""Reachability and the daily checks (`staff.unreachable`, `orphans.found`; `calendar.missing`
needs no more than its catalog text)."""

from __future__ import annotations

from bot.services.checks import Unreachable
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


RENDERERS: dict[str, RenderFn] = {
    "staff.unreachable": staff_unreachable,
    "orphans.found": orphans_found,
}
