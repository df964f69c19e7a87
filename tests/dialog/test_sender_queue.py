"""A round's read of the queue scans every waiting row (10 000 take about 10 ms): after a round
that found a long queue it runs on aiosqlite's thread, so a storm does not hold up the event
loop; a short queue is read on the loop. Every message still goes once, in order per chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.sender import LONG_QUEUE
from tests.dialog.harness import Harness
from tests.dialog.test_pacing import ids_seen, queue_whoami
from tests.support.statements import statements_run

CHATS = range(2001, 2031)
EACH = LONG_QUEUE // len(CHATS) + 5  # a queue just past LONG_QUEUE


async def test_a_long_queue_is_read_off_the_event_loop_and_a_short_one_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = Harness(tmp_path)
    hb = await h.start()
    statements = statements_run(monkeypatch)
    h.request.started.update(CHATS)  # they have opened the bot
    for chat in CHATS:
        await queue_whoami(h, chat, range(chat * 100, chat * 100 + EACH))
    await hb.sender.drain()
    # Per round: True when the queue was read on aiosqlite's thread.
    reads = [thread for sql, thread in statements if "WITH h AS MATERIALIZED" in sql]

    assert len(CHATS) * EACH > LONG_QUEUE
    # The first round finds the queue long (it was short at start-up, so it read it on the
    # loop), the next ones read it off the loop, and once it is short again, on the loop.
    assert reads[:3] == [False, True, True]
    assert reads[-1] is False
    assert reads.count(True) < len(reads) / 2
    for chat in CHATS:
        assert ids_seen(h, chat) == list(range(chat * 100, chat * 100 + EACH))
    await h.stop()
