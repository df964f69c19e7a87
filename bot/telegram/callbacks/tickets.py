"""A fault's buttons: the report dialog, /log's dialog, the page and the ticket card (accept …
resolve, the cause, why it is blocked) and the customer's "is it fixed?"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from bot.telegram.callbacks.base import NumberAndFlag, NumberAndKey, join, parse_number

# The ticket card's and the page's buttons: accept, on the way, arrived, resolved, hand over,
# note, why it is blocked. Short codes because every byte counts.
TicketVerb = Literal["acc", "onw", "arr", "res", "hov", "note", "blk"]


@dataclass(frozen=True)
class SeverityAnswer:
    """Yes or no to one severity question of the report dialog: `sev:whole:1`."""

    PREFIX: ClassVar[str] = "sev"
    question: str
    yes: bool

    def encode(self) -> str:
        return join(self.PREFIX, self.question, "1" if self.yes else "0")

    @classmethod
    def parse(cls, fields: list[str]) -> SeverityAnswer | None:
        match fields:
            case [question, ("1" | "0") as yes]:
                return cls(question, yes == "1")
        return None


@dataclass(frozen=True)
class ReportButton:
    """A button of the report dialog: `rep:photos:done`; the confirmation's carry the draft's
    round (`rep:confirm:ok:3`) so that a button of an earlier summary does nothing."""

    PREFIX: ClassVar[str] = "rep"
    step: str
    action: str
    round: int | None = None

    def encode(self) -> str:
        if self.round is None:
            return join(self.PREFIX, self.step, self.action)
        return join(self.PREFIX, self.step, self.action, self.round)

    @classmethod
    def parse(cls, fields: list[str]) -> ReportButton | None:
        match fields:
            case [step, action]:
                return cls(step, action)
            case [step, action, raw]:
                number = parse_number(raw)
                return None if number is None else cls(step, action, number)
        return None


@dataclass(frozen=True)
class DeskButton:
    """A button of the /log dialog: `dsk:prj:village` (the project), `dsk:who:123` (a caller
    found), `dsk:new:` (a new contact), `dsk:now:` (the call is now), `dsk:knd:training`
    (a fault or a kind of service request)."""

    PREFIX: ClassVar[str] = "dsk"
    action: Literal["prj", "who", "new", "now", "knd"]
    arg: str = ""

    def encode(self) -> str:
        return join(self.PREFIX, self.action, self.arg)

    @classmethod
    def parse(cls, fields: list[str]) -> DeskButton | None:
        match fields:
            case ["prj", key] if key:
                return cls("prj", key)
            case ["knd", kind] if kind:
                return cls("knd", kind)
            case ["who", raw] if parse_number(raw) is not None:
                return cls("who", raw)
            case [("new" | "now") as action, ""]:
                return cls(action, "")
        return None


@dataclass(frozen=True)
class TicketAction:
    """A button of the page or the ticket card: `tk:acc:12`."""

    PREFIX: ClassVar[str] = "tk"
    action: TicketVerb
    ticket_id: int

    def encode(self) -> str:
        return join(self.PREFIX, self.action, self.ticket_id)

    @classmethod
    def parse(cls, fields: list[str]) -> TicketAction | None:
        match fields:
            case [("acc" | "onw" | "arr" | "res" | "hov" | "note" | "blk") as action, raw]:
                number = parse_number(raw)
                return None if number is None else cls(action, number)
        return None


@dataclass(frozen=True)
class CauseChoice(NumberAndKey):
    """The fault's cause, chosen when resolving: `cause:12:power`."""

    PREFIX: ClassVar[str] = "cause"
    ticket_id: int
    cause: str


@dataclass(frozen=True)
class BlockingChoice(NumberAndKey):
    """Why an open ticket is not fixed yet, chosen on its card: `blk:12:power`; `blk:12:-`
    clears it."""

    PREFIX: ClassVar[str] = "blk"
    ticket_id: int
    reason: str


@dataclass(frozen=True)
class CustomerVerdict(NumberAndFlag):
    """The customer says whether the resolved fault is really fixed: `cust:12:fixed`."""

    PREFIX: ClassVar[str] = "cust"
    YES: ClassVar[str] = "fixed"
    NO: ClassVar[str] = "notfixed"
    ticket_id: int
    fixed: bool
