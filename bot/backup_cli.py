"""Backups and restores from the command line, for an operator:

    python run_bot.py backup --config PATH [--to FILE]
    python run_bot.py restore --config PATH --from FILE

`backup` works while the bot runs (SQLite's online backup API: one read snapshot, the bot keeps
writing) and writes the same tar as the daily backup: the database and the archived documents
(bot/storage/backup.py), into `backup_dir` unless `--to` names the file.

`restore` puts a backup back: refused while a bot holds the database (its lock file); the
backup's database must pass `PRAGMA integrity_check` and have a schema this bot knows, else
nothing changes. The current database (with its -wal/-shm) and documents folder are kept
aside, renamed with the time (`hotline.db.before-restore-20261130T180000Z`), never deleted.
Exit status 0 when done, 2 with one clear line on stderr when not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bot.clock import SystemClock
from bot.config import ConfigError, Settings, load_settings
from bot.storage import backup
from bot.storage.lock import DatabaseLock, DatabaseLocked


def backup_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_bot.py backup",
        description="Back up the bot's database and documents (also while the bot runs).",
    )
    p.add_argument("--config", required=True, help="the bot's TOML config file")
    p.add_argument("--to", default=None, help="the .tar file to write (default: in backup_dir)")
    return p


def restore_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_bot.py restore",
        description="Put a backup back in place of the database (the bot must be stopped); "
        "the current database and documents are kept aside, renamed with the time.",
    )
    p.add_argument("--config", required=True, help="the bot's TOML config file")
    p.add_argument("--from", dest="source", required=True, help="the backup (.tar or .db)")
    return p


def _settings(path: str) -> Settings | str:
    try:
        return load_settings(Path(path))
    except ConfigError as e:
        return f"configuration error:\n{e}"


def backup_main(argv: list[str]) -> int:
    args = backup_parser().parse_args(argv)
    settings = _settings(args.config)
    if isinstance(settings, str):
        return _fail("backup", settings)
    from bot.telegram.operations import backup_folder

    folder = backup_folder(settings)
    to = Path(args.to) if args.to else None
    if to is not None and to.exists():
        return _fail("backup", f"--to {to}: the file exists (a backup never overwrites)")
    try:
        made = backup.make_backup(Path(settings.database), folder, SystemClock().now(), to=to)
    except backup.BackupError as e:
        return _fail("backup", str(e))
    print(f"wrote {made.path}: {made.size} bytes, the database (sha256 "
          f"{made.database_sha256[:16]}…) and {made.documents} documents")  # fmt: skip
    return 0


def restore_main(argv: list[str]) -> int:
    args = restore_parser().parse_args(argv)
    settings = _settings(args.config)
    if isinstance(settings, str):
        return _fail("restore", settings)
    source = Path(args.source)
    if not source.is_file():
        return _fail("restore", f"--from {source}: no such file")
    database = Path(settings.database)
    lock = DatabaseLock(database)
    try:
        lock.acquire("restore")
    except DatabaseLocked as e:
        return _fail("restore", f"{database} is in use ({e}): stop the bot first; nothing "
                     "was changed")  # fmt: skip
    try:
        return _restore(source, database)
    finally:
        lock.release()


def _restore(source: Path, database: Path) -> int:
    from bot.storage.db import MIGRATIONS

    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=database.parent) as tmp:
        candidate = Path(tmp) / backup.DB_NAME
        try:
            backup.extract_database(source, candidate)
        except (backup.BackupError, OSError) as e:
            return _fail("restore", f"{e}; nothing was changed")
        verdict = backup.integrity(candidate)
        if verdict != "ok":
            return _fail("restore", f"{source}: the database in it fails its integrity check "
                         f"({verdict}); nothing was changed")  # fmt: skip
        version = backup.schema_version(candidate)
        if version > len(MIGRATIONS):
            return _fail("restore", f"{source}: schema version {version} is newer than this "
                         f"bot's ({len(MIGRATIONS)}): restore with that bot; nothing was "
                         "changed")  # fmt: skip
        stamp = f"before-restore-{SystemClock().now():%Y%m%dT%H%M%SZ}"
        aside = _aside(database, stamp)
        os.replace(candidate, database)
    _fsync_dir(database.parent)
    lines = [f"restored {database} from {source}"]
    if aside:
        lines.append(f"the previous database is kept as {aside}")
    documents = backup.documents_of(database)
    if backup.has_documents(source):
        kept = documents.with_name(f"{documents.name}.{stamp}")
        if documents.exists():
            os.replace(documents, kept)
            lines.append(f"the previous documents are kept in {kept}")
        count = backup.extract_documents(source, documents)
        lines.append(f"{count} documents restored into {documents}")
    print("\n".join(lines))
    return 0


def _aside(database: Path, stamp: str) -> Path | None:
    """Rename the current database and its WAL files aside (the WAL may hold the last
    commits of a bot that crashed: it goes with its database, under the matching name)."""
    if not database.exists():
        return None
    target = database.with_name(f"{database.name}.{stamp}")
    for suffix in ("-wal", "-shm"):
        extra = database.with_name(database.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    os.replace(database, target)
    return target


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fail(command: str, message: str) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return 2
