"""Finding the level by plain questions: order of the questions and every answer path."""

from __future__ import annotations

import pytest

from bot.domain import severity
from bot.domain.severity import DEFAULT_LEVEL, QUESTIONS, Question, next_step, question
from bot.domain.ticket import Level


def test_question_order_and_meaning() -> None:
    assert [(q.key, q.yes) for q in QUESTIONS] == [("whole", Level.A), ("partial", Level.B)]
    assert DEFAULT_LEVEL is Level.C


def test_first_question_is_whole_system() -> None:
    assert next_step({}) == Question("whole", Level.A)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"whole": True}, Level.A),
        ({"whole": True, "partial": False}, Level.A),
        ({"whole": True, "partial": True}, Level.A),
        ({"whole": False}, Question("partial", Level.B)),
        ({"whole": False, "partial": True}, Level.B),
        ({"whole": False, "partial": False}, Level.C),
    ],
)
def test_answer_paths(answers: dict[str, bool], expected: Question | Level) -> None:
    assert next_step(answers) == expected


def test_a_later_answer_does_not_skip_an_earlier_question() -> None:
    assert next_step({"partial": True}) == Question("whole", Level.A)


def test_unknown_answers_are_ignored() -> None:
    assert next_step({"colour": True}) == Question("whole", Level.A)
    assert next_step({"colour": True, "whole": False, "partial": False}) is Level.C


@pytest.mark.parametrize(
    ("replies", "asked", "level"),
    [
        ([True], ["whole"], Level.A),
        ([False, True], ["whole", "partial"], Level.B),
        ([False, False], ["whole", "partial"], Level.C),
    ],
)
def test_dialog(replies: list[bool], asked: list[str], level: Level) -> None:
    answers: dict[str, bool] = {}
    seen: list[str] = []
    step = next_step(answers)
    for reply in replies:
        assert isinstance(step, Question)
        seen.append(step.key)
        answers[step.key] = reply
        step = next_step(answers)
    assert seen == asked
    assert step is level


def test_question_lookup() -> None:
    assert question("whole") == Question("whole", Level.A)
    assert question("partial") == Question("partial", Level.B)
    assert question("other") is None
    assert question("") is None
    assert severity.question("WHOLE") is None
