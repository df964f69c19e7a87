"""The field types the configuration's sections share (keys, texts, durations, SLA targets and
warning points) and ``ConfigModel``, the base of every section: strict about keys, immutable.

Each type turns what the operator writes ("15m", "4bh", "80%") into a checked value, or a
one-line error that ``bot/config/loading.py`` reports with its key path.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from bot.domain.clocks import Target, parse_target, parse_warn
from bot.domain.durations import format_duration, parse_duration

_KEY_RE = re.compile(r"[a-z0-9_-]+", re.ASCII)
# Keys travel inside buttons' callback_data (64 bytes with a prefix and a ticket number).
MAX_KEY = 32


def _check_key(value: str) -> str:
    if not _KEY_RE.fullmatch(value):
        raise ValueError(f"invalid key '{value}': use lowercase letters, digits, '_' and '-' only")
    if len(value) > MAX_KEY:
        raise ValueError(f"invalid key '{value}': at most {MAX_KEY} characters")
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _to_duration(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        if value <= timedelta():
            raise ValueError(f"duration must be positive, got {format_duration(abs(value))}")
        return value
    raise ValueError('write durations as quoted text, e.g. "15m", "2h" or "1h30m"')


def _to_target(value: object) -> object:
    if isinstance(value, str):
        return parse_target(value)
    if isinstance(value, Target):
        return value
    raise ValueError('write durations as quoted text, e.g. "15m", "2h", "4bh" or "3wd"')


def _check_warn(value: str) -> str:
    parse_warn(value)
    return value


Key = Annotated[str, AfterValidator(_check_key)]
TargetField = Annotated[Target, BeforeValidator(_to_target)]
WarnField = Annotated[str, AfterValidator(_check_warn)]
Text = Annotated[str, AfterValidator(_check_text)]
Duration = Annotated[timedelta, BeforeValidator(_to_duration)]


class ConfigModel(BaseModel):
    """The base of every section and of ``Settings``: strict about keys, immutable."""

    # Unknown keys are rejected so that a typo ("escalaton") does not silently disable a rule.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


