"""The sender paces each private chat itself: a small burst, then one message a second, the
chat's order kept and other chats not held up (real seconds, also under a faster clock)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

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
