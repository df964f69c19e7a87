"""Replies first (bot/domain/delivery.py): what a person just did is answered before queued
reminders and documents; chats are served in turn; each chat keeps its order."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from bot.domain.delivery import Priority
from bot.services.notices import Notice, Outcome
from bot.services.uow import UnitOfWork
from bot.storage.uow import unit_of_work
from bot.telegram.handlers import TelegramId
from tests.dialog.harness import Harness

ENG1, ENG2, ENG3 = 1001, 1002, 1003
CUSTOMER = 5001


async def queue(h: Harness, to: int, marks: range, priority: Priority,
                reply_to: int | None = None) -> None:
    """Queue "whoami" answers carrying `marks` to `to`, as a use case of that class would."""
    assert h.hb is not None

    async def say(uow: UnitOfWork) -> Outcome:
        return Outcome([Notice(to, "whoami", params=TelegramId(m)) for m in marks])

    await h.hb.dispatcher.run(say, priority=priority, reply_to=reply_to)


def marks_sent(h: Harness) -> list[int]:
    """The marks of the whoami answers, in the order they were sent (all chats)."""
    out = []
    for method, params in h.request.calls:
        found = re.search(r"<code>(\d+)</code>", str(params.get("text", "")))
        if method == "sendMessage" and found:
            out.append(int(found.group(1)))
    return out


async def test_a_reply_goes_before_queued_reminders_and_every_chat_keeps_its_order(
    tmp_path: Path,
) -> None:
    h = Harness(tmp_path)
    await h.start()
    for uid in (ENG1, ENG2, ENG3, CUSTOMER):
        h.request.started.add(uid)
    await queue(h, ENG1, range(1, 6), Priority.REMINDER)
    await queue(h, ENG2, range(6, 11), Priority.REMINDER)
    await queue(h, ENG3, range(11, 12), Priority.BULK)
    await queue(h, CUSTOMER, range(12, 13), Priority.PAGE, reply_to=CUSTOMER)
    await queue(h, ENG1, range(13, 14), Priority.PAGE, reply_to=ENG1)
    h.request.calls.clear()
    assert h.hb is not None
    await h.hb.sender.drain()
    assert marks_sent(h) == [
        12,  # the customer's reply first
        1, 11, 6,  # the oldest reminder and the document keep their places; the other chat
        2, 7, 3, 8, 4, 9, 5, 10,  # then one per chat in turn, not one chat's queue at a time
        13,  # a reply behind its own chat's earlier messages waits for them: order kept
    ]
    await h.stop()


async def test_a_reply_queued_during_a_round_of_reminders_goes_next(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.start()
    chats = list(range(7001, 7021))
    h.request.started.update([*chats, CUSTOMER])
    for i, chat in enumerate(chats, start=1):
        await queue(h, chat, range(i, i + 1), Priority.REMINDER)
    h.request.calls.clear()
    assert h.hb is not None
    send = h.request.do_request

    async def customer_writes_during_the_third(*args: Any, **kwargs: Any) -> Any:
        answer = await send(*args, **kwargs)
        if len(h.request.calls) == 3:
            await queue(h, CUSTOMER, range(99, 100), Priority.PAGE, reply_to=CUSTOMER)
        return answer

    h.request.do_request = customer_writes_during_the_third  # type: ignore[method-assign]
    await h.hb.sender.drain()
    sent = marks_sent(h)
    assert sent[:4] == [1, 2, 3, 99]  # not after the round's 17 other reminders
    assert sorted(sent) == [*range(1, 21), 99]  # each sent once
    await h.stop()


async def test_each_message_gets_the_class_of_what_caused_it(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.start()
    eng1 = await h.staff(ENG1)
    cust = await h.customer()
    await h.report(cust)
    await h.tick(minutes=8)  # past half the 15-minute respond deadline: a reminder
    assert eng1.find("⏰")
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT chat_id, purpose, priority FROM outbox ORDER BY id"
        ) as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
    to_customer = {p for chat, _, p in rows if chat == CUSTOMER}
    assert to_customer == {Priority.REPLY}  # every answer of the dialog, the receipt too
    pages = {p for chat, purpose, p in rows if chat == ENG1 and purpose.startswith("page")}
    assert Priority.PAGE in pages  # the page the customer's report caused
    assert rows[-1][2] == Priority.REMINDER  # what the timer said
    await h.stop()


async def test_the_running_sender_leaves_no_row_behind_without_asking_twice(
    tmp_path: Path,
) -> None:
    """The sender's loop asks for the next round only when the last one left due rows (a
    chat's later messages) or something was queued meanwhile. With its idle sleep made an
    hour, a row left behind would never go: every row must still go, in each chat's order."""
    h = Harness(tmp_path)
    await h.start()
    assert h.hb is not None
    for eng in (ENG1, ENG2):
        await h.staff(eng)
    sender = h.hb.sender
    sender.IDLE_SECONDS = 3600.0
    before = len(marks_sent(h))
    sender.start()
    try:
        await queue(h, ENG1, range(1, 4), Priority.REMINDER)  # three in one chat: three rounds
        await queue(h, ENG2, range(11, 13), Priority.PAGE)
        await queue(h, ENG1, range(4, 6), Priority.REPLY, reply_to=ENG1)
        for _ in range(500):
            if len(marks_sent(h)) - before == 7:
                break
            await asyncio.sleep(0.01)
        sent = marks_sent(h)[before:]
        assert sorted(sent) == [1, 2, 3, 4, 5, 11, 12]
        assert [m for m in sent if m < 10] == [1, 2, 3, 4, 5]  # ENG1's order kept
        assert [m for m in sent if m > 10] == [11, 12]
    finally:
        await sender.stop()
        await h.stop()
