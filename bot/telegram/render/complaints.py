"""Complaints (`complaint.*`): what it is about, the page with Take, the owner's buttons, the
customer's "satisfied?", /complaints, and the ledger (投诉处理台账) as an XLSX file."""

from __future__ import annotations

import base64
from datetime import datetime

from bot.documents.ledger import ledger_xlsx
from bot.domain.complaints import Complaint, ComplaintEntry
from bot.domain.people import User
from bot.services.complaints import (
    AboutChoice,
    ComplaintAboutTicket,
    ComplaintList,
    ComplaintNews,
    LedgerFile,
    LedgerRow,
)
from bot.services.notices import Notice
from bot.telegram.callbacks import ComplaintAboutChoice, ComplaintAction, ComplaintSatisfied
from bot.telegram.catalog import Markup, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, button, clip, keyboard, message

MAX_CONTENT_SHOWN = 1500  # of a complaint's text in a page; the whole text is in the ledger


def ask_about(p: Parts, lang: str, n: Notice) -> list[Call]:
    choice = n.params_as(AboutChoice)
    rows = [
        [button(text(lang, "btn.complaint_ticket", id=tid), ComplaintAboutChoice(tid))]
        for tid in choice.ticket_ids
    ]
    rows.append([button(text(lang, "btn.complaint_other"), ComplaintAboutChoice(0))])
    return [message(n, text(lang, "complaint.ask_about"), keyboard(*rows))]


def ask_content(p: Parts, lang: str, n: Notice) -> list[Call]:
    about = n.params_as(ComplaintAboutTicket)
    if about.ticket_id is None:
        return [message(n, text(lang, "complaint.ask_content"))]
    return [message(n, text(lang, "complaint.ask_content_ticket", id=about.ticket_id))]


def _customer_line(lang: str, user: User | None, customer_id: int) -> str:
    if user is None:
        return str(customer_id)
    name = user.name or user.first_name or str(customer_id)
    extra = " / ".join(v for v in (user.unit, user.phone) if v)
    return f"{name} ({extra})" if extra else name


def _about(lang: str, c: Complaint) -> str:
    if c.ticket_id is None:
        return text(lang, "complaint.about_other")
    return f"#{c.ticket_id}"


def _summary(p: Parts, lang: str, news: ComplaintNews) -> Markup:
    c = news.complaint
    return Markup(
        text(
            lang,
            "complaint.summary",
            number=c.number,
            project=p.project_name(c.project_key),
            customer=_customer_line(lang, news.customer, c.customer_id),
            about=_about(lang, c),
            received=p.when(c.received_at),
            owner=p.staff_name(c.owner_key),
            content=clip(c.content, MAX_CONTENT_SHOWN),
        )
    )


def _clock(lang: str, clock: str) -> str:
    return text(lang, f"complaint.clock.{clock}") if clock else ""


def news(p: Parts, lang: str, n: Notice) -> list[Call]:
    """A complaint's news: the catalog text, the complaint's summary for staff, and the
    buttons of the one who may act."""
    item = n.params_as(ComplaintNews)
    c = item.complaint
    body = text(
        lang,
        n.key,
        number=c.number,
        text=item.text,
        who=item.who,
        clock=_clock(lang, item.clock),
        due=p.when(item.due) if item.due else "",
        summary=_summary(p, lang, item),
        step=item.step,
        over=span(item.over, lang),
    )
    calls = [message(n, body, _buttons(p, lang, n, c))]
    if n.key == "complaint.page":  # the customer's photos follow the page
        calls += [
            ("sendPhoto", {"chat_id": n.to, "photo": file_id, "caption": c.number})
            for file_id in c.photos
        ]
    return calls


def _buttons(p: Parts, lang: str, n: Notice, c: Complaint) -> dict[str, object] | None:
    if n.key == "complaint.page":
        return keyboard([button(text(lang, "btn.complaint_take"), ComplaintAction("tk", c.id))])
    if n.key == "complaint.closed":
        return keyboard([
            button(text(lang, "btn.complaint_satisfied"), ComplaintSatisfied(c.id, True)),
            button(text(lang, "btn.complaint_not_satisfied"), ComplaintSatisfied(c.id, False)),
        ])
    owner = p.settings.find_staff(c.owner_key) if c.owner_key else None
    mine = owner is not None and owner.telegram_id == n.to
    if c.is_open and mine and n.key in OWNER_KEYS:
        return keyboard([
            button(text(lang, "btn.complaint_reply"), ComplaintAction("rp", c.id)),
            button(text(lang, "btn.complaint_note"), ComplaintAction("nt", c.id)),
            button(text(lang, "btn.complaint_close"), ComplaintAction("cl", c.id)),
        ])
    return None


OWNER_KEYS = (
    "complaint.yours", "complaint.reopened", "complaint.warn", "complaint.breach",
    "complaint.escalated",
)  # fmt: skip


def open_list(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(ComplaintList).complaints
    lines = [
        text(
            lang,
            "complaint.list_line",
            number=c.number,
            status=text(lang, f"complaint.status.{c.status}"),
            received=p.when(c.received_at),
            owner=p.staff_name(c.owner_key),
            content=clip(c.content.replace("\n", " "), 60),
        )
        for c in found[:40]
    ]
    body = "\n".join(lines) or text(lang, "list.empty")
    return [message(n, text(lang, "complaint.list", body=Markup(body), count=len(found)))]


# ---------------------------------------------------------------------------- the ledger
LEDGER_COLUMNS = (
    "no", "number", "received", "customer", "unit", "phone", "ticket", "content", "owner",
    "first_response", "response_time", "handling", "result", "satisfied", "closed",
    "escalations",
)
_WIDE = tuple(LEDGER_COLUMNS.index(k) for k in ("content", "handling", "result", "escalations"))


def _local(p: Parts, at: datetime | None) -> str:
    return "" if at is None else at.astimezone(p.settings.tz).strftime("%Y-%m-%d %H:%M")


def _entry_line(p: Parts, lang: str, e: ComplaintEntry) -> str:
    who = p.staff_name(e.actor.removeprefix("staff:")) if e.actor.startswith("staff:") else ""
    label = text(lang, f"ledger.event.{e.kind}")
    said = str(e.detail.get("text") or e.detail.get("result") or "")
    return f"{_local(p, e.at)} {who} {label}: {said}".rstrip(": ").replace("  ", " ")


def ledger_row(p: Parts, lang: str, index: int, row: LedgerRow) -> list[str]:
    """One complaint as the ledger's cells, in LEDGER_COLUMNS order."""
    c, user = row.complaint, row.customer
    handling = [
        _entry_line(p, lang, e)
        for e in row.timeline
        if e.kind in ("taken", "answered", "note", "closed", "not_satisfied", "reopened")
    ]
    escalations = [
        f"{_local(p, e.at)} {_clock(lang, str(e.detail.get('clock', '')))} → "
        + ", ".join(p.staff_name(k) for k in e.detail.get("to", []))
        for e in row.timeline
        if e.kind == "escalated"
    ]
    took = (
        span((c.first_response_at - c.received_at).total_seconds(), lang)
        if c.first_response_at
        else ""
    )
    satisfied = {None: "", True: "ledger.yes", False: "ledger.no"}[c.satisfied]
    return [
        str(index),
        c.number,
        _local(p, c.received_at),
        (user.name or user.first_name) if user else str(c.customer_id),
        user.unit if user else "",
        user.phone if user else "",
        f"#{c.ticket_id}" if c.ticket_id else "",
        c.content,
        p.staff_name(c.owner_key) if c.owner_key else "",
        _local(p, c.first_response_at),
        took,
        "\n".join(handling),
        c.result,
        text(lang, satisfied) if satisfied else "",
        _local(p, c.closed_at),
        "\n".join(escalations),
    ]


def ledger(p: Parts, lang: str, n: Notice) -> list[Call]:
    book = n.params_as(LedgerFile)
    headers = [text(lang, f"ledger.col.{k}") for k in LEDGER_COLUMNS]
    rows = [ledger_row(p, lang, i, r) for i, r in enumerate(book.rows, start=1)]
    title = text(lang, "ledger.title", month=book.month)
    data = ledger_xlsx(title, headers, rows, wide=_WIDE)
    return [
        (
            "sendDocument",
            {
                "chat_id": n.to,
                "document_b64": base64.b64encode(data).decode("ascii"),
                "filename": f"complaints-{book.project.key}-{book.month}.xlsx",
                "caption": text(
                    lang,
                    "ledger.caption",
                    project=book.project.name,
                    month=book.month,
                    count=len(rows),
                ),
                "parse_mode": "HTML",
            },
        )
    ]


NEWS_KEYS = (
    "complaint.received", "complaint.page", "complaint.taken", "complaint.yours",
    "complaint.taken_by", "complaint.answer", "complaint.answered", "complaint.noted",
    "complaint.closed", "complaint.closed_ok", "complaint.thanks", "complaint.reopened",
    "complaint.reopened_customer", "complaint.warn", "complaint.breach", "complaint.escalated",
)

RENDERERS: dict[str, RenderFn] = {
    "complaint.ask_about": ask_about,
    "complaint.ask_content": ask_content,
    "complaint.list": open_list,
    "complaint.ledger": ledger,
    **{key: news for key in NEWS_KEYS},
}
