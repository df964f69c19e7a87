"""The encoding every button shares: fields joined by ':', numbers as ASCII digits, 64 bytes at
most; and one small base per shape of callback data that many kinds of button share (a number;
a number and a yes/no flag; a number and a key).

A kind built on a shape base is still a frozen dataclass of its own, with fields named in its
own words (`HandoverAnswer(ticket_id, accept)`): handlers match on them positionally, and the
base reads them in that order (`__match_args__`, the dataclass's fields).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Self

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_DIGITS = 12  # larger numbers would overflow SQLite's integers in the use case
SEPARATOR = ":"


# --------------------------------------------------------------------------- fields


def parse_number(raw: str) -> int | None:
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


def join(prefix: str, *fields: str | int) -> str:
    """The callback_data of a button: its kind's prefix, then its fields."""
    data = SEPARATOR.join([prefix, *(_field(f) for f in fields)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse_day(raw: str) -> date | None:
    """A day as a button writes it: YYYYMMDD."""
    if len(raw) != 8 or not (raw.isascii() and raw.isdigit()):
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def is_project_key(raw: str) -> bool:
    return 0 < len(raw) <= 32 and raw.isascii() and all(c.isalnum() or c in "_-" for c in raw)


# --------------------------------------------------------------------------- shapes


class _Shape:
    """What every shape base needs of the dataclass built on it."""

    PREFIX: ClassVar[str]
    __match_args__: ClassVar[tuple[str, ...]]

    def _values(self) -> list[Any]:
        """The dataclass's fields, in their order."""
        return [getattr(self, name) for name in self.__match_args__]


class NumberButton(_Shape):
    """`<prefix>:<number>`: a button that names a ticket (or a shift) and nothing else."""

    if TYPE_CHECKING:

        def __init__(self, number: int, /) -> None: ...

    def encode(self) -> str:
        return join(self.PREFIX, *self._values())

    @classmethod
    def parse(cls, fields: list[str]) -> Self | None:
        match fields:
            case [raw] if (number := parse_number(raw)) is not None:
                return cls(number)
        return None


class NumberAndFlag(_Shape):
    """`<prefix>:<number>:<YES|NO>`: the shape of every accept/decline pair."""

    YES: ClassVar[str] = "y"
    NO: ClassVar[str] = "n"

    if TYPE_CHECKING:

        def __init__(self, number: int, flag: bool, /) -> None: ...

    def encode(self) -> str:
        number, flag = self._values()
        return join(self.PREFIX, number, self.YES if flag else self.NO)

    @classmethod
    def parse(cls, fields: list[str]) -> Self | None:
        match fields:
            case [raw, flag] if flag in (cls.YES, cls.NO):
                number = parse_number(raw)
                return None if number is None else cls(number, flag == cls.YES)
        return None


class NumberAndKey(_Shape):
    """`<prefix>:<number>:<key>`: a ticket, swap or event and a staff, cause or project key
    from the config (or a step)."""

    if TYPE_CHECKING:

        def __init__(self, number: int, key: str, /) -> None: ...

    @classmethod
    def accepts(cls, key: str) -> bool:
        """Any key by default: whether the config knows it is the use case's question."""
        return True

    def encode(self) -> str:
        number, key = self._values()
        return join(self.PREFIX, number, key)

    @classmethod
    def parse(cls, fields: list[str]) -> Self | None:
        match fields:
            case [raw, key] if cls.accepts(key):
                number = parse_number(raw)
                return None if number is None else cls(number, key)
        return None
