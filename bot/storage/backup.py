"""Online backups of the database and the documents, and reading them back.

A backup is one tar file, `hotline-YYYYMMDDTHHMMSSZ.tar`, holding `hotline.db` (a copy made
with SQLite's online backup API: one read snapshot on a connection of its own, so the bot keeps
writing meanwhile; never a file copy of a live WAL database, which can be torn), the archived
documents under `reports/` (service reports, daily reports, inspection reports, exports) and
`manifest.json` (when, the database's SHA-256 and schema version, how many documents). The copy
passes `PRAGMA integrity_check` before it is packed; the tar is written as `.part` and renamed,
so a half-written backup is never taken for a whole one.

Plain functions, blocking: the bot runs them in a worker thread, the command line directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DB_NAME = "hotline.db"
DOCUMENTS = "reports"  # the archive folder next to the database (bot/app.py: ReportFiles)
MANIFEST = "manifest.json"
_NAME = re.compile(r"hotline-(\d{8}T\d{6}Z)\.tar")
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup that could not be made or read: one line for the operator."""


@dataclass(frozen=True)
class Made:
    """A backup just written."""

    path: Path
    size: int
    database_sha256: str
    documents: int
    at: datetime


def backup_name(at: datetime) -> str:
    return f"hotline-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


def documents_of(database: Path) -> Path:
    """Where the bot archives its documents: `reports/` next to the database."""
    return database.parent / DOCUMENTS


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup API), as one plain file
    (rollback journal, not WAL) so that the copy is complete by itself."""
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step: one read snapshot, writers go on
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a database file: "ok", or what is wrong (first lines)."""
    try:
        with path.open("rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return "not an SQLite database"
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as e:
        return f"{type(e).__name__}: {e}"
    found = [str(r[0]) for r in rows]
    return "ok" if found == ["ok"] else "; ".join(found[:5])


def schema_version(path: Path) -> int:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_backup(database: Path, folder: Path, at: datetime, *, to: Path | None = None) -> Made:
    """Back up the database and its documents into `folder` (or the file `to`)."""
    database = Path(database)
    if not database.is_file():
        raise BackupError(f"database not found: {database}")
    target = Path(to) if to is not None else Path(folder) / backup_name(at)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BackupError(f"cannot create the backup folder {target.parent}: {e}") from e
    part = target.with_name(target.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as tmp:
            copy = Path(tmp) / DB_NAME
            started = time.time()  # compared with file times: the system's clock, not the bot's
            copy_database(database, copy)
            verdict = integrity(copy)
            if verdict != "ok":
                raise BackupError(f"the copy failed its integrity check: {verdict}")
            sha = _sha256(copy)
            with tarfile.open(part, "w") as tar:
                tar.add(copy, arcname=DB_NAME)
                count = _add_documents(tar, documents_of(database), started)
                manifest = {
                    "created_at": at.astimezone(UTC).isoformat(),
                    "database": DB_NAME,
                    "database_sha256": sha,
                    "schema_version": schema_version(copy),
                    "documents": count,
                }
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(at.timestamp())
                tar.addfile(info, io.BytesIO(data))
            with part.open("rb") as f:
                os.fsync(f.fileno())
            os.replace(part, target)
    except BackupError:
        raise
    except (OSError, sqlite3.Error, tarfile.TarError) as e:
        raise BackupError(f"{type(e).__name__}: {e}") from e
    finally:
        with contextlib.suppress(OSError):
            part.unlink()
    return Made(target, target.stat().st_size, sha, count, at)


def _add_documents(tar: tarfile.TarFile, folder: Path, started: float) -> int:
    """The archived documents finished before the database copy began (a file written since is
    not referred to by the copy, and may be half-written: the next backup has it)."""
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            if path.stat().st_mtime >= started:
                continue
            tar.add(path, arcname=f"{DOCUMENTS}/{path.relative_to(folder).as_posix()}")
        except FileNotFoundError:
            continue
        count += 1
    return count


def backups(folder: Path) -> list[tuple[datetime, Path]]:
    """The backups in a folder, oldest first (by the time in their names)."""
    if not Path(folder).is_dir():
        return []
    found = []
    for path in Path(folder).iterdir():
        match = _NAME.fullmatch(path.name)
        if match and path.is_file():
            at = datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            found.append((at, path))
    return sorted(found)


def latest(folder: Path) -> datetime | None:
    """When the newest backup in the folder was taken."""
    found = backups(folder)
    return found[-1][0] if found else None


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups; returns the removed files."""
    found = backups(folder)
    removed = [path for _, path in found[: max(0, len(found) - keep)]]
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return removed


# ---------------------------------------------------------------------------- reading back
def extract_database(backup: Path, target: Path) -> None:
    """Write the backup's database to `target`: from a backup tar, or a plain SQLite file."""
    backup = Path(backup)
    with backup.open("rb") as f:
        plain = f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if plain:
        shutil.copyfile(backup, target)
        return
    try:
        with tarfile.open(backup, "r:*") as tar:
            member = tar.getmember(DB_NAME)
            source = tar.extractfile(member)
            if source is None:
                raise BackupError(f"{backup}: {DB_NAME} in it is not a file")
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
    except KeyError:
        raise BackupError(f"{backup}: no {DB_NAME} in it: not a Hotline Bot backup") from None
    except tarfile.TarError as e:
        raise BackupError(f"{backup}: neither an SQLite database nor a backup tar ({e})") from e


def has_documents(backup: Path) -> bool:
    try:
        with tarfile.open(backup, "r:*") as tar:
            return any(m.name.startswith(f"{DOCUMENTS}/") for m in tar.getmembers())
    except tarfile.TarError:
        return False


def extract_documents(backup: Path, folder: Path) -> int:
    """The backup's documents into `folder` (which must not exist yet); returns how many."""
    with tarfile.open(backup, "r:*") as tar:
        members = [
            m for m in tar.getmembers() if m.isfile() and m.name.startswith(f"{DOCUMENTS}/")
        ]
        with tempfile.TemporaryDirectory(prefix=".restore-", dir=folder.parent) as tmp:
            # The "data" filter refuses absolute paths, "..", links out and devices.
            tar.extractall(tmp, members=members, filter="data")
            extracted = Path(tmp) / DOCUMENTS
            extracted.mkdir(exist_ok=True)
            os.replace(extracted, folder)
    return len(members)
