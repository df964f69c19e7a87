"""Renderers of the contract's clocks: reminders, missed deadlines, escalation, /sla, pauses."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.domain.clocks import ClockSpec, Target
from bot.domain.pauses import Pause
from bot.domain.ticket import Level, Ticket
from bot.services.notices import Notice
from bot.services.sla import ClockView
from bot.telegram.catalog import Markup, esc, markup, text

Call = tuple[str, dict[str, Any]]


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


class SlaRenderer:
    """Mixed into Renderer; these methods render the `sla.*` and `pause.*` notices."""

    settings: Settings

    # Provided by Renderer.
    def when(self, at: datetime) -> str:
        raise NotImplementedError

    def level(self, lang: str, level: Level) -> str:
        raise NotImplementedError

    def staff_name(self, key: str | None) -> str:
        raise NotImplementedError

    def ticket_body(self, lang: str, t: Ticket, *, for_staff: bool = True) -> Markup:
        raise NotImplementedError

    def deadline_lines(self, lang: str, t: Ticket) -> Markup:
        raise NotImplementedError

    @staticmethod
    def message(notice: Notice, body: str, reply_markup: dict[str, Any] | None = None) -> Call:
        raise NotImplementedError

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

    def expectation(self, lang: str, spec: ClockSpec, *, customer: bool = False) -> str:
        if customer:
            try:
                return text(lang, f"sla.next.{spec.name}")
            except KeyError:
                return text(lang, "sla.next.default")
        if lang in spec.expect:
            return esc(spec.expect[lang])
        try:
            return text(lang, f"sla.expect.{spec.name}")
        except KeyError:
            return text(lang, "sla.expect.default")

    def _late_note(self, lang: str, late: datetime | None) -> Markup:
        if late is None:
            return Markup("")
        return markup(lang, "sla.late", due=self.when(late))

    def _sla_params(self, lang: str, n: Notice) -> dict[str, Any]:
        t = n.ticket
        assert t is not None
        spec: ClockSpec = n.params["spec"]
        due: datetime | None = n.params.get("due")
        clock = self.clock_name(lang, spec)
        if lang == "zh":
            clock = clock.removesuffix("时限")  # the templates say 时限 themselves
        return {
            "id": t.id,
            "clock": clock,
            "due": self.when(due) if due else "—",
            "late": self._late_note(lang, n.params.get("late")),
            "site": t.site or "—",
            "level": self.level(lang, t.level),
        }

    def _sla_warn(self, lang: str, n: Notice) -> list[Call]:
        params = self._sla_params(lang, n)
        body = text(lang, "sla.warn", left=span(n.params["remaining"], lang), **params)
        return [self.message(n, body)]

    @staticmethod
    def _missed_key(key: str, n: Notice) -> str:
        """Missed at its due time: "the deadline has passed", not "missed by 0 minutes"."""
        return f"{key}_now" if n.params["over"] < 60 else key

    def _sla_missed(self, lang: str, n: Notice) -> list[Call]:
        spec: ClockSpec = n.params["spec"]
        body = text(
            lang,
            self._missed_key("sla.missed", n),
            over=span(n.params["over"], lang),
            expect=Markup(self.expectation(lang, spec)),
            **self._sla_params(lang, n),
        )
        return [self.message(n, body)]

    def _sla_escalated(self, lang: str, n: Notice) -> list[Call]:
        spec: ClockSpec = n.params["spec"]
        t = n.ticket
        assert t is not None
        body = text(
            lang,
            "sla.escalated",
            over=span(n.params["over"], lang),
            owner=self.staff_name(t.owner_key) if t.owner_key else text(lang, "sla.nobody"),
            expect=Markup(self.expectation(lang, spec)),
            **self._sla_params(lang, n),
        )
        return [self.message(n, body)]

    def _sla_customer_missed(self, lang: str, n: Notice) -> list[Call]:
        spec: ClockSpec = n.params["spec"]
        body = text(
            lang,
            self._missed_key("sla.customer_missed", n),
            over=span(n.params["over"], lang),
            next=Markup(self.expectation(lang, spec, customer=True)),
            **self._sla_params(lang, n),
        )
        return [self.message(n, body)]

    def _sla_opened(self, lang: str, n: Notice) -> list[Call]:
        spec: ClockSpec = n.params["spec"]
        body = text(
            lang,
            "sla.opened",
            expect=Markup(self.expectation(lang, spec)),
            **self._sla_params(lang, n),
        )
        return [self.message(n, body)]

    def clock_line(self, lang: str, v: ClockView, day_seconds: float = 0.0) -> str:
        name = esc(self.clock_name(lang, v.spec))
        amount = v.state.target_seconds / 3600 if v.state.business else v.state.target_seconds
        unit = "bh" if v.state.business else "s"
        # A working-day target ("3wd") reads in working days, not in business hours.
        wd = [x for x in v.spec.targets.values() if x.unit == "wd"]
        if (
            v.state.business
            and day_seconds
            and any(x.amount * day_seconds == v.state.target_seconds for x in wd)
        ):
            amount, unit = v.state.target_seconds / day_seconds, "wd"
        target = esc(self.target_text(lang, Target(amount, unit)))
        if v.met is True:
            verdict = text(lang, "sla.met")
        elif v.met is False or v.remaining < 0:
            verdict = text(lang, "sla.missed_short", over=span(-v.remaining, lang))
        elif v.due_at is None:
            verdict = text(lang, "sla.paused_short")
        else:
            verdict = text(lang, "sla.left", left=span(v.remaining, lang), due=self.when(v.due_at))
        paused = text(lang, "sla.paused_for", d=span(v.paused, lang)) if v.paused >= 60 else ""
        return text(
            lang,
            "sla.line",
            name=Markup(name),
            target=Markup(target),
            elapsed=span(v.elapsed, lang),
            verdict=Markup(verdict),
            paused=Markup(paused),
        )

    def _sla_view(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        views: list[ClockView] = n.params["views"]
        day = self.settings.sla_policy(t.project_key).calendar.day_seconds
        lines = [self.clock_line(lang, v, day) for v in views] or [text(lang, "list.empty")]
        pause: Pause | None = n.params.get("pause")
        head = self.pause_line(lang, pause)
        body = text(
            lang,
            "sla.view",
            id=t.id,
            level=self.level(lang, t.level),
            pause=Markup(head),
            lines=Markup("\n".join(lines)),
        )
        return [self.message(n, body)]

    def pause_line(self, lang: str, pause: Pause | None) -> str:
        if pause is None:
            return ""
        key = "pause.line_active" if pause.state == "active" else "pause.line_proposed"
        return text(lang, key, kind=text(lang, f"pause.kind.{pause.kind}"), reason=pause.reason)

    def card_extra(self, lang: str, n: Notice) -> str:
        """The nearest deadline and any pause, under the ticket card."""
        lines = []
        nearest: ClockView | None = n.params.get("nearest")
        if nearest is not None and nearest.due_at is not None:
            lines.append(
                text(
                    lang,
                    "sla.nearest",
                    clock=self.clock_name(lang, nearest.spec),
                    due=self.when(nearest.due_at),
                )
            )
        pause_text = self.pause_line(lang, n.params.get("pause"))
        if pause_text:
            lines.append(pause_text)
        return "\n".join(lines)

    def _pause_approve(self, lang: str, n: Notice) -> list[Call]:
        from bot.telegram.render import button, keyboard

        t = n.ticket
        assert t is not None
        pid = n.params["pause_id"]
        kb = keyboard(
            [
                button(text(lang, "btn.approve"), f"pz:{pid}:y"),
                button(text(lang, "btn.reject"), f"pz:{pid}:n"),
            ]
        )
        body = text(
            lang,
            "pause.approve",
            id=t.id,
            owner=n.params["owner"].name,
            reason=n.params["reason"],
            body=self.ticket_body(lang, t),
        )
        return [self.message(n, body, kb)]

    def _pause_kind_params(self, lang: str, n: Notice) -> dict[str, Any]:
        t = n.ticket
        assert t is not None
        return {
            "id": t.id,
            "kind": text(lang, f"pause.kind.{n.params['kind']}"),
            "reason": n.params.get("reason", ""),
            "d": span(float(n.params.get("seconds", 0)), lang),
        }

    def _pause_started(self, lang: str, n: Notice) -> list[Call]:
        return [self.message(n, text(lang, "pause.started", **self._pause_kind_params(lang, n)))]

    def _customer_paused(self, lang: str, n: Notice) -> list[Call]:
        key = f"customer.paused_{n.params['kind']}"
        return [self.message(n, text(lang, key, **self._pause_kind_params(lang, n)))]

    def _pause_ended(self, lang: str, n: Notice) -> list[Call]:
        assert n.ticket is not None
        return [
            self.message(
                n,
                text(
                    lang,
                    "pause.ended",
                    **self._pause_kind_params(lang, n),
                    deadlines=self.deadline_lines(lang, n.ticket),
                ),
            )
        ]

    def _customer_resumed(self, lang: str, n: Notice) -> list[Call]:
        assert n.ticket is not None
        return [
            self.message(
                n,
                text(
                    lang,
                    "customer.resumed",
                    **self._pause_kind_params(lang, n),
                    deadlines=self.deadline_lines(lang, n.ticket),
                ),
            )
        ]

    def _pause_rejected(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [self.message(n, text(lang, "pause.rejected", id=t.id, by=n.params["by"].name))]

    def _customer_proposal(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        body = text(lang, "customer.proposal", id=t.id, engineer=n.params["engineer"].name)
        return [self.message(n, body)]

    def _work_event_recorded(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        return [
            self.message(
                n,
                text(
                    lang,
                    "work.event_recorded",
                    id=t.id,
                    event=text(lang, f"ev.{n.params['event']}"),
                ),
            )
        ]
