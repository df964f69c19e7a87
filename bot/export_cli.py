"""The auditor's export from the command line, for an operator:

    python run_bot.py export --config PATH --project KEY --from YYYY-MM-DD --to YYYY-MM-DD
                             --out FILE.xlsx [--lang zh|en]

It reads the database the config names (never creating one), builds the same workbook as
/export, and writes it. It needs no Telegram token and prints no secret; a bad project, date or
database (or one whose schema is older or newer than this bot's: the export never migrates)
is one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, load_settings
from bot.domain.export import ExportBook, day_range, parse_day

if TYPE_CHECKING:
    from bot.services.export import WorkbookMaker


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_bot.py export",
        description="Write the auditor's export (XLSX) of a project's tickets reported in a "
        "range of days (both included, in the configured time zone).",
    )
    p.add_argument("--config", required=True, help="the bot's TOML config file")
    p.add_argument("--project", required=True, help="the project's key, as in the config")
    p.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument(
        "--lang", choices=("zh", "en"), default=None, help="labels' language (default: config)"
    )
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings(Path(args.config))
    except ConfigError as e:
        return _fail(f"configuration error:\n{e}")
    except OSError as e:
        return _fail(f"{args.config}: cannot read the config ({e.strerror or e})")
    project = settings.find_project(args.project)
    if project is None:
        keys = ", ".join(p.key for p in settings.projects) or "none"
        return _fail(f"no project {args.project!r} in {args.config} (projects: {keys})")
    try:
        first, last = parse_day(args.first), parse_day(args.last)
        day_range(first, last, settings.tz)
    except ValueError as e:
        return _fail(f"bad dates --from {args.first} --to {args.last}: {e} "
                     "(write YYYY-MM-DD; --to not before --from)")  # fmt: skip
    if not Path(settings.database).is_file():
        return _fail(f"database not found: {settings.database} (named in {args.config})")
    stale = _schema_mismatch(Path(settings.database))
    if stale:
        return _fail(stale)
    out = Path(args.out)
    if not out.parent.is_dir():
        return _fail(f"--out {out}: folder {out.parent} does not exist")
    # Imported here: the bot's machinery is only needed once the arguments are good.
    from bot.telegram.render.export import workbook_maker

    clock = SystemClock()
    make = workbook_maker(settings, clock)
    book = asyncio.run(_collect(settings, clock, make, project.key, first, last))
    data, _ = make(book, args.lang)
    out.write_bytes(data)
    count = len(book.tickets)
    print(f"wrote {out}: {count} tickets of {project.key}, {first} to {last} "
          f"(times in {settings.timezone})")  # fmt: skip
    return 0


async def _collect(
    settings: Settings, clock: Clock, make: WorkbookMaker, key: str, first: date, last: date
) -> ExportBook:
    """The book, read in one snapshot (the bot may be running on the same database)."""
    from bot.services.access import Access
    from bot.services.export import Export
    from bot.services.roster import Roster
    from bot.services.sla import Sla
    from bot.storage.uow import snapshot

    roster = Roster(settings, clock)
    sla = Sla(settings, clock, roster)
    export = Export(settings, clock, Access(settings, roster), sla, make)
    project = settings.find_project(key)
    assert project is not None
    # One consistent snapshot without the write lock (a read transaction on its own
    # connection), so a bot running on the same database keeps writing meanwhile (WAL).
    async with snapshot(settings.database) as uow:
        return await export.collect(uow, project, first, last)


def _schema_mismatch(path: Path) -> str | None:
    """Why the database cannot be read as it is (its schema is not this bot's), or None. The
    export reads a snapshot and never migrates: a bot that has not upgraded the database yet
    (or a newer bot's database) would fail later on a missing column."""
    import sqlite3

    from bot.storage.db import MIGRATIONS

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as e:
        return f"cannot read the database {path}: {e}"
    expected = len(MIGRATIONS)
    if version == expected:
        return None
    if version < expected:
        advice = "start the bot once to upgrade it"
    else:
        advice = "it was upgraded by a newer bot: export with that version"
    return (f"the database {path} is at schema version {version}, this bot expects "
            f"{expected}: {advice}")  # fmt: skip


def _fail(message: str) -> int:
    print(f"export: {message}", file=sys.stderr)
    return 2
