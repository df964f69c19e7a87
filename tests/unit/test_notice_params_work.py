"""The typed parameters of the work, pause, SLA and roster notices: a notice rendered from its
catalog text alone gets every placeholder from its parameters' fields (or its ticket's facts),
a render function refuses a notice sent without its family, and the Literal types agree with
the catalog and the domain."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.domain.clocks import EVENTS
from bot.domain.pauses import PAUSE_KINDS
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.notices import NO_PARAMS, Limit, Notice, Params, TicketNumber
from bot.services.pauses import PauseReason
from bot.services.shifts import NoTeam, UnknownStaff
from bot.services.tracking import GroupEvent
from bot.services.work import Progress, PromisedStep, StillWrong
from bot.telegram.catalog import LANGUAGES, MESSAGES, esc
from bot.telegram.render import RENDERERS, Renderer
from bot.telegram.render import pauses as render_pauses
from bot.telegram.render import roster as render_roster
from bot.telegram.render import sla as render_sla
from bot.telegram.render import work as render_work
from tests.support.configs import hotline_config

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
TICKET = Ticket(
    id=7,
    project_key="village",
    customer_id=5001,
    level=Level.B,
    status=Status.ACCEPTED,
    reported_at=T0,
    deadlines=Deadlines(T0 + timedelta(minutes=15), T0 + timedelta(hours=2), T0 + timedelta(1)),
    owner_key="eng1",
    reopen_count=1,
)

# Notices of these areas without a render function, with parameters as their services send
# them; True: sent with the ticket, whose facts (id, level, count, owner, status) fill in too.
FROM_CATALOG: list[tuple[str, Params, bool]] = [
    ("work.ask_resolution", TicketNumber(7), False),
    ("refuse.not_found", TicketNumber(7), False),
    ("refuse.already_paused", TicketNumber(7), False),
    ("hint.too_long", Limit(1000), False),
    ("pause.proposed", PauseReason("Road <closed>"), True),
    ("work.ask_note", NO_PARAMS, True),
    ("work.note_saved", NO_PARAMS, True),
    ("owner.reopened", NO_PARAMS, True),
    ("work.ask_still_wrong", NO_PARAMS, True),
    ("reopen.thanks", NO_PARAMS, True),
    ("reopen.still_wrong", StillWrong("Screen <3> still dark"), True),
    ("customer.spare_provided", NO_PARAMS, True),
    ("customer.loaner_provided", NO_PARAMS, True),
    ("roster.unknown_staff", UnknownStaff("nobody<"), False),
    ("roster.no_team", NoTeam("Eng <One>"), False),
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "hotline.toml").write_text(hotline_config(), encoding="utf-8")
    return load_settings(tmp_path / "hotline.toml")


@pytest.mark.parametrize(("key", "params", "with_ticket"), FROM_CATALOG)
def test_a_catalog_notice_gets_every_placeholder_from_its_parameters(
    settings: Settings, key: str, params: Params, with_ticket: bool
) -> None:
    assert key not in RENDERERS
    renderer = Renderer(settings, FakeClock(T0))
    plain = params.plain()
    facts = {"id", "level", "count", "owner", "status"} if with_ticket else set()
    notice = Notice(42, key, ticket=TICKET if with_ticket else None, params=params)
    for lang in LANGUAGES:
        placeholders = set(re.findall(r"\{(\w+)", MESSAGES[key][lang]))
        assert placeholders <= set(plain) | facts, (key, lang)
        filled = renderer.catalog_text(notice, lang)
        assert all(esc(plain[name]) in filled for name in placeholders & set(plain))


# The render functions of these areas that say the ticket's facts alone.
TICKET_ONLY = {
    "ticket.receipt",
    "ticket.page",
    "ticket.page_chain",
    "ticket.page_taken",
    "customer.resolved",
    "work.ask_cause",
}
READS_PARAMS = sorted(
    key
    for module in (render_work, render_pauses, render_sla, render_roster)
    for key in module.RENDERERS
    if key not in TICKET_ONLY
)


@pytest.mark.parametrize("key", READS_PARAMS)
def test_a_render_function_refuses_a_notice_without_its_parameters(
    settings: Settings, key: str
) -> None:
    renderer = Renderer(settings, FakeClock(T0))
    with pytest.raises(TypeError, match="its renderer expects"):
        renderer.render(Notice(42, key, ticket=TICKET), "en")


@pytest.mark.parametrize("key", sorted(TICKET_ONLY))
def test_a_ticket_only_notice_renders_without_parameters(settings: Settings, key: str) -> None:
    calls = Renderer(settings, FakeClock(T0)).render(Notice(42, key, ticket=TICKET), "en")
    assert calls and "#7" in str(calls[0][1])


def test_the_states_that_cross_the_services_have_their_texts() -> None:
    for event in get_args(GroupEvent):
        assert f"group.ev.{event}" in MESSAGES
    for action in get_args(Progress):
        assert {f"customer.{action}", f"toast.{action}", f"ev.{action}"} <= MESSAGES.keys()
    for step in get_args(PromisedStep):
        assert step in EVENTS  # an SLA clock may stop on it
        assert {f"customer.{step}", f"ev.{step}"} <= MESSAGES.keys()
    for kind in PAUSE_KINDS:
        assert {f"pause.kind.{kind}", f"customer.paused_{kind}"} <= MESSAGES.keys()
