"""What users look up (`list.*`, `ticket.status`, `sla.view`): ticket lists, one ticket's
timeline, and its contract clocks."""

from __future__ import annotations

import math

from bot.domain.clocks import Target
from bot.services.notices import Notice
from bot.services.sla import ClockView
from bot.services.views import ClocksView, TicketHistory, TicketList
from bot.telegram.catalog import Markup, esc, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, message


def _ticket_list(key: str) -> RenderFn:
    """/my, /queue, /mine."""

    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        return [message(n, p.ticket_list(lang, key, n.params_as(TicketList).tickets))]

    return render


def ticket_status(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    history = n.params_as(TicketHistory)
    for_staff = history.for_staff
    lines = p.timeline(lang, history.events, for_staff)[-30:]
    body = text(
        lang,
        "ticket.status",
        id=t.id,
        status=p.status(lang, t.status),
        body=p.ticket_body(lang, t, for_staff=for_staff),
        timeline=Markup("\n".join(lines)),
    )
    return [message(n, body)]


def _missed(lang: str, v: ClockView) -> str:
    """Missed (stopped) or overdue (running); at the due instant itself without "0 min"."""
    over = -v.remaining
    if over >= 60:
        return text(lang, "sla.missed_short", over=span(over, lang))
    return text(lang, "sla.missed_bare" if v.met is False else "sla.overdue")


def _left(p: Parts, lang: str, v: ClockView, day_seconds: float) -> str:
    """What is left, in the clock's own units: working time of a working-hours clock is not
    wall time (24 working hours are three 8-hour working days, not one day)."""
    if not v.state.business:
        return span(v.remaining, lang)
    if day_seconds and v.remaining >= day_seconds:
        return p.target_text(lang, Target(math.ceil(v.remaining / day_seconds * 10) / 10, "wd"))
    return p.target_text(lang, Target(math.ceil(v.remaining / 360) / 10, "bh"))


def clock_line(p: Parts, lang: str, v: ClockView, day_seconds: float = 0.0) -> str:
    name = esc(p.clock_name(lang, v.spec))
    amount = v.state.target_seconds / 3600 if v.state.business else v.state.target_seconds
    unit = "bh" if v.state.business else "s"
    # A working-day target ("3wd") reads in working days, not in business hours.
    wd = [x for x in v.spec.targets.values() if x.unit == "wd"]
    if (
        v.state.business
        and day_seconds
        and any(x.amount * day_seconds == v.state.target_seconds for x in wd)
    ):
        amount, unit = v.state.target_seconds / day_seconds, "wd"
    target = esc(p.target_text(lang, Target(amount, unit)))
    if v.met is True:
        verdict = text(lang, "sla.met")
    elif v.met is False or v.remaining < 0 or (v.due_at is not None and v.remaining <= 0):
        verdict = _missed(lang, v)
    elif v.due_at is None:
        verdict = text(lang, "sla.paused_short")
    else:
        left = _left(p, lang, v, day_seconds)
        verdict = text(lang, "sla.left", left=left, due=p.when(v.due_at))
    paused = text(lang, "sla.paused_for", d=span(v.paused, lang)) if v.paused >= 60 else ""
    return text(
        lang,
        "sla.line",
        name=Markup(name),
        target=Markup(target),
        elapsed=span(v.elapsed, lang),
        verdict=Markup(verdict),
        paused=Markup(paused),
    )


def sla_view(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    clocks = n.params_as(ClocksView)
    retired = p.settings.find_project(t.project_key) is None  # its clocks are not kept
    calendar = (
        p.settings.calendar("24x7") if retired else p.settings.sla_policy(t.project_key).calendar
    )
    day = calendar.day_seconds
    lines = [clock_line(p, lang, v, day) for v in clocks.views] or [text(lang, "list.empty")]
    head = p.pause_line(lang, clocks.pause)
    if t.reopen_count:
        reopened = text(lang, "sla.reopened", n=t.reopen_count)
        head = f"{head}\n{reopened}" if head else reopened
    body = text(
        lang,
        "sla.view",
        id=t.id,
        level=p.grade(lang, t),
        pause=Markup(head),
        lines=Markup("\n".join(lines)),
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "list.my": _ticket_list("list.my"),
    "list.queue": _ticket_list("list.queue"),
    "list.mine": _ticket_list("list.mine"),
    "ticket.status": ticket_status,
    "sla.view": sla_view,
}
