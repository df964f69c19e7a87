"""Renderers of the roster: /oncall, /schedule, .ics, cover, swaps, hand-off, gaps, group."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from bot.config import StaffConfig
from bot.domain.roster import Shift
from bot.domain.ticket import Ticket
from bot.services.notices import Notice
from bot.services.roster import DutyView
from bot.telegram.catalog import Markup, esc, text
from bot.telegram.render_sla import Call, SlaRenderer


def _names(people: list[StaffConfig]) -> str:
    return ", ".join(p.name for p in people)


class RosterRenderer(SlaRenderer):
    """Mixed into Renderer; these methods render the `roster.*` and `group.*` notices."""

    def ticket_line(self, lang: str, t: Ticket) -> str:
        raise NotImplementedError

    def span_local(self, start: datetime, end: datetime) -> str:
        return f"{self.when(start)} – {self.when(end)}"

    def _roster_oncall(self, lang: str, n: Notice) -> list[Call]:
        views: list[DutyView] = n.params["views"]
        blocks = []
        for v in views:
            lines = [f"<b>{esc(v.project.name)}</b>"]
            for layer, people in v.now.items():
                lines.append(
                    text(
                        lang,
                        "roster.now_line",
                        layer=layer,
                        names=_names(people) or text(lang, "roster.nobody"),
                    )
                )
            if v.always:
                lines.append(text(lang, "roster.always_line", names=_names(v.always)))
            if v.gap:
                lines.append(text(lang, "roster.gap_now"))
            if v.next_at is not None:
                nxt = "; ".join(
                    f"{layer}: {_names(p) or text(lang, 'roster.nobody')}"
                    for layer, p in v.next_now.items()
                )
                lines.append(text(lang, "roster.next_line", at=self.when(v.next_at), who=nxt))
            blocks.append("\n".join(lines))
        body = "\n\n".join(blocks) or text(lang, "list.empty")
        return [self.message(n, text(lang, "roster.oncall", body=Markup(body)))]

    def _roster_schedule(self, lang: str, n: Notice) -> list[Call]:
        from bot.telegram.render import button, keyboard

        blocks = []
        for project, shifts, gaps in n.params["rows"]:
            lines = [f"<b>{esc(project.name)}</b>"]
            for s in shifts[:40]:
                lines.append(
                    f"{esc(self.span_local(s.start, s.end))} {esc(s.layer)}: "
                    f"{esc(self.staff_name(s.member))}"
                )
            for a, b in gaps[:10]:
                lines.append(text(lang, "roster.gap_line", span=self.span_local(a, b)))
            blocks.append("\n".join(lines))
        mine: list[Shift] = n.params["mine"]
        own = "\n".join(esc(f"{self.span_local(s.start, s.end)} ({s.layer})") for s in mine)
        body = text(
            lang,
            "roster.schedule",
            body=Markup("\n\n".join(blocks)),
            mine=Markup(own or text(lang, "list.empty")),
        )
        kb = keyboard([button(text(lang, "btn.ics"), "ics")]) if mine else None
        return [self.message(n, body, kb)]

    def _roster_ics(self, lang: str, n: Notice) -> list[Call]:
        data: bytes = n.params["data"]
        return [
            (
                "sendDocument",
                {
                    "chat_id": n.to,
                    "document_b64": base64.b64encode(data).decode("ascii"),
                    "filename": "oncall.ics",
                    "caption": text(lang, "roster.ics_caption", count=n.params["count"]),
                    "parse_mode": "HTML",
                },
            )
        ]

    def _when_params(self, n: Notice) -> dict[str, Any]:
        p = n.params
        out: dict[str, Any] = {}
        for key in ("start", "end"):
            if isinstance(p.get(key), datetime):
                out[key] = self.when(p[key])
        return out

    def _roster_covered(self, lang: str, n: Notice) -> list[Call]:
        return [
            self.message(
                n, text(lang, "roster.covered", name=n.params["name"], **self._when_params(n))
            )
        ]

    def _roster_you_cover(self, lang: str, n: Notice) -> list[Call]:
        return [
            self.message(
                n, text(lang, "roster.you_cover", by=n.params["by"], **self._when_params(n))
            )
        ]

    def _roster_shift_soon(self, lang: str, n: Notice) -> list[Call]:
        return [
            self.message(
                n, text(lang, "roster.shift_soon", layer=n.params["layer"], **self._when_params(n))
            )
        ]

    def _roster_pick_shift(self, lang: str, n: Notice) -> list[Call]:
        from bot.telegram.render import button, keyboard

        rows = [
            [button(self.span_local(s.start, s.end), f"sws:{int(s.start.timestamp())}")]
            for _, s in n.params["shifts"]
        ]
        return [self.message(n, text(lang, "roster.pick_shift"), keyboard(*rows))]

    def _swap_span(self, n: Notice) -> str:
        swap = n.params["swap"]
        return self.span_local(swap.start, swap.end)

    def _roster_pick_colleague(self, lang: str, n: Notice) -> list[Call]:
        from bot.telegram.render import button, clip, keyboard

        swap = n.params["swap"]
        rows = [
            [button(clip(c.name, 60), f"swc:{swap.id}:{c.key}")] for c in n.params["colleagues"]
        ]
        return [
            self.message(
                n, text(lang, "roster.pick_colleague", span=self._swap_span(n)), keyboard(*rows)
            )
        ]

    def _roster_swap_offer(self, lang: str, n: Notice) -> list[Call]:
        from bot.telegram.render import button, keyboard

        swap = n.params["swap"]
        kb = keyboard(
            [
                button(text(lang, "btn.take_shift"), f"swa:{swap.id}:y"),
                button(text(lang, "btn.decline_handover"), f"swa:{swap.id}:n"),
            ]
        )
        return [
            self.message(
                n,
                text(
                    lang,
                    "roster.swap_offer",
                    owner=n.params["owner"].name,
                    span=self._swap_span(n),
                ),
                kb,
            )
        ]

    def _swap_text(self, lang: str, n: Notice, key: str) -> list[Call]:
        p = n.params
        return [
            self.message(
                n,
                text(
                    lang,
                    key,
                    span=self._swap_span(n),
                    target=p["target"].name if "target" in p else "",
                    owner=p["owner"].name if "owner" in p else "",
                ),
            )
        ]

    def _roster_swap_sent(self, lang: str, n: Notice) -> list[Call]:
        return self._swap_text(lang, n, "roster.swap_sent")

    def _roster_swap_declined(self, lang: str, n: Notice) -> list[Call]:
        return self._swap_text(lang, n, "roster.swap_declined")

    def _roster_swap_accepted(self, lang: str, n: Notice) -> list[Call]:
        return self._swap_text(lang, n, "roster.swap_accepted")

    def _roster_swap_done(self, lang: str, n: Notice) -> list[Call]:
        return self._swap_text(lang, n, "roster.swap_done")

    def _roster_swap_told(self, lang: str, n: Notice) -> list[Call]:
        return self._swap_text(lang, n, "roster.swap_told")

    def _roster_handoff(self, lang: str, n: Notice) -> list[Call]:
        tickets: list[Ticket] = n.params["tickets"]
        lines = "\n".join(self.ticket_line(lang, t) for t in tickets[:40])
        return [
            self.message(
                n,
                text(
                    lang,
                    "roster.handoff",
                    project=n.params["project"],
                    count=len(tickets),
                    lines=Markup(lines or text(lang, "list.empty")),
                ),
            )
        ]

    def _roster_gaps(self, lang: str, n: Notice) -> list[Call]:
        gaps = n.params["gaps"]
        lines = "\n".join(esc(self.span_local(a, b)) for a, b in gaps[:20])
        return [
            self.message(
                n, text(lang, "roster.gaps", project=n.params["project"], lines=Markup(lines))
            )
        ]

    def _group_status(self, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        event = text(lang, f"group.ev.{n.params['event']}")
        return [
            self.message(
                n,
                text(
                    lang,
                    "group.status",
                    id=t.id,
                    event=event,
                    actor=n.params.get("actor", ""),
                    status=text(lang, f"status.{t.status.value}"),
                ),
            )
        ]
