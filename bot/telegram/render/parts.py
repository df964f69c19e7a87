"""The parts most messages are made of, in the reader's language: times, levels, names, the
ticket's facts, deadlines and timeline. Each area's renderers receive one `Parts`."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.clock import Clock
from bot.config import Settings
from bot.domain.clocks import ClockSpec, Target
from bot.domain.drafts import MAX_SHORT_TEXT, MAX_SITE, MAX_SYMPTOM
from bot.domain.pauses import Pause
from bot.domain.ticket import Level, Status, Ticket
from bot.domain.timeline import INTERNAL_EVENTS, TimelineEntry
from bot.domain.warranty import Charges, yuan
from bot.services.notices import Notice
from bot.telegram.catalog import Markup, esc, markup, pick_language, text
from bot.telegram.render.widgets import Call, clip


def span(seconds: float, lang: str = "en") -> str:
    """A human duration, rounded up to the minute: "1h 5m" / "1小时5分钟", "3d 2h"."""
    minutes = max(0, math.ceil(seconds / 60 - 1e-9))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    units = ("天", "小时", "分钟") if lang == "zh" else ("d", "h", "m")
    parts = [f"{n}{u}" for n, u in zip((days, hours, mins), units, strict=True) if n]
    if not parts:
        return "0" + units[2]
    return ("" if lang == "zh" else " ").join(parts)


class DocumentTypesetter:
    """The base of a service's PDF typesetter: the reader's language, and the Parts that put
    a document in their words (the daily report's, the inspection report's)."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.parts = Parts(settings, clock)

    def language(self, code: str | None) -> str:
        return pick_language(code, self.settings.default_language)


class Parts:
    """Shared by every area's renderers; knows the config (names, causes, policies) and the
    clock (a time today reads without its date)."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    # ------------------------------------------------------------ time
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

    def span_local(self, start: datetime, end: datetime) -> str:
        return f"{self.when(start)} – {self.when(end)}"

    def target_text(self, lang: str, target: Target) -> str:
        if target.unit == "bh":
            return text(lang, "unit.bh", n=f"{target.amount:g}")
        if target.unit == "wd":
            return text(lang, "unit.wd", n=f"{target.amount:g}")
        return span(target.amount, lang)

    def clock_name(self, lang: str, spec: ClockSpec) -> str:
        if lang in spec.labels:
            return spec.labels[lang]
        try:
            return text(lang, f"sla.clock.{spec.name}")
        except KeyError:
            return spec.labels.get("en") or spec.name

    # ------------------------------------------------------------ names
    def level(self, lang: str, level: Level) -> str:
        return text(lang, f"level.{level.value}")

    def kind(self, lang: str, kind: str) -> str:
        """A service request's kind ("技术咨询"); an unknown kind reads as itself."""
        try:
            return text(lang, f"request.kind.{kind}")
        except KeyError:
            return kind

    def grade(self, lang: str, t: Ticket) -> str:
        """What a ticket is: a fault's level, or a request's kind."""
        return self.kind(lang, t.kind) if t.is_request else self.level(lang, t.level)

    def contact_line(self, lang: str, project_key: str | None) -> Markup:
        """The project's hotline and customer manager, as its customers see them ("热线 … ·
        客户经理 NAME PHONE", HTML); parts not configured are left out, "" when none is."""
        project = self.settings.find_project(project_key) if project_key else None
        if project is None:
            return Markup("")
        parts = []
        if project.hotline:
            parts.append(text(lang, "contact.hotline", phone=project.hotline))
        manager = self.settings.customer_manager(project)
        if manager is not None:
            who = f"{manager.name} {manager.phone}".strip()
            parts.append(text(lang, "contact.manager", who=who))
        return Markup(" · ".join(parts))

    def status(self, lang: str, s: Status) -> str:
        return text(lang, f"status.{s.value}")

    def staff_name(self, key: str | None) -> str:
        if key is None:
            return "—"
        try:
            return self.settings.staff_by_key(key).name
        except KeyError:
            return key

    def project_name(self, key: str) -> str:
        """The project's name; a project the config no longer has renders as its key."""
        project = self.settings.find_project(key)
        return project.name if project is not None else key

    def repair_target(self, t: Ticket) -> Target | None:
        """The repair target at the ticket's level (None: its project or target is gone)."""
        if self.settings.find_project(t.project_key) is None:
            return None
        repair = self.settings.sla_policy(t.project_key).clock("repair")
        return None if repair is None else repair.target_for(t.level)

    def cause(self, lang: str, key: str) -> str:
        try:
            return self.settings.cause(key).label(lang)
        except KeyError:
            return key

    # ------------------------------------------------------------ the ticket
    def deadline_lines(self, lang: str, t: Ticket) -> Markup:
        d = t.deadlines
        if t.is_request:  # respond and resolve (kept in arrive_due), nothing else
            return Markup(
                f"{text(lang, 'field.respond_by')}: {esc(self.when(d.respond_due))}\n"
                f"{text(lang, 'field.resolve_by')}: {esc(self.when(d.arrive_due))}"
            )
        lines = [
            f"{text(lang, 'field.respond_by')}: {esc(self.when(d.respond_due))}",
            f"{text(lang, 'field.arrive_by')}: {esc(self.when(d.arrive_due))}",
        ]
        if d.repair_due is not None:
            lines.append(f"{text(lang, 'field.repair_by')}: {esc(self.when(d.repair_due))}")
        elif (repair := self.repair_target(t)) is not None:
            within = text(lang, "field.repair_within", d=self.target_text(lang, repair))
            lines.append(f"{text(lang, 'field.repair_by')}: {within}")
        return Markup("\n".join(lines))

    def ticket_body(self, lang: str, t: Ticket, *, for_staff: bool = True) -> Markup:
        def row(label_key: str, value: str) -> str:
            return f"<b>{text(lang, label_key)}</b>: {esc(value)}"

        lines = (
            [row("field.kind", self.kind(lang, t.kind))]
            if t.is_request
            else [row("field.level", self.level(lang, t.level))]
        )
        # Each field within its own budget (in UTF-16 units, as Telegram counts), so that even
        # emoji-filled fields fit in one message and no line (the contact!) has to be dropped.
        site = clip(t.site, MAX_SITE)
        if t.latitude is not None and t.longitude is not None:
            pin = f"{t.latitude:.5f}, {t.longitude:.5f}"
            site = f"{site} ({pin})" if site else pin
        lines.append(row("field.site", site or text(lang, "field.none")))
        if t.symptom:  # a request's "symptom" is what is needed
            need = "field.need" if t.is_request else "field.symptom"
            lines.append(row(need, clip(t.symptom, MAX_SYMPTOM)))
        if t.photos:
            lines.append(row("field.photos", str(len(t.photos))))
        if t.preferred:
            lines.append(row("field.preferred", clip(t.preferred, MAX_SHORT_TEXT)))
        if t.model:
            lines.append(row("field.product_model", clip(t.model, MAX_SHORT_TEXT)))
        if t.serial:
            lines.append(row("field.serial", clip(t.serial, MAX_SHORT_TEXT)))
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
            if for_staff and t.blocking_reason:  # internal: the customer is not told
                lines.append(row("field.blocking_reason", self.cause(lang, t.blocking_reason)))
            lines.append(self.deadline_lines(lang, t))
        if t.reopen_count:
            lines.append(row("field.reopened", str(t.reopen_count)))
        return Markup("\n".join(lines))

    def ticket_params(self, lang: str, t: Ticket) -> dict[str, Any]:
        """What any ticket notice's template may name besides the ticket's id."""
        return {
            "level": self.grade(lang, t),
            "count": t.reopen_count,
            "owner": self.staff_name(t.owner_key),
            "status": self.status(lang, t.status),
        }

    def ticket_line(self, lang: str, t: Ticket) -> str:
        owner = f" · {esc(self.staff_name(t.owner_key))}" if t.owner_key else ""
        grade = esc(self.kind(lang, t.kind)) if t.is_request else t.level.value
        return (
            f"#{t.id} [{grade}] {esc(self.status(lang, t.status))}{owner} — "
            f"{esc(clip(t.site or t.symptom or '', 40))}"
        )

    def ticket_list(self, lang: str, key: str, tickets: list[Ticket]) -> str:
        if not tickets:
            return text(lang, key, lines=markup(lang, "list.empty"))
        lines = [self.ticket_line(lang, t) for t in tickets]
        return text(lang, key, lines=Markup("\n".join(lines)))

    def timeline(self, lang: str, events: list[TimelineEntry], for_staff: bool) -> list[str]:
        """One line per entry: "time who: what"; the entry's text never names its actor
        again, and a reopen says which one it was ("1st time", "第 1 次")."""
        return [
            f"{esc(self.when(e.at))} {esc(who)}: {what}"
            for e, who, what in self.timeline_entries(lang, events, for_staff)
        ]

    def actor(self, lang: str, actor: str) -> str:
        """Who a timeline (or pause) names: a staff member's name, "customer" or "system"."""
        if actor.startswith("staff:"):
            return self.staff_name(actor[6:])
        if actor.startswith("customer:"):
            return text(lang, "actor.customer")
        return text(lang, "actor.system")

    def timeline_entries(
        self, lang: str, events: list[TimelineEntry], for_staff: bool, limit: int | None = 300
    ) -> list[tuple[TimelineEntry, str, str]]:
        """Each entry shown, with who did it and what (HTML), typed text clipped to `limit`
        characters (None: whole, for the auditor's export)."""
        out = []
        reopens = 0
        for e in events:
            if e.kind in INTERNAL_EVENTS and not for_staff:
                continue  # engineers' notes and blocking reasons are internal
            who = self.actor(lang, e.actor)
            detail = {
                k: clip(str(v), limit) if limit is not None else str(v)
                for k, v in e.detail.items()
            }
            if "from" in detail:
                detail["frm"] = self.staff_name(detail.pop("from"))
            if "to" in detail:
                detail["to"] = self.staff_name(detail["to"])
            if e.kind == "details_added" and "field" in detail:
                try:  # the field's label in the reader's language, not its internal key
                    detail["field"] = text(lang, f"field.{detail['field']}")
                except KeyError:
                    pass
            if "clock" in detail:  # the clock's name in the reader's language, if it has one
                try:
                    detail["clock"] = text(lang, f"sla.clock.{detail['clock']}")
                except KeyError:
                    pass
            if e.kind == "resumed" and "seconds" in e.detail:
                detail["span"] = span(float(e.detail["seconds"]), lang)
            if e.kind == "blocked":  # reasons in the reader's words
                none = text(lang, "blocking.none")
                for k in ("old", "new"):
                    detail[k] = self.cause(lang, detail[k]) if detail.get(k) else none
            ev = e.kind
            if e.kind == "reported" and "request" in detail:  # a service request
                ev, detail["kind"] = "requested", self.kind(lang, detail["request"])
            if e.kind == "reopened":
                reopens += 1
                detail["nth"] = ordinal(reopens, lang)
            try:
                what = text(lang, f"ev.{ev}", **detail)
            except (KeyError, IndexError):
                what = esc(e.kind)
            out.append((e, who, what))
        return out

    def pause_line(self, lang: str, pause: Pause | None) -> str:
        if pause is None:
            return ""
        key = "pause.line_active" if pause.state == "active" else "pause.line_proposed"
        return text(lang, key, kind=text(lang, f"pause.kind.{pause.kind}"), reason=pause.reason)


def ordinal(n: int, lang: str) -> str:
    """Which one in a row: "第 3 次" / "3rd time"."""
    if lang == "zh":
        return f"第 {n} 次"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} time"


# ------------------------------------------------------------ warranty (free/paid), charges
def billing_name(lang: str, billing: str) -> str:
    """质保期内（免费） / 质保期外（有偿）; "" for a ticket with no contract."""
    return text(lang, f"billing.{billing}") if billing in ("free", "paid") else ""


def billing_line(p: Parts, lang: str, t: Ticket) -> str:
    """The card's service line; after the warranty with the contract's renewal terms, which
    the managers who see the card negotiate."""
    name = billing_name(lang, t.billing)
    if not name:
        return ""
    project = p.settings.find_project(t.project_key)
    contract = project.contract if project is not None else None
    if t.billing != "paid" or contract is None or contract.renewal_rate is None:
        return text(lang, "billing.card", billing=name)
    rate = contract.renewal_rate.strip()
    percent = contract.renewal_percent
    if contract.value is None or percent is None:
        return text(lang, "billing.card_renewal", billing=name, rate=rate)
    amount = Decimal(str(contract.value)) * Decimal(str(percent)) / 100
    return text(
        lang, "billing.card_renewal_value", billing=name, rate=rate, amount=yuan(amount)
    )


def charge_lines(lang: str, charges: Charges) -> list[tuple[str, str]]:
    """Each charge as (item, amount), parts first, then labour (plain text)."""
    rows = [(text(lang, "doc.charge.part", text=x.text), yuan(x.amount)) for x in charges.parts]
    if charges.labour is not None:
        rows.append((text(lang, "doc.charge.labour"), yuan(charges.labour)))
    return rows



# How one notice key becomes its Bot API calls; each area module has a table of these.
RenderFn = Callable[[Parts, str, Notice], list[Call]]
