"""Users (who wrote to the bot, reachable or not) and their dialog drafts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.drafts import DRAFT_TYPES, AnyDraft
from bot.domain.people import User
from bot.storage.connection import Connection
from bot.storage.db import ts
from bot.storage.rows import dt, every, one, opt_ts, req_dt

_USER_COLUMNS = (
    "first_name language project_key name unit phone profile_done started_at unreachable_at "
    "unreachable_reason"
).split()


class Users:
    """Who wrote to the bot. Each change is the domain's (`User.started`, ...): read, change,
    write, in one transaction (one writer at a time, so nothing comes in between)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # The users this transaction read, as they are now: the one who sent the update is
        # read once, not again when the answer is addressed (every write goes through here).
        self._known: dict[int, User] = {}

    @staticmethod
    def _from_row(row: aiosqlite.Row) -> User:
        return User(
            telegram_id=row["telegram_id"],
            first_name=row["first_name"],
            language=row["language"],
            project_key=row["project_key"],
            name=row["name"],
            unit=row["unit"],
            phone=row["phone"],
            profile_done=bool(row["profile_done"]),
            started_at=dt(row, "started_at"),
            unreachable_at=dt(row, "unreachable_at"),
            unreachable_reason=row["unreachable_reason"],
        )

    @staticmethod
    def _values(u: User) -> list[Any]:
        return [
            u.first_name,
            u.language,
            u.project_key,
            u.name,
            u.unit,
            u.phone,
            int(u.profile_done),
            opt_ts(u.started_at),
            opt_ts(u.unreachable_at),
            u.unreachable_reason,
        ]

    async def _insert(self, user: User, at: datetime) -> None:
        marks = ",".join("?" * (len(_USER_COLUMNS) + 2))
        await self.conn.execute(
            f"INSERT INTO users (telegram_id, {','.join(_USER_COLUMNS)}, created_at) "
            f"VALUES ({marks})",
            [user.telegram_id, *self._values(user), ts(at)],
        )
        self._known[user.telegram_id] = user

    async def _update(self, user: User) -> None:
        sets = ",".join(f"{c} = ?" for c in _USER_COLUMNS)
        await self.conn.execute(
            f"UPDATE users SET {sets} WHERE telegram_id = ?",
            [*self._values(user), user.telegram_id],
        )
        self._known[user.telegram_id] = user

    async def _change(self, telegram_id: int, change: Callable[[User], User]) -> None:
        """Apply a change to a known user (an unknown one stays unknown)."""
        user = await self.get(telegram_id)
        if user is not None and (changed := change(user)) != user:
            await self._update(changed)

    async def get(self, telegram_id: int) -> User | None:
        known = self._known.get(telegram_id)
        if known is not None:
            return known
        row = await one(self.conn, "SELECT * FROM users WHERE telegram_id = ?", (telegram_id,))
        if row is None:
            return None
        user = self._known[telegram_id] = self._from_row(row)
        return user

    async def many(self, ids: Iterable[int]) -> dict[int, User]:
        wanted = set(ids)
        found = {i: self._known[i] for i in wanted if i in self._known}
        missing = [i for i in wanted if i not in found]
        if not missing:
            return found
        marks = ",".join("?" * len(missing))
        for r in await every(
            self.conn, f"SELECT * FROM users WHERE telegram_id IN ({marks})", missing
        ):
            user = self._from_row(r)
            found[user.telegram_id] = self._known[user.telegram_id] = user
        return found

    async def customers_of(self, project_key: str, query: str, limit: int = 8) -> list[User]:
        """The project's customers whose name, unit or phone contains `query` (/log's caller
        search): never another project's."""
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await every(
            self.conn,
            "SELECT * FROM users WHERE project_key = ? AND (name LIKE ? ESCAPE '\\' "
            "OR unit LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' "
            "OR first_name LIKE ? ESCAPE '\\') ORDER BY name, telegram_id LIMIT ?",
            [project_key, like, like, like, like, limit]
        )
        return [self._from_row(r) for r in rows]

    async def seen(
        self, telegram_id: int, first_name: str, language: str | None, at: datetime
    ) -> User:
        """Record that the user wrote to us: they are reachable and we know their language."""
        user = await self.get(telegram_id)
        if user is None:
            user = User(telegram_id).seen(first_name, language)
            await self._insert(user, at)
            return user
        seen = user.seen(first_name, language)
        if seen != user:
            await self._update(seen)
        return seen

    async def mark_started(self, telegram_id: int, at: datetime) -> None:
        await self._change(telegram_id, lambda u: u.started(at))

    async def mark_unreachable(self, telegram_id: int, at: datetime, reason: str) -> bool:
        """Returns True when this is news (the user was reachable until now)."""
        user = await self.get(telegram_id)
        if user is None:
            await self._insert(User(telegram_id).unreachable(at, reason), at)
            return True
        if not user.reachable:
            return False
        await self._update(user.unreachable(at, reason))
        return True

    async def join_project(self, telegram_id: int, project_key: str) -> None:
        await self._change(telegram_id, lambda u: u.joined(project_key))

    async def save_profile(self, telegram_id: int, name: str, unit: str, phone: str) -> None:
        await self._change(telegram_id, lambda u: u.with_profile(name, unit, phone))


class Drafts:
    """One dialog draft per user (a report, a profile, a resolve in progress)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def get(self, user_id: int) -> tuple[AnyDraft, datetime] | None:
        row = await one(self.conn, "SELECT * FROM drafts WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        draft = DRAFT_TYPES[row["kind"]].from_data(json.loads(row["data"]))
        return draft, req_dt(row, "updated_at")

    async def put(self, user_id: int, draft: AnyDraft, at: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO drafts (user_id, kind, step, data, updated_at) VALUES (?,?,?,?,?)
               ON CONFLICT(user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,
                   data = excluded.data, updated_at = excluded.updated_at""",
            (user_id, draft.kind, draft.step, json.dumps(draft.to_data()), ts(at)),
        )

    async def delete(self, user_id: int) -> None:
        await self.conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
