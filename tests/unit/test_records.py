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


def test_a_proposed_pause_is_approved_or_rejected_once() -> None:
    approved = _proposed().decide("active", "staff:pm", T0 + M)
    assert (approved.state, approved.decided_by, approved.started_at) == (
        "active",
        "staff:pm",
        T0 + M,
    )
    rejected = _proposed().decide("rejected", "staff:pm", T0 + M)
    assert (rejected.state, rejected.decided_by, rejected.started_at) == (
        "rejected",
        "staff:pm",
        None,
    )
    for decided in (approved, rejected):
        with pytest.raises(TransitionError) as info:
            decided.decide("rejected", "staff:pm2", T0 + 2 * M)
        assert info.value.reason == "wrong_step"
    with pytest.raises(ValueError, match="active or rejected"):
        _proposed().decide("ended", "staff:pm", T0)


def test_only_an_active_pause_ends() -> None:
    active = _proposed().decide("active", "staff:pm", T0 + M)
    ended = active.end(T0 + 9 * M)
    assert (ended.state, ended.started_at, ended.ended_at) == ("ended", T0 + M, T0 + 9 * M)
    for not_active in (_proposed(), ended, _proposed().decide("rejected", "staff:pm", T0)):
        with pytest.raises(TransitionError) as info:
            not_active.end(T0 + 10 * M)
        assert info.value.reason == "not_paused"


def test_pause_strings_are_narrowed_or_refused() -> None:
    assert PAUSE_KINDS == ("force_majeure", "waiting")
    assert PAUSE_STATES == ("proposed", "active", "rejected", "ended")
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
