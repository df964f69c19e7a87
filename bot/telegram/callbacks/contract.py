"""The contract's buttons: a task's result (inspections, phone visits), a major event's project
and standby engineers, and a paid ticket's charges questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from bot.telegram.callbacks.base import NumberAndKey, is_project_key, join, parse_number


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
        return join(self.PREFIX, self.action, self.task_id, self.arg)

    @classmethod
    def parse(cls, fields: list[str]) -> TaskButton | None:
        match fields:
            case ["rec", raw, ""] if (n := parse_number(raw)) is not None:
                return cls("rec", n)
            case [("ok" | "pb") as action, raw, ("hardware" | "software" | "risk") as item] if (
                n := parse_number(raw)
            ) is not None:
                return cls(action, n, item)
            case ["sat", raw, ("1" | "2" | "3" | "4" | "5") as stars] if (
                n := parse_number(raw)
            ) is not None:
                return cls("sat", n, stars)
        return None


@dataclass(frozen=True)
class EventProject(NumberAndKey):
    """The project of a major event just added, picked by its creator: `evp:3:village`."""

    PREFIX: ClassVar[str] = "evp"
    event_id: int
    project: str

    @classmethod
    def accepts(cls, key: str) -> bool:
        return is_project_key(key)


@dataclass(frozen=True)
class StandbyPick(NumberAndKey):
    """An on-site standby engineer for a major event: `sby:3:eng1`."""

    PREFIX: ClassVar[str] = "sby"
    event_id: int
    staff_key: str

    @classmethod
    def accepts(cls, key: str) -> bool:
        return bool(key)


@dataclass(frozen=True)
class ChargeSkip(NumberAndKey):
    """Skip a paid ticket's charges question on resolving: `chg:12:p` (parts), `chg:12:l`
    (labour)."""

    PREFIX: ClassVar[str] = "chg"
    ticket_id: int
    step: Literal["p", "l"]

    @classmethod
    def accepts(cls, key: str) -> bool:
        return key in ("p", "l")
