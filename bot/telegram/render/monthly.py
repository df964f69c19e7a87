"""The monthly summary (`monthly.*`): the headline message, the chart as a photo, the workbook
and the printable PDF, in the reader's language.

`MonthlyPages` is the monthly service's typesetter: it puts the summary in the reader's words
(the catalog's `monthly.*` labels; clock, level and cause names as elsewhere) and hands them
to bot/documents (chart, workbook, PDF). Times in the files are local, "YYYY-MM-DD HH:MM",
and the time zone is named on the Summary sheet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.documents import monthly_report
from bot.documents.monthly_book import Sheet, Value, workbook_xlsx
from bot.documents.monthly_chart import ChartData, chart_png
from bot.documents.service_report import Fields, Table
from bot.domain.equipment import DeviceFaults
from bot.domain.monthly import (
    LEVELS,
    ClockRow,
    MonthlyDetails,
    MonthlySummary,
    TicketLine,
    percent,
)
from bot.services.monthly import MonthlyFiles, MonthlyRefusal
from bot.services.notices import Notice
from bot.telegram.catalog import Markup, esc, pick_language, text
from bot.telegram.drawing import DrawingProcess
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, message

_TAG = re.compile(r"<[^>]+>")
TICKET_COLUMNS = (
    "ticket", "reported", "level", "channel", "status", "site", "symptom", "owner",
    "accepted", "arrived", "resolved", "closed", "cause", "blocking", "reopens",
    "closed_unconfirmed", "deadlines", "billing",
)  # fmt: skip
TICKET_WIDTHS = (8, 17, 14, 8, 16, 24, 32, 16, 17, 17, 17, 17, 14, 14, 8, 10, 36, 16)
CLOCK_COLUMNS = (
    "clock", "level", "count", "met", "missed", "running", "met_rate", "median", "worst",
    "paused",
)  # fmt: skip
UNRESOLVED_COLUMNS = (
    "reason", "ticket", "reported", "level", "status", "site", "symptom", "owner",
)  # fmt: skip
COMPLAINT_COLUMNS = (
    "number", "received", "status", "ticket", "content", "first_response", "closed", "result",
    "satisfied", "overdue",
)  # fmt: skip
SURVEY_COLUMNS = ("ticket", "answered", "stars", "comment")


def _t(lang: str, key: str, **params: object) -> str:
    """A catalog text as plain text for a document (which escapes it itself)."""
    return html.unescape(_TAG.sub("", text(lang, key, **params)))


class Words:
    """The summary's names in one language, looked up once per distinct value (a month's
    100 000 tickets share a handful of levels, statuses, causes and verdicts)."""

    def __init__(self, settings: Settings, lang: str, project_key: str) -> None:
        self.settings = settings
        self.lang = lang
        self.project_key = project_key
        self.tz = settings.tz
        self._cache: dict[tuple[str, str], str] = {}
        self._times: dict[str, str] = {}
        # The policy's clocks in its order (respond, arrive, repair, …).
        policy = settings.sla_policy(project_key) if settings.find_project(project_key) else None
        self.order = {c.name: i for i, c in enumerate(policy.clocks)} if policy else {}

    def _get(self, kind: str, value: str, make: Callable[[str], str]) -> str:
        key = (kind, value)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = make(value)
        return found

    def time(self, stored: str | None) -> str:
        """A stored UTC time as local "YYYY-MM-DD HH:MM" (cached per minute)."""
        if not stored:
            return ""
        minute = stored[:16]
        found = self._times.get(minute)
        if found is None:
            at = datetime.fromisoformat(minute + ":00+00:00")
            found = self._times[minute] = at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
        return found

    def level(self, level: str) -> str:
        return self._get("level", level, lambda v: _t(self.lang, f"level.{v}")
                         if v in LEVELS else v)

    def status(self, status: str) -> str:
        return self._get("status", status, lambda v: _t(self.lang, f"status.{v}"))

    def channel(self, channel: str) -> str:
        def make(v: str) -> str:
            try:
                return _t(self.lang, f"monthly.channel.{v}")
            except KeyError:
                return v

        return self._get("channel", channel, make)

    def cause(self, key: str) -> str:
        def make(v: str) -> str:
            try:
                return self.settings.cause(v).label(self.lang)
            except KeyError:
                return v

        return self._get("cause", key, make) if key else ""

    def reason(self, key: str) -> str:
        return self.cause(key) if key else _t(self.lang, "monthly.reason.none")

    def clock(self, name: str) -> str:
        def make(v: str) -> str:
            project = self.settings.find_project(self.project_key)
            spec = self.settings.sla_policy(self.project_key).clock(v) if project else None
            if spec is not None and self.lang in spec.labels:
                return spec.labels[self.lang]
            try:
                return _t(self.lang, f"sla.clock.{v}")
            except KeyError:
                return spec.labels.get("en", v) if spec is not None else v

        return self._get("clock", name, make)

    def verdicts(self, raw: str) -> str:
        """"respond=met,arrive=missed" in the reader's words."""

        def make(v: str) -> str:
            pairs = [item.partition("=")[::2] for item in v.split(",")]
            pairs.sort(key=lambda nv: (self.order.get(nv[0], 99), nv[0]))
            return "; ".join(
                f"{self.clock(name)} {_t(self.lang, f'monthly.{verdict}')}"
                for name, verdict in pairs
            )

        return self._get("verdicts", raw, make) if raw else ""

    def staff(self, key: str | None) -> str:
        def make(v: str) -> str:
            try:
                return self.settings.staff_by_key(v).name
            except KeyError:
                return v

        return self._get("staff", key, make) if key else ""

    def billing(self, value: str) -> str:
        """质保期内（免费） / 质保期外（有偿）; "" without a contract."""
        return self._get("billing", value, lambda v: _t(self.lang, f"billing.{v}")) if (
            value
        ) else ""

    def yes_no(self, value: int | None) -> str:
        if value is None:
            return ""
        key = "monthly.yes" if value else "monthly.no"
        return self._get("yes_no", key, lambda k: _t(self.lang, k))

    def span(self, seconds: float | None) -> str:
        return "—" if seconds is None else span(seconds, self.lang)


# ---------------------------------------------------------------------------- the numbers
def summary_rows(w: Words, s: MonthlySummary, project_name: str) -> list[tuple[str, str]]:
    """The Summary sheet's and the PDF's label: value rows."""
    lang = w.lang
    rows = [
        (_t(lang, "monthly.sum.project"), project_name),
        (_t(lang, "monthly.sum.month"), s.period.month),
        (_t(lang, "monthly.sum.timezone"), w.settings.timezone),
        (_t(lang, "monthly.sum.reported"), str(s.reported)),
    ]
    rows += [(f"  {w.level(lv)}", str(s.reported_by_level.get(lv, 0))) for lv in LEVELS]
    rows += [(f"  {w.channel(ch)}", str(n)) for ch, n in sorted(s.reported_by_channel.items())]
    rows += [
        (_t(lang, "monthly.sum.resolved"), str(s.resolved)),
        (_t(lang, "monthly.sum.resolved_of_reported"), str(s.resolved_of_reported)),
        (_t(lang, "monthly.sum.rate"), percent(s.resolution_rate)),
        (_t(lang, "monthly.sum.unresolved"), str(s.unresolved)),
    ]
    rows += [(f"  {w.reason(r)}", str(n)) for r, n in _reasons(s)]
    rows += [
        (_t(lang, "monthly.sum.paused_tickets"), str(s.paused_tickets)),
        (_t(lang, "monthly.sum.paused_time"), w.span(s.paused_seconds)),
        (_t(lang, "monthly.sum.reopened"), str(s.reopened)),
        (_t(lang, "monthly.sum.reopens"), str(s.reopens)),
        (_t(lang, "monthly.sum.closed"), str(s.closed)),
        (_t(lang, "monthly.sum.closed_unconfirmed"), str(s.closed_unconfirmed)),
        (_t(lang, "monthly.sum.survey_count"), str(s.survey_count)),
        (_t(lang, "monthly.sum.survey_average"), _stars(s.survey_average)),
        (_t(lang, "monthly.sum.complaints_received"), str(s.complaints_received)),
        (_t(lang, "monthly.sum.complaints_closed"), str(s.complaints_closed)),
        (_t(lang, "monthly.sum.complaints_overdue"), str(s.complaints_overdue)),
    ]
    # The contract's calendar: inspections and phone visits due in the month, and done.
    if (c := s.contract_tasks) is not None:
        rows += [
            (_t(lang, "monthly.sum.inspections"), f"{c.inspections_done} / {c.inspections_due}"),
            (_t(lang, "monthly.sum.visits"), f"{c.visits_done} / {c.visits_due}"),
        ]
    rows += request_rows(lang, s)
    return rows


def request_rows(lang: str, s: MonthlySummary) -> list[tuple[str, str]]:
    """Service requests apart from the faults: per kind, reported · resolved · the respond
    and resolve clocks met/missed."""
    rows = [(_t(lang, "monthly.sum.requests"), str(sum(r.reported for r in s.requests)))]
    for r in s.requests:
        line = _t(
            lang, "monthly.sum.request_line", reported=r.reported, resolved=r.resolved,
            respond_met=r.respond_met, respond_missed=r.respond_missed,
            resolve_met=r.resolve_met, resolve_missed=r.resolve_missed,
        )  # fmt: skip
        rows.append((f"  {_kind(lang, r.kind)}", line))
    return rows


def _kind(lang: str, kind: str) -> str:
    try:
        return _t(lang, f"request.kind.{kind}")
    except KeyError:
        return kind


def _reasons(s: MonthlySummary) -> list[tuple[str, int]]:
    """Unresolved by reason, most first; "none given" last."""
    return sorted(s.unresolved_by_reason.items(), key=lambda kv: (kv[0] == "", -kv[1], kv[0]))


def _stars(average: float | None) -> str:
    return "—" if average is None else f"{average:.2f}"


def clock_cells(w: Words, r: ClockRow) -> list[Value]:
    return [
        w.clock(r.clock), w.level(r.level) if r.level else "", r.count, r.met, r.missed,
        r.running, percent(r.met_rate), w.span(r.median_seconds), w.span(r.worst_seconds),
        w.span(r.paused_seconds) if r.paused_seconds else "",
    ]  # fmt: skip


def _clock_order(w: Words, rows: Sequence[ClockRow]) -> list[ClockRow]:
    """The policy's clocks in its order (respond, arrive, repair, …), then by level."""
    return sorted(rows, key=lambda r: (w.order.get(r.clock, 99), r.clock, r.level))


# ---------------------------------------------------------------------------- the files
def _ticket_rows(w: Words, lines: Sequence[TicketLine]) -> Iterator[list[Value]]:
    # 100 000 rows share a handful of names: each column's words are looked up in a dict that
    # asks `w` only for a value it has not seen (no Python call per cell).
    level, channel, status = _Memo(w.level), _Memo(w.channel), _Memo(w.status)
    staff, cause, yes_no, verdicts = _Memo(w.staff), _Memo(w.cause), _Memo(w.yes_no), _Memo(
        w.verdicts
    )
    billing, time = _Memo(w.billing), w.time
    for t in lines:
        yield [
            t.id, time(t.reported_at), level[t.level], channel[t.channel],
            status[t.status], t.site, t.symptom, staff[t.owner_key],
            time(t.accepted_at), time(t.on_site_at), time(t.resolved_at),
            time(t.closed_at), cause[t.cause], cause[t.blocking_reason],
            t.reopen_count, yes_no[t.closed_unconfirmed], verdicts[t.verdicts],
            billing[t.billing],
        ]  # fmt: skip


class _Memo(dict[Any, str]):
    """`make(value)` for each distinct value, made when first asked for."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        found = self[value] = self.make(value)
        return found


def _headers(lang: str, columns: Sequence[str]) -> list[str]:
    return [_t(lang, f"monthly.col.{c}") for c in columns]


# The devices with most faults (the equipment register): all in the workbook, the first
# TOP_DEVICES in the PDF; a project without a register has neither the sheet nor the table.
DEVICE_COLUMNS = ("device_code", "device_name", "device_model", "site", "faults",
                  "device_resolved", "repair_mean")
TOP_DEVICES = 10


def device_cells(w: Words, r: DeviceFaults) -> list[Value]:
    return [r.code, r.name, r.model, r.site, r.faults, r.resolved, w.span(r.repair_seconds)]


def workbook(w: Words, s: MonthlySummary, d: MonthlyDetails, project_name: str) -> bytes:
    lang = w.lang
    clocks = _clock_order(w, s.clocks)
    sheets = [
        Sheet(_t(lang, "monthly.sheet.summary"),
              [_t(lang, "monthly.col.item"), _t(lang, "monthly.col.value")],
              summary_rows(w, s, project_name), (40, 24)),
        Sheet(_t(lang, "monthly.sheet.tickets"), _headers(lang, TICKET_COLUMNS),
              _ticket_rows(w, d.tickets), TICKET_WIDTHS, bulk=True),
        Sheet(_t(lang, "monthly.sheet.deadlines"), _headers(lang, CLOCK_COLUMNS),
              [clock_cells(w, r) for r in clocks], (14, 14, 8, 8, 8, 8, 8, 12, 12, 12)),
        Sheet(_t(lang, "monthly.sheet.unresolved"), _headers(lang, UNRESOLVED_COLUMNS),
              [[w.reason(u.blocking_reason), u.id, w.time(u.reported_at), w.level(u.level),
                w.status(u.status), u.site, u.symptom, w.staff(u.owner_key)]
               for u in d.unresolved], (16, 8, 17, 14, 16, 24, 32, 16), bulk=True),
        Sheet(_t(lang, "monthly.sheet.complaints"), _headers(lang, COMPLAINT_COLUMNS),
              [[f"C-{c.id}", w.time(c.received_at), _t(lang, f"monthly.complaint.{c.status}"),
                f"#{c.ticket_id}" if c.ticket_id else "", c.content,
                w.time(c.first_response_at), w.time(c.closed_at), c.result,
                w.yes_no(c.satisfied), w.yes_no(c.overdue)]
               for c in d.complaints], (8, 17, 10, 8, 40, 17, 17, 32, 8, 8), bulk=True),
        Sheet(_t(lang, "monthly.sheet.survey"), _headers(lang, SURVEY_COLUMNS),
              [[s_.ticket_id, w.time(s_.at), s_.stars, s_.comment or ""]
               for s_ in d.surveys], (8, 17, 6, 48), bulk=True),
    ]
    if s.devices:
        sheets.append(Sheet(_t(lang, "monthly.sheet.devices"), _headers(lang, DEVICE_COLUMNS),
                            [device_cells(w, r) for r in s.devices],
                            (12, 20, 14, 24, 8, 8, 12)))
    return workbook_xlsx(sheets)


def chart(w: Words, s: MonthlySummary, project_name: str) -> bytes:
    lang = w.lang
    clocks = [
        (w.clock(r.clock), r.met, r.missed, r.running)
        for r in _clock_order(w, s.clock_totals())
    ]
    data = ChartData(
        title=_t(lang, "monthly.chart.title", project=project_name, month=s.period.month),
        days=[str(day.day) for day, _ in s.per_day],
        per_level={lv: [counts.get(lv, 0) for _, counts in s.per_day] for lv in LEVELS},
        level_names={lv: w.level(lv) for lv in LEVELS},
        reasons=[(w.reason(r), n) for r, n in _reasons(s)],
        clocks=clocks,
        panel_titles=(
            _t(lang, "monthly.chart.per_day", n=s.reported),
            _t(lang, "monthly.chart.unresolved", n=s.unresolved),
            _t(lang, "monthly.chart.deadlines"),
        ),
        legend=(_t(lang, "monthly.met"), _t(lang, "monthly.missed"),
                _t(lang, "monthly.running")),
        nothing=_t(lang, "monthly.chart.nothing"),
    )
    return chart_png(data)


def printable(
    w: Words, s: MonthlySummary, project_name: str, png: bytes, now: datetime
) -> bytes:
    lang = w.lang
    none = _t(lang, "field.none")
    page = monthly_report.SummaryPage(
        lang="zh-CN" if lang == "zh" else lang,
        title=_t(lang, "monthly.pdf.title", month=s.period.month),
        subtitle=_t(lang, "monthly.pdf.subtitle", project=project_name,
                    at=now.astimezone(w.tz).strftime("%Y-%m-%d %H:%M")),
        chart_png=png,
        blocks=[
            Fields(_t(lang, "monthly.pdf.numbers"), summary_rows(w, s, project_name)),
            Table(_t(lang, "monthly.pdf.deadlines"), _headers(lang, CLOCK_COLUMNS),
                  [[str(c) for c in clock_cells(w, r)] for r in _clock_order(w, s.clocks)],
                  empty=none),
            Table(_t(lang, "monthly.pdf.unresolved"),
                  [_t(lang, "monthly.col.reason"), _t(lang, "monthly.col.count")],
                  [[w.reason(r), str(n)] for r, n in _reasons(s)], empty=none),
            *(
                [Table(_t(lang, "monthly.pdf.devices", n=TOP_DEVICES),
                       _headers(lang, DEVICE_COLUMNS),
                       [[str(c) for c in device_cells(w, r)] for r in s.devices[:TOP_DEVICES]])]
                if s.devices else []
            ),
        ],
        footer=_t(lang, "monthly.pdf.footer"),
    )
    return monthly_report.pdf(page)


def pictures_of(
    settings: Settings, summary: MonthlySummary, lang: str, now: datetime
) -> tuple[bytes, bytes]:
    """The chart (PNG) and the printable PDF with it (also run in the drawing process)."""
    project = settings.find_project(summary.period.project_key)
    name = project.name if project is not None else summary.period.project_key
    w = Words(settings, lang, summary.period.project_key)
    png = chart(w, summary, name)
    return png, printable(w, summary, name, png, now)


# A month with this many faults has its chart and PDF drawn in a separate process, beside
# the workbook (bot/telegram/drawing.py); a smaller month draws them in a thread in ~1 s.
LARGE_MONTH = 10_000


class MonthlyPages:
    """The monthly service's typesetter (see bot/services/monthly.py)."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.drawing = DrawingProcess()

    def prepare(self, reported: int) -> None:
        if reported >= LARGE_MONTH:
            self.drawing.start()

    def done(self) -> None:
        self.drawing.release()

    def close(self) -> None:
        self.drawing.close()

    def language(self, telegram_code: str | None) -> str:
        return pick_language(telegram_code, self.settings.default_language)

    def _name(self, summary: MonthlySummary) -> str:
        project = self.settings.find_project(summary.period.project_key)
        return project.name if project is not None else summary.period.project_key

    def pictures(self, summary: MonthlySummary, lang: str) -> tuple[bytes, bytes]:
        now = self.clock.now()
        if summary.reported >= LARGE_MONTH and self.drawing.started:
            return self.drawing.run(pictures_of, self.settings, summary, lang, now)
        return pictures_of(self.settings, summary, lang, now)

    def workbook(self, summary: MonthlySummary, details: MonthlyDetails, lang: str) -> bytes:
        w = Words(self.settings, lang, summary.period.project_key)
        return workbook(w, summary, details, self._name(summary))


# ---------------------------------------------------------------------------- notices
def headline(p: Parts, lang: str, f: MonthlyFiles) -> str:
    """The short chat message: the numbers people look for first."""
    s = f.summary
    w = Words(p.settings, lang, s.period.project_key)
    levels = " · ".join(f"{lv} {s.reported_by_level.get(lv, 0)}" for lv in LEVELS)
    reasons = "，" if lang == "zh" else ", "
    unresolved = reasons.join(f"{w.reason(r)} {n}" for r, n in _reasons(s))
    clocks = " · ".join(
        f"{w.clock(r.clock)} {percent(r.met_rate)}"
        for r in _clock_order(w, s.clock_totals())
    )
    return text(
        lang,
        "monthly.headline_auto" if f.automatic else "monthly.headline",
        project=f.project_name,
        month=s.period.month,
        reported=s.reported,
        levels=levels,
        resolved=s.resolved,
        rate=percent(s.resolution_rate),
        unresolved=s.unresolved,
        reasons=Markup(esc(f"（{unresolved}）" if lang == "zh" else f" ({unresolved})")
                       if unresolved else ""),
        clocks=clocks or "—",
        reopened=s.reopened,
        unconfirmed=s.closed_unconfirmed,
        stars=_stars(s.survey_average),
        surveys=s.survey_count,
        received=s.complaints_received,
        closed=s.complaints_closed,
        overdue=s.complaints_overdue,
    )


def report(p: Parts, lang: str, n: Notice) -> list[Call]:
    f = n.params_as(MonthlyFiles)
    stem = f"monthly-{f.summary.period.project_key}-{f.summary.period.month}"
    caption = {"project": f.project_name, "month": f.summary.period.month}
    # The archived files, read (and their SHA-256 checked) by the sender.
    return [
        message(n, headline(p, lang, f)),
        ("sendPhoto", {
            "chat_id": n.to, "photo_path": f.chart.path, "photo_sha256": f.chart.sha256,
            "filename": f"{stem}.png",
            "caption": text(lang, "monthly.chart_caption", **caption), "parse_mode": "HTML",
        }),
        ("sendDocument", {
            "chat_id": n.to, "document_path": f.workbook.path,
            "document_sha256": f.workbook.sha256, "filename": f"{stem}.xlsx",
            "caption": text(lang, "monthly.book_caption", **caption), "parse_mode": "HTML",
        }),
        ("sendDocument", {
            "chat_id": n.to, "document_path": f.pdf.path, "document_sha256": f.pdf.sha256,
            "filename": f"{stem}.pdf",
            "caption": text(lang, "monthly.pdf_caption", **caption), "parse_mode": "HTML",
        }),
    ]  # fmt: skip


def no_project(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(MonthlyRefusal)
    return [message(n, text(lang, "monthly.no_project", projects=r.projects or "—"))]


RENDERERS: dict[str, RenderFn] = {
    "monthly.report": report,
    "monthly.no_project": no_project,
}
