"""The typed parameters of the joining, report, view and check notices: a notice rendered from
its catalog text alone gets every placeholder from its parameters' fields, and the Literal
types agree with the domain's tuples."""

from __future__ import annotations

import re

import pytest

from bot.domain.complaints import ComplaintDraft
from bot.domain.contract import TaskDraft
from bot.domain.drafts import EDITABLE_STEPS, ProfileDraft, ReportDraft, WorkDraft
from bot.services.drafts import DRAFT_KINDS, ExpiredDraft
from bot.services.intake import DETAIL_FIELDS, detail_field
from bot.services.notices import Limit, Params, TicketNumber
from bot.services.onboarding import StaffGreeting
from bot.telegram.catalog import LANGUAGES, MESSAGES, esc, text
from bot.telegram.handlers import CommandUsage, TelegramId
from bot.telegram.render import RENDERERS

# Notices without a render function, with parameters as their services send them.
FROM_CATALOG: list[tuple[str, Params]] = [
    ("start.staff", StaffGreeting("Eng One")),
    ("cancel.report_open", TicketNumber(7)),
    ("draft.expired_open", ExpiredDraft("report", 7)),
    ("draft.expired_work", ExpiredDraft("work", 7)),
    ("report.details_done", TicketNumber(7)),
    ("ticket.not_found", TicketNumber(7)),
    ("refuse.not_owner", TicketNumber(7)),
    ("hint.too_long", Limit(200)),
    ("hint.too_many_photos", Limit(10)),
    ("usage.ticket", CommandUsage("status")),
    ("whoami", TelegramId(42)),
]


@pytest.mark.parametrize(("key", "params"), FROM_CATALOG)
def test_a_catalog_notice_gets_every_placeholder_from_its_parameters(
    key: str, params: Params
) -> None:
    assert key not in RENDERERS
    plain = params.plain()
    for lang in LANGUAGES:
        placeholders = set(re.findall(r"\{(\w+)", MESSAGES[key][lang]))
        assert placeholders <= set(plain), (key, lang)
        filled = text(lang, key, **plain)
        assert all(esc(plain[name]) in filled for name in placeholders), (key, lang)


def test_the_fields_an_early_ticket_receives_are_the_editable_steps() -> None:
    assert DETAIL_FIELDS == EDITABLE_STEPS
    assert [detail_field(s) for s in ("severity", "site", "confirm")] == [None, "site", None]


def test_every_draft_has_a_kind_the_expiry_notice_can_carry() -> None:
    drafts = (ReportDraft, ProfileDraft, WorkDraft, ComplaintDraft, TaskDraft)
    assert {d.kind for d in drafts} == set(DRAFT_KINDS)
