"""The records' buttons: the satisfaction survey, complaints (filed, handled, judged) and the
daily report (add work, sign a part)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from bot.telegram.callbacks.base import (
    NumberAndFlag,
    NumberButton,
    is_project_key,
    join,
    parse_day,
    parse_number,
)

# --------------------------------------------------------------------------- the survey


@dataclass(frozen=True)
class SurveyStars:
    """The satisfaction survey's answer, 1 to 5 stars: `svy:12:4`."""

    PREFIX: ClassVar[str] = "svy"
    ticket_id: int
    stars: int

    def encode(self) -> str:
        return join(self.PREFIX, self.ticket_id, self.stars)

    @classmethod
    def parse(cls, fields: list[str]) -> SurveyStars | None:
        match fields:
            case [raw, ("1" | "2" | "3" | "4" | "5") as stars]:
                number = parse_number(raw)
                return None if number is None else cls(number, int(stars))
        return None


@dataclass(frozen=True)
class SurveySkip(NumberButton):
    """The survey's "no comment" button: `svs:12`."""

    PREFIX: ClassVar[str] = "svs"
    ticket_id: int


# --------------------------------------------------------------------------- complaints


@dataclass(frozen=True)
class ComplainAbout(NumberButton):
    """"File a complaint" about a ticket, offered after a low score: `cmp:12`."""

    PREFIX: ClassVar[str] = "cmp"
    ticket_id: int


@dataclass(frozen=True)
class ComplaintAboutChoice(NumberButton):
    """What a complaint is about: one of my tickets, or 0 for something else: `cpa:12`."""

    PREFIX: ClassVar[str] = "cpa"
    ticket_id: int


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
        return join(self.PREFIX, self.verb, self.complaint_id)

    @classmethod
    def parse(cls, fields: list[str]) -> ComplaintAction | None:
        match fields:
            case [verb, raw]:
                number = parse_number(raw)
                for known in _COMPLAINT_VERBS:
                    if verb == known and number is not None:
                        return cls(known, number)
        return None


@dataclass(frozen=True)
class ComplaintSatisfied(NumberAndFlag):
    """The customer is satisfied with a closed complaint's handling, or not: `cps:7:y`."""

    PREFIX: ClassVar[str] = "cps"
    complaint_id: int
    yes: bool


# --------------------------------------------------------------------------- the daily report


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
        return join(self.PREFIX, self.project, day, self.part, self.digest)

    @classmethod
    def parse(cls, fields: list[str]) -> DailySign | None:
        match fields:
            case [project, raw_day, raw_part, digest]:
                day = parse_day(raw_day)
                part = parse_number(raw_part) if len(raw_part) <= 3 else None
                hexed = len(digest) == 8 and all(c in "0123456789abcdef" for c in digest)
                if is_project_key(project) and day and part and hexed:
                    return cls(project, day, part, digest)
        return None


@dataclass(frozen=True)
class DailyAddWork:
    """Add work that is not a ticket to my daily report of a day: `dlw:village:20261123`."""

    PREFIX: ClassVar[str] = "dlw"
    project: str
    day: date

    def encode(self) -> str:
        return join(self.PREFIX, self.project, self.day.strftime("%Y%m%d"))

    @classmethod
    def parse(cls, fields: list[str]) -> DailyAddWork | None:
        match fields:
            case [project, raw_day]:
                day = parse_day(raw_day)
                if is_project_key(project) and day:
                    return cls(project, day)
        return None
