"""Renderers: a Notice becomes Bot API calls (method + payload) in the recipient's language.

Every user string passes through the catalog's escaping; texts are kept within Telegram's 4096
characters and every callback_data within 64 bytes.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.config import Settings, StaffConfig
from bot.domain.drafts import (
    EDITABLE_STEPS,
    MAX_SHORT_TEXT,
    MAX_SITE,
    MAX_SYMPTOM,
    ReportDraft,
)
from bot.domain.durations import format_duration
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.domain.timeline import TimelineEntry
from bot.services.notices import Notice
from bot.telegram.catalog import Markup, esc, markup, text
from bot.telegram.render_roster import RosterRenderer
from bot.telegram.render_sla import Call

MAX_TEXT = 4096
MAX_CALLBACK = 64
_TAG = re.compile(r"<[^>]+>")


def plain_length(html_text: str) -> int:
    """Length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def _utf16(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def clip(value: str, limit: int) -> str:
    """At most `limit` UTF-16 code units (how Telegram counts), never splitting a character."""
    if _utf16(value) <= limit:
        return value
    out, used = [], 0
    for ch in value:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def button(label: str, data: str) -> dict[str, str]:
    if len(data.encode()) > MAX_CALLBACK:
        raise ValueError(f"callback_data over {MAX_CALLBACK} bytes: {data!r}")
    return {"text": label, "callback_data": data}


def keyboard(*rows: list[dict[str, str]]) -> dict[str, Any]:
    return {"inline_keyboard": [list(r) for r in rows if r]}


class Renderer(RosterRenderer):
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    # ------------------------------------------------------------ small pieces
    def when(self, at: datetime) -> str:
        """Local time; the date only when it is not today."""
        tz = self.settings.tz
        local = at.astimezone(tz)
        today = self.clock.now().astimezone(tz).date()
        if local.date() == today:
            return local.strftime("%H:%M")
        if local.year == today.year:
            return local.strftime("%m-%d %H:%M")
        return local.strftime("%Y-%m-%d %H:%M")

    def duration(self, lang: str, d: timedelta) -> str:
        return format_duration(d)

    def level(self, lang: str, level: Level) -> str:
        return text(lang, f"level.{level.value}")

    def staff_name(self, key: str | None) -> str:
        if key is None:
            return "—"
        try:
            return self.settings.staff_by_key(key).name
        except KeyError:
            return key

    def deadline_lines(self, lang: str, t: Ticket) -> Markup:
        d = t.deadlines
        lines = [
            f"{text(lang, 'field.respond_by')}: {esc(self.when(d.respond_due))}",
            f"{text(lang, 'field.arrive_by')}: {esc(self.when(d.arrive_due))}",
        ]
        if d.repair_due is not None:
            lines.append(f"{text(lang, 'field.repair_by')}: {esc(self.when(d.repair_due))}")
        else:
            repair = self.settings.sla_policy(t.project_key).clock("repair")
            assert repair is not None
            within = text(
                lang, "field.repair_within", d=self.target_text(lang, repair.targets[t.level])
            )
            lines.append(f"{text(lang, 'field.repair_by')}: {within}")
        return Markup("\n".join(lines))

    def ticket_body(self, lang: str, t: Ticket, *, for_staff: bool = True) -> Markup:
        def row(label_key: str, value: str) -> str:
            return f"<b>{text(lang, label_key)}</b>: {esc(value)}"

        lines = [row("field.level", self.level(lang, t.level))]
        # Each field within its own budget (in UTF-16 units, as Telegram counts), so that even
        # emoji-filled fields fit in one message and no line (the contact!) has to be dropped.
        site = clip(t.site, MAX_SITE)
        if t.latitude is not None and t.longitude is not None:
            pin = f"{t.latitude:.5f}, {t.longitude:.5f}"
            site = f"{site} ({pin})" if site else pin
        lines.append(row("field.site", site or text(lang, "field.none")))
        if t.symptom:
            lines.append(row("field.symptom", clip(t.symptom, MAX_SYMPTOM)))
        if t.photos:
            lines.append(row("field.photos", str(len(t.photos))))
        if t.model:
            lines.append(row("field.model", clip(t.model, MAX_SHORT_TEXT)))
        contact = " · ".join(
            clip(x, MAX_SHORT_TEXT) for x in (t.contact_name, t.contact_unit, t.contact_phone) if x
        )
        if for_staff and contact:
            lines.append(row("field.contact", contact))
        if t.owner_key:
            lines.append(row("field.owner", self.staff_name(t.owner_key)))
        if t.status in (Status.RESOLVED, Status.CLOSED):
            lines.append(row("field.cause", self.cause(lang, t.cause)))
            lines.append(row("field.resolution", t.resolution))
        else:
            lines.append(self.deadline_lines(lang, t))
        if t.reopen_count:
            lines.append(row("field.reopened", str(t.reopen_count)))
        return Markup("\n".join(lines))

    def cause(self, lang: str, key: str) -> str:
        try:
            return self.settings.cause(key).label(lang)
        except KeyError:
            return key

    def status(self, lang: str, s: Status) -> str:
        return text(lang, f"status.{s.value}")

    def ticket_line(self, lang: str, t: Ticket) -> str:
        owner = f" · {esc(self.staff_name(t.owner_key))}" if t.owner_key else ""
        return (
            f"#{t.id} [{t.level.value}] {esc(self.status(lang, t.status))}{owner} — "
            f"{esc(clip(t.site or t.symptom or '', 40))}"
        )

    def ticket_list(self, lang: str, key: str, tickets: list[Ticket]) -> str:
        if not tickets:
            return text(lang, key, lines=markup(lang, "list.empty"))
        lines = [self.ticket_line(lang, t) for t in tickets]
        return text(lang, key, lines=Markup("\n".join(lines)))

    def timeline(self, lang: str, events: list[TimelineEntry], for_staff: bool) -> list[str]:
        out = []
        for e in events:
            if e.kind == "note" and not for_staff:
                continue  # engineers' notes are internal
            if e.actor.startswith("staff:"):
                who = self.staff_name(e.actor[6:])
            elif e.actor.startswith("customer:"):
                who = text(lang, "actor.customer")
            else:
                who = text(lang, "actor.system")
            detail = {k: clip(str(v), 300) for k, v in e.detail.items()}
            if "from" in detail:
                detail["frm"] = self.staff_name(detail.pop("from"))
            if "to" in detail:
                detail["to"] = self.staff_name(detail["to"])
            if e.kind == "details_added" and "field" in detail:
                try:  # the field's label in the reader's language, not its internal key
                    detail["field"] = text(lang, f"field.{detail['field']}")
                except KeyError:
                    pass
            try:
                what = text(lang, f"ev.{e.kind}", **detail)
            except (KeyError, IndexError):
                what = esc(e.kind)
            out.append(f"{esc(self.when(e.at))} {esc(who)}: {what}")
        return out

    # ------------------------------------------------------------ keyboards
    def card_keyboard(self, lang: str, t: Ticket) -> dict[str, Any] | None:
        if t.status not in (Status.ACCEPTED, Status.ON_WAY, Status.ON_SITE):
            return None
        tid = t.id
        first: list[dict[str, str]] = []
        if t.status == Status.ACCEPTED:
            first.append(button(text(lang, "btn.on_way"), f"tk:onw:{tid}"))
        if t.status in (Status.ACCEPTED, Status.ON_WAY):
            first.append(button(text(lang, "btn.arrived"), f"tk:arr:{tid}"))
        first.append(button(text(lang, "btn.resolved"), f"tk:res:{tid}"))
        second = [
            button(text(lang, "btn.handover"), f"tk:hov:{tid}"),
            button(text(lang, "btn.note"), f"tk:note:{tid}"),
        ]
        return keyboard(first, second)

    def yes_no(self, lang: str, question: str) -> dict[str, Any]:
        return keyboard(
            [
                button(text(lang, "btn.yes"), f"sev:{question}:1"),
                button(text(lang, "btn.no"), f"sev:{question}:0"),
            ]
        )

    # ------------------------------------------------------------ the notices
    def render(self, notice: Notice, lang: str) -> list[Call]:
        """The Bot API calls that say this notice to its recipient."""
        key = notice.key
        p = notice.params
        t = notice.ticket
        method = getattr(self, "_" + key.replace(".", "_"), None)
        if method is not None:
            calls: list[Call] = method(lang, notice)
        elif t is not None:
            calls = [
                self.message(
                    notice,
                    text(lang, key, id=t.id, **self._ticket_params(lang, t), **self._plain(p)),
                )
            ]
        else:
            calls = [self.message(notice, text(lang, key, **self._plain(p)))]
        for _, payload in calls:
            if "text" in payload and plain_length(payload["text"]) > MAX_TEXT:
                payload["text"] = self._shorten(payload["text"])
        return calls

    @staticmethod
    def _plain(params: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in params.items() if isinstance(v, str | int | float)}

    def _ticket_params(self, lang: str, t: Ticket) -> dict[str, Any]:
        return {
            "level": self.level(lang, t.level),
            "count": t.reopen_count,
            "owner": self.staff_name(t.owner_key),
            "status": self.status(lang, t.status),
        }

    @staticmethod
    def _shorten(html_text: str) -> str:
        # Drop whole lines from the middle until it fits: never cut inside a tag.
        lines = html_text.split("\n")
        while len(lines) > 3 and plain_length("\n".join(lines)) > MAX_TEXT - 2:
            del lines[len(lines) // 2]
        shortened = "\n".join(lines)
        if plain_length(shortened) > MAX_TEXT:
            shortened = esc(html.unescape(_TAG.sub("", shortened))[: MAX_TEXT - 1]) + "…"
        return shortened

    @staticmethod
    def message(notice: Notice, body: str, reply_markup: dict[str, Any] | None = None) -> Call:
        payload: dict[str, Any] = {"chat_id": notice.to, "text": body, "parse_mode": "HTML"}
        topic = notice.params.get("topic")
        if topic is not None and notice.edit_message_id is None:
            payload["message_thread_id"] = topic  # a forum topic of the team group
        if notice.edit_message_id is not None:
            payload["message_id"] = notice.edit_message_id
            if reply_markup is not None:
                payload["reply_markup"] = reply_markup
            else:
                payload["reply_markup"] = {"inline_keyboard": []}
            return "editMessageText", payload
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        return "sendMessage", payload

    def _profile_saved(self, lang: str, n: Notice) -> list[Call]:
        d = n.params["draft"]
        return [
            self.message(n, text(lang, "profile.saved", name=d.name, unit=d.unit, phone=d.phone))
        ]

    def _report_ask_severity(self, lang: str, n: Notice) -> list[Call]:
        q = n.params["question"]
        body = text(lang, f"severity.q.{q}")
        calls = []
        if q == "whole":
            calls.append(self.message(n, text(lang, "report.intro")))
        calls.append(self.message(n, body, self.yes_no(lang, q)))
        return calls

    def _report_level(self, lang: str, n: Notice) -> list[Call]:
        level: Level = n.params["level"]
        d: Deadlines = n.params["deadlines"]
        body = text(
            lang,
            "report.level",
            level=f"{self.level(lang, level)}（{text(lang, f'level.{level.value}.meaning')}）"
            if lang == "zh"
            else f"{self.level(lang, level)} ({text(lang, f'level.{level.value}.meaning')})",
            respond=self.when(d.respond_due),
            arrive=self.when(d.arrive_due),
            repair=self.target_text(lang, n.params["repair"]),
        )
        return [self.message(n, body)]

    def _report_ask_photos(self, lang: str, n: Notice) -> list[Call]:
        kb = keyboard([button(text(lang, "btn.photos_done"), "rep:photos:done")])
        return [self.message(n, text(lang, "report.ask_photos"), kb)]

    def _report_photo_added(self, lang: str, n: Notice) -> list[Call]:
        d: ReportDraft = n.params["draft"]
        kb = keyboard([button(text(lang, "btn.photos_done"), "rep:photos:done")])
        return [self.message(n, text(lang, "report.photo_added", count=len(d.photos)), kb)]

    def _report_ask_model(self, lang: str, n: Notice) -> list[Call]:
        kb = keyboard([button(text(lang, "btn.skip"), "rep:model:skip")])
        return [self.message(n, text(lang, "report.ask_model"), kb)]

    def _report_ask_phone(self, lang: str, n: Notice) -> list[Call]:
        d: ReportDraft = n.params["draft"]
        if not d.phone:
            return [self.message(n, text(lang, "report.ask_phone_empty"))]
        kb = keyboard(
            [button(clip(text(lang, "btn.keep_phone", phone=d.phone), 60), "rep:phone:keep")]
        )
        return [self.message(n, text(lang, "report.ask_phone", phone=d.phone), kb)]

    def draft_summary(self, lang: str, d: ReportDraft) -> Markup:
        def row(label_key: str, value: str) -> str:
            return f"<b>{text(lang, label_key)}</b>: {esc(value or text(lang, 'field.none'))}"

        site = clip(d.site, MAX_SITE)
        if d.latitude is not None and d.longitude is not None:
            pin = text(lang, "field.pin")
            site = f"{site} ({pin})" if site else pin
        lines = [
            row("field.level", self.level(lang, Level(d.level or "C"))),
            row("field.site", site),
            row("field.symptom", clip(d.symptom, MAX_SYMPTOM)),
            row("field.photos", str(len(d.photos))),
            row("field.model", clip(d.model, MAX_SHORT_TEXT)),
            row("field.phone", d.phone),
        ]
        return Markup("\n".join(lines))

    def _report_ask_confirm(self, lang: str, n: Notice) -> list[Call]:
        d: ReportDraft = n.params["draft"]
        kb = keyboard(
            [button(text(lang, "btn.confirm"), f"rep:confirm:ok:{d.round}")],
            [
                button(text(lang, "btn.edit"), f"rep:confirm:edit:{d.round}"),
                button(text(lang, "btn.cancel"), f"rep:confirm:cancel:{d.round}"),
            ],
        )
        return [
            self.message(
                n, text(lang, "report.ask_confirm", summary=self.draft_summary(lang, d)), kb
            )
        ]

    def _report_ask_edit(self, lang: str, n: Notice) -> list[Call]:
        d: ReportDraft = n.params["draft"]
        rows = [
            [button(text(lang, f"field.{step}"), f"rep:confirm:edit_{step}:{d.round}")]
            for step in EDITABLE_STEPS
        ]
        return [self.message(n, text(lang, "report.ask_edit"), keyboard(*rows))]

    def _ticket_receipt(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        if t.status == Status.NEW and not t.symptom:
            return [self.message(n, text(lang, "ticket.receipt_early", id=t.id))]
        return [
            self.message(
                n,
                text(
                    lang,
                    "ticket.receipt",
                    id=t.id,
                    facts=self.ticket_body(lang, t, for_staff=False),
                ),
            )
        ]

    def _ticket_page(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        project = self.settings.project(t.project_key).name
        kb = keyboard([button(text(lang, "btn.accept"), f"tk:acc:{t.id}")])
        calls = [
            self.message(
                n,
                text(
                    lang, "ticket.page", id=t.id, project=project, body=self.ticket_body(lang, t)
                ),
                kb,
            )
        ]
        calls.extend(self._extras(n.to, t))
        return calls

    def _ticket_page_chain(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        project = self.settings.project(t.project_key).name
        body = text(
            lang, "ticket.page_chain", id=t.id, project=project, body=self.ticket_body(lang, t)
        )
        return [self.message(n, body)]

    def _extras(self, chat_id: int, t: Ticket) -> list[Call]:
        calls: list[Call] = []
        if t.latitude is not None and t.longitude is not None:
            calls.append(
                (
                    "sendLocation",
                    {"chat_id": chat_id, "latitude": t.latitude, "longitude": t.longitude},
                )
            )
        for file_id in t.photos:
            calls.append(
                ("sendPhoto", {"chat_id": chat_id, "photo": file_id, "caption": f"#{t.id}"})
            )
        return calls

    def _ticket_page_taken(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n,
                text(
                    lang,
                    "ticket.page_taken",
                    id=t.id,
                    owner=self.staff_name(t.owner_key),
                    body=self.ticket_body(lang, t),
                ),
            )
        ]

    def _ticket_card(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n,
                text(
                    lang,
                    "ticket.card",
                    id=t.id,
                    status=self.status(lang, t.status),
                    body=self.ticket_body(lang, t),
                    extra=Markup(self.card_extra(lang, n)),
                ),
                self.card_keyboard(lang, t),
            )
        ]

    def _ticket_details_added(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        field = n.params["field"]
        calls = [
            self.message(
                n,
                text(
                    lang,
                    "ticket.details_added",
                    id=t.id,
                    field=text(lang, f"field.{field}"),
                    body=self.ticket_body(lang, t),
                ),
            )
        ]
        if field == "photos":
            calls.extend(c for c in self._extras(n.to, t) if c[0] == "sendPhoto")
        if field == "site":
            calls.extend(c for c in self._extras(n.to, t) if c[0] == "sendLocation")
        return calls

    def _ticket_status(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        for_staff = bool(n.params.get("for_staff"))
        lines = self.timeline(lang, n.params["events"], for_staff)[-30:]
        body = text(
            lang,
            "ticket.status",
            id=t.id,
            status=self.status(lang, t.status),
            body=self.ticket_body(lang, t, for_staff=for_staff),
            timeline=Markup("\n".join(lines)),
        )
        return [self.message(n, body)]

    def _list_my(self, lang: str, n: Notice) -> list[Call]:
        return [self.message(n, self.ticket_list(lang, "list.my", n.params["tickets"]))]

    def _list_queue(self, lang: str, n: Notice) -> list[Call]:
        return [self.message(n, self.ticket_list(lang, "list.queue", n.params["tickets"]))]

    def _list_mine(self, lang: str, n: Notice) -> list[Call]:
        return [self.message(n, self.ticket_list(lang, "list.mine", n.params["tickets"]))]

    def _customer_accepted(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        eng: StaffConfig = n.params["engineer"]
        return [
            self.message(
                n,
                text(
                    lang, "customer.accepted", id=t.id, engineer=eng.name, phone=eng.phone or "—"
                ),
            )
        ]

    def _customer_on_way(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        eng: StaffConfig = n.params["engineer"]
        return [
            self.message(
                n,
                text(
                    lang,
                    "customer.on_way",
                    id=t.id,
                    engineer=eng.name,
                    arrive=self.when(t.deadlines.arrive_due),
                ),
            )
        ]

    def _customer_arrived(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None and t.deadlines.repair_due is not None
        eng: StaffConfig = n.params["engineer"]
        return [
            self.message(
                n,
                text(
                    lang,
                    "customer.arrived",
                    id=t.id,
                    engineer=eng.name,
                    repair=self.when(t.deadlines.repair_due),
                ),
            )
        ]

    def _customer_resolved(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        kb = keyboard(
            [
                button(text(lang, "btn.fixed"), f"cust:{t.id}:fixed"),
                button(text(lang, "btn.not_fixed"), f"cust:{t.id}:notfixed"),
            ]
        )
        return [
            self.message(
                n,
                text(
                    lang,
                    "customer.resolved",
                    id=t.id,
                    cause=self.cause(lang, t.cause),
                    resolution=t.resolution,
                ),
                kb,
            )
        ]

    def _regraded(self, lang: str, n: Notice, key: str) -> list[Call]:
        t = n.ticket
        assert t is not None
        old: Level = n.params["old"]
        return [
            self.message(
                n,
                text(
                    lang,
                    key,
                    id=t.id,
                    old=self.level(lang, old),
                    level=self.level(lang, t.level),
                    deadlines=self.deadline_lines(lang, t),
                ),
            )
        ]

    def _customer_regraded(self, lang: str, n: Notice) -> list[Call]:
        return self._regraded(lang, n, "customer.regraded")

    def _work_regraded(self, lang: str, n: Notice) -> list[Call]:
        return self._regraded(lang, n, "work.regraded")

    def _work_ask_cause(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        buttons = [button(c.label(lang), f"cause:{t.id}:{c.key}") for c in self.settings.causes]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return [self.message(n, text(lang, "work.ask_cause", id=t.id), keyboard(*rows))]

    def _work_ask_handover(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        candidates: list[StaffConfig] = n.params["candidates"]
        rows = [[button(clip(s.name, 60), f"hto:{t.id}:{s.key}")] for s in candidates]
        return [self.message(n, text(lang, "work.ask_handover", id=t.id), keyboard(*rows))]

    def _work_handover_sent(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n, text(lang, "work.handover_sent", id=t.id, target=n.params["target"].name)
            )
        ]

    def _work_handover_offer(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        kb = keyboard(
            [
                button(text(lang, "btn.take_handover"), f"hov:{t.id}:y"),
                button(text(lang, "btn.decline_handover"), f"hov:{t.id}:n"),
            ]
        )
        return [
            self.message(
                n,
                text(
                    lang,
                    "work.handover_offer",
                    id=t.id,
                    owner=n.params["owner"].name,
                    body=self.ticket_body(lang, t),
                ),
                kb,
            )
        ]

    def _work_handover_accepted(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n, text(lang, "work.handover_accepted", id=t.id, target=n.params["target"].name)
            )
        ]

    def _work_handover_declined(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n, text(lang, "work.handover_declined", id=t.id, target=n.params["target"].name)
            )
        ]

    def _staff_unreachable(self, lang: str, n: Notice) -> list[Call]:
        p = n.params
        ticket = (
            markup(lang, "staff.unreachable_ticket", ticket_id=p["ticket_id"])
            if p.get("ticket_id")
            else ""
        )
        return [
            self.message(
                n,
                text(
                    lang,
                    "staff.unreachable",
                    names="、".join(p["names"]) if lang == "zh" else ", ".join(p["names"]),
                    project=p["project"],
                    ticket=Markup(ticket),
                ),
            )
        ]

    def _draft_expired(self, lang: str, n: Notice) -> list[Call]:
        return [self.message(n, text(lang, "draft.expired"))]
