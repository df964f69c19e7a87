"""The roster (`roster.*`, `group.status`): /oncall, /schedule and its .ics file, cover, shift
swaps, hand-off, gaps, and ticket news in the team group."""

from __future__ import annotations

import base64

from bot.config import StaffConfig
from bot.domain.swaps import Swap
from bot.services.notices import Notice
from bot.services.roster import Gaps, Handoff, Period, ShiftSoon
from bot.services.shifts import (
    Covered,
    CoveredBy,
    DutyViews,
    IcsFile,
    Schedule,
    ShiftChoice,
    SwapColleagues,
    SwapNews,
    SwapOffer,
)
from bot.services.tracking import GroupStatus
from bot.telegram.callbacks import IcsRequest, SwapAnswer, SwapColleague, SwapShift
from bot.telegram.catalog import Markup, esc, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, clip, keyboard, message


def _names(people: list[StaffConfig]) -> str:
    return ", ".join(p.name for p in people)


def oncall(p: Parts, lang: str, n: Notice) -> list[Call]:
    blocks = []
    for v in n.params_as(DutyViews).views:
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
                f"{layer}: {_names(people) or text(lang, 'roster.nobody')}"
                for layer, people in v.next_now.items()
            )
            lines.append(text(lang, "roster.next_line", at=p.when(v.next_at), who=nxt))
        blocks.append("\n".join(lines))
    body = "\n\n".join(blocks) or text(lang, "list.empty")
    return [message(n, text(lang, "roster.oncall", body=Markup(body)))]


def schedule(p: Parts, lang: str, n: Notice) -> list[Call]:
    week = n.params_as(Schedule)
    blocks = []
    for project, shifts, gaps in week.rows:
        lines = [f"<b>{esc(project.name)}</b>"]
        for s in shifts[:40]:
            lines.append(
                f"{esc(p.span_local(s.start, s.end))} {esc(s.layer)}: "
                f"{esc(p.staff_name(s.member))}"
            )
        for a, b in gaps[:10]:
            lines.append(text(lang, "roster.gap_line", span=p.span_local(a, b)))
        blocks.append("\n".join(lines))
    mine = week.mine
    own = "\n".join(esc(f"{p.span_local(s.start, s.end)} ({s.layer})") for s in mine)
    body = text(
        lang,
        "roster.schedule",
        body=Markup("\n\n".join(blocks)),
        mine=Markup(own or text(lang, "list.empty")),
    )
    kb = keyboard([button(text(lang, "btn.ics"), IcsRequest())]) if mine else None
    return [message(n, body, kb)]


def ics(p: Parts, lang: str, n: Notice) -> list[Call]:
    calendar = n.params_as(IcsFile)
    return [
        (
            "sendDocument",
            {
                "chat_id": n.to,
                "document_b64": base64.b64encode(calendar.data).decode("ascii"),
                "filename": "oncall.ics",
                "caption": text(lang, "roster.ics_caption", count=calendar.count),
                "parse_mode": "HTML",
            },
        )
    ]


# ------------------------------------------------------------ cover and shifts
def _times(p: Parts, period: Period) -> dict[str, str]:
    return {"start": p.when(period.start), "end": p.when(period.end)}


def covered(p: Parts, lang: str, n: Notice) -> list[Call]:
    cover = n.params_as(Covered)
    return [message(n, text(lang, "roster.covered", name=cover.name, **_times(p, cover)))]


def you_cover(p: Parts, lang: str, n: Notice) -> list[Call]:
    cover = n.params_as(CoveredBy)
    return [message(n, text(lang, "roster.you_cover", by=cover.by, **_times(p, cover)))]


def shift_soon(p: Parts, lang: str, n: Notice) -> list[Call]:
    shift = n.params_as(ShiftSoon)
    return [message(n, text(lang, "roster.shift_soon", layer=shift.layer, **_times(p, shift)))]


# ------------------------------------------------------------ swaps
def pick_shift(p: Parts, lang: str, n: Notice) -> list[Call]:
    rows = [
        [button(p.span_local(s.start, s.end), SwapShift(int(s.start.timestamp())))]
        for _, s in n.params_as(ShiftChoice).shifts
    ]
    return [message(n, text(lang, "roster.pick_shift"), keyboard(*rows))]


def _swap_span(p: Parts, swap: Swap) -> str:
    return p.span_local(swap.start, swap.end)


def pick_colleague(p: Parts, lang: str, n: Notice) -> list[Call]:
    picked = n.params_as(SwapColleagues)
    swap = picked.swap
    rows = [[button(clip(c.name, 60), SwapColleague(swap.id, c.key))] for c in picked.colleagues]
    body = text(lang, "roster.pick_colleague", span=_swap_span(p, swap))
    return [message(n, body, keyboard(*rows))]


def swap_offer(p: Parts, lang: str, n: Notice) -> list[Call]:
    offer = n.params_as(SwapOffer)
    swap = offer.swap
    kb = keyboard(
        [
            button(text(lang, "btn.take_shift"), SwapAnswer(swap.id, True)),
            button(text(lang, "btn.decline_handover"), SwapAnswer(swap.id, False)),
        ]
    )
    body = text(lang, "roster.swap_offer", owner=offer.owner.name, span=_swap_span(p, swap))
    return [message(n, body, kb)]


def _swap_news(key: str) -> RenderFn:
    """A swap's progress: sent, declined, accepted, done, told to the team."""

    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        news = n.params_as(SwapNews)
        body = text(
            lang,
            key,
            span=_swap_span(p, news.swap),
            target=news.target.name if news.target else "",
            owner=news.owner.name if news.owner else "",
        )
        return [message(n, body)]

    return render


# ------------------------------------------------------------ hand-off, gaps, the group
def handoff(p: Parts, lang: str, n: Notice) -> list[Call]:
    handed = n.params_as(Handoff)
    tickets = handed.tickets
    lines = "\n".join(p.ticket_line(lang, t) for t in tickets[:40])
    body = text(
        lang,
        "roster.handoff",
        project=handed.project,
        count=len(tickets),
        lines=Markup(lines or text(lang, "list.empty")),
    )
    return [message(n, body)]


def gaps(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(Gaps)
    lines = "\n".join(esc(p.span_local(a, b)) for a, b in found.gaps[:20])
    body = text(lang, "roster.gaps", project=found.project, lines=Markup(lines))
    return [message(n, body)]


def group_status(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    news = n.params_as(GroupStatus)
    body = text(
        lang,
        "group.status",
        id=t.id,
        event=text(lang, f"group.ev.{news.event}"),
        actor=news.actor,
        status=text(lang, f"status.{t.status.value}"),
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "roster.oncall": oncall,
    "roster.schedule": schedule,
    "roster.ics": ics,
    "roster.covered": covered,
    "roster.you_cover": you_cover,
    "roster.shift_soon": shift_soon,
    "roster.pick_shift": pick_shift,
    "roster.pick_colleague": pick_colleague,
    "roster.swap_offer": swap_offer,
    "roster.swap_sent": _swap_news("roster.swap_sent"),
    "roster.swap_declined": _swap_news("roster.swap_declined"),
    "roster.swap_accepted": _swap_news("roster.swap_accepted"),
    "roster.swap_done": _swap_news("roster.swap_done"),
    "roster.swap_told": _swap_news("roster.swap_told"),
    "roster.handoff": handoff,
    "roster.gaps": gaps,
    "group.status": group_status,
}
