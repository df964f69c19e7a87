"""A paid ticket's charges, asked in the resolve dialog (after what was done) and by /charges N
(a correction): the answers taken into the work draft, the hints for bad input, the notices'
parameters. The dialog's flow is in bot/services/work.py; the rules in bot/domain/warranty.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.domain.drafts import WorkDraft
from bot.domain.warranty import (
    ChargeError,
    Charges,
    PartCharge,
    is_skip,
    parse_amount,
    parse_parts,
)
from bot.services.notices import Notice, Params

# The questions about a paid ticket's charges: the parts, then the labour.
CHARGE_STEPS = ("charge_parts", "charge_labour")
# WorkDraft.about of a /charges correction (no resolve at its end).
CORRECTION = "charges"


@dataclass(frozen=True)
class ChargeProblem(Params):
    """work.charge_bad: why the parts or the labour were refused (a `charge.bad.*` key), the
    parts line (1-based; 0 for an amount alone) and what was typed."""

    ticket_id: int
    reason: str
    line: int
    value: str


@dataclass(frozen=True)
class ChargesRecorded(Params):
    """work.charges_saved: the charges recorded (with the resolution, or corrected)."""

    ticket_id: int
    charges: Charges


def drafted_charges(draft: WorkDraft) -> Charges:
    """The charges the dialog collected (empty when every question was skipped)."""
    parts = tuple(PartCharge(text, Decimal(amount)) for text, amount in draft.parts)
    return Charges(parts, Decimal(draft.labour) if draft.labour else None)


def take_charge_answer(uid: int, draft: WorkDraft, typed: str) -> Notice | None:
    """The answer to the question the draft waits at, kept in the draft (a skip word keeps
    nothing); the hint to write it again when it cannot be read."""
    if is_skip(typed):
        return None
    try:
        if draft.step == "charge_parts":
            draft.parts = [[p.text, str(p.amount)] for p in parse_parts(typed)]
        else:
            draft.labour = str(parse_amount(typed))
    except ChargeError as e:
        bad = ChargeProblem(draft.ticket_id, e.reason, e.line, e.value)
        return Notice(uid, "work.charge_bad", params=bad)
    return None
