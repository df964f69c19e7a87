"""Document jobs: recorded by a command, taken by the document worker, finished once."""

from __future__ import annotations

import json

import aiosqlite

from bot.domain.jobs import DocumentJob
from bot.domain.literals import one_of
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import req_dt


class DocumentJobs:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.added = 0  # jobs recorded in this transaction: the worker is woken only then

    async def add(self, job: DocumentJob) -> DocumentJob:
        self.added += 1
        cur = await self.conn.execute(
            "INSERT INTO document_jobs (kind, requester, chat, params, requested_at, state)"
            " VALUES (?, ?, ?, ?, ?, 'pending')",
            (job.kind, job.requester, job.chat,
             json.dumps(job.params, ensure_ascii=False, sort_keys=True), ts(job.requested_at)),
        )  # fmt: skip
        assert cur.lastrowid is not None
        return DocumentJob(cur.lastrowid, job.kind, job.requester, job.chat, job.params,
                           job.requested_at)  # fmt: skip

    async def get(self, job_id: int) -> DocumentJob | None:
        async with self.conn.execute("SELECT * FROM document_jobs WHERE id = ?", (job_id,)) as c:
            r = await c.fetchone()
        return None if r is None else _job(r)

    async def pending(self) -> list[DocumentJob]:
        """Jobs waiting to be made, oldest first."""
        async with self.conn.execute(
            "SELECT * FROM document_jobs WHERE state = 'pending' ORDER BY id"
        ) as c:
            return [_job(r) for r in await c.fetchall()]

    async def finish(self, job_id: int, path: str, sha256: str) -> bool:
        """Pending → done with its archived file; False if it was finished before (once)."""
        cur = await self.conn.execute(
            "UPDATE document_jobs SET state = 'done', path = ?, sha256 = ?"
            " WHERE id = ? AND state = 'pending'",
            (path, sha256, job_id),
        )
        return cur.rowcount == 1

    async def fail(self, job_id: int, error: str) -> bool:
        """Pending → failed with why; False if it was finished before."""
        cur = await self.conn.execute(
            "UPDATE document_jobs SET state = 'failed', error = ?"
            " WHERE id = ? AND state = 'pending'",
            (error, job_id),
        )
        return cur.rowcount == 1


def _job(r: aiosqlite.Row) -> DocumentJob:
    return DocumentJob(
        id=r["id"],
        kind=r["kind"],
        requester=r["requester"],
        chat=r["chat"],
        params=json.loads(r["params"]),
        requested_at=req_dt(r, "requested_at"),
        state=one_of(r["state"], ("pending", "done", "failed"), "job state"),
        error=r["error"],
        path=r["path"],
        sha256=r["sha256"],
    )
