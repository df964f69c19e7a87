"""The records' pure state changes: users, pauses, shift swaps, paging plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.paging import Paging
from bot.domain.pauses import PAUSE_KINDS, PAUSE_STATES, Pause, pause_kind, pause_state
from bot.domain.people import User
from bot.domain.swaps import SWAP_STATES, Swap, swap_state
from bot.domain.ticket import TransitionError

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
M = timedelta(minutes=1)

# ---------------------------------------------------------------- users


def test_a_new_user_is_reachable_without_a_profile() -> None:
    u = User(7)
    assert (u.first_name, u.language, u.project_key, u.profile_done) == ("", None, None, False)
    assert u.reachable
    assert u.display_name == ""


def test_seen_updates_the_name_and_keeps_a_language_not_told() -> None:
    u = User(7).seen("Wang", "zh")
    assert (u.first_name, u.language) == ("Wang", "zh")
    assert u.seen("Wang Wei", None).language == "zh"
    assert u.seen("Wang", "en").language == "en"
    assert u.seen("Wang", "zh") == u


def test_started_remembers_the_first_start_and_makes_reachable() -> None:
    u = User(7).started(T0)
    assert (u.started_at, u.reachable) == (T0, True)
    assert u.started(T0 + M).started_at == T0
    gone = u.unreachable(T0 + M, "blocked")
    back = gone.started(T0 + 2 * M)
    assert (back.started_at, back.unreachable_at, back.unreachable_reason) == (
        T0 + 2 * M,
        None,
        None,
    )


def test_unreachable_counts_the_first_refusal_and_forgets_the_start() -> None:
    u = User(7).started(T0).unreachable(T0 + M, "blocked")
    assert (u.reachable, u.unreachable_at, u.unreachable_reason, u.started_at) == (
        False,
        T0 + M,
        "blocked",
        None,
    )
    assert u.unreachable(T0 + 2 * M, "deactivated") is u


def test_joined_and_profile() -> None:
    u = User(7, first_name="Wang").joined("county")
    assert u.project_key == "county"
    assert u.display_name == "Wang"
    p = u.with_profile("王伟", "派出所", "010-0000")
    assert (p.display_name, p.unit, p.phone, p.profile_done) == (
        "王伟",
        "派出所",
        "010-0000",
        True,
    )
    assert u.profile_done is False  # frozen: the change is a new record


# ---------------------------------------------------------------- pauses


def _proposed() -> Pause:
    return Pause.new(3, "force_majeure", "flood", "proposed", "staff:eng", T0)


def test_a_new_pause_is_proposed_or_active() -> None:
    p = _proposed()
    assert (p.id, p.ticket_id, p.state, p.started_at, p.decided_by) == (
        0,
        3,
        "proposed",
        None,
        None,
    )
    w = Pause.new(3, "waiting", "away", "active", "staff:eng", T0)
    assert (w.state, w.started_at, w.proposed_at) == ("active", T0, T0)
    for state in ("ended", "rejected"):
        with pytest.raises(ValueError, match="begins proposed or active"):
            Pause.new(3, "waiting", "away", state, "staff:eng", T0)  # type: ignore[arg-type]


def _agreed() -> Pause:
    """A force-majeure pause the customer agreed to and the project manager approved."""
    return (
        _proposed()
        .answer("customer", True, "customer:5001", T0 + M)
        .answer("manager", True, "staff:pm", T0 + 2 * M)
    )


def test_force_majeure_starts_only_when_the_customer_and_the_manager_agreed() -> None:
    customer_first = _proposed().answer("customer", True, "customer:5001", T0 + M)
    assert (customer_first.state, customer_first.started_at) == ("proposed", None)
    assert customer_first.waiting_for == ("manager",)
    both = customer_first.answer("manager", True, "staff:pm", T0 + 2 * M)
    assert both == _agreed()
    # Both answers are kept, each with who and when: the proof of 双方协商.
    assert (
        both.state,
        both.started_at,
        both.customer_answer,
        both.customer_by,
        both.customer_at,
        both.manager_answer,
        both.decided_by,
        both.decided_at,
    ) == (
        "active",
        T0 + 2 * M,
        "agreed",
        "customer:5001",
        T0 + M,
        "agreed",
        "staff:pm",
        T0 + 2 * M,
    )
    # The other order: approved first, still waiting for the customer; the clocks run.
    manager_first = _proposed().answer("manager", True, "staff:pm", T0 + M)
    assert (manager_first.state, manager_first.waiting_for) == ("proposed", ("customer",))
    started = manager_first.answer("customer", True, "customer:5001", T0 + 3 * M)
    assert (started.state, started.started_at) == ("active", T0 + 3 * M)


def test_a_refusal_by_either_side_rejects_the_proposal() -> None:
    by_customer = _proposed().answer("customer", False, "customer:5001", T0 + M)
    assert (by_customer.state, by_customer.customer_answer, by_customer.started_at) == (
        "rejected",
        "refused",
        None,
    )
    approved = _proposed().answer("manager", True, "staff:pm", T0 + M)
    refused_after = approved.answer("customer", False, "customer:5001", T0 + 2 * M)
    assert (refused_after.state, refused_after.manager_answer) == ("rejected", "agreed")
    by_manager = (
        _proposed()
        .answer("customer", True, "customer:5001", T0)
        .answer("manager", False, "staff:pm", T0 + M)
    )
    assert (by_manager.state, by_manager.manager_answer, by_manager.decided_by) == (
        "rejected",
        "refused",
        "staff:pm",
    )
    # Each side answers once, and only while the proposal stands.
    for answered, party in (
        (by_customer, "customer"),
        (by_customer, "manager"),
        (approved, "manager"),
        (_agreed(), "customer"),
    ):
        with pytest.raises(TransitionError) as info:
            answered.answer(party, True, "x", T0 + 5 * M)  # type: ignore[arg-type]
        assert info.value.reason == "wrong_step"


def test_waiting_needs_only_the_customer() -> None:
    waiting = Pause.new(3, "waiting", "site locked", "proposed", "staff:eng", T0)
    assert waiting.waiting_for == ("customer",)
    confirmed = waiting.answer("customer", True, "customer:5001", T0 + M)
    assert (confirmed.state, confirmed.started_at, confirmed.decided_by) == (
        "active",
        T0 + M,
        None,
    )
    with pytest.raises(TransitionError):
        waiting.answer("manager", True, "staff:pm", T0 + M)  # no manager is asked
    refused = waiting.answer("customer", False, "customer:5001", T0 + M)
    assert refused.state == "rejected"


def test_a_proposal_is_withdrawn_and_only_an_active_pause_ends() -> None:
    withdrawn = _proposed().withdraw(T0 + M)
    assert (withdrawn.state, withdrawn.ended_at, withdrawn.started_at) == (
        "withdrawn",
        T0 + M,
        None,
    )
    with pytest.raises(TransitionError):
        _agreed().withdraw(T0 + 3 * M)
    with pytest.raises(TransitionError):
        withdrawn.answer("customer", True, "customer:5001", T0 + 2 * M)
    ended = _agreed().end(T0 + 9 * M)
    assert (ended.state, ended.started_at, ended.ended_at) == ("ended", T0 + 2 * M, T0 + 9 * M)
    rejected = _proposed().answer("manager", False, "staff:pm", T0)
    for not_active in (_proposed(), ended, rejected, withdrawn):
        with pytest.raises(TransitionError) as info:
            not_active.end(T0 + 10 * M)
        assert info.value.reason == "not_paused"


def test_pause_strings_are_narrowed_or_refused() -> None:
    assert PAUSE_KINDS == ("force_majeure", "waiting")
    assert PAUSE_STATES == ("proposed", "active", "rejected", "ended", "withdrawn")
    assert [pause_kind(k) for k in PAUSE_KINDS] == list(PAUSE_KINDS)
    assert [pause_state(s) for s in PAUSE_STATES] == list(PAUSE_STATES)
    with pytest.raises(ValueError, match="not a pause kind: 'holiday'"):
        pause_kind("holiday")
    with pytest.raises(ValueError, match="not a pause state: 'Active'"):
        pause_state("Active")


# ---------------------------------------------------------------- swaps


def _draft() -> Swap:
    return Swap.draft("t1", "primary", "eng1", T0, T0 + 60 * M)


def test_a_swap_goes_draft_offered_then_accepted_or_declined() -> None:
    d = _draft()
    assert (d.id, d.from_member, d.to_member, d.state) == (0, "eng1", "", "draft")
    offered = d.offer("eng2")
    assert (offered.state, offered.to_member) == ("proposed", "eng2")
    assert offered.accept().state == "accepted"
    assert offered.decline().state == "declined"
    assert offered.accept().to_member == "eng2"
    assert offered.move_to("accepted") == offered.accept()
    assert d.move_to("proposed", "eng2") == offered
    assert offered.move_to("declined") == offered.decline()


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.accept(),  # never offered
        lambda s: s.decline(),
        lambda s: s.offer("eng2").offer("eng3"),  # offered twice
        lambda s: s.offer("eng2").accept().decline(),  # answered twice
        lambda s: s.offer("eng2").decline().accept(),
        lambda s: s.offer("eng2").move_to("draft"),  # nothing goes back
    ],
)
def test_impossible_swap_changes_raise(change: object) -> None:
    with pytest.raises(TransitionError) as info:
        change(_draft())  # type: ignore[operator]
    assert info.value.reason == "wrong_step"


def test_a_swap_is_offered_to_someone() -> None:
    with pytest.raises(ValueError, match="offered to someone"):
        _draft().offer("")


def test_swap_strings_are_narrowed_or_refused() -> None:
    assert SWAP_STATES == ("draft", "proposed", "accepted", "declined")
    assert [swap_state(s) for s in SWAP_STATES] == list(SWAP_STATES)
    with pytest.raises(ValueError, match="not a swap state: 'taken'"):
        swap_state("taken")


# ---------------------------------------------------------------- paging


def test_paging_advances_from_the_step_it_is_at_only() -> None:
    plan = Paging(5, [["eng1"], ["eng2"], ["pm"]], -1, 300.0)
    first = plan.advance(-1)
    assert (first.step, first.tiers, first.ticket_id) == (0, plan.tiers, 5)
    assert first.advance(0).step == 1
    with pytest.raises(TransitionError):
        first.advance(-1)  # a second failure of the same tier advances nothing
    assert plan.step == -1
