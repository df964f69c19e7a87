"""An engineer's work on a ticket: the page, the ticket card and its buttons, progress told to
the customer, resolving, hand-over, regrading, and recorded events (`ticket.*`, `work.*`,
`customer.*` progress)."""

from __future__ import annotations

from typing import Any

from bot.domain.ticket import Status, Ticket
from bot.services.handover import Candidates, HandoverOwner, HandoverTarget
from bot.services.intake import DetailsAdded
from bot.services.notices import Keep, Notice
from bot.services.tracking import CardState
from bot.services.work import EngineerNamed, EventRecorded, OnTheWay, Regraded
from bot.telegram.callbacks import (
    CauseChoice,
    CustomerVerdict,
    HandoverAnswer,
    HandoverTo,
    TicketAction,
)
from bot.telegram.catalog import Markup, text
from bot.telegram.render.parts import Parts, RenderFn, billing_line
from bot.telegram.render.widgets import Call, button, clip, keyboard, message


def card_keyboard(p: Parts, lang: str, t: Ticket, to: int) -> dict[str, Any] | None:
    """The owner's buttons for the next steps; a card in anyone else's chat (a former owner's)
    has none."""
    if t.status not in (Status.ACCEPTED, Status.ON_WAY, Status.ON_SITE):
        return None
    owner = p.settings.staff_by_telegram_id(to)
    if owner is None or owner.key != t.owner_key:
        return None
    tid = t.id
    first: list[dict[str, str]] = []
    if t.status == Status.ACCEPTED:
        first.append(button(text(lang, "btn.on_way"), TicketAction("onw", tid)))
    if t.status in (Status.ACCEPTED, Status.ON_WAY):
        first.append(button(text(lang, "btn.arrived"), TicketAction("arr", tid)))
    first.append(button(text(lang, "btn.resolved"), TicketAction("res", tid)))
    second = [
        button(text(lang, "btn.handover"), TicketAction("hov", tid)),
        button(text(lang, "btn.note"), TicketAction("note", tid)),
    ]
    blocked = (
        text(lang, "btn.blocked_now", reason=p.cause(lang, t.blocking_reason))
        if t.blocking_reason
        else text(lang, "btn.blocked")
    )
    return keyboard(first, second, [button(clip(blocked, 60), TicketAction("blk", tid))])


def card_extra(p: Parts, lang: str, n: Notice) -> str:
    """The nearest deadline and any pause, under the ticket card."""
    lines = []
    shown = n.params_as(CardState)
    nearest = shown.nearest
    if nearest is not None and nearest.due_at is not None:
        overdue = nearest.due_at <= p.clock.now()
        lines.append(
            text(
                lang,
                "sla.nearest_overdue" if overdue else "sla.nearest",
                clock=p.clock_name(lang, nearest.spec),
                due=p.when(nearest.due_at),
            )
        )
    pause_text = p.pause_line(lang, shown.pause)
    if pause_text:
        lines.append(pause_text)
    service = billing_line(p, lang, n.ticket) if n.ticket is not None else ""
    if service:
        lines.append(service)
    return "\n".join(lines)


def extras(chat_id: int, t: Ticket) -> list[Call]:
    """The ticket's location and photos, sent after its page."""
    calls: list[Call] = []
    if t.latitude is not None and t.longitude is not None:
        calls.append(
            (
                "sendLocation",
                {"chat_id": chat_id, "latitude": t.latitude, "longitude": t.longitude},
            )
        )
    for file_id in t.photos:
        calls.append(("sendPhoto", {"chat_id": chat_id, "photo": file_id, "caption": f"#{t.id}"}))
    return calls


# ------------------------------------------------------------ the ticket's messages
def receipt(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    if t.status == Status.NEW and not t.symptom:
        body = text(lang, "ticket.receipt_early", id=t.id)
    else:
        facts = p.ticket_body(lang, t, for_staff=False)
        body = text(lang, "ticket.receipt", id=t.id, facts=facts)
    # Every receipt says how to reach the hotline and the customer manager.
    if contact := p.contact_line(lang, t.project_key):
        body += "\n" + contact
    return [message(n, body)]


def page(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    project = p.project_name(t.project_key)
    kb = keyboard([button(text(lang, "btn.accept"), TicketAction("acc", t.id))])
    key = "ticket.page_request" if t.is_request else "ticket.page"
    body = text(lang, key, id=t.id, project=project, body=p.ticket_body(lang, t))
    return [message(n, body, kb), *extras(n.to, t)]


def page_chain(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    project = p.project_name(t.project_key)
    body = text(lang, "ticket.page_chain", id=t.id, project=project, body=p.ticket_body(lang, t))
    return [message(n, body)]


def page_taken(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    body = text(
        lang,
        "ticket.page_taken",
        id=t.id,
        owner=p.staff_name(t.owner_key),
        body=p.ticket_body(lang, t),
    )
    return [message(n, body)]


def card(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    body = text(
        lang,
        "ticket.card",
        id=t.id,
        status=p.status(lang, t.status),
        body=p.ticket_body(lang, t),
        extra=Markup(card_extra(p, lang, n)),
    )
    return [message(n, body, card_keyboard(p, lang, t, n.to))]


def kept(n: Notice) -> tuple[str, Keep] | None:
    """Details of a ticket nobody has accepted yet are edited into its page (one message, the
    Accept button kept) instead of arriving as messages of their own."""
    if n.key == "ticket.details_added" and n.ticket is not None and n.ticket.status == Status.NEW:
        return "page", "edit"
    return None


def details_added(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    field = n.params_as(DetailsAdded).field
    if t.status == Status.NEW:
        calls = _page_updated(p, lang, n, text(lang, f"field.{field}"))
    else:
        body = text(
            lang,
            "ticket.details_added",
            id=t.id,
            field=text(lang, f"field.{field}"),
            body=p.ticket_body(lang, t),
        )
        calls = [message(n, body)]
    if field == "photos":
        calls.extend(c for c in extras(n.to, t) if c[0] == "sendPhoto")
    if field == "site":
        calls.extend(c for c in extras(n.to, t) if c[0] == "sendLocation")
    return calls


def _page_updated(p: Parts, lang: str, n: Notice, field: str) -> list[Call]:
    """The page as its reader was paged (with Accept for an engineer), with the details so far."""
    t = n.ticket
    assert t is not None
    staff = p.settings.staff_by_telegram_id(n.to)
    engineer = staff is None or staff.has_role("engineer")
    calls = (page if engineer else page_chain)(p, lang, n)
    method, payload = calls[0]
    payload["text"] += "\n" + text(lang, "ticket.page_updated", field=field)
    return [(method, payload)]


# ------------------------------------------------------------ progress told to the customer
def customer_accepted(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    eng = n.params_as(EngineerNamed).engineer
    body = text(lang, "customer.accepted", id=t.id, engineer=eng.name, phone=eng.phone or "—")
    return [message(n, body)]


def customer_on_way(p: Parts, lang: str, n: Notice) -> list[Call]:
    """Never an arrival time that has passed: after the deadline, say it was missed and give
    the engineer's own estimate, if they gave one."""
    t = n.ticket
    assert t is not None
    named = n.params_as(EngineerNamed)
    eta = named.eta if isinstance(named, OnTheWay) else None
    facts = {"id": t.id, "engineer": named.engineer.name}
    # A request has no arrival promise (its arrive_due is the resolve deadline).
    due = None if t.is_request else t.deadlines.arrive_due
    left = t.on_way_at or p.clock.now()
    if due is not None and left >= due:
        body = text(lang, "customer.on_way_late", arrive=p.when(due), **facts)
        if eta is not None:
            body += "\n" + text(lang, "customer.on_way_eta_line", eta=p.when(eta))
        return [message(n, body)]
    if eta is not None:
        return [message(n, text(lang, "customer.on_way_eta", eta=p.when(eta), **facts))]
    if due is None:
        return [message(n, text(lang, "customer.on_way_no_due", **facts))]
    return [message(n, text(lang, "customer.on_way", arrive=p.when(due), **facts))]


def customer_arrived(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    eng = n.params_as(EngineerNamed).engineer
    if t.deadlines.repair_due is None:  # no repair promise (its project left the config)
        return [message(n, text(lang, "customer.arrived_no_due", id=t.id, engineer=eng.name))]
    repair = p.when(t.deadlines.repair_due)
    return [message(n, text(lang, "customer.arrived", id=t.id, engineer=eng.name, repair=repair))]


def customer_resolved(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    kb = keyboard(
        [
            button(text(lang, "btn.fixed"), CustomerVerdict(t.id, True)),
            button(text(lang, "btn.not_fixed"), CustomerVerdict(t.id, False)),
        ]
    )
    body = text(
        lang,
        "customer.resolved",
        id=t.id,
        cause=p.cause(lang, t.cause),
        resolution=t.resolution,
    )
    return [message(n, body, kb)]


def customer_proposal(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    eng = n.params_as(EngineerNamed).engineer
    body = text(lang, "customer.proposal", id=t.id, engineer=eng.name)
    return [message(n, body)]


# ------------------------------------------------------------ regrading
def _regraded(key: str) -> RenderFn:
    """The new level and deadlines, told to the customer or the engineer."""

    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        old = n.params_as(Regraded).old
        body = text(
            lang,
            key,
            id=t.id,
            old=p.level(lang, old),
            level=p.level(lang, t.level),
            deadlines=p.deadline_lines(lang, t),
        )
        return [message(n, body)]

    return render


# ------------------------------------------------------------ resolving, hand-over, events
def ask_cause(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    buttons = [button(c.label(lang), CauseChoice(t.id, c.key)) for c in p.settings.causes]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [message(n, text(lang, "work.ask_cause", id=t.id), keyboard(*rows))]


def ask_handover(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    candidates = n.params_as(Candidates).candidates
    rows = [[button(clip(s.name, 60), HandoverTo(t.id, s.key))] for s in candidates]
    return [message(n, text(lang, "work.ask_handover", id=t.id), keyboard(*rows))]


def handover_offer(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    kb = keyboard(
        [
            button(text(lang, "btn.take_handover"), HandoverAnswer(t.id, True)),
            button(text(lang, "btn.decline_handover"), HandoverAnswer(t.id, False)),
        ]
    )
    body = text(
        lang,
        "work.handover_offer",
        id=t.id,
        owner=n.params_as(HandoverOwner).owner.name,
        body=p.ticket_body(lang, t),
    )
    return [message(n, body, kb)]


def _to_target(key: str) -> RenderFn:
    """A hand-over notice that names its target: sent, accepted, declined."""

    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        target = n.params_as(HandoverTarget).target
        return [message(n, text(lang, key, id=t.id, target=target.name))]

    return render


def event_recorded(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    event = text(lang, f"ev.{n.params_as(EventRecorded).event}")
    return [message(n, text(lang, "work.event_recorded", id=t.id, event=event))]


RENDERERS: dict[str, RenderFn] = {
    "ticket.receipt": receipt,
    "ticket.page": page,
    "ticket.page_chain": page_chain,
    "ticket.page_taken": page_taken,
    "ticket.card": card,
    "ticket.details_added": details_added,
    "customer.accepted": customer_accepted,
    "customer.on_way": customer_on_way,
    "customer.arrived": customer_arrived,
    "customer.resolved": customer_resolved,
    "customer.proposal": customer_proposal,
    "customer.regraded": _regraded("customer.regraded"),
    "work.regraded": _regraded("work.regraded"),
    "work.ask_cause": ask_cause,
    "work.ask_handover": ask_handover,
    "work.handover_offer": handover_offer,
    "work.handover_sent": _to_target("work.handover_sent"),
    "work.handover_accepted": _to_target("work.handover_accepted"),
    "work.handover_declined": _to_target("work.handover_declined"),
    "work.event_recorded": event_recorded,
}
