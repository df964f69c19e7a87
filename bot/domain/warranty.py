"""Warranty and charges (pure): is a ticket free (质保期内) or paid (质保期外), and what was
charged for a paid one.

A ticket's billing is decided once, when it is filed, from the day it was reported (the local
day of the project's time zone) and the contract's last day of warranty: a later change of the
config does not rewrite history. Charges are amounts in yuan with at most two decimals, kept as
`Decimal` (never floats: 0.1 + 0.2 is not 0.3 in money). They are recorded as a timeline entry
("charges") on resolving: never edited, a later entry (a resolve after a reopen) is the
correction, and every entry keeps who and when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.domain.timeline import TimelineEntry

# "": the project has no contract (nothing is shown); "free": reported on or before the
# warranty's last day; "paid": after it.
Billing = Literal["", "free", "paid"]
BILLINGS: tuple[Billing, ...] = ("", "free", "paid")

CHARGES_EVENT = "charges"
# One amount at most this (a hotline's part or labour, not a contract): a typo with extra
# digits is caught instead of printed.
MAX_AMOUNT = Decimal("10000000")
MAX_PARTS = 20
MAX_PART_TEXT = 200
# Words that mean "nothing to charge" when typed instead of pressing Skip.
SKIP_WORDS = frozenset({"无", "没有", "跳过", "skip", "none", "no", "-", "—"})

_CURRENCY = re.compile(r"^(?:¥|￥|rmb|cny)\s*|\s*(?:元|yuan|rmb|cny)$", re.I)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
# A Chinese part name with its amount written on ("电源模块350元"): the amount after the last
# non-ASCII character.
_CJK_TAIL = re.compile(r"(.*[^\x00-\x7f])\s*([¥￥]?\s*[-−]?[0-9][0-9.,]*\s*元?)")
# Why an amount was refused: a catalog key suffix (`charge.bad.<reason>`).
AmountProblem = Literal["empty", "not_number", "negative", "decimals", "too_large"]
PartsProblem = AmountProblem | Literal["no_amount", "no_text", "too_many", "text_too_long"]


def billing_of(reported_at: datetime, tz: ZoneInfo, warranty_end: date | None) -> Billing:
    """Free when the local day of the report is on or before the warranty's last day; paid
    after it; "" without a contract."""
    if warranty_end is None:
        return ""
    return "free" if reported_at.astimezone(tz).date() <= warranty_end else "paid"


class ChargeError(ValueError):
    """An amount or a parts line the engineer must write again: `reason` names the problem,
    `line` the parts line (1-based, 0 for a single amount), `value` what was typed."""

    def __init__(self, reason: PartsProblem, value: str = "", line: int = 0) -> None:
        super().__init__(reason)
        self.reason: PartsProblem = reason
        self.value = value
        self.line = line


def parse_amount(text: str) -> Decimal:
    """Yuan as typed ("350", "350.5", "¥1,200.00", "80元") → Decimal; ChargeError otherwise."""
    raw = text.strip()
    value = _CURRENCY.sub("", raw).replace(",", "").replace("，", "").strip()
    if not value:
        raise ChargeError("empty", raw)
    negative = value.startswith(("-", "−"))
    if negative:
        value = value[1:].strip()
    if not value.isascii() or not _NUMBER.fullmatch(value):
        raise ChargeError("not_number", raw)
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ChargeError("not_number", raw) from None
    if negative and amount != 0:
        raise ChargeError("negative", raw)
    if "." in value and len(value.split(".", 1)[1]) > 2:
        raise ChargeError("decimals", raw)
    if amount > MAX_AMOUNT:
        raise ChargeError("too_large", raw)
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PartCharge:
    """One part charged: what it is, and its amount in yuan."""

    text: str
    amount: Decimal


def parse_parts(text: str) -> tuple[PartCharge, ...]:
    """Parts as typed, one a line: the part, then its amount last ("电源模块 350",
    "Fan x2 ¥120.50"); ChargeError naming the first bad line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > MAX_PARTS:
        raise ChargeError("too_many", str(len(lines)))
    parts = []
    for number, line in enumerate(lines, start=1):
        words = line.rsplit(None, 1)
        if len(words) < 2 or not _looks_like_amount(words[1]):
            joined = _CJK_TAIL.fullmatch(line)
            if joined is not None:
                words = [joined.group(1), joined.group(2)]
        if len(words) < 2:
            only = words[0] if words else ""
            reason: PartsProblem = "no_text" if _looks_like_amount(only) else "no_amount"
            raise ChargeError(reason, line, number)
        name, raw = words[0].strip(), words[1]
        if len(name) > MAX_PART_TEXT:
            raise ChargeError("text_too_long", line, number)
        try:
            amount = parse_amount(raw)
        except ChargeError as e:
            reason = "no_amount" if e.reason == "not_number" else e.reason
            raise ChargeError(reason, raw, number) from None
        parts.append(PartCharge(name, amount))
    return tuple(parts)


def _looks_like_amount(word: str) -> bool:
    try:
        parse_amount(word)
    except ChargeError:
        return False
    return True


def is_skip(text: str) -> bool:
    """A typed "nothing to charge"."""
    return text.strip().lower() in SKIP_WORDS


@dataclass(frozen=True)
class Charges:
    """What was charged for a paid ticket: parts and labour (None: not charged), with who
    recorded it and when (from its timeline entry)."""

    parts: tuple[PartCharge, ...] = ()
    labour: Decimal | None = None
    actor: str = ""
    at: datetime | None = None

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.parts), self.labour or Decimal("0.00"))

    @property
    def empty(self) -> bool:
        return not self.parts and self.labour is None

    def detail(self) -> dict[str, Any]:
        """The timeline entry's detail: amounts as fixed two-decimal text (exact in JSON)."""
        return {
            "parts": [[p.text, yuan(p.amount)] for p in self.parts],
            "labour": "" if self.labour is None else yuan(self.labour),
            "total": yuan(self.total),
        }


def yuan(amount: Decimal) -> str:
    """An amount as printed: two decimals, thousands separated ("1,200.00")."""
    return f"{amount.quantize(Decimal('0.01')):,.2f}"


def _from_entry(e: TimelineEntry) -> Charges:
    parts = tuple(
        PartCharge(str(name), Decimal(str(amount).replace(",", "")))
        for name, amount in e.detail.get("parts", [])
    )
    labour_text = str(e.detail.get("labour", "")).replace(",", "")
    labour = Decimal(labour_text) if labour_text else None
    return Charges(parts, labour, e.actor, e.at)


def charge_history(timeline: Iterable[TimelineEntry]) -> tuple[Charges, ...]:
    """Every charges entry of a ticket, oldest first (the record; corrections included)."""
    return tuple(_from_entry(e) for e in timeline if e.kind == CHARGES_EVENT)


def charges_of(timeline: Iterable[TimelineEntry]) -> Charges | None:
    """The charges that stand: the latest entry (a later one corrects an earlier one)."""
    history = charge_history(timeline)
    return history[-1] if history else None
