"""Service requests' clocks from the config: the policy's `requests` table per kind, the
defaults when it is absent, the checks, and the deadlines a request is promised."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.domain.calendar import AlwaysOpen, BusinessCalendar
from bot.domain.clocks import Target, WarnPoint
from bot.domain.requests import (
    DEFAULT_TARGETS,
    REQUEST_KINDS,
    TICKET_KINDS,
    is_request,
    request_kind,
    request_policy,
)
from bot.domain.ticket import Level
from bot.services.sla import promised_request
from tests.unit.test_sla_config import EXAMPLE, config, load, problems, sh

H = 3600.0
SANDBOX = EXAMPLE.parent / "sandbox.toml"


@pytest.fixture(scope="module")
def example() -> Settings:
    return load_settings(EXAMPLE)


def test_the_kinds() -> None:
    assert REQUEST_KINDS == ("consultation", "upgrade", "training", "event")
    assert TICKET_KINDS == ("fault", *REQUEST_KINDS)
    assert [is_request(k) for k in TICKET_KINDS] == [False, True, True, True, True]
    assert request_kind("training") == "training"
    assert request_kind("fault") is None and request_kind("Training") is None


def test_a_request_policy_has_respond_and_resolve_at_every_level() -> None:
    warn = (WarnPoint(fraction=0.5),)
    p = request_policy(
        "abc", "consultation", Target(1800, "s"), Target(2, "wd"), warn, AlwaysOpen(),
        timedelta(minutes=20),
    )  # fmt: skip
    assert p.key == "abc/consultation" and p.escalate_every == timedelta(minutes=20)
    assert [(c.name, c.start, c.stop, c.warn) for c in p.clocks] == [
        ("respond", "reported", ("accepted",), warn),
        ("resolve", "reported", ("resolved",), warn),
    ]
    respond, resolve = p.clocks
    assert respond.targets == dict.fromkeys(Level, Target(1800, "s"))
    assert resolve.targets == dict.fromkeys(Level, Target(2, "wd"))
    assert respond.on_breach == "escalate" and respond.tell_customer


def test_defaults_when_the_policy_has_no_requests_table(tmp_path: Path) -> None:
    s = load(tmp_path, config())
    assert s.policies["abc"].requests == {}
    got = {}
    for kind in REQUEST_KINDS:
        p = s.sla_policy("village", kind)
        respond, resolve = (p.clock(n) for n in ("respond", "resolve"))
        assert respond is not None and resolve is not None
        got[kind] = (respond.targets[Level.C], resolve.targets[Level.A])
    assert got == DEFAULT_TARGETS
    assert got == {
        "consultation": (Target(30 * 60, "s"), Target(24 * H, "s")),
        "upgrade": (Target(H, "s"), Target(72 * H, "s")),
        "training": (Target(H, "s"), Target(7 * 24 * H, "s")),
        "event": (Target(H, "s"), Target(7 * 24 * H, "s")),
    }
    # The policy's warning points and escalation pace are the request clocks' too.
    p = s.sla_policy("village", "event")
    assert p.clocks[0].warn == (WarnPoint(fraction=0.5), WarnPoint(fraction=0.8))
    assert p.escalate_every == timedelta(minutes=30)


def test_a_fault_keeps_its_own_policy_and_policies_are_built_once(tmp_path: Path) -> None:
    s = load(tmp_path, config())
    fault = s.sla_policy("village")
    assert s.sla_policy("village", "fault") is fault
    assert [c.name for c in fault.clocks] == ["respond", "arrive", "repair"]
    consult = s.sla_policy("village", "consultation")
    assert s.sla_policy("village", "consultation") is consult
    assert consult is not s.sla_policy("village", "training")
    # An unknown kind (say, from an older database) is treated as a fault.
    assert s.sla_policy("village", "nonsense") is fault


def test_the_requests_table_overrides_per_kind(tmp_path: Path) -> None:
    extra = (
        "[policies.abc.requests]\n"
        'consultation = { respond = "20m", resolve = "4h" }\n'
        'training = { respond = "2h", resolve = "3d" }\n'
    )
    s = load(tmp_path, config(extra=extra))
    c = s.sla_policy("village", "consultation")
    assert [c.clocks[0].targets[Level.C], c.clocks[1].targets[Level.C]] == [
        Target(1200, "s"), Target(4 * H, "s")]
    t = s.sla_policy("village", "training")
    assert t.clocks[1].targets[Level.B] == Target(72 * H, "s")
    # Not listed: the default.
    assert s.sla_policy("village", "upgrade").clocks[1].targets[Level.C] == Target(72 * H, "s")


def test_bad_requests_tables_are_refused_with_their_key(tmp_path: Path) -> None:
    business = "[policies.abc.requests]\nconsultation = { respond = \"30m\", resolve = \"1wd\" }\n"
    assert problems(tmp_path, config(extra=business)) == [
        "policies.abc: requests.consultation: business-hour targets (bh, wd) need a "
        'working-hours calendar, e.g. calendar = "5x8"'
    ]
    unknown = "[policies.abc.requests]\nrepair = { respond = \"30m\", resolve = \"1d\" }\n"
    [problem] = problems(tmp_path, config(extra=unknown))
    assert problem.startswith("policies.abc.requests.repair"), problem
    missing = "[policies.abc.requests]\ntraining = { respond = \"30m\" }\n"
    [problem] = problems(tmp_path, config(extra=missing))
    assert problem.startswith("policies.abc.requests.training.resolve"), problem
    bad = "[policies.abc.requests]\ntraining = { respond = \"soon\", resolve = \"1d\" }\n"
    [problem] = problems(tmp_path, config(extra=bad))
    assert "policies.abc.requests.training.respond" in problem and "15m" in problem, problem


def test_the_example_and_sandbox_give_the_5x8_contract_request_clocks(
    example: Settings,
) -> None:
    p = example.sla_policy("rollout", "consultation")
    assert isinstance(p.calendar, BusinessCalendar)
    assert [c.targets[Level.C] for c in p.clocks] == [Target(1800, "s"), Target(1, "wd")]
    assert example.sla_policy("rollout", "event").clocks[1].targets[Level.C] == Target(
        7 * 24 * H, "s")
    # The 7x24 contract has no table: the defaults.
    village = example.sla_policy("village", "consultation")
    assert village.clocks[1].targets[Level.C] == Target(24 * H, "s")
    assert "[policies.asiainfo-5x8.requests]" in SANDBOX.read_text(encoding="utf-8")


def test_promised_deadlines_of_a_request(example: Settings) -> None:
    # Friday 17:00 local: respond in 30 wall minutes; resolve one working day later (the 5x8
    # calendar's 8 working hours: Friday 17:00-18:00, then Monday 09:00-12:00, 13:00-17:00).
    at = sh(2026, 11, 27, 17, 0).astimezone(UTC)
    d = promised_request(example.sla_policy("rollout", "consultation"), at)
    assert d.respond_due == sh(2026, 11, 27, 17, 30).astimezone(UTC)
    assert d.arrive_due == sh(2026, 11, 30, 17, 0).astimezone(UTC)  # the resolve deadline
    assert d.repair_due is None
    wall = promised_request(example.sla_policy("village", "training"), at)
    assert wall.arrive_due - at == timedelta(days=7)


def test_customer_manager_shown_to_customers(example: Settings) -> None:
    cm = example.customer_manager(example.project("village"))
    assert cm is not None and cm.has_role("customer_manager")
    assert cm.phone and cm.name
    assert example.project("village").hotline == "400-000-0001"


def test_no_customer_manager_when_the_project_has_none(tmp_path: Path) -> None:
    s = load(tmp_path, config())
    assert s.customer_manager(s.project("village")) is None

