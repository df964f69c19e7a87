"""The wire format of every kind of button, byte for byte: the strings below were captured from
main's bot/telegram/callbacks.py (one module, before it became a package) by encoding these very
instances. Buttons already sitting in users' chats carry them, so an encoding that changes a
single byte breaks them: never edit a string here to make a test pass.

The instances are written with their field names, so renaming a field the handlers read fails
here too.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.telegram.callbacks import (
    KINDS,
    PARSERS,
    BlockingChoice,
    Callback,
    CauseChoice,
    ChargeSkip,
    ComplainAbout,
    ComplaintAboutChoice,
    ComplaintAction,
    ComplaintSatisfied,
    CustomerVerdict,
    DailyAddWork,
    DailySign,
    DeskButton,
    EventProject,
    HandoverAnswer,
    HandoverTo,
    IcsRequest,
    PauseConsent,
    PauseDecision,
    ReportButton,
    SeverityAnswer,
    StandbyPick,
    SurveySkip,
    SurveyStars,
    SwapAnswer,
    SwapColleague,
    SwapShift,
    TaskButton,
    TicketAction,
    decode,
)

BIG = 999_999_999_999  # 12 digits, the largest number a button carries
STAFF = "e" * 47  # the longest staff key that still fits beside a 12-digit number
CAUSE = "c" * 45
PROJECT = "p" * 32  # MAX_KEY

CAPTURED_ON_MAIN: list[tuple[str, Callback]] = [
    ("sev:whole:1", SeverityAnswer(question="whole", yes=True)),
    ("sev:partial:0", SeverityAnswer(question="partial", yes=False)),
    ("rep:photos:done", ReportButton(step="photos", action="done", round=None)),
    (
        "rep:confirm:edit_site:999999999999",
        ReportButton(step="confirm", action="edit_site", round=BIG),
    ),
    ("rep:confirm:cancel:0", ReportButton(step="confirm", action="cancel", round=0)),
    ("tk:acc:999999999999", TicketAction(action="acc", ticket_id=BIG)),
    ("tk:onw:999999999999", TicketAction(action="onw", ticket_id=BIG)),
    ("tk:arr:999999999999", TicketAction(action="arr", ticket_id=BIG)),
    ("tk:res:999999999999", TicketAction(action="res", ticket_id=BIG)),
    ("tk:hov:999999999999", TicketAction(action="hov", ticket_id=BIG)),
    ("tk:note:999999999999", TicketAction(action="note", ticket_id=BIG)),
    ("tk:blk:999999999999", TicketAction(action="blk", ticket_id=BIG)),
    (
        "cause:999999999999:ccccccccccccccccccccccccccccccccccccccccccccc",
        CauseChoice(ticket_id=BIG, cause=CAUSE),
    ),
    ("cause:0:user_operation", CauseChoice(ticket_id=0, cause="user_operation")),
    (
        "hto:999999999999:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        HandoverTo(ticket_id=BIG, staff_key=STAFF),
    ),
    ("hov:999999999999:y", HandoverAnswer(ticket_id=BIG, accept=True)),
    ("hov:12:n", HandoverAnswer(ticket_id=12, accept=False)),
    ("ics", IcsRequest()),
    ("sws:1767225600", SwapShift(start_epoch=1767225600)),
    ("sws:999999999999", SwapShift(start_epoch=BIG)),
    (
        "swc:999999999999:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        SwapColleague(swap_id=BIG, staff_key=STAFF),
    ),
    ("swa:7:y", SwapAnswer(swap_id=7, accept=True)),
    ("swa:999999999999:n", SwapAnswer(swap_id=BIG, accept=False)),
    ("pz:5:y", PauseDecision(pause_id=5, approve=True)),
    ("pz:999999999999:n", PauseDecision(pause_id=BIG, approve=False)),
    ("pc:5:y", PauseConsent(pause_id=5, agree=True)),
    ("pc:999999999999:n", PauseConsent(pause_id=BIG, agree=False)),
    ("cust:12:fixed", CustomerVerdict(ticket_id=12, fixed=True)),
    ("cust:999999999999:notfixed", CustomerVerdict(ticket_id=BIG, fixed=False)),
    ("svy:999999999999:1", SurveyStars(ticket_id=BIG, stars=1)),
    ("svy:999999999999:2", SurveyStars(ticket_id=BIG, stars=2)),
    ("svy:999999999999:3", SurveyStars(ticket_id=BIG, stars=3)),
    ("svy:999999999999:4", SurveyStars(ticket_id=BIG, stars=4)),
    ("svy:999999999999:5", SurveyStars(ticket_id=BIG, stars=5)),
    ("svs:999999999999", SurveySkip(ticket_id=BIG)),
    ("cmp:999999999999", ComplainAbout(ticket_id=BIG)),
    ("cpa:0", ComplaintAboutChoice(ticket_id=0)),
    ("cpa:999999999999", ComplaintAboutChoice(ticket_id=BIG)),
    ("cpx:tk:999999999999", ComplaintAction(verb="tk", complaint_id=BIG)),
    ("cpx:rp:999999999999", ComplaintAction(verb="rp", complaint_id=BIG)),
    ("cpx:nt:999999999999", ComplaintAction(verb="nt", complaint_id=BIG)),
    ("cpx:cl:999999999999", ComplaintAction(verb="cl", complaint_id=BIG)),
    ("cps:7:y", ComplaintSatisfied(complaint_id=7, yes=True)),
    ("cps:999999999999:n", ComplaintSatisfied(complaint_id=BIG, yes=False)),
    (
        "dls:pppppppppppppppppppppppppppppppp:20261231:999:0123abcd",
        DailySign(project=PROJECT, day=date(2026, 12, 31), part=999, digest="0123abcd"),
    ),
    (
        "dlw:pppppppppppppppppppppppppppppppp:20260102",
        DailyAddWork(project=PROJECT, day=date(2026, 1, 2)),
    ),
    (
        "blk:999999999999:ccccccccccccccccccccccccccccccccccccccccccccc",
        BlockingChoice(ticket_id=BIG, reason=CAUSE),
    ),
    ("blk:12:-", BlockingChoice(ticket_id=12, reason="-")),
    ("dsk:prj:pppppppppppppppppppppppppppppppp", DeskButton(action="prj", arg=PROJECT)),
    ("dsk:who:999999999999", DeskButton(action="who", arg="999999999999")),
    ("dsk:new:", DeskButton(action="new", arg="")),
    ("dsk:now:", DeskButton(action="now", arg="")),
    ("dsk:knd:training", DeskButton(action="knd", arg="training")),
    ("tsk:rec:999999999999:", TaskButton(action="rec", task_id=BIG, arg="")),
    ("tsk:ok:999999999999:hardware", TaskButton(action="ok", task_id=BIG, arg="hardware")),
    ("tsk:pb:12:software", TaskButton(action="pb", task_id=12, arg="software")),
    ("tsk:pb:12:risk", TaskButton(action="pb", task_id=12, arg="risk")),
    ("tsk:sat:999999999999:5", TaskButton(action="sat", task_id=BIG, arg="5")),
    (
        "evp:999999999999:pppppppppppppppppppppppppppppppp",
        EventProject(event_id=BIG, project=PROJECT),
    ),
    (
        "sby:999999999999:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        StandbyPick(event_id=BIG, staff_key=STAFF),
    ),
    ("chg:999999999999:p", ChargeSkip(ticket_id=BIG, step="p")),
    ("chg:12:l", ChargeSkip(ticket_id=12, step="l")),
]


def test_every_kind_of_button_is_captured() -> None:
    assert {type(button) for _, button in CAPTURED_ON_MAIN} == set(KINDS)


@pytest.mark.parametrize(
    ("data", "button"), CAPTURED_ON_MAIN, ids=[d for d, _ in CAPTURED_ON_MAIN]
)
def test_encoding_is_byte_for_byte_what_main_sent(data: str, button: Callback) -> None:
    assert button.encode().encode() == data.encode()


@pytest.mark.parametrize(
    ("data", "button"), CAPTURED_ON_MAIN, ids=[d for d, _ in CAPTURED_ON_MAIN]
)
def test_parse_of_encode_gives_the_button_back(data: str, button: Callback) -> None:
    prefix, *fields = button.encode().split(":")
    assert type(button).parse(fields) == button
    assert PARSERS[prefix] == type(button).parse
    assert decode(data) == button
