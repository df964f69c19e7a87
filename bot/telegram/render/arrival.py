"""Proof of arrival (`arrival.*`): Telegram's "share my location" as a reply-keyboard button
(skippable), what was recorded, and the managers shown a distance over the project's radius."""

from __future__ import annotations

from typing import Any

from bot.services.arrival import ArrivalDistance
from bot.services.notices import Notice
from bot.telegram.catalog import text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, message

# The location keyboard goes away with the answer (a reply keyboard stays until removed).
REMOVE_KEYBOARD: dict[str, Any] = {"remove_keyboard": True}


def ask_location(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    kb = {
        "keyboard": [
            [{"text": text(lang, "btn.share_location"), "request_location": True}],
            [{"text": text(lang, "btn.skip_location")}],
        ],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    return [message(n, text(lang, "arrival.ask_location", id=t.id), kb)]


def answered(p: Parts, lang: str, n: Notice) -> list[Call]:
    """Recorded, skipped, or no site coordinates to measure from: the keyboard goes."""
    t = n.ticket
    assert t is not None
    params = n.params.plain()
    return [message(n, text(lang, n.key, id=t.id, **params), REMOVE_KEYBOARD)]


def dismissed(p: Parts, lang: str, n: Notice) -> list[Call]:
    return [message(n, text(lang, n.key), REMOVE_KEYBOARD)]


def far(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    d = n.params_as(ArrivalDistance)
    body = text(
        lang,
        "arrival.far",
        id=t.id,
        engineer=d.engineer,
        metres=d.metres,
        radius=d.radius,
        body=p.ticket_body(lang, t),
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "arrival.ask_location": ask_location,
    "arrival.recorded": answered,
    "arrival.skipped": answered,
    "arrival.no_site": answered,
    "arrival.far": far,
    "arrival.dismissed": dismissed,
}
