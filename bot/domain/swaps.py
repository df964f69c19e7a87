"""Shift swaps between engineers (pure).

An engineer picks one of their shifts (draft), offers it to a colleague (proposed), and the
colleague takes it (accepted: an override puts them on duty for the shift) or not (declined).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, get_args

from bot.domain.literals import one_of
from bot.domain.ticket import TransitionError

SwapState = Literal["draft", "proposed", "accepted", "declined"]
SWAP_STATES: tuple[SwapState, ...] = get_args(SwapState)


def swap_state(value: str) -> SwapState:
    return one_of(value, SWAP_STATES, "swap state")


@dataclass(frozen=True)
class Swap:
    id: int
    team: str
    layer: str
    from_member: str
    to_member: str
    start: datetime
    end: datetime
    state: SwapState

    @classmethod
    def draft(cls, team: str, layer: str, member: str, start: datetime, end: datetime) -> Swap:
        """A shift the member wants to hand over, to nobody yet (not yet stored: id 0)."""
        return cls(0, team, layer, member, "", start, end, "draft")

    def offer(self, to_member: str) -> Swap:
        if self.state != "draft":
            raise TransitionError("wrong_step")
        if not to_member:
            raise ValueError("a swap is offered to someone")
        return replace(self, state="proposed", to_member=to_member)

    def accept(self) -> Swap:
        return self._answer("accepted")

    def decline(self) -> Swap:
        return self._answer("declined")

    def _answer(self, state: SwapState) -> Swap:
        if self.state != "proposed":
            raise TransitionError("wrong_step")  # answered already, or never offered
        return replace(self, state=state)

    def move_to(self, state: SwapState, to_member: str = "") -> Swap:
        """The change that leads to `state` (offering needs the colleague)."""
        if state == "proposed":
            return self.offer(to_member)
        if state == "accepted":
            return self.accept()
        if state == "declined":
            return self.decline()
        raise TransitionError("wrong_step")  # nothing goes back to a draft
