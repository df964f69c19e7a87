"""The contract's calendar, pure: due dates across year ends, leap years and month ends; the
final inspection replacing a regular one; phone visits per contract year; warranty notices;
keys that plan the same tasks twice; the result record's hash."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import date

import pytest

from bot.domain.contract import (
    CheckItem,
    TaskDraft,
    TaskResult,
    Terms,
    add_months,
    final_due,
    plan,
    task_key,
)


def dues(terms: Terms, kind: str) -> list[str]:
    return [t.due.isoformat() for t in plan("p", terms) if t.kind == kind]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # over the year end, to a short month
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2029, 2, 28), -3, date(2028, 11, 28)),
    ],
)
def test_a_month_later_is_the_same_day_or_the_months_last(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_monthly_from_31_january_counts_from_the_start_and_does_not_drift() -> None:
    terms = Terms(date(2027, 1, 31), date(2027, 6, 30), inspection_months=1)
    assert dues(terms, "inspection") == [
        "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
    ]  # fmt: skip


def test_a_contract_from_29_february_keeps_its_day_where_the_month_has_it() -> None:
    terms = Terms(date(2028, 2, 29), date(2029, 2, 28), inspection_months=3)
    assert dues(terms, "inspection") == [
        "2028-05-29", "2028-08-29", "2028-11-29", "2029-02-28",
    ]  # fmt: skip


def test_quarterly_over_year_ends_with_the_final_inspection_replacing_the_last() -> None:
    terms = Terms(date(2026, 1, 1), date(2028, 12, 31), inspection_months=3,
                  final_before=(3, "months"))
    assert dues(terms, "inspection") == [
        "2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01", "2027-04-01", "2027-07-01",
        "2027-10-01", "2028-01-01", "2028-04-01", "2028-07-01",
    ]  # fmt: skip
    # The last three months: 2028-09-30 is the final (full) inspection; 2028-10-01 is gone.
    assert dues(terms, "final_inspection") == ["2028-09-30"]
    assert [t.number for t in plan("p", terms) if t.kind == "inspection"] == list(range(1, 11))


def test_the_final_inspection_in_days_and_never_before_the_start() -> None:
    terms = Terms(date(2026, 3, 1), date(2029, 2, 28), final_before=(90, "days"))
    assert final_due(terms) == date(2028, 11, 30)
    short = Terms(date(2026, 3, 1), date(2026, 4, 30), final_before=(3, "months"))
    assert final_due(short) == date(2026, 3, 1)


def test_four_phone_visits_in_the_middle_of_each_quarter_of_each_contract_year() -> None:
    terms = Terms(date(2026, 3, 1), date(2029, 2, 28), phone_visits_per_year=4)
    visits = [date.fromisoformat(d) for d in dues(terms, "phone_visit")]
    assert len(visits) == 12
    assert visits[:5] == [date(2026, 4, 16), date(2026, 7, 17), date(2026, 10, 16),
                          date(2027, 1, 15), date(2027, 4, 16)]  # over the year end
    for year in range(3):  # four in every contract year
        first, last = add_months(terms.start, 12 * year), add_months(terms.start, 12 * year + 12)
        assert sum(first <= v < last for v in visits) == 4


def test_visits_that_do_not_divide_the_year_are_spread_by_days_within_the_term() -> None:
    terms = Terms(date(2028, 1, 1), date(2028, 12, 31), phone_visits_per_year=5)
    visits = [date.fromisoformat(d) for d in dues(terms, "phone_visit")]
    assert len(visits) == 5 and visits == sorted(visits)
    gaps = {(b - a).days for a, b in itertools.pairwise(visits)}
    assert gaps <= {73, 74}  # 366 days (a leap year) in five even slots
    partial = Terms(date(2026, 1, 1), date(2026, 6, 30), phone_visits_per_year=4)
    assert dues(partial, "phone_visit") == ["2026-02-15", "2026-05-16"]  # within the term only


def test_warranty_notices_before_its_end_but_not_before_the_start() -> None:
    terms = Terms(date(2026, 1, 1), date(2028, 12, 31), warranty_end=date(2026, 3, 1),
                  warranty_notices=(90, 30, 7))
    notices = [(t.due, t.number) for t in plan("p", terms) if t.kind == "warranty_notice"]
    assert notices == [(date(2026, 1, 30), 30), (date(2026, 2, 22), 7)]  # 90 days: before start


def test_planning_twice_gives_the_same_unique_keys() -> None:
    terms = Terms(date(2026, 3, 1), date(2029, 2, 28), 3, 4, (3, "months"), date(2029, 2, 28),
                  (90, 30, 7))
    first, again = plan("rollout", terms), plan("rollout", terms)
    assert first == again
    keys = [t.key for t in first]
    assert len(set(keys)) == len(keys)
    assert keys[0] == "rollout:phone_visit:2026-04-16"
    assert task_key("rollout", "warranty_notice", date(2029, 2, 21), 7) in keys
    assert [t.due for t in first] == sorted(t.due for t in first)
    assert all(terms.start <= t.due <= terms.end for t in first)


def test_no_contract_work_promised_plans_nothing() -> None:
    assert plan("p", Terms(date(2026, 1, 1), date(2026, 12, 31))) == []


def test_a_result_is_canonical_json_with_its_sha256_and_reads_back() -> None:
    hostile = '<b>x</b> "quoted" \u200b 👩‍🔧 ' + "长" * 2000
    result = TaskResult(
        7, "p:inspection:2027-01-01", "p", "inspection", date(2027, 1, 1),
        "2026-12-30T02:00:00+00:00", 1001, "Engineer One",
        (CheckItem("hardware", True, ""), CheckItem("software", False, hostile)),
        findings=hostile,
    )  # fmt: skip
    raw = result.to_json()
    assert json.loads(raw)["checks"][1] == ["software", False, hostile]
    assert result.sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert TaskResult.from_json(raw) == result
    later = TaskResult.from_json(raw.replace("Engineer One", "Engineer Two"))
    assert later.sha256 != result.sha256


def test_the_recording_draft_walks_the_checklist_then_findings() -> None:
    draft = TaskDraft(3, "hardware")
    steps = [draft.step]
    while draft.advance() != "done":
        steps.append(draft.step)
    assert steps == ["hardware", "hardware_note", "software", "software_note", "risk",
                     "risk_note", "findings"]
    phone = TaskDraft(4, "called")
    assert [phone.advance(), phone.advance(), phone.advance()] == ["said", "satisfaction", "done"]
    assert TaskDraft.from_data(json.loads(json.dumps(draft.to_data()))) == draft
