"""The satisfaction survey (`survey.*`): the stars, the comment with its Skip button, the
"file a complaint" offer after a low score, and the customer managers told of it."""

from __future__ import annotations

from bot.services.notices import Notice
from bot.services.surveys import Rated
from bot.telegram.callbacks import ComplainAbout, SurveySkip, SurveyStars
from bot.telegram.catalog import text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, keyboard, message


def ask(p: Parts, lang: str, n: Notice) -> list[Call]:
    """One message, five buttons: 1 to 5 stars."""
    t = n.ticket
    assert t is not None
    stars = [button("⭐" * k, SurveyStars(t.id, k)) for k in range(1, 6)]
    kb = keyboard(stars[:3], stars[3:])
    return [message(n, text(lang, "survey.ask", id=t.id), kb)]


def ask_comment(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    kb = keyboard([button(text(lang, "btn.survey_skip"), SurveySkip(t.id))])
    return [message(n, text(lang, "survey.ask_comment", id=t.id), kb)]


def complain_offer(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    kb = keyboard([button(text(lang, "btn.complain"), ComplainAbout(t.id))])
    return [message(n, text(lang, "survey.complain_offer", id=t.id), kb)]


def low(p: Parts, lang: str, n: Notice) -> list[Call]:
    """A customer manager told of a low score, with the ticket's facts to call back with."""
    t = n.ticket
    assert t is not None
    rated = n.params_as(Rated)
    key = "survey.low_comment" if n.key == "survey.low_comment" else "survey.low"
    body = text(
        lang, key, id=t.id, stars=rated.stars, comment=rated.comment, body=p.ticket_body(lang, t)
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "survey.ask": ask,
    "survey.ask_comment": ask_comment,
    "survey.complain_offer": complain_offer,
    "survey.low": low,
    "survey.low_comment": low,
}
