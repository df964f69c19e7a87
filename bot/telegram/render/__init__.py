"""Renderers: a Notice becomes Bot API calls (method + payload) in the recipient's language.

Most notices are their catalog text, filled with the ticket's facts and the notice's plain
parameters. The others have a render function, found by key in one table gathered from the
areas' modules (onboarding, intake, work, pauses, views, checks, sla, roster), each of which
builds on `widgets` (buttons, keyboards, payloads, Telegram's limits) and `parts` (times,
names, the ticket's facts). Every user string passes through the catalog's escaping; texts are
kept within Telegram's 4096 characters and every callback_data within 64 bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.clock import Clock
from bot.config import Settings
from bot.services.notices import Keep, Notice
from bot.telegram.catalog import text
from bot.telegram.render import (
    arrival,
    blocking,
    checks,
    complaints,
    daily,
    desk,
    equipment,
    events,
    export,
    intake,
    jobs,
    monthly,
    onboarding,
    operations,
    pauses,
    records,
    roster,
    sla,
    surveys,
    tasks,
    views,
    warranty,
    work,
)
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, fit, message

__all__ = ["AREAS", "RENDERERS", "Call", "Renderer"]

AREAS: Mapping[str, Mapping[str, RenderFn]] = {
    "onboarding": onboarding.RENDERERS,
    "intake": intake.RENDERERS,
    "work": work.RENDERERS,
    "pauses": pauses.RENDERERS,
    "views": views.RENDERERS,
    "checks": checks.RENDERERS,
    "sla": sla.RENDERERS,
    "roster": roster.RENDERERS,
    "surveys": surveys.RENDERERS,
    "arrival": arrival.RENDERERS,
    "complaints": complaints.RENDERERS,
    "records": records.RENDERERS,
    "daily": daily.RENDERERS,
    "blocking": blocking.RENDERERS,
    "export": export.RENDERERS,
    "monthly": monthly.RENDERERS,
    "jobs": jobs.RENDERERS,
    "desk": desk.RENDERERS,
    "tasks": tasks.RENDERERS,
    "events": events.RENDERERS,
    "warranty": warranty.RENDERERS,
    "operations": operations.RENDERERS,
    "equipment": equipment.RENDERERS,
}


def _gather(areas: Mapping[str, Mapping[str, RenderFn]]) -> dict[str, RenderFn]:
    table: dict[str, RenderFn] = {}
    for area, renderers in areas.items():
        for key, render in renderers.items():
            if key in table:
                raise ValueError(f"notice key {key!r} has a second renderer in {area}")
            table[key] = render
    return table


# Notice key -> its render function; keys not in here are rendered from the catalog alone.
RENDERERS: Mapping[str, RenderFn] = _gather(AREAS)


class Renderer:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.parts = Parts(settings, clock)

    def render(self, notice: Notice, lang: str) -> list[Call]:
        """The Bot API calls that say this notice to its recipient."""
        special = RENDERERS.get(notice.key)
        if special is not None:
            return fit(special(self.parts, lang, notice))
        return fit([message(notice, self.catalog_text(notice, lang))])

    @staticmethod
    def keeps(notice: Notice) -> tuple[str, Keep] | None:
        """The purpose of the chat's one message this notice keeps up to date, and how; None
        for a message of its own."""
        if notice.keep:
            return notice.purpose, notice.keep
        return work.kept(notice)

    def catalog_text(self, notice: Notice, lang: str) -> str:
        """The notice's catalog text with the ticket's facts and the plain parameters."""
        t = notice.ticket
        if t is None:
            return text(lang, notice.key, **notice.params.plain())
        facts = self.parts.ticket_params(lang, t)
        return text(lang, notice.key, id=t.id, **facts, **notice.params.plain())
