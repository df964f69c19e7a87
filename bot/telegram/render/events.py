"""Major events (重大活动): the list with each event's history and standby engineers, the
project and standby pickers, and the messages that name an event (its project in the reader's
words, "every project" when it has none)."""

from __future__ import annotations

from bot.services.events import EventChoices, EventFacts, EventLine, EventList
from bot.services.notices import Notice
from bot.telegram.callbacks import EventProject, StandbyPick
from bot.telegram.catalog import Markup, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, keyboard, message


def _facts(lang: str, f: EventFacts) -> dict[str, str]:
    values = f.plain()
    values["project"] = f.project or text(lang, "events.every_project")
    values["phone"] = f.phone or text(lang, "events.no_phone")
    return values


def _with_facts(key: str) -> RenderFn:
    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        return [message(n, text(lang, key, **_facts(lang, n.params_as(EventFacts))))]

    return render


def _line(p: Parts, lang: str, line: EventLine, today_ahead: bool) -> str:
    e = line.event
    now = p.clock.now()
    if e.ended(now) or not today_ahead:
        state = text(lang, "events.state_over")
    elif e.start <= now.astimezone(p.settings.tz).date():
        state = text(lang, "events.state_now")
    else:
        state = text(lang, "events.state_upcoming")
    rows = [
        text(
            lang,
            "events.line",
            ref=e.ref,
            name=e.name,
            start=e.start.isoformat(),
            end=e.end.isoformat(),
            project=line.project or text(lang, "events.every_project"),
            state=state,
        )
    ]
    if e.from_config:
        rows.append(text(lang, "events.line_config"))
    if e.created_at is not None:
        who = p.actor(lang, e.created_by)
        rows.append(text(lang, "events.line_added", who=who, at=p.when(e.created_at)))
    for s in line.standby:
        person = p.settings.find_staff(s.staff_key)
        rows.append(
            text(
                lang,
                "events.line_standby",
                staff=person.name if person else s.staff_key,
                phone=(person.phone if person else "") or text(lang, "events.no_phone"),
                who=p.actor(lang, s.named_by),
                at=p.when(s.at),
            )
        )
    if e.ended_at is not None and e.ended(now):
        who = p.actor(lang, e.ended_by)
        rows.append(text(lang, "events.line_ended", who=who, at=p.when(e.ended_at)))
    return "\n".join(rows)


def listing(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(EventList)
    now = p.clock.now()
    ahead = [x for x in found.lines if x.event.ahead(found.today, now)]
    over = [x for x in found.lines if not x.event.ahead(found.today, now)]
    blocks = [_line(p, lang, x, True) for x in ahead] or [text(lang, "events.none")]
    if over:
        blocks.append(text(lang, "events.recent"))
        blocks += [_line(p, lang, x, False) for x in over]
    lines = Markup("\n\n".join(blocks))
    body = text(lang, "events.list", today=found.today.isoformat(), lines=lines)
    return [message(n, body)]


def pick_project(p: Parts, lang: str, n: Notice) -> list[Call]:
    c = n.params_as(EventChoices)
    rows = [[button(name, EventProject(c.event_id, key))] for key, name in c.choices]
    body = text(lang, "events.pick_project", **_facts(lang, c.facts))
    return [message(n, body, keyboard(*rows))]


def pick_standby(p: Parts, lang: str, n: Notice) -> list[Call]:
    c = n.params_as(EventChoices)
    if not c.choices:
        return [message(n, text(lang, "events.no_engineers", **_facts(lang, c.facts)))]
    buttons = [button(name, StandbyPick(c.event_id, key)) for key, name in c.choices]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    body = text(lang, "events.pick_standby", **_facts(lang, c.facts))
    return [message(n, body, keyboard(*rows))]


RENDERERS: dict[str, RenderFn] = {
    "events.list": listing,
    "events.pick_project": pick_project,
    "events.pick_standby": pick_standby,
    **{
        key: _with_facts(key)
        for key in (
            "events.added",
            "events.ended",
            "events.already_over",
            "events.standby_named",
            "events.standby_already",
            "events.standby_you",
            "events.standby_customer",
        )
    },
}
