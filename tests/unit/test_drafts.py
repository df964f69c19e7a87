"""Dialog drafts: step order, editing from the summary, early A-level tickets, phones."""

from __future__ import annotations

import json

import pytest

from bot.domain.complaints import ComplaintDraft
from bot.domain.contract import TaskDraft
from bot.domain.drafts import (
    DRAFT_TYPES,
    EDITABLE_STEPS,
    PROFILE_STEPS,
    REPORT_STEPS,
    ProfileDraft,
    ReportDraft,
    WorkDraft,
    valid_phone,
)
from bot.domain.ticket import Level


def walk(draft: ReportDraft | ProfileDraft) -> list[str]:
    steps = [draft.step]
    while draft.step != "done":
        steps.append(draft.advance())
        assert len(steps) < 20
    return steps


def test_step_tables() -> None:
    assert REPORT_STEPS == ("severity", "site", "symptom", "photos", "model", "phone", "confirm")
    assert EDITABLE_STEPS == ("site", "symptom", "photos", "model", "phone")
    assert PROFILE_STEPS == ("name", "unit", "phone")


def test_report_steps_in_order() -> None:
    d = ReportDraft(project_key="county")
    assert walk(d) == [*REPORT_STEPS, "done"]
    assert d.step == "done"


def test_advance_returns_and_stores_the_new_step() -> None:
    d = ReportDraft(project_key="county", step="model")
    assert d.advance() == "phone"
    assert d.step == "phone"


def test_early_ticket_skips_confirm() -> None:
    d = ReportDraft(project_key="county", step="site", level="A", site="village 3")
    assert d.opens_early is True
    d.ticket_id = 42  # the ticket was opened
    assert d.opens_early is False
    assert walk(d) == ["site", "symptom", "photos", "model", "phone", "done"]


def test_confirm_advances_to_done() -> None:
    d = ReportDraft(project_key="county", step="confirm")
    assert d.advance() == "done"


@pytest.mark.parametrize("step", EDITABLE_STEPS)
def test_editing_returns_to_confirm(step: str) -> None:
    d = ReportDraft(project_key="county", step=step, editing=True)
    assert d.advance() == "confirm"
    assert d.step == "confirm"
    assert d.editing is False
    assert d.advance() == "done"


def test_editing_is_cleared_so_the_next_edit_starts_fresh() -> None:
    d = ReportDraft(project_key="county", step="confirm")
    d.step, d.editing = "site", True
    assert d.advance() == "confirm"
    d.step = "symptom"  # not editing: ordinary order resumes
    assert d.advance() == "photos"


@pytest.mark.parametrize(
    ("level", "site", "latitude", "ticket_id", "early"),
    [
        ("A", "village 3", None, None, True),
        ("A", "", 30.5, None, True),
        ("A", "", 0.0, None, True),  # latitude 0 is a place, not "missing"
        ("A", "", None, None, False),
        ("A", "village 3", None, 42, False),
        ("B", "village 3", 30.5, None, False),
        ("C", "village 3", None, None, False),
        (None, "village 3", None, None, False),
    ],
)
def test_opens_early(
    level: str | None, site: str, latitude: float | None, ticket_id: int | None, early: bool
) -> None:
    d = ReportDraft(
        project_key="county", level=level, site=site, latitude=latitude, ticket_id=ticket_id
    )
    assert d.opens_early is early


def test_level_enum() -> None:
    assert ReportDraft(project_key="county").level_enum is None
    assert ReportDraft(project_key="county", level="B").level_enum is Level.B


def test_report_draft_round_trip() -> None:
    d = ReportDraft(
        project_key="county",
        step="photos",
        answers={"whole": False, "partial": True},
        level="B",
        site="village 3",
        latitude=30.5,
        longitude=114.25,
        symptom="no video",
        photos=["f1", "f2"],
        model="DS-2CD",
        phone="13800138000",
        ticket_id=None,
        editing=True,
    )
    data = json.loads(json.dumps(d.to_data()))
    assert "kind" not in data
    assert data["answers"] == {"whole": False, "partial": True}
    back = ReportDraft.from_data(data)
    assert back == d
    assert back.photos is not d.photos


def test_from_data_ignores_unknown_keys() -> None:
    d = ReportDraft.from_data({"project_key": "county", "step": "site", "obsolete": 1})
    assert d == ReportDraft(project_key="county", step="site")
    p = ProfileDraft.from_data({"step": "unit", "name": "Wang", "kind": "profile"})
    assert p == ProfileDraft(step="unit", name="Wang")
    w = WorkDraft.from_data({"ticket_id": 3, "step": "note", "x": "y"})
    assert w == WorkDraft(ticket_id=3, step="note")


def test_profile_steps_in_order() -> None:
    assert walk(ProfileDraft()) == ["name", "unit", "phone", "done"]


def test_profile_round_trip() -> None:
    p = ProfileDraft(step="phone", name="Wang", unit="Police bureau", then_report=True)
    assert ProfileDraft.from_data(json.loads(json.dumps(p.to_data()))) == p


def test_work_round_trip() -> None:
    w = WorkDraft(ticket_id=9, step="resolution", cause="power", resolution="")
    assert w.to_data() == {
        "ticket_id": 9,
        "step": "resolution",
        "cause": "power",
        "resolution": "",
        "parts": [],
        "labour": "",
        "about": "",
    }
    assert WorkDraft.from_data(json.loads(json.dumps(w.to_data()))) == w
    charged = WorkDraft(9, "charge_labour", parts=[["电源模块", "350.00"]], labour="80.00")
    assert WorkDraft.from_data(json.loads(json.dumps(charged.to_data()))) == charged


def test_draft_kinds() -> None:
    assert DRAFT_TYPES == {
        "report": ReportDraft,
        "profile": ProfileDraft,
        "work": WorkDraft,
        "complaint": ComplaintDraft,
        "task": TaskDraft,
    }
    for kind, cls in DRAFT_TYPES.items():
        assert cls.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "+8613800138000",
        "+86 138 0013 8000",
        "010-12345678",
        "0716-8123456",
        "  13800138000  ",
        "123456",  # shortest: 6 characters
        "1" * 24,  # longest without "+"
        "+" + "1" * 24,
    ],
)
def test_valid_phones(text: str) -> None:
    assert valid_phone(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",  # too short
        "1" * 25,  # too long
        "abc",
        "1380013800a",
        "+",
        "++8613800138000",
        "86+13800138000",
        "-13800138000",
        "13800138000-",
        "13800138000 ext 12",
        "(010) 12345678",
        "138.0013.8000",
        "１３８００１３８０００",  # full-width digits
        "13800138000\n13800138001",
    ],
)
def test_invalid_phones(text: str) -> None:
    assert valid_phone(text) is False
