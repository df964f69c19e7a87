"""Why an open ticket is not fixed yet: the choice of reasons (the config's causes, and
"clear"), what changed, and the usage of /blocked with the reasons spelled out."""

from __future__ import annotations

from bot.services.blocking import CLEAR, BlockingChange
from bot.services.notices import Notice
from bot.telegram.callbacks import BlockingChoice
from bot.telegram.catalog import text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, keyboard, message


def reason_label(p: Parts, lang: str, key: str) -> str:
    """A reason in the reader's words; "" is "none"."""
    return p.cause(lang, key) if key else text(lang, "blocking.none")


def ask(p: Parts, lang: str, n: Notice) -> list[Call]:
    t = n.ticket
    assert t is not None
    buttons = [
        button(c.label(lang), BlockingChoice(t.id, c.key))
        for c in p.settings.causes
        if c.key != t.blocking_reason
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if t.blocking_reason:
        rows.append([button(text(lang, "btn.blocked_clear"), BlockingChoice(t.id, CLEAR))])
    body = text(lang, "blocking.ask", id=t.id, current=reason_label(p, lang, t.blocking_reason))
    return [message(n, body, keyboard(*rows))]


def _change(key: str) -> RenderFn:
    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        t = n.ticket
        assert t is not None
        c = n.params_as(BlockingChange)
        body = text(
            lang,
            key,
            id=t.id,
            old=reason_label(p, lang, c.old),
            new=reason_label(p, lang, c.new),
            who=c.who,
        )
        return [message(n, body)]

    return render


def usage(p: Parts, lang: str, n: Notice) -> list[Call]:
    reasons = ", ".join(f"{c.key} ({c.label(lang)})" for c in p.settings.causes)
    return [message(n, text(lang, "usage.blocked", reasons=reasons))]


RENDERERS: dict[str, RenderFn] = {
    "blocking.ask": ask,
    "blocking.changed": _change("blocking.changed"),
    "blocking.changed_by": _change("blocking.changed_by"),
    "blocking.unchanged": _change("blocking.unchanged"),
    "usage.blocked": usage,
}
