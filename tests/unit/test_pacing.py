"""The sender's own pacing of each chat: Telegram's limits kept before Telegram has to say 429."""

from __future__ import annotations

import pytest

from bot.telegram.sender import PRIVATE_BURST, GroupPacer, PrivatePacer


class Time:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_private_chat_gets_a_small_burst_then_one_a_second() -> None:
    now = Time()
    pacer = PrivatePacer(per_second=1.0, burst=5, now=now)
    assert [pacer.take(7) for _ in range(5)] == [0.0] * 5
    assert pacer.take(7) == pytest.approx(1.0)
    now.t += 0.4
    assert pacer.take(7) == pytest.approx(0.6)  # a refused take costs nothing
    now.t += 0.6
    assert pacer.take(7) == 0.0
    assert pacer.take(7) == pytest.approx(1.0)
    # Other chats have their own buckets.
    assert pacer.take(8) == 0.0


def test_sustained_private_sending_stays_within_telegrams_bucket() -> None:
    # The emulator's model of Telegram: 20 at once, then 1 a second. Whatever the bot sends as
    # soon as its pacer allows, Telegram's bucket never runs dry, even when each call reaches
    # Telegram up to 2 s later or earlier than the bot counted it.
    now = Time()
    pacer = PrivatePacer(now=now)
    sends: list[float] = []
    while now.t < 1120.0:
        wait = pacer.take(7)
        if wait == 0.0:
            sends.append(now.t)
        else:
            now.t += wait
    assert len(sends) == pytest.approx(PRIVATE_BURST + 120, abs=1)
    for jitter in (-2.0, 2.0):
        tokens, last = 20.0, sends[0]
        for i, t in enumerate(sends):
            arrival = t + (jitter if i % 2 else 0.0)
            tokens = min(20.0, tokens + max(0.0, arrival - last))
            last = max(last, arrival)
            assert tokens >= 1.0, f"Telegram would refuse send {i}"
            tokens -= 1.0


def test_rested_private_chats_are_forgotten() -> None:
    now = Time()
    pacer = PrivatePacer(now=now)
    for chat in range(3000):
        pacer.take(chat)
    now.t += 60.0  # every bucket is full again: the same as never having sent
    for chat in range(10_000, 13_000):
        pacer.take(chat)
    assert len(pacer._chats) < 6000
    assert not any(chat in pacer._chats for chat in range(3000))


def test_a_group_gets_20_a_minute() -> None:
    now = Time()
    pacer = GroupPacer(now=now)
    assert [pacer.take(-100) for _ in range(20)] == [0.0] * 20
    now.t += 15.0
    assert pacer.take(-100) == pytest.approx(45.0)
    assert pacer.take(-200) == 0.0
    now.t += 45.0
    assert pacer.take(-100) == 0.0
