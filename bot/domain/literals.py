"""States and kinds that are strings (in the database, in buttons), narrowed where they enter."""

from __future__ import annotations

from typing import TypeVar

S = TypeVar("S", bound=str)


def one_of(value: str, options: tuple[S, ...], what: str) -> S:
    """`value` as one of `options` (the values of a Literal type), or ValueError."""
    for option in options:
        if value == option:
            return option
    raise ValueError(f"not a {what}: {value!r}")
