"""The ticket state machine: every allowed and refused transition, with its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.ticket import (
    OPEN_STATUSES,
    WORKING_STATUSES,
    Deadlines,
    Level,
    Status,
    Ticket,
    TransitionError,
)

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
CUSTOMER = 1001
STRANGER = 1002
ENG = "eng_wang"
OTHER = "eng_li"
THIRD = "eng_zhao"

REPORTED_DL = Deadlines(
    respond_due=T0 + timedelta(minutes=15), arrive_due=T0 + timedelta(hours=2), repair_due=None
)
ON_SITE_DL = Deadlines(
    respond_due=T0 + timedelta(minutes=15),
    arrive_due=T0 + timedelta(hours=2),
    repair_due=T0 + timedelta(minutes=90) + timedelta(hours=3),
)
REGRADED_DL = Deadlines(
    respond_due=T0 + timedelta(minutes=15),
    arrive_due=T0 + timedelta(minutes=60),
    repair_due=None,
)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_ticket() -> Ticket:
    return Ticket(
        id=7,
        project_key="county",
        customer_id=CUSTOMER,
        level=Level.B,
        status=Status.NEW,
        reported_at=T0,
        deadlines=REPORTED_DL,
    )


def ticket_at(status: Status) -> Ticket:
    """A ticket brought to `status` through the real transitions, owned by ENG."""
    t = new_ticket()
    path = [
        (Status.ACCEPTED, lambda x: x.accept(ENG, at(5))),
        (Status.ON_WAY, lambda x: x.set_on_way(ENG, at(10))),
        (Status.ON_SITE, lambda x: x.arrive(ENG, at(90), ON_SITE_DL)),
        (Status.RESOLVED, lambda x: x.resolve(ENG, at(150), "power", "replaced the PSU")),
        (Status.CLOSED, lambda x: x.confirm(CUSTOMER, at(160))),
    ]
    for step_status, step in path:
        if t.status == status:
            break
        t = step(t)
        assert t.status == step_status
    assert t.status == status
    return t


ACTIONS: dict[str, Callable[[Ticket], Ticket]] = {
    "accept": lambda t: t.accept(OTHER, at(200)),
    "on_way": lambda t: t.set_on_way(ENG, at(200)),
    "arrive": lambda t: t.arrive(ENG, at(200), ON_SITE_DL),
    "resolve": lambda t: t.resolve(ENG, at(200), "power", "fixed"),
    "propose_handover": lambda t: t.propose_handover(ENG, OTHER),
    "reopen": lambda t: t.reopen(CUSTOMER),
    "confirm": lambda t: t.confirm(CUSTOMER, at(200)),
    "regrade": lambda t: t.regrade(Level.A, REGRADED_DL),
}

S = Status
ORDER = (S.NEW, S.ACCEPTED, S.ON_WAY, S.ON_SITE, S.RESOLVED, S.CLOSED)
# For each action, per status in ORDER: the resulting status, or the refusal reason (str).
MATRIX: dict[str, tuple[Status | str, ...]] = {
    "accept": (
        S.ACCEPTED,
        "already_taken",
        "already_taken",
        "already_taken",
        "not_open",
        "not_open",
    ),
    "on_way": (
        "not_in_progress",
        S.ON_WAY,
        "wrong_step",
        "wrong_step",
        "not_in_progress",
        "not_in_progress",
    ),
    "arrive": (
        "not_in_progress",
        S.ON_SITE,
        S.ON_SITE,
        "wrong_step",
        "not_in_progress",
        "not_in_progress",
    ),
    "resolve": (
        "not_in_progress",
        S.RESOLVED,
        S.RESOLVED,
        S.RESOLVED,
        "not_in_progress",
        "not_in_progress",
    ),
    "propose_handover": (
        "not_in_progress",
        S.ACCEPTED,
        S.ON_WAY,
        S.ON_SITE,
        "not_in_progress",
        "not_in_progress",
    ),
    "reopen": (
        "not_resolved",
        "not_resolved",
        "not_resolved",
        "not_resolved",
        S.ACCEPTED,
        "not_resolved",
    ),
    "confirm": (
        "not_resolved",
        "not_resolved",
        "not_resolved",
        "not_resolved",
        S.CLOSED,
        "not_resolved",
    ),
    "regrade": (S.NEW, S.ACCEPTED, S.ON_WAY, S.ON_SITE, "not_open", "not_open"),
}

CASES = [
    pytest.param(action, status, expected, id=f"{action}-{status.value}")
    for action, row in MATRIX.items()
    for status, expected in zip(ORDER, row, strict=True)
]


@pytest.mark.parametrize(("action", "status", "expected"), CASES)
def test_transition_matrix(action: str, status: Status, expected: Status | str) -> None:
    before = ticket_at(status)
    if isinstance(expected, Status):
        after = ACTIONS[action](before)
        assert after.status is expected
        assert before.status is status  # tickets are immutable: a new one is returned
    else:
        with pytest.raises(TransitionError) as info:
            ACTIONS[action](before)
        assert info.value.reason == expected
        assert str(info.value) == expected


def test_happy_path_records_every_timestamp_and_owner() -> None:
    t = new_ticket().accept(ENG, at(5))
    assert (t.status, t.owner_key, t.accepted_at) == (S.ACCEPTED, ENG, at(5))
    t = t.set_on_way(ENG, at(10))
    assert (t.status, t.on_way_at) == (S.ON_WAY, at(10))
    t = t.arrive(ENG, at(90), ON_SITE_DL)
    assert (t.status, t.on_site_at, t.deadlines) == (S.ON_SITE, at(90), ON_SITE_DL)
    t = t.resolve(ENG, at(150), "power", "replaced the PSU")
    assert (t.status, t.resolved_at, t.cause, t.resolution) == (
        S.RESOLVED,
        at(150),
        "power",
        "replaced the PSU",
    )
    t = t.confirm(CUSTOMER, at(160))
    assert (t.status, t.closed_at, t.owner_key) == (S.CLOSED, at(160), ENG)
    assert t.accepted_at == at(5)
    assert t.reopen_count == 0


def test_remote_resolve_from_accepted_skips_the_visit() -> None:
    t = ticket_at(S.ACCEPTED).resolve(ENG, at(30), "software", "restarted the service")
    assert t.status is S.RESOLVED
    assert t.resolved_at == at(30)
    assert t.on_way_at is None
    assert t.on_site_at is None
    assert t.deadlines == REPORTED_DL


def test_arrive_directly_from_accepted() -> None:
    t = ticket_at(S.ACCEPTED).arrive(ENG, at(40), ON_SITE_DL)
    assert t.status is S.ON_SITE
    assert t.on_way_at is None
    assert t.on_site_at == at(40)
    assert t.deadlines.repair_due == ON_SITE_DL.repair_due


def test_accept_by_the_owner_again_is_already_taken() -> None:
    with pytest.raises(TransitionError) as info:
        ticket_at(S.ACCEPTED).accept(ENG, at(6))
    assert info.value.reason == "already_taken"


def test_accept_of_a_non_new_ticket_without_owner_is_not_open() -> None:
    orphan = replace(new_ticket(), status=S.CLOSED)
    with pytest.raises(TransitionError) as info:
        orphan.accept(ENG, at(6))
    assert info.value.reason == "not_open"


@pytest.mark.parametrize("status", WORKING_STATUSES)
@pytest.mark.parametrize("action", ["on_way", "arrive", "resolve", "propose_handover"])
def test_work_by_a_non_owner_is_refused(status: Status, action: str) -> None:
    t = ticket_at(status)
    calls: dict[str, Callable[[Ticket], Ticket]] = {
        "on_way": lambda x: x.set_on_way(OTHER, at(200)),
        "arrive": lambda x: x.arrive(OTHER, at(200), ON_SITE_DL),
        "resolve": lambda x: x.resolve(OTHER, at(200), "power", "fixed"),
        "propose_handover": lambda x: x.propose_handover(OTHER, THIRD),
    }
    with pytest.raises(TransitionError) as info:
        calls[action](t)
    assert info.value.reason == "not_owner"


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED, S.ACCEPTED])
@pytest.mark.parametrize("action", ["reopen", "confirm"])
def test_customer_actions_by_someone_else_are_not_yours(status: Status, action: str) -> None:
    # not_yours is checked before the state
    t = ticket_at(status)
    with pytest.raises(TransitionError) as info:
        if action == "reopen":
            t.reopen(STRANGER)
        else:
            t.confirm(STRANGER, at(200))
    assert info.value.reason == "not_yours"


def test_reopen_returns_to_the_same_owner_and_is_counted() -> None:
    resolved = ticket_at(S.RESOLVED)
    once = resolved.reopen(CUSTOMER)
    assert once.status is S.ACCEPTED
    assert once.owner_key == ENG
    assert once.resolved_at is None
    assert once.reopen_count == 1
    assert once.accepted_at == at(5)
    # the owner carries on without accepting again
    assert once.set_on_way(ENG, at(170)).status is S.ON_WAY
    twice = once.resolve(ENG, at(180), "power", "again").reopen(CUSTOMER)
    assert twice.reopen_count == 2
    assert twice.owner_key == ENG
    with pytest.raises(TransitionError) as info:
        twice.accept(OTHER, at(190))
    assert info.value.reason == "already_taken"


def test_propose_take_over() -> None:
    proposed = ticket_at(S.ON_SITE).propose_handover(ENG, OTHER)
    assert proposed.handover_to == OTHER
    assert proposed.owner_key == ENG
    taken = proposed.take_over(OTHER)
    assert taken.owner_key == OTHER
    assert taken.handover_to is None
    assert taken.status is S.ON_SITE
    # the new owner works the ticket, the old one no longer can
    with pytest.raises(TransitionError) as info:
        taken.resolve(ENG, at(200), "power", "fixed")
    assert info.value.reason == "not_owner"
    assert taken.resolve(OTHER, at(200), "power", "fixed").status is S.RESOLVED


def test_decline_handover_keeps_the_owner() -> None:
    proposed = ticket_at(S.ACCEPTED).propose_handover(ENG, OTHER)
    declined = proposed.decline_handover(OTHER)
    assert declined.handover_to is None
    assert declined.owner_key == ENG
    assert declined.status is S.ACCEPTED


def test_handover_to_self_is_refused() -> None:
    with pytest.raises(TransitionError) as info:
        ticket_at(S.ACCEPTED).propose_handover(ENG, ENG)
    assert info.value.reason == "handover_self"


def test_a_new_proposal_replaces_the_pending_one() -> None:
    t = ticket_at(S.ACCEPTED).propose_handover(ENG, OTHER).propose_handover(ENG, THIRD)
    assert t.handover_to == THIRD
    with pytest.raises(TransitionError) as info:
        t.take_over(OTHER)
    assert info.value.reason == "no_handover"


@pytest.mark.parametrize(
    ("proposed_to", "who"),
    [(None, OTHER), (None, ENG), (OTHER, THIRD), (OTHER, ENG)],
)
def test_take_over_or_decline_without_a_proposal_to_you(proposed_to: str | None, who: str) -> None:
    t = ticket_at(S.ACCEPTED)
    if proposed_to is not None:
        t = t.propose_handover(ENG, proposed_to)
    with pytest.raises(TransitionError) as info:
        t.take_over(who)
    assert info.value.reason == "no_handover"
    with pytest.raises(TransitionError) as info:
        t.decline_handover(who)
    assert info.value.reason == "no_handover"


@pytest.mark.parametrize("status", [S.NEW, S.RESOLVED, S.CLOSED])
def test_take_over_outside_work_is_refused(status: Status) -> None:
    t = replace(ticket_at(status), handover_to=OTHER)
    with pytest.raises(TransitionError) as info:
        t.take_over(OTHER)
    assert info.value.reason == "no_handover"


def test_resolve_clears_a_pending_handover() -> None:
    t = ticket_at(S.ON_SITE).propose_handover(ENG, OTHER).resolve(ENG, at(200), "power", "ok")
    assert t.handover_to is None
    with pytest.raises(TransitionError) as info:
        t.take_over(OTHER)
    assert info.value.reason == "no_handover"


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_regrade_changes_level_and_deadlines(status: Status) -> None:
    t = ticket_at(status).regrade(Level.A, REGRADED_DL)
    assert t.level is Level.A
    assert t.deadlines == REGRADED_DL
    assert t.status is status


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_regrade_to_the_same_level_is_refused(status: Status) -> None:
    with pytest.raises(TransitionError) as info:
        ticket_at(status).regrade(Level.B, REGRADED_DL)
    assert info.value.reason == "same_level"


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_regrade_of_a_finished_ticket_is_not_open_even_at_same_level(status: Status) -> None:
    with pytest.raises(TransitionError) as info:
        ticket_at(status).regrade(Level.B, REGRADED_DL)
    assert info.value.reason == "not_open"


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        (S.NEW, True),
        (S.ACCEPTED, True),
        (S.ON_WAY, True),
        (S.ON_SITE, True),
        (S.RESOLVED, False),
        (S.CLOSED, False),
    ],
)
def test_is_open(status: Status, is_open: bool) -> None:
    assert ticket_at(status).is_open is is_open


def test_with_details_sets_allowed_fields() -> None:
    t = new_ticket().with_details(
        symptom="no video", photos=("f1", "f2"), model="DS-2CD", contact_phone="13800138000"
    )
    assert (t.symptom, t.photos, t.model, t.contact_phone) == (
        "no video",
        ("f1", "f2"),
        "DS-2CD",
        "13800138000",
    )
    t = t.with_details(site="village 3", latitude=30.5, longitude=114.25)
    assert (t.site, t.latitude, t.longitude) == ("village 3", 30.5, 114.25)
    assert t.status is S.NEW


def test_with_details_refuses_other_fields() -> None:
    with pytest.raises(ValueError, match=r"not a ticket detail: \['owner_key', 'status'\]"):
        new_ticket().with_details(status=S.CLOSED, owner_key=ENG, symptom="x")


def test_enums_values() -> None:
    assert [s.value for s in Status] == [
        "new",
        "accepted",
        "on_way",
        "on_site",
        "resolved",
        "closed",
    ]
    assert [lv.value for lv in Level] == ["A", "B", "C"]
    assert OPEN_STATUSES == (S.NEW, S.ACCEPTED, S.ON_WAY, S.ON_SITE)
    assert WORKING_STATUSES == (S.ACCEPTED, S.ON_WAY, S.ON_SITE)


def test_a_blocking_reason_is_kept_while_open_and_cleared_by_resolving() -> None:
    blocked = ticket_at(Status.ON_SITE).block("power")
    assert blocked.blocking_reason == "power"
    assert blocked.block("").blocking_reason == ""
    resolved = blocked.resolve(ENG, T0 + timedelta(hours=3), "power", "replaced the PSU")
    assert resolved.blocking_reason == ""
    with pytest.raises(TransitionError, match="not_open"):
        resolved.block("transmission")
