"""Warranty and charges (`work.ask_parts`, `work.ask_labour`, `work.charge_bad`,
`work.charges_saved`): the questions of a paid ticket's resolve, with their Skip button. The
lines other areas print (the card's service line, the charges of a report or an export) are
in `parts`: `billing_name`, `billing_line`, `charge_lines`."""

from __future__ import annotations

from typing import Literal

from bot.domain.warranty import yuan
from bot.services.notices import Notice, TicketNumber
from bot.services.warranty import ChargeProblem, ChargesRecorded
from bot.telegram.callbacks import ChargeSkip
from bot.telegram.catalog import Markup, text
from bot.telegram.render.parts import Parts, RenderFn
from bot.telegram.render.widgets import Call, button, keyboard, message


def _ask(key: str, step: Literal["p", "l"]) -> RenderFn:
    def render(p: Parts, lang: str, n: Notice) -> list[Call]:
        ticket_id = n.params_as(TicketNumber).ticket_id
        assert ticket_id is not None
        skip = keyboard([button(text(lang, "btn.skip_charge"), ChargeSkip(ticket_id, step))])
        return [message(n, text(lang, key, ticket_id=ticket_id), skip)]

    return render


def charge_bad(p: Parts, lang: str, n: Notice) -> list[Call]:
    """Why the parts or the amount were refused, and how to write them."""
    bad = n.params_as(ChargeProblem)
    problem = text(lang, f"charge.bad.{bad.reason}")
    value = bad.value if len(bad.value) <= 60 else bad.value[:59] + "…"
    if bad.line:
        head = text(lang, "charge.bad_line", line=bad.line, value=value, problem=problem)
    else:
        head = text(lang, "charge.bad_value", value=value, problem=problem)
    return [message(n, text(lang, "work.charge_bad", problem=Markup(head)))]


def charges_saved(p: Parts, lang: str, n: Notice) -> list[Call]:
    saved = n.params_as(ChargesRecorded)
    c = saved.charges
    lines = [text(lang, "charge.part_line", text=x.text, amount=yuan(x.amount)) for x in c.parts]
    if c.labour is not None:
        lines.append(text(lang, "charge.labour_line", amount=yuan(c.labour)))
    lines = lines or [text(lang, "charge.nothing")]  # a correction to "nothing charged"
    # Each line is catalog HTML with its part's name escaped: inserted as it is.
    body = text(
        lang,
        "work.charges_saved",
        ticket_id=saved.ticket_id,
        lines=Markup("\n".join(lines)),
        total=yuan(c.total),
    )
    return [message(n, body)]


RENDERERS: dict[str, RenderFn] = {
    "work.ask_parts": _ask("work.ask_parts", "p"),
    "work.ask_labour": _ask("work.ask_labour", "l"),
    "work.charge_bad": charge_bad,
    "work.charges_saved": charges_saved,
}
