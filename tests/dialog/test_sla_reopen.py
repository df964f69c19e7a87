"""A reopened fault is back on the clock, and the deadlines' loose ends: a clock gained by a
re-grade, /sla at the due instant, a warning point the config no longer has, and the paging
timeout of a business-hour respond target.

Time passes as in test_sla.py: `run` wakes at each timer's due time, like the running bot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import load_settings
from bot.domain.ticket import Deadlines, Level, Status, Ticket
from bot.services.roster import Roster
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_sla import (
    CM,
    CUSTOMER,
    ENG1,
    ENG2,
    MONDAY_2PM,
    PM,
    SLA_CONFIG,
    Said,
    local,
    nobody_but,
    pending,
    run,
    said_since,
    send,
    team,
    timed,
    to,
)
from tests.dialog.test_sla import (
    project as sla_project,
)
from tests.support.configs import hotline_config, people, policy_toml, project_toml


@pytest.fixture
async def s(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, SLA_CONFIG, FakeClock(MONDAY_2PM))
    await harness.start()
    yield harness
    await harness.stop()
    assert all("Forbidden" in why for _, why in harness.request.refused), harness.request.refused


# ---------------------------------------------------------------------------- reopen
async def test_not_fixed_asks_what_is_wrong_and_the_repair_clock_runs_again(s: Harness) -> None:
    staff = await team(s)
    eng1 = staff[ENG1]
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust, level="A")  # 14:00; A: respond 15m, arrive 60m, repair 4h
    await s.tick(minutes=5)
    await eng1.send("/take 1")
    await s.tick(minutes=15)
    await eng1.send("/arrive 1")  # 14:20: repair due 18:20
    await s.tick(minutes=10)
    await eng1.send("/resolve 1 Restarted the encoder")
    await eng1.press("软件")  # 14:30: every clock met
    await s.tick(minutes=10)
    said = await run(s, minutes=0)
    assert said == []
    said_now = await press_not_fixed(s, cust)
    # The customer is asked what is still wrong; the owner is told and gets the card.
    assert to(said_now, CUSTOMER) == [
        "已重新打开工单 #1，并通知了工程师，修复时限重新计算。请描述仍存在的问题："
    ]
    assert to(said_now, ENG1)[0] == "⚠️ 客户反馈工单 #1 未修复，工单已重新打开（第 1 次）。"
    said = await send(s, cust, "Screen 3 still shows no picture")
    assert to(said, CUSTOMER) == ["已转告工程师，工单 #1 会继续处理。"]
    assert to(said, ENG1) == ["⚠️ 工单 #1 客户反馈仍存在的问题：\nScreen 3 still shows no picture"]
    assert nobody_but(said, CUSTOMER, ENG1) == []
    await eng1.send("/status 1")
    assert "仍存在的问题：Screen 3 still shows no picture" in eng1.last().text
    # The repair clock counts again from the reopening (14:40): 4 h, due 18:40; /sla counts
    # the reopening.
    await eng1.send("/sla 1")
    view = eng1.last().text
    assert "🔁 客户反馈未修复，已重开 1 次" in view
    assert "• 修复：时限 4小时，已用 0分钟，剩余 4小时（截止 18:40）" in view
    # And it reminds and alarms again, as the first time.
    said = await run(s, until=local(23, 18, 40))
    assert timed(said, ENG1) == [
        ("16:40", "⏰ 工单 #1（A 特大故障，Village 3 office）的修复时限还剩 2小时，截止 18:40。"),
        ("17:52", "⏰ 工单 #1（A 特大故障，Village 3 office）的修复时限还剩 48分钟，截止 18:40。"),
        (
            "18:40",
            "🔴 工单 #1（A 特大故障，Village 3 office）已超过修复时限（截止 18:40）。\n"
            "请尽快修复；无法修复时按合同提供备机。",
        ),
    ]
    # Resolving again stops it: nothing more.
    await eng1.send("/resolve 1 Replaced the encoder")
    await eng1.press("硬件")
    said = await run(s, hours=3)
    assert [x for x in said if x.text.startswith(("⏰", "🔴"))] == []


async def press_not_fixed(s: Harness, cust: Chat) -> list[Said]:
    """The customer presses "Not fixed" on the resolved message; every message it caused."""
    mark = max(s.request.messages, default=0)
    await cust.press("未修复")
    return said_since(s, mark)


# ---------------------------------------------------------------------------- re-grading
async def test_regrade_to_a_level_with_spare_resource_clocks_starts_them_at_the_report(
    s: Harness,
) -> None:
    staff = await team(s)
    cust = await s.customer()  # the village: Unicom's contract
    await s.report(cust, level="C")  # 14:00; a minor fault has no spare-resource clock
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    await s.tick(minutes=115)
    await staff[ENG1].send("/sla 1")
    assert "备用资源恢复" not in staff[ENG1].last().text
    await staff[PM].send("/regrade 1 A")  # 16:00: a major fault, from the report on
    await staff[ENG1].send("/sla 1")
    view = staff[ENG1].last().text
    assert "• 备用资源恢复：时限 7小时，已用 2小时，剩余 5小时（截止 21:00）" in view
    assert "• 其他设备替换：时限 11小时，已用 2小时，剩余 9小时（截止 11-24 01:00）" in view
    said = await run(s, until=local(23, 21, 0))
    assert [(x.hm, x.chat) for x in said if "备用资源恢复时限" in x.text] == [
        ("20:00", ENG1),
        ("21:00", ENG1),
        ("21:00", CM),
    ]


# ---------------------------------------------------------------------------- /sla
async def test_sla_at_the_due_instant_is_overdue_and_a_stop_there_missed(s: Harness) -> None:
    staff = await team(s)
    eng1 = staff[ENG1]
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)  # B: respond 15m, due 14:15
    await run(s, until=local(23, 14, 15))
    await eng1.send("/sla 1")
    assert "• 响应：时限 15分钟，已用 15分钟，❌ 已到期\n" in eng1.last().text
    await eng1.send("/take 1")  # still 14:15
    await eng1.send("/sla 1")
    assert "• 响应：时限 15分钟，已用 15分钟，❌ 超时\n" in eng1.last().text
    await s.tick(minutes=1)
    await eng1.send("/sla 1")
    assert "• 响应：时限 15分钟，已用 15分钟，❌ 超时\n" in eng1.last().text


# ---------------------------------------------------------------------------- config changes
async def test_a_warning_point_gone_from_the_config_does_not_fire(s: Harness) -> None:
    await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)  # B: respond 15m; warnings at 50% (14:07:30) and 80% (14:12)
    assert await pending(s, "sla:1:respond:warn:") == [
        "sla:1:respond:warn:50pct",
        "sla:1:respond:warn:80pct",
    ]
    # The operator now warns at 80% only, and restarts the bot.
    changed = SLA_CONFIG.replace(policy_toml(), policy_toml(warn=["80%"]), 1)
    assert changed != SLA_CONFIG
    (s.tmp / "hotline.toml").write_text(changed, encoding="utf-8")
    s.settings = load_settings(s.tmp / "hotline.toml")
    await s.restart()
    said = await run(s, until=local(23, 14, 13))
    assert [(x.hm, x.chat) for x in said if x.text.startswith("⏰")] == [
        ("14:12", ENG1),
        ("14:12", ENG2),
    ]


# ---------------------------------------------------------------------------- paging
def test_paging_waits_half_a_business_hour_respond_target_in_real_hours(tmp_path: Path) -> None:
    config = hotline_config(
        projects=[project_toml(on_duty=["eng1"])],
        policies=policy_toml(respond=("4bh", "4bh", "8bh"), calendar="5x8"),
    )
    (tmp_path / "hotline.toml").write_text(config, encoding="utf-8")
    settings = load_settings(tmp_path / "hotline.toml")
    roster = Roster(settings, FakeClock(MONDAY_2PM))
    at = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    ticket = Ticket(
        id=1,
        project_key="village",
        customer_id=CUSTOMER,
        level=Level.A,
        status=Status.NEW,
        reported_at=at,
        deadlines=Deadlines(at, at, None),
    )
    project = settings.project("village")
    # "4bh" is four hours: the next tier is paged after two, not after two seconds.
    assert roster.ack_timeout(project, ticket) == timedelta(hours=2)
    minor = replace(ticket, level=Level.C)  # "8bh": after four hours
    assert roster.ack_timeout(project, minor) == timedelta(hours=4)


async def test_reopened_after_the_owner_left_the_config_is_paged_and_must_be_answered(
    tmp_path: Path,
) -> None:
    def config(*staff: str, on_duty: list[str]) -> str:
        return hotline_config(
            staff=people(*staff),
            projects=[sla_project("plain", "Plain Project", "PLAIN2026", "abc", on_duty)],
            policies=policy_toml(),
        )

    s = Harness(
        tmp_path,
        config("eng1", "eng2", "cm", "pm", "lead", on_duty=["eng1", "eng2"]),
        FakeClock(MONDAY_2PM),
    )
    await s.start()
    try:
        eng1 = await s.staff(ENG1)
        eng2 = await s.staff(ENG2)
        cust = await s.customer(invite="PLAIN2026")
        await s.report(cust)  # B: respond 15m
        await eng1.send("/take 1")
        await eng1.send("/resolve 1 Restarted")
        await eng1.press("软件")
        # Engineer One leaves; the config is changed and the bot restarted.
        changed = config("eng2", "cm", "pm", "lead", on_duty=["eng2"])
        (tmp_path / "hotline.toml").write_text(changed, encoding="utf-8")
        s.settings = load_settings(tmp_path / "hotline.toml")
        await s.restart()
        await s.tick(minutes=30)
        said = await press_not_fixed(s, cust)
        # Nobody owns it now: the engineer on duty is paged, and it must be accepted within
        # the respond target again (14:30 now, due 14:45).
        page = [x.text for x in said if x.chat == ENG2]
        assert len(page) == 1 and page[0].startswith("🚨 新故障 #1")
        ticket = await s.ticket(1)
        assert ticket is not None and ticket.status == Status.NEW and ticket.owner_key is None
        await eng2.send("/sla 1")
        assert "• 响应：时限 15分钟，已用 0分钟，剩余 15分钟（截止 14:45）" in eng2.last().text
        await eng2.send("/take 1")
        ticket = await s.ticket(1)
        assert ticket is not None and ticket.owner_key == "eng2"
    finally:
        await s.stop()
