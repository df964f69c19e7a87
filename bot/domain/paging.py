"""The paging plan of a new ticket (pure): tiers of people, paged one tier after another.

The first tier is who is on duty; then the next layers, then the escalation chain. A tier is
paged when nobody of the one before accepted in time, or none of them could be reached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain.ticket import TransitionError


@dataclass(frozen=True)
class Paging:
    ticket_id: int
    tiers: list[list[str]]
    step: int  # the tier paged last; -1 before the first page
    ack_seconds: float

    def advance(self, from_step: int) -> Paging:
        """The next tier, once: a second advance from the same step (two failures of one tier,
        or a failure and a timeout) is refused."""
        if self.step != from_step:
            raise TransitionError("wrong_step")
        return replace(self, step=self.step + 1)
