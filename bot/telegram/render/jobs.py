"""Document jobs' own notices: a document that could not be made, named in the reader's
language (each kind's document is said by its delivered notice, in its own area)."""

from __future__ import annotations

from bot.services.jobs import JobFailed
from bot.services.notices import Notice
from bot.telegram.catalog import markup, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, message


def failed(p: Parts, lang: str, n: Notice) -> list[Call]:
    f = n.params_as(JobFailed)
    return [message(n, text(lang, "jobs.failed", what=markup(lang, f.what)))]


RENDERERS: dict[str, RenderFn] = {
    "jobs.failed": failed,
}
