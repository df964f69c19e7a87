"""The equipment register (`equipment.*`): an import's answer, the register and its template as
XLSX, one device's card with its tickets, a label scanned, and the labels as a PDF."""

from __future__ import annotations

import base64
import html

from bot.config import Settings
from bot.documents.equipment_labels import LabelFace, LabelPage, labels_pdf
from bot.documents.equipment_sheet import register_xlsx
from bot.domain.equipment import (
    COLUMNS,
    REQUIRED,
    ZH_HEADERS,
    Device,
    DeviceTicket,
    deep_link,
    device_cells,
)
from bot.domain.ticket import Level, Status
from bot.services.equipment import (
    DeviceCard,
    DeviceScanned,
    FileRejected,
    ImportResult,
    LabelMaker,
    LabelsFile,
    LabelSheet,
    RegisterFile,
)
from bot.services.notices import Notice
from bot.telegram.catalog import esc, pick_language, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, clip, message

MAX_TICKETS_SHOWN = 15  # of a device's history in its card (newest first)
_ZH_OF = {column: zh for zh, column in ZH_HEADERS.items()}


def _document(n: Notice, data: bytes, filename: str, caption: str) -> Call:
    return (
        "sendDocument",
        {
            "chat_id": n.to,
            "document_b64": base64.b64encode(data).decode("ascii"),
            "filename": filename,
            "caption": caption,
            "parse_mode": "HTML",
        },
    )


def imported(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(ImportResult)
    body = text(lang, "equipment.imported", file=r.file_name, added=r.added, updated=r.updated,
                unchanged=r.unchanged)
    return [message(n, body)]


def import_rejected(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(ImportResult)
    lines = [
        text(lang, "equipment.row_duplicate", line=e.line, code=clip(e.detail, 40),
             other=e.other_line)
        if e.reason == "duplicate"
        else text(lang, "equipment.row", line=e.line,
                  reason=text(lang, f"equipment.bad.{e.reason}"), detail=clip(e.detail, 60))
        for e in r.rejected
    ]
    if r.more:
        lines.append(text(lang, "equipment.more", count=r.more))
    body = text(lang, "equipment.import_rejected", file=r.file_name,
                count=len(r.rejected) + r.more)
    return [message(n, body + "\n" + "\n".join(lines))]


def file_rejected(p: Parts, lang: str, n: Notice) -> list[Call]:
    f = n.params_as(FileRejected)
    reason = text(lang, f"equipment.file.{f.error.reason}", detail=f.error.detail)
    return [message(n, text(lang, "equipment.file_rejected", file=f.file_name, reason=reason))]


def _header(link: bool) -> list[str]:
    return [*COLUMNS, *(["link"] if link else [])]


def template(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The empty register: the header row, and a help sheet saying what each column is."""
    help_rows = [[text(lang, "equipment.help.column"), text(lang, "equipment.help.zh"),
                  text(lang, "equipment.help.meaning"), text(lang, "equipment.help.required")]]
    for column in COLUMNS:
        required = text(lang, "equipment.help.yes") if column in REQUIRED else ""
        help_rows.append([column, _ZH_OF[column], text(lang, f"equipment.col.{column}"),
                          required])
    data = register_xlsx("devices", _header(False), [], help_rows)
    return [_document(n, data, "equipment-template.xlsx", text(lang, "equipment.template"))]


def export(p: Parts, lang: str, n: Notice) -> list[Call]:
    r = n.params_as(RegisterFile)
    rows = [
        [*device_cells(d), deep_link(r.bot_username, d.label) if r.bot_username else ""]
        for d in r.devices
    ]
    data = register_xlsx("devices", _header(True), rows)
    caption = text(lang, "equipment.export", count=len(r.devices))
    return [_document(n, data, f"equipment-{r.name}.xlsx", caption)]


def _facts(lang: str, d: Device) -> str:
    rows = [
        ("field.device_name", d.name),
        ("field.product_model", d.model),
        ("field.serial", d.serial),
        ("field.site", d.site),
    ]
    return "\n".join(
        f"<b>{text(lang, k)}</b>: {esc(clip(v, 500))}" for k, v in rows if v
    )


def device(p: Parts, lang: str, n: Notice) -> list[Call]:
    c = n.params_as(DeviceCard)
    d = c.device
    lines = [text(lang, "equipment.device", code=d.code, project=c.project), _facts(lang, d)]
    if d.installed_on is not None:
        lines.append(text(lang, "equipment.installed", day=d.installed_on.isoformat()))
    if c.warranty_until is not None:
        key = "equipment.warranty_own" if d.warranty_until else "equipment.warranty_contract"
        lines.append(text(lang, key, day=c.warranty_until.isoformat()))
    if d.notes:
        lines.append(f"<i>{esc(clip(d.notes, 500))}</i>")
    if not c.tickets:
        lines.append(text(lang, "equipment.no_tickets"))
    else:
        open_count = sum(1 for t in c.tickets if t.resolved_at is None)
        lines.append(text(lang, "equipment.history", count=len(c.tickets), open=open_count))
        for t in c.tickets[:MAX_TICKETS_SHOWN]:
            lines.append(_ticket_line(p, lang, t))
    return [message(n, "\n".join(lines))]


def _ticket_line(p: Parts, lang: str, t: DeviceTicket) -> str:
    level = p.kind(lang, t.kind) if t.kind != "fault" else p.level(lang, Level(t.level))
    status = p.status(lang, Status(t.status))
    day = p.when(t.reported_at)
    cause = p.cause(lang, t.cause) if t.cause else ""
    if t.resolved_at is not None:
        took = span((t.resolved_at - t.reported_at).total_seconds(), lang)
        return text(lang, "equipment.ticket_done", id=t.id, level=level, status=status, day=day,
                    took=took, cause=cause or "—")
    blocked = p.cause(lang, t.blocking_reason) if t.blocking_reason else "—"
    return text(lang, "equipment.ticket_open", id=t.id, level=level, status=status, day=day,
                blocked=blocked)


def scanned(p: Parts, lang: str, n: Notice) -> list[Call]:
    s = n.params_as(DeviceScanned)
    body = text(lang, "equipment.scanned", project=s.project) + "\n" + _facts(lang, s.device)
    return [message(n, body)]


def label_maker(settings: Settings) -> LabelMaker:
    """The labels' PDF in the asker's language (made by the labels job, off the write lock)."""

    def make(sheet: LabelSheet) -> bytes:
        s = sheet
        lang = pick_language(s.language, settings.default_language)
        faces = [
            LabelFace(
                title=d.name,
                rows=[
                    (text(lang, "label.code"), d.code),
                    (text(lang, "label.model"), d.model),
                    (text(lang, "label.serial"), d.serial),
                    (text(lang, "label.site"), d.site),
                    (text(lang, "label.project"), s.project.name),
                    (text(lang, "label.manager"), s.manager),
                ],
                link=deep_link(s.bot_username, d.label),
            )
            for d in s.devices
        ]
        phone = s.project.hotline
        hotline = text(lang, "label.hotline", phone=phone) if phone else ""
        page = LabelPage(s.supplier, _plain(hotline), _plain(text(lang, "label.scan")), faces,
                         title=f"labels {s.project.key}")
        return labels_pdf(page)

    return make


def _plain(markup: str) -> str:
    """A catalog text as printed (the PDF escapes it again)."""
    return html.unescape(markup)


def labels(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The labels' PDF, archived by the labels job: read and checked by the sender."""
    f = n.params_as(LabelsFile)
    payload = {
        "chat_id": n.to,
        "document_path": f.path,
        "document_sha256": f.sha256,
        "filename": f"labels-{f.project_key}.pdf",
        "caption": text(lang, "equipment.labels", project=f.project, count=f.count),
        "parse_mode": "HTML",
    }
    return [("sendDocument", payload)]


RENDERERS: dict[str, RenderFn] = {
    "equipment.imported": imported,
    "equipment.import_rejected": import_rejected,
    "equipment.file_rejected": file_rejected,
    "equipment.template": template,
    "equipment.export": export,
    "equipment.device": device,
    "equipment.scanned": scanned,
    "equipment.labels": labels,
}
