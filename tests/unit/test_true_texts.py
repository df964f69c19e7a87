"""Texts that are true: the missing-calendar notice is one plain line saying what to do; the
timeline reads naturally in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.domain.timeline import TimelineEntry
from bot.services.checks import MissingCalendar
from bot.services.notices import Notice
from bot.telegram.render import Renderer
from bot.telegram.render.parts import Parts
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


def test_timeline_lines_read_naturally(settings: Settings) -> None:
    at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    parts = Parts(settings, FakeClock(at))
    events = [
        TimelineEntry(1, at, "customer:5001", "reopened", {}),
        TimelineEntry(1, at, "system", "sla_missed", {"clock": "respond"}),
        TimelineEntry(1, at, "staff:eng1", "resumed", {"pause": "waiting", "seconds": 5400}),
        TimelineEntry(1, at, "customer:5001", "confirmed", {}),
    ]
    cut = len(parts.when(at)) + 1  # "time who: what"
    zh = [line[cut:] for line in parts.timeline("zh", events, True)]
    assert zh == [
        "客户: 反馈未修复，第 1 次重新打开",
        "系统: 超时：响应",
        "Engineer One: 恢复计时（暂停了 1小时30分钟）",
        "客户: 确认已修复，工单关闭",
    ]
    en = [line[cut:] for line in parts.timeline("en", events, True)]
    assert en == [
        "customer: not fixed; reopened (1st time)",
        "system: deadline missed: response",
        "Engineer One: clocks resumed (paused for 1h 30m)",
        "customer: confirmed fixed; closed",
    ]
