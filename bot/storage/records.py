"""Issued service reports: a row per version (insert-only) and the archived PDF files.

A version is never updated or deleted: there is no method for it. The file goes under the data
folder (next to the database), named with its version and hash, so no version overwrites
another; the row keeps its SHA-256.
"""

from __future__ import annotations

import os
from pathlib import Path

import aiosqlite

from bot.domain.literals import one_of
from bot.domain.reports import REPORT_KINDS, IssuedReport, ReportJob
from bot.storage.connection import Connection
from bot.storage.db import from_ts, ts


class Records:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.jobs_added = 0  # versions laid out in this transaction: typesetting wakes then

    async def add(self, report: IssuedReport) -> None:
        await self.conn.execute(
            "INSERT INTO service_reports (ticket_id, version, kind, issued_at, language, path,"
            " sha256) VALUES (?,?,?,?,?,?,?)",
            (
                report.ticket_id,
                report.version,
                report.kind,
                ts(report.issued_at),
                report.language,
                report.path,
                report.sha256,
            ),
        )

    async def of_ticket(self, ticket_id: int) -> list[IssuedReport]:
        async with self.conn.execute(
            "SELECT * FROM service_reports WHERE ticket_id = ? ORDER BY version", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [_report(r) for r in rows]

    async def latest(self, ticket_id: int) -> IssuedReport | None:
        reports = await self.of_ticket(ticket_id)
        return reports[-1] if reports else None

    # ---- versions laid out, waiting to be typeset after their transaction
    async def add_job(self, job: ReportJob) -> None:
        self.jobs_added += 1
        await self.conn.execute(
            "INSERT INTO report_jobs (ticket_id, version, kind, issued_at, language, html)"
            " VALUES (?,?,?,?,?,?)",
            (job.ticket_id, job.version, job.kind, ts(job.issued_at), job.language, job.html),
        )

    async def jobs(self) -> list[ReportJob]:
        """The versions still to typeset, oldest first (failed ones are left alone)."""
        async with self.conn.execute(
            "SELECT * FROM report_jobs WHERE error IS NULL ORDER BY issued_at, ticket_id, version"
        ) as cur:
            rows = await cur.fetchall()
        return [_job(r) for r in rows]

    async def jobs_of(self, ticket_id: int) -> list[ReportJob]:
        async with self.conn.execute(
            "SELECT * FROM report_jobs WHERE ticket_id = ? ORDER BY version", (ticket_id,)
        ) as cur:
            rows = await cur.fetchall()
        return [_job(r) for r in rows]

    async def job_done(self, job: ReportJob) -> None:
        await self.conn.execute(
            "DELETE FROM report_jobs WHERE ticket_id = ? AND version = ?",
            (job.ticket_id, job.version),
        )

    async def job_failed(self, job: ReportJob, error: str) -> None:
        await self.conn.execute(
            "UPDATE report_jobs SET error = ? WHERE ticket_id = ? AND version = ?",
            (error, job.ticket_id, job.version),
        )


def _report(r: aiosqlite.Row) -> IssuedReport:
    issued_at = from_ts(r["issued_at"])
    assert issued_at is not None
    return IssuedReport(
        ticket_id=r["ticket_id"],
        version=r["version"],
        kind=one_of(r["kind"], REPORT_KINDS, "report kind"),
        issued_at=issued_at,
        language=r["language"],
        path=r["path"],
        sha256=r["sha256"],
    )


def _job(r: aiosqlite.Row) -> ReportJob:
    issued_at = from_ts(r["issued_at"])
    assert issued_at is not None
    return ReportJob(
        ticket_id=r["ticket_id"],
        version=r["version"],
        kind=one_of(r["kind"], REPORT_KINDS, "report kind"),
        issued_at=issued_at,
        language=r["language"],
        html=r["html"],
        error=r["error"],
    )


class ReportFiles:
    """The archive folder. Files are written once (exclusive create) and only read after."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def store(self, name: str, data: bytes) -> str:
        """Write a new file; the same name again (a retried transaction) must hold the same
        bytes. Returns the path relative to the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        try:
            with open(path, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except FileExistsError:
            if path.read_bytes() != data:
                raise
        return name

    def read(self, name: str) -> bytes:
        """A file of the archive by its name (never a path outside the folder)."""
        if not name or Path(name).name != name or name in (".", ".."):
            raise FileNotFoundError(f"not a file of the archive: {name!r}")
        return (self.folder / name).read_bytes()
