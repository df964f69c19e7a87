"""Callback data: every button round-trips within 64 bytes; forged data decodes to nothing."""

from __future__ import annotations

from datetime import date
from typing import get_args

import pytest

from bot.config.schema import MAX_KEY
from bot.domain.drafts import EDITABLE_STEPS
from bot.domain.severity import QUESTIONS
from bot.telegram.callbacks import (
    KINDS,
    MAX_BYTES,
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
    TicketVerb,
    decode,
)

BIG = 999_999_999_999  # the largest number a button may carry (12 digits)
# The longest keys whose buttons still fit in 64 bytes ("hto:" / "swc:" + 12 digits + ":"
# leaves 47 bytes; "cause:..." leaves 45). The config allows at most MAX_KEY characters.
LONGEST_STAFF_KEY = "e" * 47
LONGEST_CAUSE_KEY = "c" * 45
LONGEST_PROJECT_KEY = "p" * MAX_KEY


def test_every_key_the_config_allows_fits_in_a_button() -> None:
    assert MAX_KEY <= len(LONGEST_CAUSE_KEY) <= len(LONGEST_STAFF_KEY)

# Exactly what the renderers sent before this module existed: these strings sit in users'
# chats today, so their meaning must never change.
SENT_TODAY: list[tuple[str, Callback]] = [
    ("dls:village:20261123:1:0123abcd", DailySign("village", date(2026, 11, 23), 1, "0123abcd")),
    ("dlw:village:20261123", DailyAddWork("village", date(2026, 11, 23))),
    ("sev:whole:1", SeverityAnswer("whole", True)),
    ("sev:partial:0", SeverityAnswer("partial", False)),
    ("rep:photos:done", ReportButton("photos", "done")),
    ("rep:model:skip", ReportButton("model", "skip")),
    ("rep:phone:keep", ReportButton("phone", "keep")),
    ("rep:confirm:ok:3", ReportButton("confirm", "ok", 3)),
    ("rep:confirm:edit:3", ReportButton("confirm", "edit", 3)),
    ("rep:confirm:cancel:0", ReportButton("confirm", "cancel", 0)),
    ("rep:confirm:edit_site:2", ReportButton("confirm", "edit_site", 2)),
    ("tk:acc:12", TicketAction("acc", 12)),
    ("tk:onw:12", TicketAction("onw", 12)),
    ("tk:arr:12", TicketAction("arr", 12)),
    ("tk:res:12", TicketAction("res", 12)),
    ("tk:hov:12", TicketAction("hov", 12)),
    ("tk:note:12", TicketAction("note", 12)),
    ("cause:12:power", CauseChoice(12, "power")),
    ("hto:12:eng2", HandoverTo(12, "eng2")),
    ("hov:12:y", HandoverAnswer(12, True)),
    ("hov:12:n", HandoverAnswer(12, False)),
    ("ics", IcsRequest()),
    ("sws:1767225600", SwapShift(1767225600)),
    ("swc:7:eng2", SwapColleague(7, "eng2")),
    ("swa:7:y", SwapAnswer(7, True)),
    ("swa:7:n", SwapAnswer(7, False)),
    ("pz:5:y", PauseDecision(5, True)),
    ("pz:5:n", PauseDecision(5, False)),
    ("cust:12:fixed", CustomerVerdict(12, True)),
    ("cust:12:notfixed", CustomerVerdict(12, False)),
    ("pc:5:y", PauseConsent(5, True)),
    ("pc:5:n", PauseConsent(5, False)),
    ("svy:12:4", SurveyStars(12, 4)),
    ("svs:12", SurveySkip(12)),
    ("cmp:12", ComplainAbout(12)),
    ("cpa:12", ComplaintAboutChoice(12)),
    ("cpa:0", ComplaintAboutChoice(0)),
    ("cpx:tk:7", ComplaintAction("tk", 7)),
    ("cpx:rp:7", ComplaintAction("rp", 7)),
    ("cpx:nt:7", ComplaintAction("nt", 7)),
    ("cpx:cl:7", ComplaintAction("cl", 7)),
    ("cps:7:y", ComplaintSatisfied(7, True)),
    ("cps:7:n", ComplaintSatisfied(7, False)),
    ("tk:blk:12", TicketAction("blk", 12)),
    ("blk:12:power", BlockingChoice(12, "power")),
    ("blk:12:-", BlockingChoice(12, "-")),
    ("dsk:prj:village", DeskButton("prj", "village")),
    ("dsk:who:5001", DeskButton("who", "5001")),
    ("dsk:new:", DeskButton("new")),
    ("dsk:now:", DeskButton("now")),
    ("tsk:rec:12:", TaskButton("rec", 12)),
    ("tsk:ok:12:hardware", TaskButton("ok", 12, "hardware")),
    ("tsk:pb:12:risk", TaskButton("pb", 12, "risk")),
    ("tsk:sat:12:5", TaskButton("sat", 12, "5")),
    ("evp:3:village", EventProject(3, "village")),
    ("sby:3:eng1", StandbyPick(3, "eng1")),
    ("chg:12:p", ChargeSkip(12, "p")),
    ("chg:12:l", ChargeSkip(12, "l")),
]


def longest() -> list[Callback]:
    """Every kind of button with the longest values it can carry."""
    out: list[Callback] = []
    for q in QUESTIONS:
        out += [SeverityAnswer(q.key, True), SeverityAnswer(q.key, False)]
    out += [
        ReportButton("photos", "done"),
        ReportButton("model", "skip"),
        ReportButton("phone", "keep"),
        *(ReportButton("confirm", a, BIG) for a in ("ok", "edit", "cancel")),
        *(ReportButton("confirm", f"edit_{step}", BIG) for step in EDITABLE_STEPS),
        *(TicketAction(verb, BIG) for verb in get_args(TicketVerb)),
        CauseChoice(BIG, LONGEST_CAUSE_KEY),
        CauseChoice(BIG, "user_operation"),
        HandoverTo(BIG, LONGEST_STAFF_KEY),
        HandoverAnswer(BIG, True),
        HandoverAnswer(BIG, False),
        IcsRequest(),
        SwapShift(BIG),
        SwapColleague(BIG, LONGEST_STAFF_KEY),
        SwapAnswer(BIG, True),
        SwapAnswer(BIG, False),
        PauseDecision(BIG, True),
        PauseDecision(BIG, False),
        CustomerVerdict(BIG, True),
        CustomerVerdict(BIG, False),
        PauseConsent(BIG, True),
        PauseConsent(BIG, False),
        *(SurveyStars(BIG, stars) for stars in range(1, 6)),
        SurveySkip(BIG),
        ComplainAbout(BIG),
        ComplaintAboutChoice(BIG),
        *(ComplaintAction(verb, BIG) for verb in ("tk", "rp", "nt", "cl")),
        ComplaintSatisfied(BIG, True),
        ComplaintSatisfied(BIG, False),
        DailySign(LONGEST_PROJECT_KEY, date(2026, 12, 31), 999, "0123abcd"),
        DailyAddWork(LONGEST_PROJECT_KEY, date(2026, 12, 31)),
        BlockingChoice(BIG, LONGEST_CAUSE_KEY),
        BlockingChoice(BIG, "-"),
        DeskButton("prj", LONGEST_PROJECT_KEY),
        DeskButton("who", str(BIG)),
        DeskButton("new"),
        DeskButton("now"),
        TaskButton("rec", BIG),
        *(TaskButton(a, BIG, i) for a in ("ok", "pb") for i in ("hardware", "software", "risk")),
        *(TaskButton("sat", BIG, str(n)) for n in range(1, 6)),
        EventProject(BIG, LONGEST_PROJECT_KEY),
        StandbyPick(BIG, LONGEST_STAFF_KEY),
        ChargeSkip(BIG, "p"),
        ChargeSkip(BIG, "l"),
    ]
    return out


@pytest.mark.parametrize(("data", "button"), SENT_TODAY, ids=[d for d, _ in SENT_TODAY])
def test_the_strings_sent_today_keep_their_meaning(data: str, button: Callback) -> None:
    assert button.encode() == data
    assert decode(data) == button


@pytest.mark.parametrize("button", longest(), ids=repr)
def test_every_button_round_trips_within_64_bytes(button: Callback) -> None:
    data = button.encode()
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == button


def test_every_kind_is_covered_and_has_its_own_prefix() -> None:
    assert {type(b) for b in longest()} == set(KINDS)
    assert {type(b) for _, b in SENT_TODAY} == set(KINDS)
    assert len(PARSERS) == len(KINDS)


@pytest.mark.parametrize(
    "button",
    [
        HandoverTo(BIG, LONGEST_STAFF_KEY + "e"),
        SwapColleague(BIG, LONGEST_STAFF_KEY + "e"),
        CauseChoice(BIG, LONGEST_CAUSE_KEY + "c"),
        CauseChoice(1, "电" * 20),  # 60 bytes of UTF-8, 20 characters
        TicketAction("acc", BIG + 1),  # 13 digits: decode would refuse it
        TicketAction("acc", -1),
        CauseChoice(1, "power:x"),  # the separator inside a field
        ReportButton("confirm", "ok", -5),
    ],
    ids=repr,
)
def test_what_cannot_be_decoded_back_is_not_encoded(button: Callback) -> None:
    with pytest.raises(ValueError):
        button.encode()


FORGED = [
    "",
    ":",
    ":::",
    "zzz",
    "x" * 64,
    "🔥" * 16,
    # unknown prefix, or a prefix in the wrong case
    "TK:acc:1",
    "tkk:acc:1",
    "sev",
    # wrong arity
    "ics:",
    "ics:1",
    "sev:whole",
    "sev:whole:1:1",
    "rep:photos",
    "rep:confirm:ok:1:1",
    "tk:acc",
    "tk:acc:1:extra",
    "cause:1",
    "cause:1:power:x",
    "hto:1",
    "hov:1",
    "sws",
    "sws:1:2",
    "swc:1",
    "swa:1:y:y",
    "pz:1",
    "cust:1",
    # bad yes/no
    "sev:whole:7",
    "sev:whole:y",
    "sev:whole:",
    "hov:1:maybe",
    "hov:1:Y",
    "swa:1:1",
    "pz:1:yes",
    "cust:1:maybe",
    "cust:1:FIXED",
    # unknown ticket action
    "tk:zzz:1",
    "tk:ACC:1",
    "tk::1",
    # numbers that are not numbers
    "tk:acc:abc",
    "tk:acc:",
    "tk:acc:-1",
    "tk:acc:+1",
    "tk:acc:1.0",
    "tk:acc:1e3",
    "tk:acc:1_000",
    "tk:acc: 1",
    "tk:acc:#1",
    "tk:acc:０１",  # fullwidth digits
    "tk:acc:١٢",  # Arabic-Indic digits
    "tk:acc:²",
    "rep:confirm:ok:abc",
    "cust:abc:fixed",
    "hov:abc:y",
    "hto:x:eng2",
    "cause::power",
    "swc:x:eng2",
    "swa:-1:y",
    "pz:x:y",
    "sws:abc",
    "sws:-1",
    "sws:1_767_225_600",
    # numbers over 12 digits
    "tk:acc:" + "9" * 13,
    "tk:acc:" + "9" * 57,
    "rep:confirm:ok:" + "9" * 50,
    "cust:" + "9" * 30 + ":fixed",
    "hto:" + "9" * 30 + ":eng2",
    "hov:" + "9" * 30 + ":y",
    "cause:" + "9" * 30 + ":power",
    "swc:" + "9" * 13 + ":eng2",
    "swa:" + "9" * 13 + ":y",
    "pz:" + "9" * 13 + ":n",
    "sws:" + "9" * 13,
    "cpa:" + "9" * 13,
    "cpa:-1",
    "cpx:xx:1",
    "cpx:tk",
    "cpx:tk:1:2",
    "cps:1:maybe",
    "evp:1:",
    "evp:x:village",
    "evp:1:vil lage",
    "sby:1:",
    "sby:-1:eng1",
    "sby:1:eng1:extra",
    "chg:12",
    "chg:12:x",
    "chg:-1:p",
    "chg:" + "9" * 13 + ":l",
    "chg:12:p:1",
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_decodes_to_nothing(data: str) -> None:
    assert decode(data) is None


@pytest.mark.parametrize(
    "data",
    # Well-formed but meaningless: the use case refuses these against the database, so decode
    # must hand them on exactly as written.
    [
        "sev:nothing:1",
        "rep:site:ok",
        "rep:photos:done:1",
        "rep:confirm:edit_level",
        "cause:1:meteor",
        "hto:0:nobody",
        "tk:acc:0",
        "sev::1",
    ],
)
def test_well_formed_data_is_handed_on_as_written(data: str) -> None:
    button = decode(data)
    assert button is not None
    assert button.encode() == data


def test_leading_zeros_are_the_same_number() -> None:
    assert decode("tk:acc:000000000012") == TicketAction("acc", 12)
    assert decode("tk:acc:0000000000012") is None  # still at most 12 digits
