"""Joining and the profile dialog (`start.*`, `profile.*`)."""

from __future__ import annotations

from bot.services.notices import Notice
from bot.services.onboarding import ManagerGreeting, SavedProfile
from bot.telegram.catalog import text
from bot.telegram.menus import HelpFor, help_text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, message


def profile_saved(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(SavedProfile)
    return [message(n, text(lang, "profile.saved", name=d.name, unit=d.unit, phone=d.phone))]


def help_(p: Parts, lang: str, n: Notice) -> list[Call]:
    """/help: every command of the user's roles, from the same table as the command menu."""
    return [message(n, help_text(lang, n.params_as(HelpFor).audiences))]


def manager_greeting(p: Parts, lang: str, n: Notice) -> list[Call]:
    g = n.params_as(ManagerGreeting)
    sep = "、" if lang == "zh" else ", "
    role = sep.join(text(lang, f"role.{r}") for r in g.roles)
    return [message(n, text(lang, "start.manager", name=g.name, role=role))]


RENDERERS: dict[str, RenderFn] = {
    "profile.saved": profile_saved,
    "help": help_,
    "start.manager": manager_greeting,
}
