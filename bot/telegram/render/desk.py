"""The hotline desk's /log dialog (`desk.*`): the project, the callers found, "now"."""

from __future__ import annotations

from bot.services.desk import CallerChoice, DeskStep, KindChoice, ProjectChoice
from bot.services.notices import Notice
from bot.telegram.callbacks import DeskButton
from bot.telegram.catalog import text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, clip, keyboard, message

MAX_LABEL = 60  # of a caller's button


def ask_project(p: Parts, lang: str, n: Notice) -> list[Call]:
    choice = n.params_as(ProjectChoice)
    rows = [
        [button(clip(name, MAX_LABEL), DeskButton("prj", key))] for key, name in choice.projects
    ]
    return [message(n, text(lang, "desk.ask_project"), keyboard(*rows))]


def ask_kind(p: Parts, lang: str, n: Notice) -> list[Call]:
    """A fault or one of the kinds of service request, one button each."""
    kinds = n.params_as(KindChoice).kinds
    rows = [[button(p.kind(lang, kind), DeskButton("knd", kind))] for kind in kinds]
    return [message(n, text(lang, "desk.ask_kind"), keyboard(*rows))]


def _new(lang: str) -> list[dict[str, str]]:
    return [button(text(lang, "btn.desk_new"), DeskButton("new"))]


def ask_caller(p: Parts, lang: str, n: Notice) -> list[Call]:
    step = n.params_as(DeskStep)
    return [message(n, text(lang, "desk.ask_caller", project=step.project), keyboard(_new(lang)))]


def callers(p: Parts, lang: str, n: Notice) -> list[Call]:
    found = n.params_as(CallerChoice)
    query = clip(found.query, MAX_LABEL)
    if not found.callers:
        return [message(n, text(lang, "desk.no_callers", query=query), keyboard(_new(lang)))]
    rows = [
        [button(clip(label, MAX_LABEL), DeskButton("who", str(uid)))]
        for uid, label in found.callers
    ]
    return [message(n, text(lang, "desk.callers", query=query), keyboard(*rows, _new(lang)))]


def ask_when(p: Parts, lang: str, n: Notice) -> list[Call]:
    now = button(text(lang, "btn.desk_now"), DeskButton("now"))
    return [message(n, text(lang, "desk.ask_when"), keyboard([now]))]


def logged(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    key = "desk.logged_request" if t.is_request else "desk.logged"
    return [message(n, text(lang, key, id=t.id, facts=p.ticket_body(lang, t)))]


RENDERERS: dict[str, RenderFn] = {
    "desk.logged": logged,
    "desk.ask_project": ask_project,
    "desk.ask_caller": ask_caller,
    "desk.callers": callers,
    "desk.ask_when": ask_when,
    "desk.ask_kind": ask_kind,
}
