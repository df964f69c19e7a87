"""Reading the TOML file the operator edits, and reporting every problem in it on one line each.

``load_settings(path)`` returns a validated, immutable ``Settings`` or raises ``ConfigError``,
one line per problem, each naming the file and the key path, e.g.::

    config/hotline.toml: projects[0].on_duty: unknown staff key 'engX'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.config.settings import CrossCheckError, Settings


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` holds one human line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def load_settings(path: str | Path) -> Settings:
    """Read and validate the TOML config at ``path``; raise ``ConfigError`` on any problem.

    A relative ``database`` path is resolved against the folder of the config file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read config file: {exc.strerror or exc}"]) from None
    try:
        # utf-8-sig: tolerate the byte-order mark some Windows editors write.
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: config file is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: TOML syntax error: {exc}"]) from None

    database = data.get("database")
    if isinstance(database, str) and database.strip():
        db_path = Path(database)
        if not db_path.is_absolute():
            data["database"] = str(Path(os.path.abspath(path)).parent / db_path)
    backup_dir = data.get("backup_dir")  # likewise the backups' folder
    if isinstance(backup_dir, str) and backup_dir.strip() and not Path(backup_dir).is_absolute():
        data["backup_dir"] = str(Path(os.path.abspath(path)).parent / backup_dir)

    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([f"{path}: {where}: {what}" for where, what in _describe(exc)]) from None


def _describe(exc: ValidationError) -> list[tuple[str, str]]:
    """Turn pydantic's errors into (key path, human message) pairs."""
    described: list[tuple[str, str]] = []
    for error in exc.errors(include_url=False, include_input=False):
        where = _key_path(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, CrossCheckError):
            described.extend(cause.problems)
            continue
        described.append((where or "(top level)", _message(error, cause)))
    return described


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _message(error: ErrorDetails, cause: object) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and cause is not None:
        return str(cause)
    messages = {
        "missing": "required key is missing",
        "extra_forbidden": "unknown key (check the spelling)",
        "string_type": "must be text in quotes",
        "int_type": "must be a whole number (without quotes)",
        "list_type": 'must be a list, e.g. ["a", "b"]',
        "dict_type": "must be a table",
        "model_type": "must be a table",
        "model_attributes_type": "must be a table",
        "literal_error": f"must be {ctx.get('expected')}",
        "greater_than": f"must be greater than {_number(ctx.get('gt'))}",
        "greater_than_equal": f"must be at least {_number(ctx.get('ge'))}",
        "less_than": f"must be less than {_number(ctx.get('lt'))}",
        "less_than_equal": f"must be at most {_number(ctx.get('le'))}",
        "int_parsing": "must be a whole number (without quotes)",
        "float_type": "must be a number (without quotes), e.g. 1.5",
        "float_parsing": "must be a number (without quotes), e.g. 1.5",
        "bool_type": "must be true or false (without quotes)",
        "bool_parsing": "must be true or false (without quotes)",
        "date_type": "must be a date without quotes, e.g. 2026-11-02",
        "date_parsing": "must be a date without quotes, e.g. 2026-11-02",
        "date_from_datetime_parsing": "must be a date without quotes, e.g. 2026-11-02",
        "too_short": "must not be empty",
    }
    return messages.get(kind, str(error["msg"]))


def _number(value: object) -> str:
    """A bound as the operator would write it (1000, not 1000.0)."""
    return f"{value:g}" if isinstance(value, float) else str(value)
