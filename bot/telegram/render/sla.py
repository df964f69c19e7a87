"""The contract's clocks as they run (`sla.*`; the /sla view is in views.py): a deadline near,
opened, missed, escalated, and the customer told that it was missed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config import StaffConfig
from bot.domain.clocks import CUSTOMER_CARE_EVENTS, ClockSpec
from bot.domain.ticket import Ticket
from bot.services.notices import Notice
from bot.services.sla import ClockEscalated, ClockMissed, ClockNews, ClockWarning
from bot.telegram.catalog import Markup, esc, markup, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, message

# A clock stopped by a spare or loaner unit: the workers are told which model to bring.
UNIT_EVENTS = frozenset({"spare_provided", "loaner_provided"})


def expectation(
    lang: str, spec: ClockSpec, ticket_id: int, *, customer: bool = False, model: str = ""
) -> str:
    """What should happen now that the clock has run out, for the workers or the customer.
    The operator's own `expect` text may name the ticket as `{id}` ("/spare {id}"); a spare
    or loaner clock names the ticket's model (from the register or the report)."""
    if customer:
        try:
            return text(lang, f"sla.next.{spec.name}")
        except KeyError:
            return text(lang, "sla.next.default")
    if lang in spec.expect:
        said = esc(spec.expect[lang]).replace("{id}", str(ticket_id))
    else:
        try:
            said = text(lang, f"sla.expect.{spec.name}", id=ticket_id)
        except KeyError:
            said = text(lang, "sla.expect.default")
    if model and UNIT_EVENTS & set(spec.stop):
        said += text(lang, "equipment.bring_model", model=model)
    return said


def _with_phone(lang: str, person: StaffConfig) -> str:
    phone = text(lang, "sla.manage.phone", phone=person.phone) if person.phone else ""
    return esc(person.name) + phone


def manager_options(p: Parts, lang: str, t: Ticket, missed: ClockMissed) -> str:
    """For a manager: who owns the ticket (and their phone), or that nobody does and who is
    on duty; and what a manager can do. A clock whose breach goes to the leads (on_breach =
    "lead") keeps the operator's words for them first. A customer-care clock (the call-back
    after a low rating) names the customer managers who owe it, not the engineer."""
    if missed.spec.start in CUSTOMER_CARE_EVENTS:
        people = Markup("、" if lang == "zh" else ", ").join(
            _with_phone(lang, w) for w in missed.workers
        )
        options = text(lang, "sla.manage.care", people=Markup(people), id=t.id)
    elif t.owner_key:
        try:
            owner = p.settings.staff_by_key(t.owner_key)
            who = _with_phone(lang, owner)
        except KeyError:  # removed from the config since
            who = esc(t.owner_key)
        options = text(lang, "sla.manage.owned", owner=Markup(who), id=t.id)
    else:
        if missed.workers:
            people = Markup("、" if lang == "zh" else ", ").join(
                _with_phone(lang, w) for w in missed.workers
            )
            duty = text(lang, "sla.manage.on_duty", people=Markup(people))
        else:
            duty = text(lang, "sla.manage.no_duty")
        options = text(lang, "sla.manage.nobody", duty=Markup(duty), id=t.id)
    if missed.spec.on_breach == "lead" and lang in missed.spec.expect:
        return f"{expectation(lang, missed.spec, t.id, model=t.model)}\n{options}"
    return options


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
        "level": p.grade(lang, t),
    }


def _missed_key(key: str, missed: ClockMissed) -> str:
    """Missed at its due time: "the deadline has passed", not "missed by 0 minutes"."""
    return f"{key}_now" if missed.over < 60 else key


def warn(p: Parts, lang: str, n: Notice) -> list[Call]:
    params = _params(p, lang, n)
    left = span(n.params_as(ClockWarning).remaining, lang)
    body = text(lang, "sla.warn", left=left, **params)
    return [message(n, body)]


def _what_now(p: Parts, lang: str, n: Notice, news: ClockMissed) -> Markup:
    """The workers are told what to do; a manager what a manager can do."""
    t = n.ticket
    assert t is not None
    if news.manager:
        return Markup(manager_options(p, lang, t, news))
    return Markup(expectation(lang, news.spec, t.id, model=t.model))


def missed(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockMissed)
    body = text(
        lang,
        _missed_key("sla.missed", news),
        over=span(news.over, lang),
        expect=_what_now(p, lang, n, news),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def escalated(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockEscalated)
    body = text(
        lang,
        "sla.escalated",
        over=span(news.over, lang),
        expect=_what_now(p, lang, n, news),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def customer_missed(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockMissed)
    t = n.ticket
    assert t is not None
    body = text(
        lang,
        _missed_key("sla.customer_missed", news),
        over=span(news.over, lang),
        next=Markup(expectation(lang, news.spec, t.id, customer=True)),
        **_params(p, lang, n),
    )
    return [message(n, body)]


def opened(p: Parts, lang: str, n: Notice) -> list[Call]:
    news = n.params_as(ClockNews)
    t = n.ticket
    assert t is not None
    body = text(
        lang,
        "sla.opened",
        expect=Markup(expectation(lang, news.spec, t.id, model=t.model)),
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
