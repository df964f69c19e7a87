"""The auditor's export (审计导出) in the reader's language: the workbook's sheets (tickets with
their deadlines, pauses, timeline) with headers from the catalog, and the document that
carries it. The operator's command line makes the same workbook through `workbook_maker`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from bot.documents.export import Sheet, Value, export_xlsx
from bot.domain.export import ExportBook, ExportedTicket
from bot.domain.reports import Deadline
from bot.services.export import ExportFile, WorkbookMaker
from bot.services.notices import Notice
from bot.telegram.catalog import pick_language, text
from bot.telegram.render.parts import Parts, RenderFn, billing_name, charge_lines
from bot.telegram.render.widgets import Call

# The ticket sheet's columns before the deadlines; times are in TIME_COLUMNS.
TICKET_COLUMNS = (
    "number", "project", "level", "level_changes", "status", "channel", "reported",
    "accepted", "on_way", "arrived", "resolved", "closed", "unit", "contact", "phone", "site",
    "coordinates", "model", "serial", "symptom", "cause", "resolution", "blocking_reason",
    "owner", "engineers", "reopen_count", "closed_unconfirmed", "arrival_distance",
    "survey_stars", "survey_comment", "billing", "charges", "charges_total", "ticket_kind",
)  # fmt: skip
TIME_COLUMNS = ("reported", "accepted", "on_way", "arrived", "resolved", "closed")
WIDE_COLUMNS = (
    "level_changes", "site", "symptom", "resolution", "survey_comment", "charges",
)  # fmt: skip
# Each clock's columns, after the ticket's; "due" and "actual" are times.
CLOCK_COLUMNS = ("target", "due", "actual", "result", "missed_by", "paused")
PAUSE_COLUMNS = (
    "ticket", "kind", "reason", "state", "proposed_by", "proposed_at", "customer_answer",
    "customer_at", "approved_by", "approved_at", "from", "to", "paused_minutes",
)  # fmt: skip
PAUSE_TIMES = ("proposed_at", "customer_at", "approved_at", "from", "to")
TIMELINE_COLUMNS = ("ticket", "at", "who", "event", "detail")
_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    """Catalog HTML as the plain text a cell holds (tags dropped, what people typed kept)."""
    return html.unescape(_TAG.sub("", markup))


class _Book:
    """One export in one language: the cells of each sheet."""

    def __init__(self, p: Parts, lang: str, book: ExportBook) -> None:
        self.p = p
        self.lang = lang
        self.book = book
        self.tz = ZoneInfo(book.timezone)
        self.yes, self.no = text(lang, "export.yes"), text(lang, "export.no")

    def t(self, key: str, **params: object) -> str:
        return _plain(text(self.lang, key, **params))

    def local(self, at: datetime | None) -> datetime | None:
        """An instant as the customer's wall-clock time (naive: Excel has no zones; the header
        names the zone)."""
        return None if at is None else at.astimezone(self.tz).replace(tzinfo=None)

    def header(self, key: str, times: Sequence[str]) -> str:
        label = self.t(f"export.col.{key}")
        return self.t("export.col.in_zone", label=label, tz=self.book.timezone) if (
            key in times
        ) else label

    # ------------------------------------------------------------------ tickets
    def ticket_sheet(self) -> Sheet:
        p, lang = self.p, self.lang
        headers = [self.header(k, TIME_COLUMNS) for k in TICKET_COLUMNS]
        times = [TICKET_COLUMNS.index(k) for k in TIME_COLUMNS]
        for spec in self.book.clocks:
            name = p.clock_name(lang, spec)
            for k in CLOCK_COLUMNS:
                label = self.t(f"export.col.clock_{k}", clock=name)
                if k in ("due", "actual"):
                    times.append(len(headers))
                    label = self.t("export.col.in_zone", label=label, tz=self.book.timezone)
                headers.append(label)
        wide = [TICKET_COLUMNS.index(k) for k in WIDE_COLUMNS]
        return Sheet(self.t("export.sheet.tickets"), headers, self.ticket_rows(), times, wide)

    def ticket_rows(self) -> Iterator[list[Value]]:
        for x in self.book.tickets:
            yield self.ticket_row(x) + self.deadline_cells(x)

    def ticket_row(self, x: ExportedTicket) -> list[Value]:
        p, lang, t = self.p, self.lang, x.ticket
        regrades = [
            self.t("export.regrade", old=e.detail.get("old", ""), new=e.detail.get("new", ""),
                   at=f"{self.local(e.at):%Y-%m-%d %H:%M}")
            for e in x.timeline
            if e.kind == "regraded"
        ]  # fmt: skip
        coordinates = (
            f"{t.latitude:.6f}, {t.longitude:.6f}"
            if t.latitude is not None and t.longitude is not None
            else ""
        )
        survey = x.survey
        charges = charge_lines(lang, x.charges) if x.charges is not None else []
        distance = round(t.arrival_distance_m) if t.arrival_distance_m is not None else None
        return [
            t.id,
            self.book.project_name,
            "" if t.is_request else p.level(lang, t.level),  # a request has no level
            "\n".join(regrades),
            p.status(lang, t.status),
            self._channel(t.channel),
            self.local(t.reported_at),
            self.local(t.accepted_at),
            self.local(t.on_way_at),
            self.local(t.on_site_at),
            self.local(t.resolved_at),
            self.local(t.closed_at),
            t.contact_unit,
            t.contact_name,
            t.contact_phone,
            t.site,
            coordinates,
            t.model,
            t.serial,
            t.symptom,
            p.cause(lang, t.cause) if t.cause else "",
            t.resolution,
            p.cause(lang, t.blocking_reason) if t.blocking_reason else "",
            p.staff_name(t.owner_key) if t.owner_key else "",
            ", ".join(p.staff_name(k) for k in x.engineers),
            t.reopen_count,
            self.yes if t.closed_unconfirmed else self.no,
            distance,
            survey.stars if survey else None,
            (survey.comment or "") if survey else "",
            billing_name(lang, t.billing),
            "\n".join(f"{_plain(item)}: {amount}" for item, amount in charges),
            float(x.charges.total) if x.charges is not None else None,
            p.kind(lang, t.kind),
        ]

    def _channel(self, channel: str) -> str:
        try:
            return self.t(f"export.channel.{channel}")
        except KeyError:
            return channel

    def deadline_cells(self, x: ExportedTicket) -> list[Value]:
        by_name = {d.spec.name: d for d in x.deadlines}
        cells: list[Value] = []
        for spec in self.book.clocks:
            d = by_name.get(spec.name)
            cells += [None] * len(CLOCK_COLUMNS) if d is None else self._deadline(d)
        return cells

    def _deadline(self, d: Deadline) -> list[Value]:
        if d.target is None:
            result = self.t("export.not_promised")
        elif d.met is None:
            result = self.t("export.running")
        else:
            result = self.t("export.met" if d.met else "export.missed")
        return [
            self.p.target_text(self.lang, d.target) if d.target is not None else "",
            self.local(d.due_at),
            self.local(d.done_at),
            result,
            _minutes(d.over_seconds) if d.met is False else None,
            _minutes(d.paused_seconds),
        ]

    # ------------------------------------------------------------------ pauses, timeline
    def pause_sheet(self) -> Sheet:
        headers = [self.header(k, PAUSE_TIMES) for k in PAUSE_COLUMNS]
        times = [PAUSE_COLUMNS.index(k) for k in PAUSE_TIMES]
        wide = [PAUSE_COLUMNS.index("reason")]
        return Sheet(self.t("export.sheet.pauses"), headers, self.pause_rows(), times, wide)

    def pause_rows(self) -> Iterator[list[Value]]:
        for x in self.book.tickets:
            for pz in x.pauses:
                lasted = (
                    _minutes((pz.ended_at - pz.started_at).total_seconds())
                    if pz.started_at is not None and pz.ended_at is not None
                    else None
                )
                yield [
                    x.ticket.id,
                    self.t(f"pause.kind.{pz.kind}"),
                    pz.reason,
                    self.t(f"export.pause_state.{pz.state}"),
                    self.p.actor(self.lang, pz.proposed_by),
                    self.local(pz.proposed_at),
                    self._answer(pz.customer_answer),
                    self.local(pz.customer_at),
                    self.p.actor(self.lang, pz.decided_by) if pz.decided_by else "",
                    self.local(pz.decided_at),
                    self.local(pz.started_at),
                    self.local(pz.ended_at),
                    lasted,
                ]

    def _answer(self, answer: str | None) -> str:
        return self.t(f"export.answer.{answer}") if answer else ""

    def timeline_sheet(self) -> Sheet:
        headers = [self.header(k, ("at",)) for k in TIMELINE_COLUMNS]
        wide = [TIMELINE_COLUMNS.index("detail")]
        return Sheet(self.t("export.sheet.timeline"), headers, self.timeline_rows(), [1], wide)

    def timeline_rows(self) -> Iterator[list[Value]]:
        for x in self.book.tickets:
            entries = self.p.timeline_entries(self.lang, list(x.timeline), True, limit=None)
            for e, who, what in entries:
                yield [x.ticket.id, self.local(e.at), who, e.kind, _plain(what)]


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def workbook(p: Parts, lang: str, book: ExportBook) -> bytes:
    """The workbook: tickets (one row each, deadlines as columns), pauses, timeline."""
    b = _Book(p, lang, book)
    return export_xlsx([b.ticket_sheet(), b.pause_sheet(), b.timeline_sheet()])


def workbook_maker(settings: Settings, clock: Clock) -> WorkbookMaker:
    """The export service's workbook maker: the book in its reader's language."""
    parts = Parts(settings, clock)

    def make(book: ExportBook, language: str | None) -> tuple[bytes, str]:
        lang = pick_language(language, settings.default_language)
        return workbook(parts, lang, book), lang

    return make


def export_file(p: Parts, lang: str, n: Notice) -> list[Call]:
    f = n.params_as(ExportFile)
    caption = text(
        lang,
        "export.caption",
        project=f.project,
        first=f"{f.first:%Y-%m-%d}",
        last=f"{f.last:%Y-%m-%d}",
        count=f.count,
        tz=p.settings.timezone,
    )
    payload = {
        "chat_id": n.to,
        # The archived workbook, read (and its SHA-256 checked) by the sender: the outbox row
        # stays small however big the export.
        "document_path": f.path,
        "document_sha256": f.sha256,
        "filename": f.file_name,
        "caption": caption,
        "parse_mode": "HTML",
    }
    return [("sendDocument", payload)]


RENDERERS: dict[str, RenderFn] = {
    "export.file": export_file,
}
