"""Callback data: what an inline button says when it is pressed, in at most 64 bytes.

One frozen dataclass per kind of button. `encode()` gives the string the button carries and
`decode()` gives the button back, or None for anything the bot never sends (a forged or
malformed value). The strings must never change: buttons already sitting in users' chats keep
working only while their data decodes the same way (tests/unit/test_callback_wire.py).

Decoding checks the shape only. Whether the ticket, draft, swap or pause exists, and whether the
presser may act on it, is the use case's question, asked against the database.

The package, in reading order: ``base`` (the encoding and the shapes many kinds share),
``tickets`` (report and /log dialogs, page, ticket card), ``staff`` (handover, swaps, pauses),
``records`` (survey, complaints, daily report), ``contract`` (tasks, events, charges); here,
the one table of kinds and ``decode``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.telegram.callbacks.base import MAX_BYTES, MAX_DIGITS, SEPARATOR
from bot.telegram.callbacks.contract import ChargeSkip, EventProject, StandbyPick, TaskButton
from bot.telegram.callbacks.records import (
    ComplainAbout,
    ComplaintAboutChoice,
    ComplaintAction,
    ComplaintSatisfied,
    ComplaintVerb,
    DailyAddWork,
    DailySign,
    SurveySkip,
    SurveyStars,
)
from bot.telegram.callbacks.staff import (
    HandoverAnswer,
    HandoverTo,
    IcsRequest,
    PauseConsent,
    PauseDecision,
    SwapAnswer,
    SwapColleague,
    SwapShift,
)
from bot.telegram.callbacks.tickets import (
    BlockingChoice,
    CauseChoice,
    CustomerVerdict,
    DeskButton,
    ReportButton,
    SeverityAnswer,
    TicketAction,
    TicketVerb,
)

Callback = (
    SeverityAnswer
    | ReportButton
    | TicketAction
    | CauseChoice
    | HandoverTo
    | HandoverAnswer
    | IcsRequest
    | SwapShift
    | SwapColleague
    | SwapAnswer
    | PauseDecision
    | CustomerVerdict
    | PauseConsent
    | SurveyStars
    | SurveySkip
    | ComplainAbout
    | ComplaintAboutChoice
    | ComplaintAction
    | ComplaintSatisfied
    | DailySign
    | DailyAddWork
    | BlockingChoice
    | DeskButton
    | TaskButton
    | EventProject
    | StandbyPick
    | ChargeSkip
)

KINDS: tuple[type[Callback], ...] = (
    SeverityAnswer,
    ReportButton,
    TicketAction,
    CauseChoice,
    HandoverTo,
    HandoverAnswer,
    IcsRequest,
    SwapShift,
    SwapColleague,
    SwapAnswer,
    PauseDecision,
    CustomerVerdict,
    PauseConsent,
    SurveyStars,
    SurveySkip,
    ComplainAbout,
    ComplaintAboutChoice,
    ComplaintAction,
    ComplaintSatisfied,
    DailySign,
    DailyAddWork,
    BlockingChoice,
    DeskButton,
    TaskButton,
    EventProject,
    StandbyPick,
    ChargeSkip,
)

# The one table of prefixes: the first field of callback_data names the kind of button.
PARSERS: dict[str, Callable[[list[str]], Callback | None]] = {
    kind.PREFIX: kind.parse for kind in KINDS
}


def decode(data: str) -> Callback | None:
    """The button this callback_data came from, or None when the bot never sends such data."""
    prefix, *fields = data.split(SEPARATOR)
    parse = PARSERS.get(prefix)
    return None if parse is None else parse(fields)


__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_DIGITS",
    "PARSERS",
    "SEPARATOR",
    "BlockingChoice",
    "Callback",
    "CauseChoice",
    "ChargeSkip",
    "ComplainAbout",
    "ComplaintAboutChoice",
    "ComplaintAction",
    "ComplaintSatisfied",
    "ComplaintVerb",
    "CustomerVerdict",
    "DailyAddWork",
    "DailySign",
    "DeskButton",
    "EventProject",
    "HandoverAnswer",
    "HandoverTo",
    "IcsRequest",
    "PauseConsent",
    "PauseDecision",
    "ReportButton",
    "SeverityAnswer",
    "StandbyPick",
    "SurveySkip",
    "SurveyStars",
    "SwapAnswer",
    "SwapColleague",
    "SwapShift",
    "TaskButton",
    "TicketAction",
    "TicketVerb",
    "decode",
]
