"""Group commit: use cases queued while a transaction is written share the next one; a failing
one costs only itself; a cancelled caller never tears a batch (bot/telegram/dispatch.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.services.notices import Outcome
from bot.services.uow import UnitOfWork
from tests.dialog.harness import Harness


class Boom(Exception):
    pass


def count_transactions(h: Harness) -> list[int]:
    """Counts the transactions begun on the bot's database from now on."""
    assert h.hb is not None
    db = h.hb.db
    begun = [0]
    original = db.transaction

    @asynccontextmanager
    async def counted() -> AsyncIterator[Any]:
        begun[0] += 1
        async with original() as conn:
            yield conn

    db.transaction = counted  # type: ignore[method-assign]
    return begun


def claiming(
    h: Harness, update_id: int, gate: asyncio.Event | None = None, fail: bool = False
) -> Any:
    """A use case that writes (claims an update id, as a handler's does), may wait for a gate
    while its transaction is open, or may fail after writing."""

    async def use_case(uow: UnitOfWork) -> Outcome:
        assert await uow.handled_updates.claim(update_id, h.clock.now())
        if gate is not None:
            await gate.wait()
        if fail:
            raise Boom(f"use case {update_id} failed")
        return Outcome()

    return use_case


async def claimed(h: Harness, ids: list[int]) -> list[int]:
    """Which of these update ids are committed as claimed."""
    assert h.hb is not None
    rows = await h.hb.db.conn.execute_fetchall(
        f"SELECT update_id FROM handled_updates WHERE update_id IN ({','.join('?' * len(ids))})"
        " ORDER BY update_id", ids)
    return [r[0] for r in rows]


async def test_use_cases_queued_behind_a_transaction_share_the_next(h: Harness) -> None:
    assert h.hb is not None
    begun = count_transactions(h)
    gate = asyncio.Event()
    run = h.hb.dispatcher.run
    first = asyncio.create_task(run(claiming(h, 90001, gate)))
    await asyncio.sleep(0.05)  # the first holds its transaction open
    rest = [asyncio.create_task(run(claiming(h, 90002 + i))) for i in range(5)]
    await asyncio.sleep(0.05)
    assert begun[0] == 1 and not any(t.done() for t in rest)
    gate.set()
    await asyncio.gather(first, *rest)
    # one transaction for the first, one for the five that waited: not six
    assert begun[0] == 2
    assert await claimed(h, list(range(90001, 90007))) == list(range(90001, 90007))


async def test_a_failing_use_case_costs_only_itself(h: Harness) -> None:
    assert h.hb is not None
    gate = asyncio.Event()
    run = h.hb.dispatcher.run
    first = asyncio.create_task(run(claiming(h, 91001, gate)))
    await asyncio.sleep(0.05)
    good_a = asyncio.create_task(run(claiming(h, 91002)))
    bad = asyncio.create_task(run(claiming(h, 91003, fail=True)))
    good_b = asyncio.create_task(run(claiming(h, 91004)))
    await asyncio.sleep(0.05)
    gate.set()
    await first
    with pytest.raises(Boom):
        await bad
    await good_a
    await good_b
    # the batch was rolled back and each ran again on its own: the good ones once, the bad none
    assert await claimed(h, [91002, 91003, 91004]) == [91002, 91004]


async def test_a_cancelled_caller_neither_takes_effect_nor_tears_the_batch(h: Harness) -> None:
    assert h.hb is not None
    gate, inner = asyncio.Event(), asyncio.Event()
    run = h.hb.dispatcher.run
    first = asyncio.create_task(run(claiming(h, 92001, gate)))
    await asyncio.sleep(0.05)
    # These two wait behind the first and then share a transaction; the caller of the first
    # of them leads it and is cancelled while it is under way.
    leader = asyncio.create_task(run(claiming(h, 92002, inner)))
    kept = asyncio.create_task(run(claiming(h, 92003)))
    await asyncio.sleep(0.05)
    gate.set()
    await first
    await asyncio.sleep(0.05)  # the batch of two has begun and waits inside its transaction
    late = asyncio.create_task(run(claiming(h, 92004)))
    await asyncio.sleep(0.05)
    late.cancel()  # not begun yet: it never takes effect
    leader.cancel()  # its batch is shielded: written all the same, for both
    inner.set()
    with pytest.raises(asyncio.CancelledError):
        await late
    with pytest.raises(asyncio.CancelledError):
        await leader
    await kept
    await asyncio.sleep(0.05)
    assert await claimed(h, [92001, 92002, 92003, 92004]) == [92001, 92002, 92003]


async def test_a_use_case_alone_is_rolled_back_when_its_caller_is_cancelled(h: Harness) -> None:
    """Nobody shares its transaction: a cancel rolls back its own work, as it always did."""
    assert h.hb is not None
    gate = asyncio.Event()
    alone = asyncio.create_task(h.hb.dispatcher.run(claiming(h, 94001, gate)))
    await asyncio.sleep(0.05)
    alone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await alone
    assert await claimed(h, [94001]) == []
    assert await h.hb.dispatcher.run(claiming(h, 94002)) is not None  # the next one runs
    assert await claimed(h, [94002]) == [94002]


async def test_an_update_repeated_within_one_batch_takes_effect_once(h: Harness) -> None:
    """Telegram's re-delivery can meet the first delivery in one batch: the claim holds."""
    assert h.hb is not None
    gate = asyncio.Event()
    run = h.hb.dispatcher.run
    first = asyncio.create_task(run(claiming(h, 93001, gate)))
    await asyncio.sleep(0.05)
    said: list[int] = []

    async def note(uow: UnitOfWork) -> Outcome:
        said.append(1)
        return Outcome()

    twice = [asyncio.create_task(run(note, update_id=93100)) for _ in range(2)]
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(first, *twice)
    assert said == [1]
