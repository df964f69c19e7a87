"""The report dialog (`report.*`, `draft.*`): severity questions, the draft's summary and its
confirmation buttons."""

from __future__ import annotations

from typing import Any

from bot.domain.drafts import MAX_SHORT_TEXT, MAX_SITE, MAX_SYMPTOM, ReportDraft
from bot.domain.requests import REQUEST_KINDS
from bot.domain.ticket import Level
from bot.services.intake import LevelFound, ReportForm, RequestPromise, SeverityQuestion
from bot.services.notices import Notice
from bot.telegram.callbacks import ReportButton, SeverityAnswer
from bot.telegram.catalog import Markup, esc, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, clip, keyboard, message


def yes_no(lang: str, question: str) -> dict[str, Any]:
    return keyboard(
        [
            button(text(lang, "btn.yes"), SeverityAnswer(question, True)),
            button(text(lang, "btn.no"), SeverityAnswer(question, False)),
        ]
    )


def ask_severity(p: Parts, lang: str, n: Notice) -> list[Call]:
    asked = n.params_as(SeverityQuestion)
    q = asked.question
    body = text(lang, f"severity.q.{q}")
    if q == "whole" and not asked.again:
        body = text(lang, "report.intro") + "\n\n" + body  # one message: the chat's pace
    return [message(n, body, yes_no(lang, q))]


def level_found(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(LevelFound)
    grade = found.level
    body = text(
        lang,
        "report.level",
        level=f"{p.level(lang, grade)}（{text(lang, f'level.{grade.value}.meaning')}）"
        if lang == "zh"
        else f"{p.level(lang, grade)} ({text(lang, f'level.{grade.value}.meaning')})",
        respond=p.target_text(lang, found.respond),
        arrive=p.target_text(lang, found.arrive),
        repair=p.target_text(lang, found.repair),
    )
    return [message(n, body)]


def ask_photos(p: Parts, lang: str, n: Notice) -> list[Call]:
    kb = keyboard([button(text(lang, "btn.photos_done"), ReportButton("photos", "done"))])
    return [message(n, text(lang, "report.ask_photos"), kb)]


def photo_added(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(ReportForm).draft
    kb = keyboard([button(text(lang, "btn.photos_done"), ReportButton("photos", "done"))])
    return [message(n, text(lang, "report.photo_added", count=len(d.photos)), kb)]


def ask_model(p: Parts, lang: str, n: Notice) -> list[Call]:
    kb = keyboard([button(text(lang, "btn.skip"), ReportButton("model", "skip"))])
    return [message(n, text(lang, "report.ask_model"), kb)]


def ask_phone(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(ReportForm).draft
    if not d.phone:
        return [message(n, text(lang, "report.ask_phone_empty"))]
    kb = keyboard(
        [
            button(
                clip(text(lang, "btn.keep_phone", phone=d.phone), 60),
                ReportButton("phone", "keep"),
            )
        ]
    )
    return [message(n, text(lang, "report.ask_phone", phone=d.phone), kb)]


def draft_summary(p: Parts, lang: str, d: ReportDraft) -> Markup:
    def row(label_key: str, value: str) -> str:
        return f"<b>{text(lang, label_key)}</b>: {esc(value or text(lang, 'field.none'))}"

    site = clip(d.site, MAX_SITE)
    if d.latitude is not None and d.longitude is not None:
        pin = text(lang, "field.pin")
        site = f"{site} ({pin})" if site else pin
    if d.is_request:  # its kind, what is needed and when; no level, photos or model
        lines = [
            row("field.kind", p.kind(lang, d.ticket_kind)),
            row("field.site", site),
            row("field.need", clip(d.symptom, MAX_SYMPTOM)),
            row("field.preferred", clip(d.preferred, MAX_SHORT_TEXT)),
            row("field.phone", d.phone),
        ]
        return Markup("\n".join(lines))
    lines = [
        row("field.level", p.level(lang, Level(d.level or "C"))),
        row("field.site", site),
        row("field.symptom", clip(d.symptom, MAX_SYMPTOM)),
        row("field.photos", str(len(d.photos))),
        row("field.product_model", clip(d.model, MAX_SHORT_TEXT)),
        row("field.serial", clip(d.serial, MAX_SHORT_TEXT)),
        row("field.phone", d.phone),
    ]
    if d.device:  # from a device's QR label
        lines.insert(1, row("field.device", d.device))
    return Markup("\n".join(lines))


def ask_confirm(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(ReportForm).draft
    kb = keyboard(
        [button(text(lang, "btn.confirm"), ReportButton("confirm", "ok", d.round))],
        [
            button(text(lang, "btn.edit"), ReportButton("confirm", "edit", d.round)),
            button(text(lang, "btn.cancel"), ReportButton("confirm", "cancel", d.round)),
        ],
    )
    summary = draft_summary(p, lang, d)
    key = "request.ask_confirm" if d.is_request else "report.ask_confirm"
    return [message(n, text(lang, key, summary=summary), kb)]


def _label(d: ReportDraft, step: str) -> str:
    """A field's label key; a request's symptom is what is needed."""
    return "field.need" if d.is_request and step == "symptom" else f"field.{step}"


def ask_edit(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(ReportForm).draft
    rows = [
        [button(text(lang, _label(d, step)), ReportButton("confirm", f"edit_{step}", d.round))]
        for step in d.editable
    ]
    return [message(n, text(lang, "report.ask_edit"), keyboard(*rows))]


def ask_request_kind(p: Parts, lang: str, n: Notice) -> list[Call]:
    """/request: which kind of service, one button each."""
    rows = [
        [button(p.kind(lang, kind), ReportButton("request_kind", kind))] for kind in REQUEST_KINDS
    ]
    return [message(n, text(lang, "request.ask_request_kind"), keyboard(*rows))]


def request_promise(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(RequestPromise)
    body = text(
        lang,
        "request.kind",
        kind=p.kind(lang, found.kind),
        respond=p.target_text(lang, found.respond),
        resolve=p.target_text(lang, found.resolve),
    )
    return [message(n, body)]


def ask_preferred(p: Parts, lang: str, n: Notice) -> list[Call]:
    kb = keyboard([button(text(lang, "btn.skip"), ReportButton("preferred", "skip"))])
    return [message(n, text(lang, "request.ask_preferred"), kb)]


def draft_expired(p: Parts, lang: str, n: Notice) -> list[Call]:
    return [message(n, text(lang, "draft.expired"))]


RENDERERS: dict[str, RenderFn] = {
    "report.ask_severity": ask_severity,
    "report.level": level_found,
    "report.ask_photos": ask_photos,
    "report.photo_added": photo_added,
    "report.ask_model": ask_model,
    "report.ask_phone": ask_phone,
    "report.ask_confirm": ask_confirm,
    "report.ask_edit": ask_edit,
    "draft.expired": draft_expired,
    "request.ask_request_kind": ask_request_kind,
    "request.kind": request_promise,
    "request.ask_preferred": ask_preferred,
}
