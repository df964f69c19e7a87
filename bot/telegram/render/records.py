"""Records (`records.*`): the service report as the customer's PDF, and the notices around it.

`typesetter` turns a report's data into a `ReportPage` in the reader's words (the catalog's
`doc.*` labels, clock and cause names as elsewhere) and hands it to bot/documents.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.documents import service_report
from bot.documents.service_report import Fields, Rating, ReportPage, Table
from bot.domain.reports import MILESTONES, Deadline, ServiceReport, file_name
from bot.domain.survey import Survey
from bot.domain.timeline import INTERNAL_EVENTS
from bot.domain.warranty import charges_of, yuan
from bot.services.notices import Notice
from bot.services.records import Layout, ReportFile, Typesetter
from bot.telegram.catalog import pick_language, text
from bot.telegram.render.parts import Parts, RenderFn, billing_name, charge_lines, span
from bot.telegram.render.widgets import Call

# Timeline events that are part of a pause (its causes, who agreed or approved).
PAUSE_EVENTS = (
    "pause_proposed", "wait_proposed", "pause_agreed", "pause_approved", "pause_refused",
    "pause_rejected", "pause_withdrawn", "force_majeure", "paused", "resumed",
)  # fmt: skip
# Promised steps that put a spare, loaner or part on the record.
PROVIDED_EVENTS = ("spare_provided", "loaner_provided", "part_needed", "proposal")
_TAG = re.compile(r"<[^>]+>")


class RecordParts(Parts):
    """A record keeps its dates: every time in full, whatever day it is read."""

    def when(self, at: datetime) -> str:
        return at.astimezone(self.settings.tz).strftime("%Y-%m-%d %H:%M")


def _plain(line: str) -> str:
    """A timeline line (Telegram HTML) as plain text: tags dropped, what users typed kept."""
    return html.unescape(_TAG.sub("", line))


def _t(lang: str, key: str, **params: object) -> str:
    """A catalog text as plain text for the document (which escapes it itself)."""
    return _plain(text(lang, key, **params))


def _deadline_row(p: RecordParts, lang: str, d: Deadline) -> list[str]:
    target = p.target_text(lang, d.target) if d.target is not None else "—"
    if d.met is True:
        result = _t(lang, "doc.met")
    elif d.met is False:
        result = _t(lang, "doc.missed_by", by=span(d.over_seconds, lang))
    else:
        result = _t(lang, "doc.open")
    paused = span(d.paused_seconds, lang) if d.paused_seconds else "—"
    return [
        p.clock_name(lang, d.spec),
        target,
        p.when(d.due_at) if d.due_at else "—",
        p.when(d.done_at) if d.done_at else "—",
        result,
        paused,
    ]


def _milestones(p: RecordParts, lang: str, r: ServiceReport) -> list[list[str]]:
    t = r.ticket
    at = {
        "reported": t.reported_at,
        "accepted": t.accepted_at,
        "on_way": t.on_way_at,
        "arrived": t.on_site_at,
        "resolved": t.resolved_at,
        "confirmed": r.sign_off.at if r.sign_off.state == "confirmed" else None,
        "closed": t.closed_at,
    }
    return [
        [_t(lang, f"doc.step.{step}"), p.when(when)]
        for step in MILESTONES
        if (when := at[step]) is not None
    ]


def _arrival(lang: str, metres: float | None) -> str:
    """Proof of arrival: how far from the site the engineer's shared location was."""
    return "" if metres is None else _t(lang, "doc.arrival_m", m=round(metres))


def _sign_off(p: RecordParts, lang: str, r: ServiceReport) -> str:
    s = r.sign_off
    if s.state == "confirmed" and s.at is not None:
        who = f"{s.by_name} (Telegram id {s.by_id})" if s.by_name else f"Telegram id {s.by_id}"
        return _t(lang, "doc.sign.confirmed", who=who, at=p.when(s.at))
    if s.state == "closed_unconfirmed" and s.at is not None:
        return _t(lang, "doc.sign.closed_unconfirmed", at=p.when(s.at))
    return _t(lang, "doc.sign.pending")


def _survey(p: RecordParts, lang: str, survey: Survey) -> Fields:
    """The satisfaction survey (满意度调查): stars, the comment, when."""
    comment = survey.comment if survey.comment is not None else _t(lang, "doc.survey.no_comment")
    return Fields(
        _t(lang, "doc.survey"),
        [
            (
                _t(lang, "doc.survey.stars"),
                # The catalog's "{stars} (n / 5 stars)": the stars drawn apart, see Rating.
                Rating(survey.stars, _t(lang, "doc.survey.score", stars="", n=survey.stars)),
            ),
            (_t(lang, "doc.survey.comment"), comment),
            (_t(lang, "doc.survey.at"), p.when(survey.at)),
        ],
    )


def _charges(p: RecordParts, lang: str, r: ServiceReport) -> Table:
    """收费明细 / Charges of a paid ticket: the charges that stand (the latest recorded), their
    total, and who recorded them when."""
    charges = charges_of(r.timeline)
    title = _t(lang, "doc.charges")
    header = [_t(lang, "doc.charge.item"), _t(lang, "doc.charge.amount")]
    if charges is None:
        return Table(title, header, [], empty=_t(lang, "doc.charge.none"))
    rows = [[_plain(item), amount] for item, amount in charge_lines(lang, charges)]
    rows.append([_t(lang, "doc.charge.total"), yuan(charges.total)])
    if charges.at is not None:
        who = _plain(p.actor(lang, charges.actor))
        rows.append([_t(lang, "doc.charge.recorded", who=who, at=p.when(charges.at)), ""])
    return Table(title, header, rows)


def page_of(p: RecordParts, lang: str, r: ServiceReport) -> ReportPage:
    """The report in the reader's words."""
    t = r.ticket
    site = t.site
    if t.latitude is not None and t.longitude is not None:
        pin = f"{t.latitude:.5f}, {t.longitude:.5f}"
        site = f"{site} ({pin})" if site else pin
    none = _t(lang, "field.none")
    events = list(r.timeline)
    shown = [e for e in events if e.kind not in INTERNAL_EVENTS]  # notes, reasons: internal
    regrades = [e for e in events if e.kind == "regraded"]
    pauses = [e for e in events if e.kind in PAUSE_EVENTS]
    provided = [e for e in events if e.kind in PROVIDED_EVENTS]
    lines = p.timeline
    customer = Fields(
        _t(lang, "doc.customer"),
        [
            (_t(lang, "doc.unit"), t.contact_unit or none),
            (_t(lang, "doc.contact"), t.contact_name or none),
            (_t(lang, "doc.phone"), t.contact_phone or none),
            (_t(lang, "field.site"), site or none),
            (_t(lang, "doc.channel"), _t(lang, f"export.channel.{t.channel}")),
        ],
    )
    # The device of the register the ticket belongs to (its label, or /device N CODE).
    linked = [e for e in events if e.kind == "device_linked"]
    device = (
        [(_t(lang, "doc.device"), f"{linked[-1].detail.get('device', '')} "
          f"{linked[-1].detail.get('name', '')}".strip())]
        if linked else []
    )
    fault = Fields(
        _t(lang, "doc.fault"),
        [
            *device,
            (_t(lang, "doc.model"), t.model or none),
            (_t(lang, "doc.serial"), t.serial or none),
            (_t(lang, "field.need" if t.is_request else "field.symptom"), t.symptom or none),
            # A service request says its kind (and preferred time) where a fault its level.
            (_t(lang, "field.kind"), p.kind(lang, t.kind))
            if t.is_request
            else (_t(lang, "field.level"), p.level(lang, t.level)),
            *([(_t(lang, "field.preferred"), t.preferred)] if t.preferred else []),
            *(
                []
                if t.is_request  # no level, so never re-graded
                else [
                    (
                        _t(lang, "doc.regrades"),
                        "\n".join(_plain(x) for x in lines(lang, regrades, False)) or none,
                    )
                ]
            ),
        ],
    )
    service = Fields(
        _t(lang, "doc.service"),
        [
            *(  # a service request has no fault cause
                [] if t.is_request
                else [(_t(lang, "field.cause"), p.cause(lang, t.cause) if t.cause else none)]
            ),
            (_t(lang, "field.resolution"), t.resolution or none),
            (
                _t(lang, "doc.provided"),
                "\n".join(_plain(x) for x in lines(lang, provided, False)) or none,
            ),
            (
                _t(lang, "doc.engineers"),
                ", ".join(p.staff_name(k) for k in r.engineers) or none,
            ),
            (_t(lang, "doc.arrival"), _arrival(lang, t.arrival_distance_m) or none),
            *([(_t(lang, "doc.billing"), billing_name(lang, t.billing))] if t.billing else []),
        ],
    )
    blocks: list[Fields | Table] = [
        customer,
        fault,
        Table(
            _t(lang, "doc.milestones"),
            [_t(lang, "doc.step"), _t(lang, "doc.time")],
            _milestones(p, lang, r),
        ),
        Table(
            _t(lang, "doc.deadlines"),
            [
                _t(lang, f"doc.col.{c}")
                for c in ("clock", "target", "due", "done", "result", "paused")
            ],
            [_deadline_row(p, lang, d) for d in r.deadlines],
        ),
        Table(
            _t(lang, "doc.pauses"),
            [_t(lang, "doc.record")],
            [[_plain(x)] for x in lines(lang, pauses, False)],
            empty=none,
        ),
        service,
        *([_charges(p, lang, r)] if t.billing == "paid" else []),
        *([_survey(p, lang, r.survey)] if r.survey is not None else []),
        Table(
            _t(lang, "doc.timeline"),
            [_t(lang, "doc.record")],
            [[_plain(x)] for x in lines(lang, shown, False)],
        ),
    ]
    return ReportPage(
        lang="zh-CN" if lang == "zh" else lang,
        title=_t(lang, "doc.title", id=t.id),
        subtitle=_t(
            lang,
            "doc.subtitle",
            project=p.project_name(t.project_key),
            version=r.version,
            kind=_t(lang, f"doc.kind.{r.kind}"),
            at=p.when(r.issued_at),
        ),
        blocks=blocks,
        sign_off=_sign_off(p, lang, r),
        footer=_t(lang, "doc.footer"),
    )


def layout(settings: Settings, clock: Clock) -> Layout:
    """The records service's layout: the report as HTML in its reader's language (cheap; the
    PDF is typeset from it after the transaction by `service_report.pdf_of_html`)."""
    parts = RecordParts(settings, clock)

    def lay_out(report: ServiceReport, language: str | None) -> tuple[str, str]:
        lang = pick_language(language, settings.default_language)
        return service_report.html_of(page_of(parts, lang, report)), lang

    return lay_out


def typesetter(settings: Settings, clock: Clock) -> Typesetter:
    """Layout and typesetting in one (the benchmark's measure of a whole report)."""
    lay_out = layout(settings, clock)

    def typeset(report: ServiceReport, language: str | None) -> tuple[bytes, str]:
        html, lang = lay_out(report, language)
        return service_report.pdf_of_html(html), lang

    return typeset


# ------------------------------------------------------------------ notices
def report(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The report as a document (the Confirm / Not fixed buttons follow on the resolved
    message, right under it)."""
    t = n.ticket
    assert t is not None
    f = n.params_as(ReportFile)
    payload: dict[str, object] = {
        "chat_id": n.to,
        # The archived file, read (and its SHA-256 checked) by the sender when it sends:
        # the outbox row stays small, and what goes out is what was archived. A version still
        # being typeset is named by its job; the row waits until it is archived.
        **(
            {"document_job": f.job}
            if f.job
            else {"document_path": f.path, "document_sha256": f.sha256}
        ),
        "filename": file_name(t.id),
        "caption": text(
            lang,
            "records.caption",
            id=t.id,
            version=f.version,
            kind=text(lang, f"doc.kind.{f.kind}"),
        ),
        "parse_mode": "HTML",
    }
    return [("sendDocument", payload)]


RENDERERS: dict[str, RenderFn] = {
    "records.report": report,
}
