"""Which queued message goes next (bot/domain/delivery.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.delivery import Priority, round_order

REPLY, PAGE, REMINDER, BULK = Priority


@dataclass(frozen=True)
class H:
    id: int
    priority: int


def ids(heads: list[H]) -> list[int]:
    return [h.id for h in heads]


def test_replies_first_then_each_class_by_age() -> None:
    heads = [H(1, REMINDER), H(2, PAGE), H(3, REMINDER), H(4, REPLY), H(5, PAGE), H(6, REPLY)]
    # Replies; then the oldest page and the oldest reminder (their reserved places); the rest.
    assert ids(round_order(heads, 10)) == [4, 6, 2, 1, 5, 3]


def test_a_round_full_of_replies_still_sends_the_oldest_of_every_other_class() -> None:
    replies = [H(100 + i, REPLY) for i in range(10)]
    heads = [*replies, H(7, BULK), H(3, REMINDER), H(5, REMINDER), H(9, PAGE)]
    chosen = round_order(heads, 5)
    # Two replies, then the page, the oldest reminder and the bulk message: no class starves.
    assert ids(chosen) == [100, 101, 9, 3, 7]


def test_a_small_round_takes_the_most_urgent() -> None:
    heads = [H(1, BULK), H(2, REMINDER), H(3, PAGE)]
    assert ids(round_order(heads, 3)) == [3, 2, 1]
    assert ids(round_order(heads, 2)) == [3, 2]
    assert round_order([], 5) == []
