"""Durations as operators write them in the config: ``90s``, ``15m``, ``2h``, ``1h30m``, ``3d``.

Format: one or more ``<digits><unit>`` parts with no whitespace, units in descending order
and each at most once, and a positive total. ``format_duration`` is the inverse and always
produces the canonical form (largest units first, zero parts left out).

The unit table is the single place that knows the units; a later issue adds working-time
units (``4bh`` business hours, ``3wd`` working days), which need a calendar to resolve and
will therefore get their own table rather than a fixed number of seconds here.
"""

from __future__ import annotations

import re
from datetime import timedelta

# Calendar units, largest first. The order is the order in which they must appear.
UNITS: tuple[tuple[str, timedelta], ...] = (
    ("d", timedelta(days=1)),
    ("h", timedelta(hours=1)),
    ("m", timedelta(minutes=1)),
    ("s", timedelta(seconds=1)),
)

_PATTERN = re.compile(
    "".join(rf"(?:(?P<{unit}>\d+){unit})?" for unit, _ in UNITS),
    re.ASCII,
)

_EXAMPLES = "90s, 15m, 2h, 1h30m, 3d"


def _invalid(text: str) -> ValueError:
    return ValueError(f"invalid duration '{text}': use e.g. {_EXAMPLES}")


def parse_duration(text: str) -> timedelta:
    """Parse ``text`` such as ``1h30m`` into a positive ``timedelta``.

    Raises ``ValueError`` with a message that quotes the input and shows examples.
    """
    match = _PATTERN.fullmatch(text) if text else None
    if match is None or not any(match.groupdict().values()):
        raise _invalid(text)
    total = timedelta()
    try:
        for unit, size in UNITS:
            amount = match.group(unit)
            if amount is not None:
                total += int(amount) * size
    except OverflowError:
        raise _invalid(text) from None
    if total <= timedelta():
        raise _invalid(text)
    return total


def format_duration(td: timedelta) -> str:
    """Render ``td`` canonically: ``1h30m``, ``3d``, ``1m30s``; zero is ``0m``.

    Fractions of a second are dropped. Negative durations raise ``ValueError``.
    """
    if td < timedelta():
        raise ValueError(f"cannot format a negative duration: {td!r}")
    remaining = td.days * 86_400 + td.seconds
    parts: list[str] = []
    for unit, size in UNITS:
        step = int(size.total_seconds())
        amount, remaining = divmod(remaining, step)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0m"
