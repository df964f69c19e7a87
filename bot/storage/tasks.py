"""The contract's calendar: planned tasks (inserted by key, never twice), their results
(insert-only: a recorded result is never changed) and the inspection reports' files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import aiosqlite

from bot.domain.contract import TASK_KINDS, ContractTask, PlannedTask, TaskResult
from bot.domain.literals import one_of
from bot.storage.connection import Connection
from bot.storage.db import ts


def _task(r: aiosqlite.Row) -> ContractTask:
    return ContractTask(
        r["id"],
        r["key"],
        r["project_key"],
        one_of(r["kind"], TASK_KINDS, "task kind"),
        date.fromisoformat(r["due"]),
        r["number"],
        r["assignee"],
        one_of(r["status"], ("open", "done", "cancelled"), "task status"),
        r["origin"],
    )


class ContractTasks:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------ planning
    async def add(
        self, task: PlannedTask, assignee: str, at: datetime, origin: str = "contract"
    ) -> bool:
        """Insert a planned task; False when its key is known (nothing changes)."""
        cur = await self.conn.execute(
            "INSERT OR IGNORE INTO contract_tasks (key, project_key, kind, due, number,"
            " assignee, origin, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (task.key, task.project_key, task.kind, task.due.isoformat(), task.number,
             assignee, origin, ts(at)),
        )
        return cur.rowcount == 1

    async def assign(self, task_id: int, assignee: str) -> None:
        """An open task's assignee (the config's people changed)."""
        await self.conn.execute(
            "UPDATE contract_tasks SET assignee = ? WHERE id = ? AND status = 'open'",
            (assignee, task_id),
        )

    async def close(self, task_id: int, status: str, at: datetime) -> bool:
        """open → done or cancelled; False when it was no longer open."""
        cur = await self.conn.execute(
            "UPDATE contract_tasks SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'",
            (status, ts(at), task_id),
        )
        return cur.rowcount == 1

    # ------------------------------------------------------------------ reading
    async def get(self, task_id: int) -> ContractTask | None:
        async with self.conn.execute(
            "SELECT * FROM contract_tasks WHERE id = ?", (task_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _task(row)

    async def open_of(self, project_keys: Sequence[str]) -> list[ContractTask]:
        """The open tasks of these projects, by due date."""
        if not project_keys:
            return []
        marks = ",".join("?" * len(project_keys))
        async with self.conn.execute(
            f"SELECT * FROM contract_tasks WHERE status = 'open' AND project_key IN ({marks})"
            " ORDER BY due, id",
            tuple(project_keys),
        ) as cur:
            return [_task(r) for r in await cur.fetchall()]

    async def due_between(self, project_key: str, first: date, last: date) -> list[ContractTask]:
        """A project's tasks (any status but cancelled) due in [first, last]."""
        async with self.conn.execute(
            "SELECT * FROM contract_tasks WHERE project_key = ? AND due >= ? AND due <= ?"
            " AND status != 'cancelled' ORDER BY due, id",
            (project_key, first.isoformat(), last.isoformat()),
        ) as cur:
            return [_task(r) for r in await cur.fetchall()]

    async def done_since(self, project_keys: Sequence[str], since: datetime) -> list[ContractTask]:
        """These projects' tasks done (result recorded, notice sent) since then, newest first."""
        if not project_keys:
            return []
        marks = ",".join("?" * len(project_keys))
        async with self.conn.execute(
            f"SELECT * FROM contract_tasks WHERE status = 'done' AND project_key IN ({marks})"
            " AND closed_at >= ? ORDER BY closed_at DESC, id DESC",
            (*project_keys, ts(since)),
        ) as cur:
            return [_task(r) for r in await cur.fetchall()]

    # ------------------------------------------------------------------ results
    async def record(self, result: TaskResult) -> bool:
        """Keep a result; False when the task has one (nothing changes)."""
        cur = await self.conn.execute(
            "INSERT OR IGNORE INTO task_results (task_id, recorded_at, by_id, by_name, content,"
            " sha256) VALUES (?,?,?,?,?,?)",
            (result.task_id, result.recorded_at, result.by_id, result.by_name,
             result.to_json(), result.sha256),
        )
        return cur.rowcount == 1

    async def result(self, task_id: int) -> TaskResult | None:
        async with self.conn.execute(
            "SELECT content FROM task_results WHERE task_id = ?", (task_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else TaskResult.from_json(row["content"])

    async def add_file(self, task_id: int, language: str, path: str, sha256: str) -> None:
        await self.conn.execute(
            "INSERT OR IGNORE INTO task_result_files (task_id, language, path, sha256)"
            " VALUES (?,?,?,?)",
            (task_id, language, path, sha256),
        )

    async def file(self, task_id: int, language: str) -> tuple[str, str] | None:
        async with self.conn.execute(
            "SELECT path, sha256 FROM task_result_files WHERE task_id = ? AND language = ?",
            (task_id, language),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else (row["path"], row["sha256"])
