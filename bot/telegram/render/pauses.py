"""Paused clocks (`pause.*`, `customer.paused`, `customer.resumed`): force majeure awaiting a
manager's approval, waiting for the customer, and the deadlines once the clocks run again."""

from __future__ import annotations

from typing import Any

from bot.services.notices import Notice
from bot.services.pauses import ApprovalAsked, PauseNews, Rejected
from bot.telegram.callbacks import PauseDecision
from bot.telegram.catalog import text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, button, keyboard, message


def _kind_params(lang: str, n: Notice) -> dict[str, Any]:
    t = n.ticket
    assert t is not None
    news = n.params_as(PauseNews)
    return {
        "id": t.id,
        "kind": text(lang, f"pause.kind.{news.kind}"),
        "reason": news.reason,
        "d": span(news.seconds, lang),
    }


def approve(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    asked = n.params_as(ApprovalAsked)
    pid = asked.pause_id
    kb = keyboard(
        [
            button(text(lang, "btn.approve"), PauseDecision(pid, True)),
            button(text(lang, "btn.reject"), PauseDecision(pid, False)),
        ]
    )
    body = text(
        lang,
        "pause.approve",
        id=t.id,
        owner=asked.owner.name,
        reason=asked.reason,
        body=p.ticket_body(lang, t),
    )
    return [message(n, body, kb)]


def started(p: Parts, lang: str, n: Notice) -> list[Call]:
    return [message(n, text(lang, "pause.started", **_kind_params(lang, n)))]


def customer_paused(p: Parts, lang: str, n: Notice) -> list[Call]:
    key = f"customer.paused_{n.params_as(PauseNews).kind}"
    return [message(n, text(lang, key, **_kind_params(lang, n)))]


def _with_deadlines(key: str) -> RenderFn:
    """The pause is over: its length and the ticket's new deadlines."""

    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        assert n.ticket is not None
        deadlines = p.deadline_lines(lang, n.ticket)
        return [message(n, text(lang, key, **_kind_params(lang, n), deadlines=deadlines))]

    return render


def rejected(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    return [message(n, text(lang, "pause.rejected", id=t.id, by=n.params_as(Rejected).by.name))]


RENDERERS: dict[str, RenderFn] = {
    "pause.approve": approve,
    "pause.started": started,
    "pause.ended": _with_deadlines("pause.ended"),
    "pause.rejected": rejected,
    "customer.paused": customer_paused,
    "customer.resumed": _with_deadlines("customer.resumed"),
}
