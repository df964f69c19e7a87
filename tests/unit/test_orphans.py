"""Access to a ticket whose owner or project the config no longer has: the one place that
decides (services/access.py), and who keeps such tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings, StaffConfig, load_settings
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.access import Access
from bot.services.roster import Roster
from tests.support.configs import Person, hotline_config, people
from tests.unit.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
ADMIN = Person("admin", "Hotline Admin", 1020, "admin")


def settings_with(tmp_path: Path, staff: list[Person]) -> Settings:
    (tmp_path / "hotline.toml").write_text(hotline_config(staff=staff), encoding="utf-8")
    return load_settings(tmp_path / "hotline.toml")


def access_for(settings: Settings) -> Access:
    return Access(settings, Roster(settings, FakeClock(T0)))


def ticket(project_key: str, owner_key: str | None = None) -> Ticket:
    return Ticket(
        id=1,
        project_key=project_key,
        customer_id=5001,
        level=Level.B,
        status=Status.ACCEPTED if owner_key else Status.NEW,
        reported_at=T0,
        deadlines=Deadlines(T0 + timedelta(minutes=15), T0 + timedelta(hours=2), None),
        owner_key=owner_key,
    )


@pytest.fixture
def standard(tmp_path: Path) -> Settings:
    return settings_with(tmp_path, [*people("eng1", "eng2", "eng3", "cm", "pm"), ADMIN])


def keys(staff: list[StaffConfig]) -> list[str]:
    return [s.key for s in staff]


async def test_a_gone_owner_s_ticket_is_worked_by_the_on_duty_engineers(
    standard: Settings,
) -> None:
    access = access_for(standard)
    t = ticket("village", owner_key="left-the-company")
    assert access.owner(t) is None
    assert keys(await access.workers_of(FakeUnitOfWork(), t)) == ["eng1", "eng2"]


async def test_a_retired_project_s_ticket_is_kept_by_the_admins(standard: Settings) -> None:
    access = access_for(standard)
    t = ticket("retired")
    assert keys(access.keepers(None)) == ["admin"]
    assert keys(await access.workers_of(FakeUnitOfWork(), t)) == ["admin"]
    eng1, pm, admin = (standard.staff_by_key(k) for k in ("eng1", "pm", "admin"))
    assert not access.can_work(eng1, "retired") and not access.can_work(pm, "retired")
    assert access.can_work(admin, "retired") and access.can_take(admin, t)
    assert not access.can_take(eng1, t)
    # A project still configured: its managers and the admins keep it.
    village = standard.project("village")
    assert keys(access.keepers(village)) == ["cm", "pm", "admin"]


def test_without_an_admin_every_manager_keeps_a_retired_project_s_ticket(
    tmp_path: Path,
) -> None:
    access = access_for(settings_with(tmp_path, people("eng1", "eng2", "eng3", "cm", "pm")))
    assert keys(access.keepers(None)) == ["cm", "pm"]
    cm = access.settings.staff_by_key("cm")
    assert access.can_work(cm, "retired") and access.can_take(cm, ticket("retired"))
