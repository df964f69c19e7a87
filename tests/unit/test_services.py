"""Services against an in-memory unit of work: the staff-and-ticket check and its refusals,
the views, open dialogs, and the sender's news (refused and sent messages)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.domain.drafts import ProfileDraft, ReportDraft, WorkDraft
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.access import Access
from bot.services.checks import Checks
from bot.services.drafts import Drafts
from bot.services.notices import Notice, Outcome
from bot.services.roster import Roster
from bot.services.sla import Sla
from bot.services.uow import OutboxRow
from bot.services.views import Views
from tests.support.configs import hotline_config
from tests.unit.fakes import FakeUnitOfWork, user

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
ENG1, ENG2, ENG3, CM, PM = 1001, 1002, 1003, 1011, 1012
CUSTOMER, STRANGER = 5001, 5002


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "hotline.toml").write_text(hotline_config(), encoding="utf-8")
    return load_settings(tmp_path / "hotline.toml")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def access(settings: Settings) -> Access:
    return Access(settings, Roster(settings, FakeClock(T0)))


def ticket(project_key: str = "village", **kw: Any) -> Ticket:
    t = Ticket(
        id=0,
        project_key=project_key,
        customer_id=CUSTOMER,
        level=Level.B,
        status=Status.NEW,
        reported_at=T0,
        deadlines=Deadlines(T0 + timedelta(minutes=15), T0 + timedelta(hours=2), None),
    )
    return replace(t, **kw)


def said(outcome: Outcome) -> list[tuple[int, str, dict[str, Any]]]:
    """Each notice as (recipient, key, its parameters by name)."""
    return [(n.to, n.key, _by_name(n.params)) for n in outcome.notices]


def _by_name(params: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(params):
        return {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}
    return dict(params)


# --------------------------------------------------------------------------- access


async def test_staff_ticket_finds_the_staff_member_and_a_ticket_of_their_project(
    access: Access,
) -> None:
    uow = FakeUnitOfWork()
    t = await uow.tickets.add(ticket())
    found = await access.staff_ticket(uow, ENG1, t.id, via_button=False)
    assert not isinstance(found, Outcome)
    staff, got = found
    assert (staff.key, got) == ("eng1", t)


@pytest.mark.parametrize(
    ("uid", "project", "status", "owner", "want_owner", "reason"),
    [
        (CUSTOMER, "village", Status.NEW, None, False, "staff_only"),
        (ENG1, "other", Status.NEW, None, False, "not_found"),  # not a project of eng1's
        (ENG1, "village", Status.ACCEPTED, "eng2", True, "not_owner"),
        (ENG1, "village", Status.RESOLVED, "eng1", True, "not_in_progress"),
    ],
)
async def test_staff_ticket_refuses_politely(
    access: Access,
    uid: int,
    project: str,
    status: Status,
    owner: str | None,
    want_owner: bool,
    reason: str,
) -> None:
    uow = FakeUnitOfWork()
    t = await uow.tickets.add(ticket(project, status=status, owner_key=owner))
    typed = await access.staff_ticket(uow, uid, t.id, False, owner=want_owner)
    assert isinstance(typed, Outcome)
    assert said(typed) == [(uid, f"refuse.{reason}", {"ticket_id": t.id})]
    # The same refusal from a button is its alert, and says nothing in the chat.
    pressed = await access.staff_ticket(uow, uid, t.id, True, owner=want_owner)
    assert pressed == Outcome(toast=f"refuse.{reason}", toast_alert=True)


async def test_a_missing_ticket_and_someone_elses_look_the_same(access: Access) -> None:
    uow = FakeUnitOfWork()
    theirs = await uow.tickets.add(ticket("other"))
    missing = await access.staff_ticket(uow, ENG1, 99, False)
    other = await access.staff_ticket(uow, ENG1, theirs.id, False)
    assert isinstance(missing, Outcome) and isinstance(other, Outcome)
    assert [n.key for n in missing.notices] == [n.key for n in other.notices] == [
        "refuse.not_found"
    ]


def test_who_approves_and_who_is_told(access: Access, settings: Settings) -> None:
    village = settings.project("village")
    assert [s.key for s in access.managers(village)] == ["cm", "pm"]
    assert [s.key for s in access.approvers(village)] == ["pm"]
    eng3 = settings.staff_by_key("eng3")
    assert access.staff_projects(eng3) == ["village", "other"]
    assert access.can_take(eng3, ticket("other"))
    assert not access.can_take(settings.staff_by_key("cm"), ticket())


# --------------------------------------------------------------------------- views


@pytest.fixture
def views(settings: Settings, access: Access) -> Views:
    roster = Roster(settings, FakeClock(T0))
    return Views(access, Sla(settings, FakeClock(T0), roster))


async def test_status_is_for_the_customer_and_the_projects_staff_only(views: Views) -> None:
    uow = FakeUnitOfWork()
    t = await uow.tickets.add(ticket())
    await uow.timeline.append(t.id, T0, f"customer:{CUSTOMER}", "reported", level="B")
    for uid, for_staff in ((CUSTOMER, False), (ENG1, True)):
        out = await views.status(uow, user(uid), t.id)
        [(to, key, params)] = said(out)
        assert (to, key, params["for_staff"]) == (uid, "ticket.status", for_staff)
        assert [e.kind for e in params["events"]] == ["reported"]
    # Another customer, and a number that does not exist, get the same answer.
    for number in (t.id, 42):
        out = await views.status(uow, user(STRANGER), number)
        assert said(out) == [(STRANGER, "ticket.not_found", {"ticket_id": number})]


async def test_queue_and_mine_list_open_tickets_of_the_staff_member(views: Views) -> None:
    uow = FakeUnitOfWork()
    mine = await uow.tickets.add(ticket(status=Status.ACCEPTED, owner_key="eng1"))
    new = await uow.tickets.add(ticket())
    await uow.tickets.add(ticket("other"))
    await uow.tickets.add(ticket(status=Status.CLOSED, owner_key="eng1"))
    queue = await views.queue(uow, ENG1)
    assert said(queue) == [(ENG1, "list.queue", {"tickets": [mine, new]})]
    owned = await views.mine(uow, ENG1)
    assert said(owned) == [(ENG1, "list.mine", {"tickets": [mine]})]
    for refused in (await views.queue(uow, CUSTOMER), await views.mine(uow, CUSTOMER)):
        assert said(refused) == [(CUSTOMER, "refuse.staff_only", {})]


# --------------------------------------------------------------------------- open dialogs


async def test_cancel_says_what_was_left(settings: Settings, clock: FakeClock) -> None:
    drafts = Drafts(settings, clock)
    uow = FakeUnitOfWork()
    assert said(await drafts.cancel(uow, CUSTOMER)) == [(CUSTOMER, "cancel.nothing", {})]
    await drafts.put(uow, CUSTOMER, ReportDraft(project_key="village", ticket_id=7))
    assert "draft:5001" in uow.timers.pending
    out = await drafts.cancel(uow, CUSTOMER)
    assert said(out) == [(CUSTOMER, "cancel.report_open", {"ticket_id": 7})]
    assert uow.drafts.rows == {} and uow.timers.pending == {}


async def test_a_draft_expires_only_when_untouched_for_its_ttl(
    settings: Settings, clock: FakeClock
) -> None:
    drafts = Drafts(settings, clock)
    uow = FakeUnitOfWork()
    await drafts.put(uow, ENG1, WorkDraft(ticket_id=3, step="note"))
    clock.advance(settings.draft_ttl / 2)
    await drafts.put(uow, ENG1, WorkDraft(ticket_id=3, step="note"))
    clock.advance(settings.draft_ttl / 2)
    assert said(await drafts.expire(uow, ENG1)) == []
    clock.advance(settings.draft_ttl / 2)
    out = await drafts.expire(uow, ENG1)
    assert said(out) == [(ENG1, "draft.expired_work", {"kind": "work", "ticket_id": 3})]
    assert uow.drafts.rows == {}
    await drafts.put(uow, CUSTOMER, ProfileDraft())
    clock.advance(settings.draft_ttl)
    out = await drafts.expire(uow, CUSTOMER)
    assert said(out) == [(CUSTOMER, "draft.expired", {"kind": "profile", "ticket_id": None})]


# --------------------------------------------------------------------------- the sender's news


@pytest.fixture
def checks(settings: Settings, access: Access) -> Checks:
    return Checks(settings, FakeClock(T0), access, Roster(settings, FakeClock(T0)))


def row(chat_id: int, purpose: str, ticket_id: int | None = None) -> OutboxRow:
    return OutboxRow(1, chat_id, "sendMessage", {}, ticket_id, purpose, "sent", 0, None)


async def test_a_page_in_flight_while_accepted_becomes_taken_by(checks: Checks) -> None:
    uow = FakeUnitOfWork()
    t = await uow.tickets.add(ticket(status=Status.ACCEPTED, owner_key="eng2"))
    out = await checks.message_sent(uow, row(ENG1, "page", t.id), 77, "cancelled")
    assert out.notices == [Notice(ENG1, "ticket.page_taken", ticket=t, edit_message_id=77)]
    # Sent as queued, not a page, or still unaccepted: nothing to change.
    for news in (
        (row(ENG1, "page", t.id), 77, "pending"),
        (row(ENG1, "", t.id), 77, "cancelled"),
        (row(ENG1, "page", t.id), None, "cancelled"),
    ):
        assert (await checks.message_sent(uow, *news)).notices == []
    fresh = await uow.tickets.add(ticket())
    out = await checks.message_sent(uow, row(ENG1, "group_page", fresh.id), 78, "cancelled")
    assert out.notices == []


async def test_a_refused_message_marks_the_staff_member_unreachable_once(
    checks: Checks,
) -> None:
    uow = FakeUnitOfWork()
    out = await checks.message_refused(uow, row(ENG3, "card"), "Forbidden: bot was blocked")
    told = {(to, key, params["project"]) for to, key, params in said(out)}
    # eng3 works on both projects; the managers of each (only the village has any) hear of it.
    project = "County Police Village Query Service"
    assert told == {(CM, "staff.unreachable", project), (PM, "staff.unreachable", project)}
    assert uow.users.rows[ENG3].unreachable_reason == "Forbidden: bot was blocked"
    again = await checks.message_refused(uow, row(ENG3, "card"), "Forbidden: bot was blocked")
    assert again.notices == []  # old news
