"""Paused clocks (`pause.*`, `customer.pause_ask`, `customer.paused`, `customer.resumed`): the
customer's Agree / Refuse (双方协商), the project manager's Approve / Reject, the customer
managers told of waiting, and the deadlines once the clocks run again."""

from __future__ import annotations

from typing import Any

from bot.services.notices import Notice
from bot.services.pauses import ApprovalAsked, ConsentAsked, PauseNews, Rejected
from bot.telegram.callbacks import PauseConsent, PauseDecision
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


def ask_customer(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The proposal as the customer reads it, with Agree / Refuse: nothing is paused yet."""
    t = n.ticket
    assert t is not None
    asked = n.params_as(ConsentAsked)
    kb = keyboard(
        [
            button(text(lang, "btn.pause_agree"), PauseConsent(asked.pause_id, True)),
            button(text(lang, "btn.pause_refuse"), PauseConsent(asked.pause_id, False)),
        ]
    )
    body = text(
        lang,
        f"customer.pause_ask_{asked.kind}",
        id=t.id,
        engineer=asked.owner.name,
        reason=asked.reason,
    )
    return [message(n, body, kb)]


def waiting_asked(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The customer managers learn that the owner asks the customer to confirm waiting."""
    t = n.ticket
    assert t is not None
    asked = n.params_as(ConsentAsked)
    body = text(lang, "pause.waiting_asked", id=t.id, owner=asked.owner.name, reason=asked.reason)
    return [message(n, body)]


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
    "customer.pause_ask": ask_customer,
    "pause.waiting_asked": waiting_asked,
    "pause.started": started,
    "pause.ended": _with_deadlines("pause.ended"),
    "pause.rejected": rejected,
    "customer.paused": customer_paused,
    "customer.resumed": _with_deadlines("customer.resumed"),
}
