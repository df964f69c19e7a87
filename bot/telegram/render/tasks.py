"""The contract's calendar (`tasks.*`): /tasks with its Record buttons, the recording dialog's
questions, the receipt, the inspection report PDF, reminders; and the typesetter that turns a
recorded inspection into a `ReportPage` in the reader's words (catalog `idoc.*` labels)."""

from __future__ import annotations

import html
import re
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.documents import inspection_report
from bot.documents.inspection_report import Fields, ReportPage, Table
from bot.domain.contract import CHECKLIST, ContractTask, TaskResult
from bot.services.notices import Notice
from bot.services.tasks import (
    InspectionTypesetter,
    TaskAsk,
    TaskFile,
    TaskLine,
    TaskRecorded,
    TaskReminder,
    TasksView,
)
from bot.telegram.callbacks import TaskButton
from bot.telegram.catalog import text
from bot.telegram.render.parts import DocumentTypesetter, Parts, RenderFn
from bot.telegram.render.widgets import Call, button, keyboard, message

_TAG = re.compile(r"<[^>]+>")
MAX_LINES = 25  # per section; a message stays far below Telegram's 4096 characters
MAX_BUTTONS = 20


def _t(lang: str, key: str, **params: object) -> str:
    """A catalog text as plain text for the document (which escapes it itself)."""
    return html.unescape(_TAG.sub("", text(lang, key, **params)))


def kind_name(lang: str, kind: str) -> str:
    return text(lang, f"tasks.kind.{kind}")


def _line(lang: str, x: TaskLine) -> str:
    late = text(lang, "tasks.late", days=x.overdue_days) if x.overdue_days else ""
    return text(lang, "tasks.line", id=x.id, kind=kind_name(lang, x.kind), project=x.project,
                due=x.due, assignee=x.assignee, late=late).replace("{late}", "")


def task_list(p: Parts, lang: str, n: Notice) -> list[Call]:
    """My tasks, then my projects' other tasks, each with its Record button."""
    v = n.params_as(TasksView)
    rows = [text(lang, "tasks.title", days=v.days)]
    buttons: list[list[dict[str, str]]] = []
    for title, lines in (("tasks.mine", v.mine), ("tasks.others", v.others)):
        rows += ["", text(lang, title)]
        if not lines:
            rows.append(text(lang, "tasks.none"))
        for x in lines[:MAX_LINES]:
            rows.append(_line(lang, x))
            if x.button and len(buttons) < MAX_BUTTONS:
                buttons.append([button(text(lang, "btn.task_record", id=x.id),
                                       TaskButton("rec", x.id))])
        if len(lines) > MAX_LINES:
            rows.append(text(lang, "tasks.more", n=len(lines) - MAX_LINES))
    if v.done:
        rows += ["", text(lang, "tasks.done_title", days=v.done_days)]
        for d in v.done[:MAX_LINES]:
            stars = text(lang, "tasks.stars", n=d.satisfaction) if d.satisfaction else ""
            rows.append(text(lang, "tasks.done_line", id=d.id, kind=kind_name(lang, d.kind),
                             project=d.project, due=d.due, by=d.by, at=d.at,
                             sha=d.sha256[:12], stars=stars))
    return [message(n, "\n".join(rows), keyboard(*buttons) if buttons else None)]


def ask(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The recording dialog's question; the checklist and satisfaction steps have buttons."""
    a = n.params_as(TaskAsk)
    head = text(lang, "tasks.head", id=a.task_id, kind=kind_name(lang, a.kind),
                project=a.project, due=a.due)
    markup = None
    if a.step in CHECKLIST:
        question = text(lang, f"tasks.ask.{a.step}")
        markup = keyboard([
            button(text(lang, "btn.task_ok"), TaskButton("ok", a.task_id, a.step)),
            button(text(lang, "btn.task_problem"), TaskButton("pb", a.task_id, a.step)),
        ])
    elif a.step.endswith("_note"):
        item = a.step.removesuffix("_note")
        question = text(lang, "tasks.ask.note", item=text(lang, f"tasks.check.{item}"))
    else:
        question = text(lang, f"tasks.ask.{a.step}")
        if a.step == "satisfaction":
            markup = keyboard([button(f"{s}⭐", TaskButton("sat", a.task_id, str(s)))
                               for s in range(1, 6)])
    return [message(n, f"{head}\n{question}", markup)]


def recorded(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(TaskRecorded)
    return [message(n, text(lang, "tasks.recorded", task_id=r.task_id,
                            kind=kind_name(lang, r.kind), project=r.project, due=r.due,
                            sha256=r.sha256))]


def document(p: Parts, lang: str, n: Notice) -> list[Call]:
    """An inspection report as a PDF document."""
    f = n.params_as(TaskFile)
    payload: dict[str, object] = {
        "chat_id": n.to,
        "document_path": f.path,
        "document_sha256": f.sha256,
        "filename": f"inspection-{f.project_key}-{f.due}-{f.task_id}.pdf",
        "caption": text(lang, "tasks.caption", task_id=f.task_id, project=f.project, due=f.due),
        "parse_mode": "HTML",
    }
    return [("sendDocument", payload)]


def reminder(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(TaskReminder)
    return [message(n, text(lang, n.key, task_id=r.task_id, kind=kind_name(lang, r.kind),
                            project=r.project, due=r.due, assignee=r.assignee, days=r.days))]


RENDERERS: dict[str, RenderFn] = {
    "tasks.list": task_list,
    "tasks.ask": ask,
    "tasks.recorded": recorded,
    "tasks.document": document,
    "tasks.remind_week": reminder,
    "tasks.remind_due": reminder,
    "tasks.overdue": reminder,
}


# ------------------------------------------------------------------ the PDF
def _upper(label: str) -> str:
    """A checklist item as a table's first cell ("hardware check" → "Hardware check")."""
    return label[:1].upper() + label[1:]


def page_of(p: Parts, lang: str, task: ContractTask, result: TaskResult) -> ReportPage:
    """A recorded inspection in the reader's words."""
    project = p.project_name(task.project_key)
    kind = _t(lang, f"tasks.kind.{task.kind}")
    due = task.due.isoformat()
    at = datetime.fromisoformat(result.recorded_at).astimezone(p.settings.tz)
    when = at.strftime("%Y-%m-%d %H:%M")
    head = Fields(_t(lang, "idoc.head"), [
        (_t(lang, "idoc.project"), project),
        (_t(lang, "idoc.kind"), f"{kind} #{task.id}"),
        (_t(lang, "idoc.due"), due),
        (_t(lang, "idoc.engineer"), result.by_name),
        (_t(lang, "idoc.recorded_at"), when),
    ])
    checks = Table(
        _t(lang, "idoc.checklist"),
        [_t(lang, "idoc.col.item"), _t(lang, "idoc.col.result"), _t(lang, "idoc.col.note")],
        [[_upper(_t(lang, f"tasks.check.{c.item}")),
          _t(lang, "idoc.ok" if c.ok else "idoc.problem"), c.note or "—"]
         for c in result.checks],
    )
    findings = Fields(_t(lang, "idoc.findings"),
                      [(_t(lang, "idoc.findings_by", name=result.by_name), result.findings)])
    return ReportPage(
        lang="zh-CN" if lang == "zh" else lang,
        title=_t(lang, "idoc.title"),
        subtitle=_t(lang, "idoc.subtitle", project=project, kind=kind, due=due),
        blocks=[head, checks, findings],
        sign_off=_t(lang, "idoc.sign", who=result.by_name, id=result.by_id, at=when,
                    sha=result.sha256),
        footer=_t(lang, "idoc.footer"),
    )


class _Typesetter(DocumentTypesetter):
    def __call__(self, task: ContractTask, result: TaskResult, lang: str) -> bytes:
        return inspection_report.pdf(page_of(self.parts, lang, task, result))


def inspection_typesetter(settings: Settings, clock: Clock) -> InspectionTypesetter:
    """The tasks service's typesetter: an inspection report's PDF in a reader's language."""
    return _Typesetter(settings, clock)
