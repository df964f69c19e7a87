"""The staff's buttons between colleagues: handing a ticket over, the .ics of my shifts, swapping
a shift, and a pause proposed, decided by the manager and agreed by the customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.telegram.callbacks.base import NumberAndFlag, NumberAndKey, NumberButton, join


@dataclass(frozen=True)
class HandoverTo(NumberAndKey):
    """The colleague to hand a ticket over to: `hto:12:eng2`."""

    PREFIX: ClassVar[str] = "hto"
    ticket_id: int
    staff_key: str


@dataclass(frozen=True)
class HandoverAnswer(NumberAndFlag):
    """The colleague takes or declines the offered ticket: `hov:12:y`."""

    PREFIX: ClassVar[str] = "hov"
    ticket_id: int
    accept: bool


@dataclass(frozen=True)
class IcsRequest:
    """The .ics file of my shifts, under /schedule: `ics`."""

    PREFIX: ClassVar[str] = "ics"

    def encode(self) -> str:
        return join(self.PREFIX)

    @classmethod
    def parse(cls, fields: list[str]) -> IcsRequest | None:
        return cls() if not fields else None


@dataclass(frozen=True)
class SwapShift(NumberButton):
    """The shift to swap, by its start in Unix seconds: `sws:1767225600`."""

    PREFIX: ClassVar[str] = "sws"
    start_epoch: int


@dataclass(frozen=True)
class SwapColleague(NumberAndKey):
    """The colleague asked to take the shift: `swc:7:eng2`."""

    PREFIX: ClassVar[str] = "swc"
    swap_id: int
    staff_key: str


@dataclass(frozen=True)
class SwapAnswer(NumberAndFlag):
    """The colleague takes or declines the shift: `swa:7:y`."""

    PREFIX: ClassVar[str] = "swa"
    swap_id: int
    accept: bool


@dataclass(frozen=True)
class PauseDecision(NumberAndFlag):
    """The manager approves or rejects a proposed pause: `pz:5:y`."""

    PREFIX: ClassVar[str] = "pz"
    pause_id: int
    approve: bool


@dataclass(frozen=True)
class PauseConsent(NumberAndFlag):
    """The customer agrees to a proposed pause, or refuses it (双方协商): `pc:5:y`."""

    PREFIX: ClassVar[str] = "pc"
    pause_id: int
    agree: bool
