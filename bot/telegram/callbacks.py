"""Callback data: what an inline button says when it is pressed, in at most 64 bytes.

One frozen dataclass per kind of button. `encode()` gives the string the button carries and
`decode()` gives the button back, or None for anything the bot never sends (a forged or
malformed value). The strings must never change: buttons already sitting in users' chats keep
working only while their data decodes the same way.

Decoding checks the shape only. Whether the ticket, draft, swap or pause exists, and whether the
presser may act on it, is the use case's question, asked against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_DIGITS = 12  # larger numbers would overflow SQLite's integers in the use case
SEPARATOR = ":"

# The ticket card's and the page's buttons: accept, on the way, arrived, resolved, hand over,
# note, why it is blocked. Short codes because every byte counts.
TicketVerb = Literal["acc", "onw", "arr", "res", "hov", "note", "blk"]


# --------------------------------------------------------------------------- fields


def _number(raw: str) -> int | None:
    """A ticket, draft round, swap or pause number: ASCII digits only, at most 12 of them."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        return None
    return int(raw)


def _field(value: str | int) -> str:
    if isinstance(value, int):
        if value < 0 or len(str(value)) > MAX_DIGITS:
            raise ValueError(f"number not encodable in callback_data: {value}")
        return str(value)
    if SEPARATOR in value:
        raise ValueError(f"{SEPARATOR!r} in a callback_data field: {value!r}")
    return value


def _join(prefix: str, *fields: str | int) -> str:
    data = SEPARATOR.join([prefix, *(_field(f) for f in fields)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
    return data


def _number_and_flag(fields: list[str], yes: str, no: str) -> tuple[int, bool] | None:
    """`<number>:<yes|no>`, the shape of every accept/decline pair."""
    match fields:
        case [raw, flag] if flag in (yes, no):
            number = _number(raw)
            return None if number is None else (number, flag == yes)
    return None


def _number_and_key(fields: list[str]) -> tuple[int, str] | None:
    """`<number>:<key>`: a ticket or swap and a staff or cause key from the config."""
    match fields:
        case [raw, key]:
            number = _number(raw)
            return None if number is None else (number, key)
    return None


# --------------------------------------------------------------------------- the buttons


@dataclass(frozen=True)
class SeverityAnswer:
    """Yes or no to one severity question of the report dialog: `sev:whole:1`."""

    PREFIX: ClassVar[str] = "sev"
    question: str
    yes: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.question, "1" if self.yes else "0")

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
            return _join(self.PREFIX, self.step, self.action)
        return _join(self.PREFIX, self.step, self.action, self.round)

    @classmethod
    def parse(cls, fields: list[str]) -> ReportButton | None:
        match fields:
            case [step, action]:
                return cls(step, action)
            case [step, action, raw]:
                number = _number(raw)
                return None if number is None else cls(step, action, number)
        return None


@dataclass(frozen=True)
class TicketAction:
    """A button of the page or the ticket card: `tk:acc:12`."""

    PREFIX: ClassVar[str] = "tk"
    action: TicketVerb
    ticket_id: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.action, self.ticket_id)

    @classmethod
    def parse(cls, fields: list[str]) -> TicketAction | None:
        match fields:
            case [("acc" | "onw" | "arr" | "res" | "hov" | "note" | "blk") as action, raw]:
                number = _number(raw)
                return None if number is None else cls(action, number)
        return None


@dataclass(frozen=True)
class CauseChoice:
    """The fault's cause, chosen when resolving: `cause:12:power`."""

    PREFIX: ClassVar[str] = "cause"
    ticket_id: int
    cause: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, self.cause)

    @classmethod
    def parse(cls, fields: list[str]) -> CauseChoice | None:
        found = _number_and_key(fields)
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class HandoverTo:
    """The colleague to hand a ticket over to: `hto:12:eng2`."""

    PREFIX: ClassVar[str] = "hto"
    ticket_id: int
    staff_key: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, self.staff_key)

    @classmethod
    def parse(cls, fields: list[str]) -> HandoverTo | None:
        found = _number_and_key(fields)
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class HandoverAnswer:
    """The colleague takes or declines the offered ticket: `hov:12:y`."""

    PREFIX: ClassVar[str] = "hov"
    ticket_id: int
    accept: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, "y" if self.accept else "n")

    @classmethod
    def parse(cls, fields: list[str]) -> HandoverAnswer | None:
        found = _number_and_flag(fields, "y", "n")
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class IcsRequest:
    """The .ics file of my shifts, under /schedule: `ics`."""

    PREFIX: ClassVar[str] = "ics"

    def encode(self) -> str:
        return _join(self.PREFIX)

    @classmethod
    def parse(cls, fields: list[str]) -> IcsRequest | None:
        return cls() if not fields else None


@dataclass(frozen=True)
class SwapShift:
    """The shift to swap, by its start in Unix seconds: `sws:1767225600`."""

    PREFIX: ClassVar[str] = "sws"
    start_epoch: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.start_epoch)

    @classmethod
    def parse(cls, fields: list[str]) -> SwapShift | None:
        match fields:
            case [raw]:
                number = _number(raw)
                return None if number is None else cls(number)
        return None


@dataclass(frozen=True)
class SwapColleague:
    """The colleague asked to take the shift: `swc:7:eng2`."""

    PREFIX: ClassVar[str] = "swc"
    swap_id: int
    staff_key: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.swap_id, self.staff_key)

    @classmethod
    def parse(cls, fields: list[str]) -> SwapColleague | None:
        found = _number_and_key(fields)
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class SwapAnswer:
    """The colleague takes or declines the shift: `swa:7:y`."""

    PREFIX: ClassVar[str] = "swa"
    swap_id: int
    accept: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.swap_id, "y" if self.accept else "n")

    @classmethod
    def parse(cls, fields: list[str]) -> SwapAnswer | None:
        found = _number_and_flag(fields, "y", "n")
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class PauseDecision:
    """The manager approves or rejects a proposed pause: `pz:5:y`."""

    PREFIX: ClassVar[str] = "pz"
    pause_id: int
    approve: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.pause_id, "y" if self.approve else "n")

    @classmethod
    def parse(cls, fields: list[str]) -> PauseDecision | None:
        found = _number_and_flag(fields, "y", "n")
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class PauseConsent:
    """The customer agrees to a proposed pause, or refuses it (双方协商): `pc:5:y`."""

    PREFIX: ClassVar[str] = "pc"
    pause_id: int
    agree: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.pause_id, "y" if self.agree else "n")

    @classmethod
    def parse(cls, fields: list[str]) -> PauseConsent | None:
        found = _number_and_flag(fields, "y", "n")
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class CustomerVerdict:
    """The customer says whether the resolved fault is really fixed: `cust:12:fixed`."""

    PREFIX: ClassVar[str] = "cust"
    ticket_id: int
    fixed: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, "fixed" if self.fixed else "notfixed")

    @classmethod
    def parse(cls, fields: list[str]) -> CustomerVerdict | None:
        found = _number_and_flag(fields, "fixed", "notfixed")
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class SurveyStars:
    """The satisfaction survey's answer, 1 to 5 stars: `svy:12:4`."""

    PREFIX: ClassVar[str] = "svy"
    ticket_id: int
    stars: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, self.stars)

    @classmethod
    def parse(cls, fields: list[str]) -> SurveyStars | None:
        match fields:
            case [raw, ("1" | "2" | "3" | "4" | "5") as stars]:
                number = _number(raw)
                return None if number is None else cls(number, int(stars))
        return None


@dataclass(frozen=True)
class SurveySkip:
    """The survey's "no comment" button: `svs:12`."""

    PREFIX: ClassVar[str] = "svs"
    ticket_id: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id)

    @classmethod
    def parse(cls, fields: list[str]) -> SurveySkip | None:
        match fields:
            case [raw]:
                number = _number(raw)
                return None if number is None else cls(number)
        return None


@dataclass(frozen=True)
class ComplainAbout:
    """"File a complaint" about a ticket, offered after a low score: `cmp:12`."""

    PREFIX: ClassVar[str] = "cmp"
    ticket_id: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id)

    @classmethod
    def parse(cls, fields: list[str]) -> ComplainAbout | None:
        match fields:
            case [raw]:
                number = _number(raw)
                return None if number is None else cls(number)
        return None


@dataclass(frozen=True)
class ComplaintAboutChoice:
    """What a complaint is about: one of my tickets, or 0 for something else: `cpa:12`."""

    PREFIX: ClassVar[str] = "cpa"
    ticket_id: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id)

    @classmethod
    def parse(cls, fields: list[str]) -> ComplaintAboutChoice | None:
        match fields:
            case [raw]:
                number = _number(raw)
                return None if number is None else cls(number)
        return None


# A complaint's staff buttons: take it, reply to the customer, add a note, close with a result.
ComplaintVerb = Literal["tk", "rp", "nt", "cl"]
_COMPLAINT_VERBS: tuple[ComplaintVerb, ...] = ("tk", "rp", "nt", "cl")


@dataclass(frozen=True)
class ComplaintAction:
    """A customer manager's button on a complaint: `cpx:tk:7`."""

    PREFIX: ClassVar[str] = "cpx"
    verb: ComplaintVerb
    complaint_id: int

    def encode(self) -> str:
        return _join(self.PREFIX, self.verb, self.complaint_id)

    @classmethod
    def parse(cls, fields: list[str]) -> ComplaintAction | None:
        match fields:
            case [verb, raw]:
                number = _number(raw)
                for known in _COMPLAINT_VERBS:
                    if verb == known and number is not None:
                        return cls(known, number)
        return None


@dataclass(frozen=True)
class ComplaintSatisfied:
    """The customer is satisfied with a closed complaint's handling, or not: `cps:7:y`."""

    PREFIX: ClassVar[str] = "cps"
    complaint_id: int
    yes: bool

    def encode(self) -> str:
        return _join(self.PREFIX, self.complaint_id, "y" if self.yes else "n")

    @classmethod
    def parse(cls, fields: list[str]) -> ComplaintSatisfied | None:
        found = _number_and_flag(fields, "y", "n")
        return None if found is None else cls(*found)


def _button_day(raw: str) -> date | None:
    """A day as a button writes it: YYYYMMDD."""
    if len(raw) != 8 or not (raw.isascii() and raw.isdigit()):
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def _project_key(raw: str) -> bool:
    return 0 < len(raw) <= 32 and raw.isascii() and all(c.isalnum() or c in "_-" for c in raw)


@dataclass(frozen=True)
class DailySign:
    """Sign (签字确认) a part of my daily report, exactly as shown: `dls:village:20261123:1:
    1a2b3c4d` (project, day, part, the first 8 hex digits of the part's SHA-256)."""

    PREFIX: ClassVar[str] = "dls"
    project: str
    day: date
    part: int
    digest: str

    def encode(self) -> str:
        day = self.day.strftime("%Y%m%d")
        return _join(self.PREFIX, self.project, day, self.part, self.digest)

    @classmethod
    def parse(cls, fields: list[str]) -> DailySign | None:
        match fields:
            case [project, raw_day, raw_part, digest]:
                day = _button_day(raw_day)
                part = _number(raw_part) if len(raw_part) <= 3 else None
                hexed = len(digest) == 8 and all(c in "0123456789abcdef" for c in digest)
                if _project_key(project) and day and part and hexed:
                    return cls(project, day, part, digest)
        return None


@dataclass(frozen=True)
class DailyAddWork:
    """Add work that is not a ticket to my daily report of a day: `dlw:village:20261123`."""

    PREFIX: ClassVar[str] = "dlw"
    project: str
    day: date

    def encode(self) -> str:
        return _join(self.PREFIX, self.project, self.day.strftime("%Y%m%d"))

    @classmethod
    def parse(cls, fields: list[str]) -> DailyAddWork | None:
        match fields:
            case [project, raw_day]:
                day = _button_day(raw_day)
                if _project_key(project) and day:
                    return cls(project, day)
        return None
@dataclass(frozen=True)
class BlockingChoice:
    """Why an open ticket is not fixed yet, chosen on its card: `blk:12:power`; `blk:12:-`
    clears it."""

    PREFIX: ClassVar[str] = "blk"
    ticket_id: int
    reason: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, self.reason)

    @classmethod
    def parse(cls, fields: list[str]) -> BlockingChoice | None:
        found = _number_and_key(fields)
        return None if found is None else cls(*found)


@dataclass(frozen=True)
class DeskButton:
    """A button of the /log dialog: `dsk:prj:village` (the project), `dsk:who:123` (a caller
    found), `dsk:new:` (a new contact), `dsk:now:` (the call is now), `dsk:knd:training`
    (a fault or a kind of service request)."""

    PREFIX: ClassVar[str] = "dsk"
    action: Literal["prj", "who", "new", "now", "knd"]
    arg: str = ""

    def encode(self) -> str:
        return _join(self.PREFIX, self.action, self.arg)

    @classmethod
    def parse(cls, fields: list[str]) -> DeskButton | None:
        match fields:
            case ["prj", key] if key:
                return cls("prj", key)
            case ["knd", kind] if kind:
                return cls("knd", kind)
            case ["who", raw] if _number(raw) is not None:
                return cls("who", raw)
            case [("new" | "now") as action, ""]:
                return cls(action, "")
        return None


@dataclass(frozen=True)
class TaskButton:
    """A contract task's button: `tsk:rec:12:` (record its result), `tsk:ok:12:hardware` /
    `tsk:pb:12:hardware` (a checklist item is OK / has a problem), `tsk:sat:12:4` (the phone
    visit's satisfaction)."""

    PREFIX: ClassVar[str] = "tsk"
    action: Literal["rec", "ok", "pb", "sat"]
    task_id: int
    arg: str = ""

    def encode(self) -> str:
        return _join(self.PREFIX, self.action, self.task_id, self.arg)

    @classmethod
    def parse(cls, fields: list[str]) -> TaskButton | None:
        match fields:
            case ["rec", raw, ""] if (n := _number(raw)) is not None:
                return cls("rec", n)
            case [("ok" | "pb") as action, raw, ("hardware" | "software" | "risk") as item] if (
                n := _number(raw)
            ) is not None:
                return cls(action, n, item)
            case ["sat", raw, ("1" | "2" | "3" | "4" | "5") as stars] if (
                n := _number(raw)
            ) is not None:
                return cls("sat", n, stars)
        return None


@dataclass(frozen=True)
class EventProject:
    """The project of a major event just added, picked by its creator: `evp:3:village`."""

    PREFIX: ClassVar[str] = "evp"
    event_id: int
    project: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.event_id, self.project)

    @classmethod
    def parse(cls, fields: list[str]) -> EventProject | None:
        found = _number_and_key(fields)
        return None if found is None or not _project_key(found[1]) else cls(*found)


@dataclass(frozen=True)
class StandbyPick:
    """An on-site standby engineer for a major event: `sby:3:eng1`."""

    PREFIX: ClassVar[str] = "sby"
    event_id: int
    staff_key: str

    def encode(self) -> str:
        return _join(self.PREFIX, self.event_id, self.staff_key)

    @classmethod
    def parse(cls, fields: list[str]) -> StandbyPick | None:
        found = _number_and_key(fields)
        return None if found is None or not found[1] else cls(*found)


@dataclass(frozen=True)
class ChargeSkip:
    """Skip a paid ticket's charges question on resolving: `chg:12:p` (parts), `chg:12:l`
    (labour)."""

    PREFIX: ClassVar[str] = "chg"
    ticket_id: int
    step: Literal["p", "l"]

    def encode(self) -> str:
        return _join(self.PREFIX, self.ticket_id, self.step)

    @classmethod
    def parse(cls, fields: list[str]) -> ChargeSkip | None:
        match fields:
            case [raw, ("p" | "l") as step]:
                number = _number(raw)
                return None if number is None else cls(number, step)
        return None


Callback = (
    SeverityAnswer
    | ReportButton
    | TicketAction
    | CauseChoice
    | HandoverTo
    | HandoverAnswer
    | IcsRequest
    | SwapShift
    | SwapColleague
    | SwapAnswer
    | PauseDecision
    | CustomerVerdict
    | PauseConsent
    | SurveyStars
    | SurveySkip
    | ComplainAbout
    | ComplaintAboutChoice
    | ComplaintAction
    | ComplaintSatisfied
    | DailySign
    | DailyAddWork
    | BlockingChoice
    | DeskButton
    | TaskButton
    | EventProject
    | StandbyPick
    | ChargeSkip
)

KINDS: tuple[type[Callback], ...] = (
    SeverityAnswer,
    ReportButton,
    TicketAction,
    CauseChoice,
    HandoverTo,
    HandoverAnswer,
    IcsRequest,
    SwapShift,
    SwapColleague,
    SwapAnswer,
    PauseDecision,
    CustomerVerdict,
    PauseConsent,
    SurveyStars,
    SurveySkip,
    ComplainAbout,
    ComplaintAboutChoice,
    ComplaintAction,
    ComplaintSatisfied,
    DailySign,
    DailyAddWork,
    BlockingChoice,
    DeskButton,
    TaskButton,
    EventProject,
    StandbyPick,
    ChargeSkip,
)

# The one table of prefixes: the first field of callback_data names the kind of button.
PARSERS: dict[str, Callable[[list[str]], Callback | None]] = {
    kind.PREFIX: kind.parse for kind in KINDS
}


def decode(data: str) -> Callback | None:
    """The button this callback_data came from, or None when the bot never sends such data."""
    prefix, *fields = data.split(SEPARATOR)
    parse = PARSERS.get(prefix)
    return None if parse is None else parse(fields)
