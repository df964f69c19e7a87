"""Texts that are true: the missing-calendar notice is one plain line saying what to do."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.services.checks import MissingCalendar
from bot.services.notices import Notice
from bot.telegram.render import Renderer
from tests.support.configs import hotline_config


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "hotline.toml").write_text(hotline_config(), encoding="utf-8")
    return load_settings(tmp_path / "hotline.toml")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            "Village &lt;Q&gt;：还没有 2026、2027 年的官方节假日，工作日暂按周一至周五计算；"
            "请运行 <code>pip install -U chinesecalendar</code> 后重启机器人。",
        ),
        (
            "en",
            "Village &lt;Q&gt;: no official holidays for 2026 and 2027 yet, so working days "
            "count as Monday to Friday; run <code>pip install -U chinesecalendar</code> and "
            "restart the bot.",
        ),
    ],
)
def test_a_missing_calendar_is_one_plain_line_saying_what_to_do(
    settings: Settings, lang: str, expected: str
) -> None:
    renderer = Renderer(settings, FakeClock(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)))
    missing = MissingCalendar("2026, 2027", "Village <Q>", "cn")
    notice = Notice(42, "calendar.missing", params=missing)
    [(method, payload)] = renderer.render(notice, lang)
    assert method == "sendMessage"
    assert payload["text"] == expected
    assert "\n" not in payload["text"]
