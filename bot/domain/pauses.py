"""Pauses of a ticket's SLA clocks (pure).

A pause is agreed, never imposed: the owner proposes it, the customer answers with a button
(双方协商), and a force-majeure pause also needs a project manager's approval. It becomes active
(the clocks stand still) only once every side it needs has agreed; the first refusal rejects
it. Each answer is kept with who gave it and when: the proof an auditor asks for. The owner may
withdraw a proposal (resolving the ticket does); an active pause ends when the owner or a
manager resumes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, get_args

from bot.domain.literals import one_of
from bot.domain.ticket import TransitionError

PauseKind = Literal["force_majeure", "waiting"]
PauseState = Literal["proposed", "active", "rejected", "ended", "withdrawn"]
# Who answers a proposal: the ticket's customer, and for force majeure a project manager.
Party = Literal["customer", "manager"]
Answer = Literal["agreed", "refused"]
PAUSE_KINDS: tuple[PauseKind, ...] = get_args(PauseKind)
PAUSE_STATES: tuple[PauseState, ...] = get_args(PauseState)
ANSWERS: tuple[Answer, ...] = get_args(Answer)


def pause_kind(value: str) -> PauseKind:
    return one_of(value, PAUSE_KINDS, "pause kind")


def pause_state(value: str) -> PauseState:
    return one_of(value, PAUSE_STATES, "pause state")


def pause_answer(value: str | None) -> Answer | None:
    return None if value is None else one_of(value, ANSWERS, "pause answer")


def parties(kind: PauseKind) -> tuple[Party, ...]:
    """Whose agreement a pause of this kind needs before the clocks stop."""
    return ("customer", "manager") if kind == "force_majeure" else ("customer",)


@dataclass(frozen=True)
class Pause:
    id: int
    ticket_id: int
    kind: PauseKind
    reason: str
    state: PauseState
    proposed_by: str
    decided_by: str | None  # the project manager who answered
    proposed_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    customer_answer: Answer | None = None
    customer_by: str | None = None
    customer_at: datetime | None = None
    manager_answer: Answer | None = None
    decided_at: datetime | None = None

    @classmethod
    def new(
        cls, ticket_id: int, kind: PauseKind, reason: str, state: PauseState, by: str, at: datetime
    ) -> Pause:
        """A pause proposed for agreement, or one that is active at once (not yet stored: id 0).
        The services only propose; an active start is kept for records made before agreement
        was asked."""
        if state not in ("proposed", "active"):
            raise ValueError(f"a pause begins proposed or active, not {state}")
        started = at if state == "active" else None
        return cls(0, ticket_id, kind, reason, state, by, None, at, started, None)

    def answer_of(self, party: Party) -> Answer | None:
        return self.customer_answer if party == "customer" else self.manager_answer

    @property
    def waiting_for(self) -> tuple[Party, ...]:
        """The sides that have not answered yet (while proposed)."""
        return tuple(p for p in parties(self.kind) if self.answer_of(p) is None)

    def answer(self, party: Party, agree: bool, actor: str, at: datetime) -> Pause:
        """One side's answer to a proposal, once: active when every side needed has agreed
        (the clocks stop now), rejected at the first refusal."""
        if self.state != "proposed" or party not in self.waiting_for:
            raise TransitionError("wrong_step")  # answered already: a double press, another PM
        said: Answer = "agreed" if agree else "refused"
        if party == "customer":
            new = replace(self, customer_answer=said, customer_by=actor, customer_at=at)
        else:
            new = replace(self, manager_answer=said, decided_by=actor, decided_at=at)
        if not agree:
            return replace(new, state="rejected")
        if not new.waiting_for:
            return replace(new, state="active", started_at=at)
        return new

    def withdraw(self, at: datetime) -> Pause:
        """The owner takes a proposal back (or resolves the ticket) before it was agreed."""
        if self.state != "proposed":
            raise TransitionError("wrong_step")
        return replace(self, state="withdrawn", ended_at=at)

    def end(self, at: datetime) -> Pause:
        if self.state != "active":
            raise TransitionError("not_paused")
        return replace(self, state="ended", ended_at=at)
