"""The renderers' structure: one table of render functions, areas that do not overlap or
import each other, and Telegram's limits kept by the widgets."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.services.notices import Notice
from bot.telegram import render
from bot.telegram.callbacks import TicketAction
from bot.telegram.catalog import MESSAGES
from bot.telegram.render import AREAS, RENDERERS
from bot.telegram.render.parts import span
from bot.telegram.render.widgets import (
    MAX_TEXT,
    button,
    clip,
    fit,
    keyboard,
    message,
    plain_length,
)

PACKAGE = Path(render.__file__).parent

# Notice keys whose text is not the catalog entry of the same key, and the entries they use.
NOT_IN_CATALOG = {
    "report.ask_severity": ["report.intro", "severity.q.whole"],  # severity.q.<question>
    "customer.paused": ["customer.paused_force_majeure", "customer.paused_waiting"],
    "roster.ics": ["roster.ics_caption"],
    "complaint.ledger": ["ledger.caption", "ledger.title", "ledger.col.no"],
    "records.report": ["records.caption"],
    "customer.pause_ask": ["customer.pause_ask_force_majeure", "customer.pause_ask_waiting"],
    "help": ["help.customer", "help.staff", "help.manager"],  # headings; lines are cmd.*
    "daily.view": ["daily.title", "daily.part", "daily.line"],
    "daily.document": ["daily.caption"],
    "export.file": ["export.caption", "export.sheet.tickets", "export.col.number"],
    "monthly.report": ["monthly.headline", "monthly.headline_auto", "monthly.chart_caption"],
    "tasks.list": ["tasks.title", "tasks.line", "tasks.mine"],
    "tasks.ask": ["tasks.head", "tasks.ask.hardware", "tasks.ask.note"],
    "tasks.document": ["tasks.caption"],
}


def test_every_render_function_renders_a_catalog_key() -> None:
    for key in RENDERERS:
        assert key in MESSAGES or key in NOT_IN_CATALOG, key
    for key, used in NOT_IN_CATALOG.items():
        assert key in RENDERERS and key not in MESSAGES, key
        assert all(k in MESSAGES for k in used), used


def test_no_two_areas_render_the_same_key() -> None:
    seen: dict[str, str] = {}
    for area, renderers in AREAS.items():
        for key in renderers:
            assert key not in seen, f"{key} in {seen.get(key)} and {area}"
            seen[key] = area
    assert seen.keys() == RENDERERS.keys()


def _render_imports(module: str) -> set[str]:
    """The modules of this package that `module` imports."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("bot.telegram.render")
    }


@pytest.mark.parametrize("area", sorted(AREAS))
def test_an_area_builds_on_widgets_and_parts_only(area: str) -> None:
    assert _render_imports(area) <= {"bot.telegram.render.parts", "bot.telegram.render.widgets"}


def test_parts_build_on_widgets_and_widgets_on_nothing_here() -> None:
    assert _render_imports("parts") == {"bot.telegram.render.widgets"}
    assert _render_imports("widgets") == set()


def test_clip_counts_like_telegram() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert clip("🙂🙂🙂", 4) == "🙂…"  # an emoji is two UTF-16 units and is never split
    assert plain_length("<b>a&lt;b</b>") == 3
    assert plain_length("🙂") == 2


def test_a_button_takes_a_callback_or_its_string() -> None:
    assert button("OK", TicketAction("acc", 7)) == {"text": "OK", "callback_data": "tk:acc:7"}
    assert button("OK", "tk:acc:7") == button("OK", TicketAction("acc", 7))
    with pytest.raises(ValueError):
        button("OK", "x" * 65)
    assert keyboard([button("A", "a")], []) == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }


def test_an_edit_without_buttons_removes_the_old_ones() -> None:
    method, payload = message(Notice(5, "x", edit_message_id=9), "body")
    assert method == "editMessageText"
    assert payload == {
        "chat_id": 5,
        "text": "body",
        "parse_mode": "HTML",
        "message_id": 9,
        "reply_markup": {"inline_keyboard": []},
    }


def test_a_long_text_loses_lines_from_the_middle() -> None:
    lines = ["<b>head</b>", *(f"line {i} " + "x" * 90 for i in range(100)), "<i>tail</i>"]
    [(_, payload)] = fit([message(Notice(5, "x"), "\n".join(lines))])
    assert plain_length(payload["text"]) <= MAX_TEXT
    assert payload["text"].startswith("<b>head</b>\nline 0 ")
    assert payload["text"].endswith("\n<i>tail</i>")


def test_span_reads_in_both_languages() -> None:
    assert span(3900) == "1h 5m"
    assert span(3900, "zh") == "1小时5分钟"
    assert span(0) == "0m"
    assert span(3 * 86400 + 7200, "en") == "3d 2h"
