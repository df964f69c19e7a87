"""The sender paces each private chat itself: a small burst, then one message a second, the
chat's order kept and other chats not held up (real seconds, also under a faster clock)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.services.notices import Notice
from bot.storage.uow import unit_of_work
from bot.telegram.handlers import TelegramId
from bot.telegram.sender import PRIVATE_BURST, PrivatePacer
from tests.dialog.harness import Harness

ENG1, ENG2 = 1001, 1002


class Time:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


async def paced(tmp_path: Path, *, speed: float | None = None) -> tuple[Harness, Time]:
    h = Harness(tmp_path)
    if speed is not None:
        h.clock.speed = speed  # type: ignore[attr-defined]  # as a ScaledClock has
    hb = await h.start()
    real = Time()
    hb.sender.pace_private_chats = True
    hb.sender.private_pacer = PrivatePacer(now=real)
    return h, real


async def queue_whoami(h: Harness, chat_id: int, ids: range) -> None:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        notices = [Notice(chat_id, "whoami", params=TelegramId(i)) for i in ids]
        await h.hb.postman.post(uow, notices)


def ids_seen(h: Harness, chat_id: int) -> list[int]:
    """The ids of the whoami answers in the chat, in the order they arrived."""
    found = (re.search(r"(\d+)$", m.text) for m in h.request.chat(chat_id))
    return [int(f.group(1)) for f in found if f is not None]


async def pending_at(h: Harness, chat_id: int) -> list[str]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT next_attempt_at FROM outbox WHERE chat_id = ? AND status = 'pending' "
            "ORDER BY id",
            (chat_id,),
        ) as cur:
            return [r[0] for r in await cur.fetchall()]


async def test_a_private_chat_gets_a_burst_then_one_a_second_in_order(tmp_path: Path) -> None:
    h, real = await paced(tmp_path)
    try:
        h.request.started.update({ENG1, ENG2})
        await queue_whoami(h, ENG1, range(100, 100 + PRIVATE_BURST + 3))
        await queue_whoami(h, ENG2, range(200, 202))
        await h.drain()
        assert ids_seen(h, ENG1) == list(range(100, 100 + PRIVATE_BURST))
        # The rest of the chat waits in the outbox; another chat is not held up meanwhile.
        assert len(await pending_at(h, ENG1)) == 3
        assert ids_seen(h, ENG2) == [200, 201]
        # One more a second, in order.
        for second in (1, 2, 3):
            real.t += 1.1
            h.clock.advance(timedelta(seconds=1.1))
            await h.drain()
            assert ids_seen(h, ENG1) == list(range(100, 100 + PRIVATE_BURST + second))
        assert await pending_at(h, ENG1) == []
    finally:
        await h.stop()


async def test_pacing_is_in_real_seconds_under_a_faster_clock(tmp_path: Path) -> None:
    h, real = await paced(tmp_path, speed=60.0)
    try:
        h.request.started.add(ENG1)
        await queue_whoami(h, ENG1, range(100, 100 + PRIVATE_BURST + 1))
        await h.drain()
        assert len(ids_seen(h, ENG1)) == PRIVATE_BURST
        # The next slot is a real second away: a minute on a clock that runs 60 times faster.
        h.clock.advance(timedelta(seconds=59))
        real.t += 59 / 60
        await h.drain()
        assert len(ids_seen(h, ENG1)) == PRIVATE_BURST
        h.clock.advance(timedelta(seconds=3))
        real.t += 3 / 60
        await h.drain()
        assert len(ids_seen(h, ENG1)) == PRIVATE_BURST + 1
    finally:
        await h.stop()


async def outbox_rows(h: Harness, chat_id: int) -> list[tuple[str, int, str]]:
    """(status, attempts, next_attempt_at) of the chat's rows, oldest first."""
    assert h.hb is not None
    async with h.hb.db.conn.execute(
        "SELECT status, attempts, next_attempt_at FROM outbox WHERE chat_id = ? ORDER BY id",
        (chat_id,),
    ) as cur:
        return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def test_pacing_writes_nothing_and_a_held_chat_leaves_its_place_to_others(
    tmp_path: Path,
) -> None:
    h, real = await paced(tmp_path)
    try:
        assert h.hb is not None
        h.request.started.update({ENG1, ENG2})
        await queue_whoami(h, ENG1, range(100, 100 + PRIVATE_BURST + 2))
        before = (await outbox_rows(h, ENG1))[-2:]
        await h.drain()
        # The two messages past the burst wait in memory: their rows are as they were queued.
        assert (await outbox_rows(h, ENG1))[-2:] == before
        # While the chat is held, its head is not among a round's heads, even a round of one.
        await queue_whoami(h, ENG2, range(200, 201))
        async with unit_of_work(h.hb.db) as uow:
            heads = await uow.outbox.due(h.clock.now(), limit=1, skip=h.hb.sender._paced_chats())
        assert [r.chat_id for r in heads] == [ENG2]
        await h.drain()
        assert ids_seen(h, ENG2) == [200]
        real.t += 2.1
        await h.drain()
        assert ids_seen(h, ENG1) == list(range(100, 100 + PRIVATE_BURST + 2))
    finally:
        await h.stop()


async def test_a_round_is_recorded_in_one_transaction_and_a_failing_row_costs_only_itself(
    tmp_path: Path,
) -> None:
    h = Harness(tmp_path)
    hb = await h.start()
    try:
        chats = [ENG1, ENG2, 1011, 1012]
        h.request.started.update(chats)
        runs = 0
        run = hb.sender.run

        async def counted(use_case):  # type: ignore[no-untyped-def]
            nonlocal runs
            runs += 1
            return await run(use_case)

        hb.sender.run = counted
        for n, chat in enumerate(chats):
            await queue_whoami(h, chat, range(300 + n, 301 + n))
        await h.drain()
        assert runs == 1  # four messages, one transaction
        assert [ids_seen(h, c) for c in chats] == [[300], [301], [302], [303]]

        # A hook that fails for one row: the others are recorded, each sent once.
        on_sent = hb.sender.on_sent
        assert on_sent is not None

        async def failing(uow, row, message_id, previous):  # type: ignore[no-untyped-def]
            if "402" in row.payload.get("text", ""):
                raise RuntimeError("the hook failed")
            return await on_sent(uow, row, message_id, previous)

        hb.sender.on_sent = failing
        for n, chat in enumerate(chats):
            await queue_whoami(h, chat, range(400 + n, 401 + n))
        with pytest.raises(RuntimeError, match="the hook failed"):
            await hb.sender.drain()
        statuses = {c: (await outbox_rows(h, c))[-1][0] for c in chats}
        assert statuses == {ENG1: "sent", ENG2: "sent", 1011: "pending", 1012: "sent"}
        hb.sender.on_sent = on_sent
        await h.drain()
        # Only the row whose recording failed went out again (at least once, as before).
        assert [ids_seen(h, c) for c in chats] == [
            [300, 400], [301, 401], [302, 402, 402], [303, 403]
        ]
        assert {(await outbox_rows(h, c))[-1][0] for c in chats} == {"sent"}
    finally:
        await h.stop()
