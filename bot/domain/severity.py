"""Finding a fault's level by plain questions (customers do not know A/B/C).

The questions follow the level definitions of the contract: the whole system unusable or the
business stopped is A (特大故障); part of the equipment failed or some functions affected is B
(重大故障); anything else is C (一般故障).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.ticket import Level


@dataclass(frozen=True)
class Question:
    key: str  # message catalog key: severity.q.<key>
    yes: Level  # the level a "yes" means


QUESTIONS: tuple[Question, ...] = (
    Question("whole", Level.A),
    Question("partial", Level.B),
)
DEFAULT_LEVEL = Level.C


def question(key: str) -> Question | None:
    return next((q for q in QUESTIONS if q.key == key), None)


def next_step(answers: dict[str, bool]) -> Question | Level:
    """The next question to ask, or the level once the answers decide it."""
    for q in QUESTIONS:
        if q.key not in answers:
            return q
        if answers[q.key]:
            return q.yes
    return DEFAULT_LEVEL
