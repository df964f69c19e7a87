"""The contract's clocks as they run (`sla.*`; the /sla view is in views.py): a deadline near,
opened, missed, escalated, and the customer told that it was missed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.clocks import ClockSpec
from bot.services.notices import Notice
from bot.services.sla import ClockEscalated, ClockMissed, ClockNews, ClockWarning
from bot.telegram.catalog import Markup, esc, markup, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, message


def expectation(lang: str, spec: ClockSpec, *, customer: bool = False) -> str:
    """What should happen now that the clock has run out, for staff or for the customer."""
    if customer:
        try:
            return text(lang, f"sla.next.{spec.name}")
        except KeyError:
            return text(lang, "sla.next.default")
    if lang in spec.expect:
        return esc(spec.expect[lang])
    try:
        return text(lang, f"sla.expect.{spec.name}")
    except KeyError:
        return text(lang, "sla.expect.default")


def _late_note(p: Parts, lang: str, late: datetime | None) -> Markup:
    if late is None:
        return Markup("")
    return markup(lang, "sla.late", due=p.when(late))


def _params(p: Parts, lang: str, n: Notice) -> dict[str, Any]:
    t = n.ticket
    assert t is not None
    news = n.params_as(ClockNews)
    due = news.due
    clock = p.clock_name(lang, news.spec)
    if lang == "zh":
        clock = clock.removesuffix("时限")  # the templates say 时限 themselves
    return {
        "id": t.id,
        "clock": clock,
        "due": p.when(due) if due else "—",
        "late": _late_note(p, lang, news.late),
        "site": t.site or "—",
        "level": p.level(lang, t.level),
    }


def _missed_key(key: str, missed: ClockMissed) -> str:
    """Missed at its due time: "the deadline has passed", not "missed by 0 minutes"."""
    return f"{key}_now" if missed.over < 60 else key


def warn(p: Parts, lang: str, n: Notice) -> list[Call]:
    params = _params(p, lang, n)
    left = span(n.params_as(ClockWarning).remaining, lang)
    body = text(lang, "sla.warn", left=left, **params)
    return [message(n, body)]


def missed(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockMissed)
    body = text(
        lang,
        _missed_key("sla.missed", news),
        over=span(news.over, lang),
        expect=Markup(expectation(lang, news.spec)),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def escalated(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockEscalated)
    t = n.ticket
    assert t is not None
    body = text(
        lang,
        "sla.escalated",
        over=span(news.over, lang),
        owner=p.staff_name(t.owner_key) if t.owner_key else text(lang, "sla.nobody"),
        expect=Markup(expectation(lang, news.spec)),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def customer_missed(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockMissed)
    body = text(
        lang,
        _missed_key("sla.customer_missed", news),
        over=span(news.over, lang),
        next=Markup(expectation(lang, news.spec, customer=True)),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def opened(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockNews)
    body = text(
        lang,
        "sla.opened",
        expect=Markup(expectation(lang, news.spec)),
        **_params(p, lang, n),
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "sla.warn": warn,
    "sla.missed": missed,
    "sla.escalated": escalated,
    "sla.customer_missed": customer_missed,
    "sla.opened": opened,
}
