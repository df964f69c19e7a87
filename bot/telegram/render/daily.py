"""The daily maintenance report (`daily.*`): the report in chat with its Sign / Add work
buttons, the signed PDF, and the typesetter that turns a signed part into a `ReportPage` in
the reader's words (catalog `ddoc.*` labels, cause names from the config)."""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.clock import Clock
from bot.config import LEVELS, Settings
from bot.documents import daily_report
from bot.documents.daily_report import Fields, ReportPage, Table
from bot.domain.daily import DailyContent, DailyLine, SignedPart, file_name
from bot.services.daily import DailyAsk, DailyFile, DailySigned, DailyTypesetter, DailyView
from bot.services.notices import Notice
from bot.telegram.callbacks import DailyAddWork, DailySign
from bot.telegram.catalog import markup, text
from bot.telegram.render.parts import DocumentTypesetter, Parts, RenderFn, span
from bot.telegram.render.widgets import Call, button, clip, keyboard, message

_TAG = re.compile(r"<[^>]+>")


def _t(lang: str, key: str, **params: object) -> str:
    """A catalog text as plain text for the document (which escapes it itself)."""
    return html.unescape(_TAG.sub("", text(lang, key, **params)))


# In chat a line keeps the site and symptom short; the PDF has them in full.
CHAT_SITE = 40
CHAT_SYMPTOM = 60
CHAT_WORK = 300


def _when(settings: Settings, at: datetime) -> str:
    return at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")


def _cause(p: Parts, lang: str, line: DailyLine) -> str:
    return p.cause(lang, line.cause) if line.cause else "—"


def _time(lang: str, line: DailyLine) -> str:
    if line.on_site_seconds is not None:
        return span(line.on_site_seconds, lang)
    if line.remote:
        return text(lang, "daily.remote")
    return "—"


def _chat_lines(p: Parts, lang: str, c: DailyContent) -> list[str]:
    rows = []
    if c.lines:
        rows.append(text(lang, "daily.tickets"))
        for x in c.lines:
            rows.append(
                text(
                    lang,
                    "daily.line",
                    id=x.ticket_id,
                    site=clip(x.site, CHAT_SITE) or "—",
                    symptom=clip(x.symptom, CHAT_SYMPTOM) or "—",
                    cause=_cause(p, lang, x),
                    solved=text(lang, "daily.solved" if x.solved else "daily.unsolved"),
                    time=_time(lang, x),
                )
            )
    else:
        rows.append(text(lang, "daily.no_tickets"))
    if c.work:
        rows.append(text(lang, "daily.work"))
        for w in c.work:
            at = w.at.astimezone(p.settings.tz).strftime("%H:%M")
            rows.append(text(lang, "daily.work_line", at=at, text=clip(w.text, CHAT_WORK)))
    return rows


def view(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The day's report: signed parts with their signatures, then the draft with its buttons."""
    v = n.params_as(DailyView)
    rows: list[str] = []
    if v.intro:
        rows.append(text(lang, f"daily.intro.{v.intro}", day=v.day))
    rows.append(
        text(lang, "daily.title", day=v.day, name=v.staff_name, project=p.project_name(
            v.project_key))
    )
    for s in v.signed:
        part = s.content.part
        rows.append("")
        rows.append(text(lang, "daily.part") if part == 1 else text(
            lang, "daily.addendum", n=part - 1))
        rows.extend(_chat_lines(p, lang, s.content))
        rows.append(
            text(lang, "daily.signed_by", who=s.signature.by_name, id=s.signature.by_id,
                 at=_when(p.settings, s.signature.at), sha=s.sha256[:16] + "…")
        )
    d = v.draft
    if d is not None:
        rows.append("")
        rows.append(text(lang, "daily.draft_part") if d.part == 1 else text(
            lang, "daily.draft_addendum", n=d.part - 1))
        rows.extend(_chat_lines(p, lang, d))
    elif not v.signed:
        rows.append(text(lang, "daily.empty"))
    else:
        rows.append("")
        rows.append(text(lang, "daily.all_signed"))
    markup_ = None
    if v.buttons and p.settings.find_project(v.project_key) is not None:
        day = datetime.fromisoformat(v.day).date()
        sign = (
            [button(text(lang, "btn.daily_sign"), DailySign(v.project_key, day, d.part, d.digest))]
            if d is not None
            else []
        )
        add = [button(text(lang, "btn.daily_add"), DailyAddWork(v.project_key, day))]
        markup_ = keyboard(sign, add)
    return [message(n, "\n".join(rows), markup_)]


def ask_work(p: Parts, lang: str, n: Notice) -> list[Call]:
    a = n.params_as(DailyAsk)
    return [message(n, text(lang, "daily.ask_work", day=a.day, project=p.project_name(
        a.project)))]


def _part_text(lang: str, part: int) -> str:
    return "" if part == 1 else text(lang, "daily.part_text", n=part - 1)


def signed(p: Parts, lang: str, n: Notice) -> list[Call]:
    s = n.params_as(DailySigned)
    body = text(lang, "daily.signed", project=s.project, day=s.day, sha256=s.sha256,
                part_text=markup(lang, "daily.part_text", n=s.part - 1) if s.part > 1 else "")
    return [message(n, body)]


def document(p: Parts, lang: str, n: Notice) -> list[Call]:
    """A signed part as a PDF document."""
    f = n.params_as(DailyFile)
    day = datetime.fromisoformat(f.day).date()
    caption = text(lang, "daily.caption", name=f.staff_name, day=f.day,
                   part_text=_part_text(lang, f.part))
    payload: dict[str, object] = {
        "chat_id": n.to,
        "document_path": f.path,
        "document_sha256": f.sha256,
        "filename": file_name(f.staff_key, day, f.part),
        "caption": caption,
        "parse_mode": "HTML",
    }
    return [("sendDocument", payload)]


RENDERERS: dict[str, RenderFn] = {
    "daily.view": view,
    "daily.ask_work": ask_work,
    "daily.signed": signed,
    "daily.document": document,
}


# ------------------------------------------------------------------ the PDF
def page_of(p: Parts, lang: str, part: SignedPart, staff_name: str) -> ReportPage:
    """A signed part in the reader's words."""
    c = part.content
    project = p.project_name(c.project_key)
    day = c.day.isoformat()
    solved = sum(1 for x in c.lines if x.solved)
    head = Fields(
        _t(lang, "ddoc.head"),
        [
            (_t(lang, "ddoc.date"), day),
            (_t(lang, "ddoc.engineer"), staff_name),
            (_t(lang, "ddoc.project"), project),
            (_t(lang, "ddoc.count"), f"{len(c.lines)} / {solved}"),
        ],
    )
    yes, no = _t(lang, "ddoc.yes"), _t(lang, "ddoc.no")
    tickets = Table(
        _t(lang, "ddoc.tickets"),
        [_t(lang, f"ddoc.col.{k}") for k in ("ticket", "site", "symptom", "cause", "solved",
                                              "time")],
        [
            [
                f"#{x.ticket_id} [{x.level if x.level in LEVELS else p.kind(lang, x.level)}]",
                x.site or "—",
                x.symptom or "—",
                _cause(p, lang, x),
                yes if x.solved else no,
                _time(lang, x),
            ]
            for x in c.lines
        ],
    )
    work = Table(
        _t(lang, "ddoc.work"),
        [_t(lang, "ddoc.col.at"), _t(lang, "ddoc.col.work")],
        [[_when(p.settings, w.at), w.text] for w in c.work],
    )
    s = part.signature
    title = _t(lang, "ddoc.title") if c.part == 1 else _t(lang, "ddoc.addendum_title",
                                                            n=c.part - 1)
    return ReportPage(
        lang="zh-CN" if lang == "zh" else lang,
        title=title,
        subtitle=_t(lang, "ddoc.subtitle", project=project, day=day, name=staff_name),
        blocks=[head, tickets, work],
        sign_off=_t(lang, "ddoc.sign", who=s.by_name, id=s.by_id,
                    at=_when(p.settings, s.at), sha=part.sha256),
        footer=_t(lang, "ddoc.footer"),
    )


class _Typesetter(DocumentTypesetter):
    def __call__(self, part: SignedPart, staff_name: str, lang: str) -> bytes:
        return daily_report.pdf(page_of(self.parts, lang, part, staff_name))


def daily_typesetter(settings: Settings, clock: Clock) -> DailyTypesetter:
    """The daily service's typesetter: a signed part's PDF in a reader's language."""
    return _Typesetter(settings, clock)
