"""Joining and the profile dialog (`start.*`, `profile.*`)."""

from __future__ import annotations

from bot.services.notices import Notice
from bot.services.onboarding import ManagerGreeting, ProjectName, SavedProfile
from bot.telegram.catalog import text
from bot.telegram.menus import HelpFor, help_text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, message


def profile_saved(p: Parts, lang: str, n: Notice) -> list[Call]:
    d = n.params_as(SavedProfile)
    return [message(n, text(lang, "profile.saved", name=d.name, unit=d.unit, phone=d.phone))]


def help_(p: Parts, lang: str, n: Notice) -> list[Call]:
    """/help: every command of the user's roles, from the same table as the command menu; a
    customer's ends with their project's hotline and customer manager."""
    asked = n.params_as(HelpFor)
    body = help_text(lang, asked.audiences)
    if contact := p.contact_line(lang, asked.project_key):
        body += "\n\n" + contact
    return [message(n, body)]


def welcome(p: Parts, lang: str, n: Notice) -> list[Call]:
    """Joined (or back): the project's name, then how to reach its hotline and manager."""
    joined = n.params_as(ProjectName)
    body = text(lang, n.key, project=joined.project)
    if contact := p.contact_line(lang, joined.key):
        body += "\n" + contact
    return [message(n, body)]


def manager_greeting(p: Parts, lang: str, n: Notice) -> list[Call]:
    g = n.params_as(ManagerGreeting)
    sep = "、" if lang == "zh" else ", "
    role = sep.join(text(lang, f"role.{r}") for r in g.roles)
    return [message(n, text(lang, "start.manager", name=g.name, role=role))]


RENDERERS: dict[str, RenderFn] = {
    "profile.saved": profile_saved,
    "help": help_,
    "start.manager": manager_greeting,
    "start.joined": welcome,
    "start.welcome_back": welcome,
}
