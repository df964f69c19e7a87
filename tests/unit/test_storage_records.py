"""Storage of the records whose changes are the domain's: users, drafts, pauses, swaps, paging.

Each repository reads the record, applies the domain's pure change, and writes it only if the
record is still as it was read: the tests check that a change the state does not allow (a double
press, a stale button) writes nothing and reports False.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from bot.domain.drafts import ProfileDraft, ReportDraft, WorkDraft
from bot.domain.paging import Paging
from bot.domain.roster import Override
from bot.storage.uow import SqliteUnitOfWork
from tests.unit.storage_helpers import T0, M, draft_ticket, scalar_uow

# ---------------------------------------------------------------- drafts


async def test_report_draft_round_trip(uow: SqliteUnitOfWork) -> None:
    d = ReportDraft(
        project_key="county",
        step="phone",
        answers={"whole": True},
        level="A",
        site="village 3",
        latitude=30.5,
        longitude=114.25,
        symptom="全部黑屏",
        photos=["f1"],
        model="DS-2CD",
        phone="13800138000",
        ticket_id=12,
        editing=False,
    )
    await uow.drafts.put(7, d, T0)
    got = await uow.drafts.get(7)
    assert got is not None
    back, updated_at = got
    assert isinstance(back, ReportDraft)
    assert back == d
    assert updated_at == T0
    assert updated_at.tzinfo is UTC
    assert await scalar_uow(uow, "SELECT kind || '/' || step FROM drafts") == "report/phone"


async def test_profile_and_work_drafts_round_trip_and_replace(uow: SqliteUnitOfWork) -> None:
    p = ProfileDraft(step="unit", name="Wang", then_report=True)
    await uow.drafts.put(7, p, T0)
    got = await uow.drafts.get(7)
    assert got == (p, T0)
    assert isinstance(got[0], ProfileDraft)

    w = WorkDraft(ticket_id=3, step="resolution", cause="power", resolution="")
    await uow.drafts.put(7, w, T0 + M)  # one draft per user: replaces the profile draft
    got = await uow.drafts.get(7)
    assert got == (w, T0 + M)
    assert isinstance(got[0], WorkDraft)
    assert await scalar_uow(uow, "SELECT COUNT(*) FROM drafts") == 1

    await uow.drafts.delete(7)
    assert await uow.drafts.get(7) is None
    assert await uow.drafts.get(8) is None


# ---------------------------------------------------------------- users


async def test_users_seen_and_unreachable(uow: SqliteUnitOfWork) -> None:
    user = await uow.users.seen(7, "Wang", "zh", T0)
    assert (user.telegram_id, user.first_name, user.language, user.profile_done) == (
        7,
        "Wang",
        "zh",
        False,
    )
    again = await uow.users.seen(7, "Wang Wei", None, T0 + M)
    assert (again.first_name, again.language) == ("Wang Wei", "zh")
    await uow.users.mark_started(7, T0)
    assert await uow.users.mark_unreachable(7, T0 + M, "blocked") is True
    assert await uow.users.mark_unreachable(7, T0 + 2 * M, "blocked") is False
    u = await uow.users.get(7)
    assert u is not None
    assert (u.unreachable_at, u.unreachable_reason, u.started_at) == (T0 + M, "blocked", None)
    await uow.users.mark_started(7, T0 + 3 * M)
    u = await uow.users.get(7)
    assert u is not None
    assert (u.unreachable_at, u.started_at) == (None, T0 + 3 * M)
    await uow.users.save_profile(7, "王伟", "派出所", "13800138000")
    u = await uow.users.get(7)
    assert u is not None
    assert (u.display_name, u.unit, u.phone, u.profile_done) == (
        "王伟",
        "派出所",
        "13800138000",
        True,
    )
    assert set(await uow.users.many([7, 8])) == {7}


async def test_start_join_and_profile_leave_an_unknown_user_unknown(
    uow: SqliteUnitOfWork,
) -> None:
    await uow.users.mark_started(9, T0)
    await uow.users.join_project(9, "county")
    await uow.users.save_profile(9, "Li", "unit", "000")
    assert await uow.users.get(9) is None
    assert await scalar_uow(uow, "SELECT COUNT(*) FROM users") == 0


async def test_an_unknown_user_becomes_known_as_unreachable(uow: SqliteUnitOfWork) -> None:
    assert await uow.users.mark_unreachable(9, T0, "Forbidden: bot was blocked") is True
    u = await uow.users.get(9)
    assert u is not None
    assert (u.first_name, u.language, u.started_at, u.unreachable_at) == ("", None, None, T0)
    assert u.unreachable_reason == "Forbidden: bot was blocked"
    # writing to us does not make them reachable: only /start does
    u = await uow.users.seen(9, "Li", "en", T0 + M)
    assert (u.first_name, u.language, u.unreachable_at) == ("Li", "en", T0)
    assert await uow.users.get(9) == u


async def test_the_first_start_is_remembered_and_a_project_joined(uow: SqliteUnitOfWork) -> None:
    await uow.users.seen(7, "Wang", None, T0)
    await uow.users.mark_started(7, T0)
    await uow.users.mark_started(7, T0 + M)
    await uow.users.join_project(7, "county")
    u = await uow.users.get(7)
    assert u is not None
    assert (u.started_at, u.project_key, u.language) == (T0, "county", None)


# ---------------------------------------------------------------- pauses


async def test_a_pause_is_agreed_by_both_sides_once_then_ended_once(
    uow: SqliteUnitOfWork,
) -> None:
    t = await uow.tickets.add(draft_ticket())
    p = await uow.pauses.add(t.id, "force_majeure", "flood", "proposed", "staff:eng", T0)
    assert (p.kind, p.state, p.proposed_by, p.proposed_at, p.started_at) == (
        "force_majeure",
        "proposed",
        "staff:eng",
        T0,
        None,
    )
    assert await uow.pauses.current(t.id) == p
    assert await uow.pauses.end(p.id, T0 + M) is False  # not active yet
    agreed = await uow.pauses.answer(p.id, "customer", True, "customer:5001", T0 + M)
    assert agreed is not None and (agreed.state, agreed.customer_at) == ("proposed", T0 + M)
    assert await uow.pauses.answer(p.id, "customer", False, "customer:5001", T0 + M) is None
    active = await uow.pauses.answer(p.id, "manager", True, "staff:pm", T0 + 2 * M)
    assert await uow.pauses.answer(p.id, "manager", False, "staff:pm2", T0 + 3 * M) is None
    assert active == await uow.pauses.get(p.id)
    assert active is not None
    # Both answers are stored, each with who and when.
    assert (
        active.state,
        active.started_at,
        active.customer_answer,
        active.customer_by,
        active.customer_at,
        active.manager_answer,
        active.decided_by,
        active.decided_at,
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
    assert await uow.pauses.current(t.id) == active
    assert await uow.pauses.end(p.id, T0 + 5 * M) is True
    assert await uow.pauses.end(p.id, T0 + 6 * M) is False
    ended = await uow.pauses.get(p.id)
    assert ended is not None
    assert (ended.state, ended.started_at, ended.ended_at) == ("ended", T0 + 2 * M, T0 + 5 * M)
    assert await uow.pauses.current(t.id) is None
    assert await uow.pauses.of_ticket(t.id) == [ended]


async def test_a_refused_or_withdrawn_pause_never_starts(uow: SqliteUnitOfWork) -> None:
    t = await uow.tickets.add(draft_ticket())
    waiting = await uow.pauses.add(t.id, "waiting", "customer away", "proposed", "staff:eng", T0)
    assert await uow.pauses.answer(waiting.id, "manager", True, "staff:pm", T0 + M) is None
    refused = await uow.pauses.answer(waiting.id, "customer", False, "customer:5001", T0 + M)
    assert refused is not None
    assert (refused.state, refused.customer_answer, refused.started_at) == (
        "rejected",
        "refused",
        None,
    )
    assert await uow.pauses.answer(waiting.id, "customer", True, "customer:5001", T0) is None

    p = await uow.pauses.add(t.id, "force_majeure", "storm", "proposed", "staff:eng", T0 + M)
    rejected = await uow.pauses.answer(p.id, "manager", False, "staff:pm", T0 + 2 * M)
    assert rejected is not None
    assert (rejected.state, rejected.decided_by, rejected.decided_at, rejected.started_at) == (
        "rejected",
        "staff:pm",
        T0 + 2 * M,
        None,
    )
    assert await uow.pauses.answer(p.id, "customer", True, "customer:5001", T0 + 3 * M) is None
    assert await uow.pauses.current(t.id) is None

    w = await uow.pauses.add(t.id, "waiting", "gate locked", "proposed", "staff:eng", T0 + 4 * M)
    assert await uow.pauses.withdraw(w.id, T0 + 5 * M) is True
    assert await uow.pauses.withdraw(w.id, T0 + 6 * M) is False
    gone = await uow.pauses.get(w.id)
    assert gone is not None and (gone.state, gone.ended_at) == ("withdrawn", T0 + 5 * M)
    assert await uow.pauses.current(t.id) is None
    assert await uow.pauses.answer(p.id + 100, "customer", True, "customer:5001", T0) is None
    assert await uow.pauses.end(p.id + 100, T0) is False


async def test_pause_values_outside_the_domain_are_refused(uow: SqliteUnitOfWork) -> None:
    t = await uow.tickets.add(draft_ticket())
    with pytest.raises(ValueError, match="pause kind"):
        await uow.pauses.add(t.id, "holiday", "x", "proposed", "staff:eng", T0)
    with pytest.raises(ValueError, match="begins proposed or active"):
        await uow.pauses.add(t.id, "waiting", "x", "ended", "staff:eng", T0)
    p = await uow.pauses.add(t.id, "force_majeure", "x", "proposed", "staff:eng", T0)
    await uow.conn.execute(
        "UPDATE ticket_pauses SET customer_answer = 'maybe' WHERE id = ?", (p.id,)
    )
    with pytest.raises(ValueError, match="pause answer"):
        await uow.pauses.get(p.id)
    assert await scalar_uow(uow, "SELECT COUNT(*) FROM ticket_pauses") == 1


# ---------------------------------------------------------------- roster


async def test_a_swap_is_offered_once_and_answered_once(uow: SqliteUnitOfWork) -> None:
    s = await uow.rosters.add_swap("t1", "primary", "eng1", T0, T0 + 60 * M, T0 - M)
    assert (s.team, s.layer, s.from_member, s.to_member, s.start, s.end, s.state) == (
        "t1",
        "primary",
        "eng1",
        "",
        T0,
        T0 + 60 * M,
        "draft",
    )
    assert await uow.rosters.move_swap(s.id, "proposed", "accepted", T0) is False  # no offer
    assert await uow.rosters.move_swap(s.id, "draft", "accepted", T0) is False  # no skipping
    assert await uow.rosters.move_swap(s.id, "draft", "proposed", T0, "eng2") is True
    assert await uow.rosters.move_swap(s.id, "draft", "proposed", T0, "eng3") is False
    offered = await uow.rosters.swap(s.id)
    assert offered is not None
    assert (offered.state, offered.to_member) == ("proposed", "eng2")
    assert await uow.rosters.move_swap(s.id, "proposed", "accepted", T0 + M) is True
    assert await uow.rosters.move_swap(s.id, "proposed", "declined", T0 + 2 * M) is False
    taken = await uow.rosters.swap(s.id)
    assert taken is not None
    assert (taken.state, taken.to_member) == ("accepted", "eng2")
    assert await scalar_uow(uow, "SELECT decided_at FROM swaps") == "2026-11-23T06:01:00.000000Z"
    assert await uow.rosters.swap(s.id + 1) is None
    assert await uow.rosters.move_swap(s.id + 1, "draft", "proposed", T0, "eng2") is False


async def test_a_declined_swap_keeps_its_colleague(uow: SqliteUnitOfWork) -> None:
    s = await uow.rosters.add_swap("t1", "primary", "eng1", T0, T0 + 60 * M, T0)
    assert await uow.rosters.move_swap(s.id, "draft", "proposed", T0, "eng2") is True
    assert await uow.rosters.move_swap(s.id, "proposed", "declined", T0 + M) is True
    declined = await uow.rosters.swap(s.id)
    assert declined is not None
    assert (declined.state, declined.to_member) == ("declined", "eng2")


async def test_overrides_of_a_team_that_have_not_ended(uow: SqliteUnitOfWork) -> None:
    past = Override("t1", "primary", "eng1", T0 - 60 * M, T0)
    cover = Override("t1", "primary", "eng2", T0, T0 + 60 * M)
    swap = Override("t1", "primary", "eng3", T0, T0 + 30 * M, replaces="eng1")
    other = Override("t2", "primary", "eng4", T0, T0 + 60 * M)
    ids = [await uow.rosters.add_override(o, "cover", "staff:pm", T0) for o in (past, cover)]
    ids += [await uow.rosters.add_override(swap, "swap", "staff:eng3", T0)]
    await uow.rosters.add_override(other, "cover", "staff:pm", T0)
    found = await uow.rosters.overrides("t1", T0)
    assert [(o.id, o.member, o.replaces) for o in found] == [
        (ids[1], "eng2", ""),
        (ids[2], "eng3", "eng1"),
    ]
    assert found[0].start.tzinfo is UTC


async def test_paging_advances_one_step_at_a_time(uow: SqliteUnitOfWork) -> None:
    t = await uow.tickets.add(draft_ticket())
    assert await uow.rosters.paging(t.id) is None
    assert await uow.rosters.advance_paging(t.id, -1) is False
    await uow.rosters.put_paging(Paging(t.id, [["eng1"], ["eng2", "eng3"]], -1, 300.0))
    assert await uow.rosters.advance_paging(t.id, -1) is True
    assert await uow.rosters.advance_paging(t.id, -1) is False  # a second failure of tier 0
    assert await uow.rosters.paging(t.id) == Paging(t.id, [["eng1"], ["eng2", "eng3"]], 0, 300.0)
    assert await uow.rosters.advance_paging(t.id, 0) is True
    plan = await uow.rosters.paging(t.id)
    assert plan is not None and plan.step == 1
