"""Pauses of a ticket's SLA clocks (pure).

A force-majeure pause is proposed by the ticket's owner and needs a project manager's approval
(proposed → active, or → rejected); waiting for the customer starts at once (active). An active
pause ends when the owner or a manager resumes. While a pause is active the clocks stand still.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, get_args

from bot.domain.literals import one_of
from bot.domain.ticket import TransitionError

PauseKind = Literal["force_majeure", "waiting"]
PauseState = Literal["proposed", "active", "rejected", "ended"]
PAUSE_KINDS: tuple[PauseKind, ...] = get_args(PauseKind)
PAUSE_STATES: tuple[PauseState, ...] = get_args(PauseState)


def pause_kind(value: str) -> PauseKind:
    return one_of(value, PAUSE_KINDS, "pause kind")


def pause_state(value: str) -> PauseState:
    return one_of(value, PAUSE_STATES, "pause state")


@dataclass(frozen=True)
class Pause:
    id: int
    ticket_id: int
    kind: PauseKind
    reason: str
    state: PauseState
    proposed_by: str
    decided_by: str | None
    proposed_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def new(
        cls, ticket_id: int, kind: PauseKind, reason: str, state: PauseState, by: str, at: datetime
    ) -> Pause:
        """A pause proposed for approval, or one that is active at once (not yet stored: id 0)."""
        if state not in ("proposed", "active"):
            raise ValueError(f"a pause begins proposed or active, not {state}")
        started = at if state == "active" else None
        return cls(0, ticket_id, kind, reason, state, by, None, at, started, None)

    def decide(self, state: PauseState, actor: str, at: datetime) -> Pause:
        """Approve (→ active, the clocks stop now) or reject a proposed pause."""
        if state not in ("active", "rejected"):
            raise ValueError(f"a pause is decided active or rejected, not {state}")
        if self.state != "proposed":
            raise TransitionError("wrong_step")  # decided already: a double press, another PM
        started = at if state == "active" else None
        return replace(self, state=state, decided_by=actor, started_at=started)

    def end(self, at: datetime) -> Pause:
        if self.state != "active":
            raise TransitionError("not_paused")
        return replace(self, state="ended", ended_at=at)
