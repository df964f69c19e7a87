"""Deadlines that keep the contract: reminders, missed deadlines, escalation, pauses, re-grading,
the promised steps of both example contracts, and timers that fire exactly once across restarts.

Time passes as the running bot lives it: `run` wakes at each timer's due time (as the JobQueue
does) and records when each message was sent, in local time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness, Sent
from tests.support.configs import STAFF, VILLAGE, hotline_config, policy_toml, project_toml

TZ = ZoneInfo("Asia/Shanghai")
ENG1, ENG2, ENG3, ENG4, CM, PM, LEAD = (p.telegram_id for p in STAFF)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "config" / "hotline.example.toml").read_text(encoding="utf-8")
# The example's two contracts with their real clocks (and its 5x8 calendar), as shipped.
EXAMPLE_POLICIES = EXAMPLE[EXAMPLE.index("[policies.unicom-abc]") : EXAMPLE.index("[[causes]]")]

CUSTOMER = 5001


def project(key: str, name: str, invite: str, policy: str, on_duty: list[str]) -> str:
    # ack_timeout: paging the chain (the roster's business) stays out of these tests.
    return project_toml(
        key,
        name=name,
        invite=invite,
        policy=policy,
        on_duty=on_duty,
        escalation=["cm", "pm", "lead"],
        extra='ack_timeout = "72h"\n',
    )


SLA_CONFIG = hotline_config(
    staff=STAFF,
    projects=[
        # Only the three classic clocks, 7x24.
        project("plain", "Plain Project", "PLAIN2026", "abc", ["eng1", "eng2"]),
        project("village", VILLAGE, "VILLAGE2026", "unicom-abc", ["eng1", "eng2"]),
        project(
            "rollout",
            "Security Equipment Rollout",
            "ROLLOUT2026",
            "asiainfo-5x8",
            ["eng3", "eng4"],
        ),
    ],
    policies=policy_toml() + "\n" + EXAMPLE_POLICIES,
)

EVERYONE = (ENG1, ENG2, ENG3, ENG4, CM, PM, LEAD, CUSTOMER)
MONDAY_2PM = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 14:00 in Shanghai
FRIDAY_4_30PM = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # Friday 16:30 in Shanghai
LATE_ZH = "（迟发：机器人停机期间到期，原定 {due}）"
# What a manager is told of a missed deadline of ticket #1: who owns it, or who is on duty.
OWNED_BY_ENG1 = (
    "负责人：Engineer One（电话 13800000001）。您可以致电督促，或用 /assign 1 加工程师代号 改派。"
)
NOBODY_OWNS_IT = (
    "目前无人接单（值班：Engineer One（电话 13800000001）、Engineer Two（电话 13800000002））。"
    "您可以用 /cover 安排人员值班，或用 /assign 1 加工程师代号 指派工程师。"
)


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A local (Shanghai) time in November 2026."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=TZ)


@dataclass(frozen=True)
class Said:
    """One message the bot sent while time passed: when (local), to whom, what."""

    at: datetime
    chat: int
    text: str

    @property
    def hm(self) -> str:
        return self.at.strftime("%H:%M")


def to(said: list[Said], chat: int) -> list[str]:
    return [s.text for s in said if s.chat == chat]


def timed(said: list[Said], chat: int) -> list[tuple[str, str]]:
    return [(s.hm, s.text) for s in said if s.chat == chat]


def nobody_but(said: list[Said], *chats: int) -> list[Said]:
    """Messages that went to anyone else (expected: none)."""
    return [s for s in said if s.chat not in chats]


SLA_MARKS = ("⏰", "🔴", "📌", "很抱歉", "We are sorry")


def sla(said: list[Said]) -> list[Said]:
    """Only what the contract's clocks said (not, e.g., the 08:00 daily check to managers)."""
    return [s for s in said if s.text.startswith(SLA_MARKS)]


def said_since(h: Harness, mark: int) -> list[Said]:
    """Text messages sent after message id `mark`, stamped with the (fake) local time."""
    at = h.clock.now().astimezone(TZ)
    return [
        Said(at, m.chat_id, m.text)
        for mid, m in h.request.messages.items()
        if mid > mark and m.kind == "text"
    ]


async def fire(h: Harness) -> list[Said]:
    assert h.hb is not None
    mark = max(h.request.messages, default=0)
    await h.hb.waker.fire_due()
    await h.drain()
    return said_since(h, mark)


async def run(h: Harness, *, until: datetime | None = None, **delta: float) -> list[Said]:
    """Let time pass, waking at each pending timer's due time like the running bot does."""
    assert h.hb is not None
    end = until if until is not None else h.clock.now() + timedelta(**delta)
    said: list[Said] = []
    while True:
        async with unit_of_work(h.hb.db) as uow:
            due = await uow.timers.earliest()
        if due is None or due > end:
            break
        h.clock.set(max(due, h.clock.now()))
        said += await fire(h)
    h.clock.set(end)
    return said + await fire(h)


async def pending(h: Harness, prefix: str) -> list[str]:
    """Keys of the pending timers starting with `prefix`."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT key FROM timers WHERE state = 'pending' ORDER BY key"
        ) as cur:
            return [r[0] for r in await cur.fetchall() if str(r[0]).startswith(prefix)]


async def team(h: Harness, language: str = "zh") -> dict[int, Chat]:
    """Every staff member opened the bot (so every page and escalation can reach them)."""
    return {p.telegram_id: await h.staff(p.telegram_id, language=language) for p in STAFF}


async def send(h: Harness, chat: Chat, text: str) -> list[Said]:
    """A command, and every message it caused (to anyone)."""
    mark = max(h.request.messages, default=0)
    await chat.send(text)
    return said_since(h, mark)


async def press(h: Harness, chat: Chat, label: str, message: Sent) -> list[Said]:
    """A button press, and every message it caused (to anyone)."""
    mark = max(h.request.messages, default=0)
    await chat.press(label, message=message)
    return said_since(h, mark)


MakeHarness = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[MakeHarness]:
    made: list[Harness] = []

    async def factory(start: datetime = MONDAY_2PM) -> Harness:
        harness = Harness(tmp_path, SLA_CONFIG, FakeClock(start))
        await harness.start()
        made.append(harness)
        return harness

    yield factory
    for harness in made:
        await harness.stop()
        # Only refusals Telegram gives for people who never opened the bot (start-up report).
        assert all("Forbidden" in why for _, why in harness.request.refused), (
            harness.request.refused
        )


@pytest.fixture
async def s(make: MakeHarness) -> Harness:
    return await make()


# ---------------------------------------------------------------------------- warnings
async def test_warnings_go_to_the_on_duty_engineers_then_only_to_the_owner(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    said = await run(s, minutes=8)
    warn = "⏰ 工单 #1（B 重大故障，Village 3 office）的响应时限还剩 8分钟，截止 14:15。"
    # 50% of the 15 minutes: 14:07:30, to both engineers on duty; nobody else hears of it.
    assert [(s_.at, s_.text) for s_ in said if s_.chat == ENG1] == [(local(23, 14, 7, 30), warn)]
    assert to(said, ENG2) == [warn]
    assert nobody_but(said, ENG1, ENG2) == []
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(23, 15, 50))
    # The respond clock stopped: its 80% point (14:12) and due time (14:15) say nothing. The
    # arrive clock (2 h, due 16:00) warns its owner only, with what is left and the local due.
    assert timed(said, ENG1) == [
        ("15:00", "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 1小时，截止 16:00。"),
        ("15:36", "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 24分钟，截止 16:00。"),
    ]
    assert nobody_but(said, ENG1) == []


async def test_accepting_before_a_warning_means_no_warning_ever(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust, level="A")  # respond 15m, arrive 60m, repair 4h
    await s.tick(minutes=5)
    assert await pending(s, "sla:1:respond:") == [
        "sla:1:respond:due",
        "sla:1:respond:warn:50pct",
        "sla:1:respond:warn:80pct",
    ]
    await staff[ENG2].send("/take 1")
    assert await pending(s, "sla:1:respond:") == []  # stopping a clock cancels its timers
    await s.tick(minutes=20)
    await staff[ENG2].send("/arrive 1")  # 14:25: arrive met before its 50% point (14:30)
    said = await run(s, until=local(23, 15, 30))
    # Past every point of the respond (14:07:30, 14:12, 14:15) and arrive clocks (14:30,
    # 14:48, 15:00): not one message; the repair clock's first point is 16:25.
    assert said == []
    said = await run(s, until=local(23, 16, 26))
    assert timed(said, ENG2) == [
        ("16:25", "⏰ 工单 #1（A 特大故障，Village 3 office）的修复时限还剩 2小时，截止 18:25。")
    ]
    assert nobody_but(said, ENG2) == []


# ---------------------------------------------------------------------------- breach
async def test_breach_tells_the_workers_level_one_and_the_customer_then_climbs(
    s: Harness,
) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    said = await run(s, until=local(23, 14, 15))
    head = "🔴 工单 #1（B 重大故障，Village 3 office）已超过响应时限（截止 14:15）。\n"
    missed = head + "请立即接单（/take 1）并联系客户。"
    breach = [x for x in said if x.at == local(23, 14, 15)]
    # Nobody owns it yet: both engineers on duty, and escalation level 1 (customer manager).
    assert to(breach, ENG1) == [missed] and to(breach, ENG2) == [missed]
    # The manager is not told to accept it: who is on duty (to call), and what they can do.
    nobody = NOBODY_OWNS_IT
    assert to(breach, CM) == [head + nobody]
    # The customer is told honestly, and what happens next.
    assert to(breach, CUSTOMER) == [
        "很抱歉，工单 #1 的响应时限（14:15）已经超过。我们已通知值班负责人，工程师会尽快与您联系。"
    ]
    assert nobody_but(breach, ENG1, ENG2, CM, CUSTOMER) == []
    # Then every 30 minutes the next level: project manager, project lead, the lead again...
    said = await run(s, until=local(23, 15, 50))
    climb = [(x.hm, x.chat) for x in said if "升级" in x.text]
    assert climb == [("14:45", PM), ("15:15", LEAD), ("15:45", LEAD)]
    assert to(said, PM)[0] == (
        "🔴 升级：工单 #1（B 重大故障，Village 3 office）响应时限已超 30分钟（截止 14:15）。\n"
        + nobody
    )
    assert "已超 1小时（截止 14:15）" in to(said, LEAD)[0]
    # Accepting stops the respond clock and its escalation; the arrive clock still runs.
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(23, 16, 0))
    assert [x.text for x in said if "响应" in x.text] == []
    arrive_breach = [x for x in said if x.at == local(23, 16, 0)]
    arrive_missed = (
        "🔴 工单 #1（B 重大故障，Village 3 office）已超过到场时限（截止 16:00）。\n"
        "请立即赶往现场，到场后点「已到场」。"
    )
    # Now it has an owner: the owner and level 1 are told, not the other engineer.
    assert to(arrive_breach, ENG1) == [arrive_missed]
    assert to(arrive_breach, CM) == [
        "🔴 工单 #1（B 重大故障，Village 3 office）已超过到场时限（截止 16:00）。\n"
        + OWNED_BY_ENG1
    ]
    assert to(arrive_breach, CUSTOMER) == [
        "很抱歉，工单 #1 的到场时限（16:00）已经超过。"
        "我们已通知负责人督促工程师尽快到场，并会随时告知您进展。"
    ]
    assert nobody_but(arrive_breach, ENG1, CM, CUSTOMER) == []
    said = await run(s, until=local(23, 17, 40))
    assert [(x.hm, x.chat) for x in said] == [("16:30", PM), ("17:00", LEAD), ("17:30", LEAD)]
    assert to(said, PM)[0].endswith(
        "\n" + OWNED_BY_ENG1
    )


# ---------------------------------------------------------------------------- the work
async def test_arriving_stops_the_arrive_clock_and_starts_repair(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await s.tick(minutes=3)
    await staff[ENG1].send("/take 1")
    card = staff[ENG1].last()
    assert card.text.endswith("⏰ 最近时限：到场 16:00")
    await run(s, until=local(23, 14, 40))
    await staff[ENG1].send("/arrive 1")
    card = staff[ENG1].last()
    assert "修复时限: 17:40" in card.text and card.text.endswith("⏰ 最近时限：修复 17:40")
    assert cust.last().text == "📍 工单 #1：工程师 Engineer One 已到场，承诺 17:40 前修复。"
    said = await run(s, until=local(23, 17, 0))
    # No arrive warning (15:00, 15:36) or breach (16:00); the repair clock (3 h) warns.
    assert timed(said, ENG1) == [
        (
            "16:10",
            "⏰ 工单 #1（B 重大故障，Village 3 office）的修复时限还剩 1小时30分钟，截止 17:40。",
        )
    ]
    assert nobody_but(said, ENG1) == []
    await staff[ENG1].send("/sla 1")
    view = staff[ENG1].last().text
    assert "• 到场：时限 2小时，已用 40分钟，✅ 达成" in view
    assert "• 修复：时限 3小时，已用 2小时20分钟，剩余 40分钟（截止 17:40）" in view


async def test_resolving_stops_every_clock_even_a_climbing_escalation(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await run(s, until=local(23, 14, 50))  # respond missed, escalated to the PM at 14:45
    await staff[ENG1].send("/take 1")
    await staff[ENG1].send("/resolve 1 Restarted the terminal remotely")
    await staff[ENG1].press("软件")
    assert "已修复" in cust.last().text
    said = await run(s, hours=12)
    # Nothing of the clocks; only the engineer's daily report draft at 20:00.
    assert [x for x in said if "每日设备维护报告" not in x.text] == []
    await staff[ENG1].send("/sla 1")
    view = staff[ENG1].last().text
    assert "• 响应：时限 15分钟，已用 50分钟，❌ 超时 35分钟" in view
    # Resolved remotely: the arrive clock is met (nobody had to go there).
    assert "• 到场：时限 2小时，已用 50分钟，✅ 达成" in view
    assert "修复" not in view  # never started: nobody was on site


# ---------------------------------------------------------------------------- pauses
async def test_waiting_for_the_customer_pauses_and_resume_moves_the_deadline(
    s: Harness,
) -> None:
    staff = await team(s)
    eng1 = staff[ENG1]
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await s.tick(minutes=5)
    await eng1.send("/take 1")
    await s.tick(minutes=5)
    said = await send(s, eng1, "/wait 1 Site locked until the owner comes")
    assert to(said, ENG1) == [
        "已请客户确认等待（Site locked until the owner comes）；客户确认后工单 #1 的时限才暂停。"
    ]
    ask = cust.last()
    said = await press(s, cust, "✅ 同意", message=ask)  # the customer confirms the wait
    assert to(said, CUSTOMER) == [
        "工单 #1：正在等待您的配合（Site locked until the owner comes），期间服务时限暂停计算。"
    ]
    assert to(said, ENG1) == [
        "⏸ 工单 #1 的服务时限已暂停（等待客户：Site locked until the owner comes）。"
        "恢复请发送 /resume 1。"
    ]
    # Two hours pass: the arrive warnings (15:00, 15:36) and its due time (16:00) say nothing.
    said = await run(s, hours=2)
    assert said == []
    await eng1.send("/sla 1")
    assert "• 到场：时限 2小时，已用 10分钟，⏸ 已暂停，暂停 2小时" in eng1.last().text
    said = await send(s, eng1, "/resume 1")  # 16:10
    assert to(said, ENG1) == [
        "▶️ 工单 #1 恢复计时（暂停了 2小时）。\n"
        "响应时限: 14:15\n到场时限: 18:00\n修复时限: 到场后3小时内"
    ]
    assert to(said, CUSTOMER) == [
        "工单 #1 恢复处理（暂停了 2小时）。\n"
        "响应时限: 14:15\n到场时限: 18:00\n修复时限: 到场后3小时内"
    ]
    await eng1.send("/sla 1")
    assert "• 到场：时限 2小时，已用 10分钟，剩余 1小时50分钟（截止 18:00），暂停 2小时" in (
        eng1.last().text
    )
    said = await run(s, until=local(23, 18, 0))
    assert timed(said, ENG1) == [
        ("17:00", "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 1小时，截止 18:00。"),
        ("17:36", "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 24分钟，截止 18:00。"),
        (
            "18:00",
            "🔴 工单 #1（B 重大故障，Village 3 office）已超过到场时限（截止 18:00）。\n"
            "请立即赶往现场，到场后点「已到场」。",
        ),
    ]


async def test_force_majeure_needs_the_project_manager(s: Harness) -> None:
    staff = await team(s)
    eng1, eng2, pm = staff[ENG1], staff[ENG2], staff[PM]
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await eng1.send("/take 1")
    await s.tick(minutes=10)
    said = await send(s, eng1, "/pause 1 Lightning struck the pole")
    assert to(said, ENG1) == [
        "已提交不可抗力暂停申请（Lightning struck the pole），等待客户同意和项目经理批准。"
    ]
    ask = pm.last()
    assert ask.text.startswith(
        "⏸ Engineer One 申请因不可抗力暂停工单 #1 的服务时限：\nLightning struck the pole\n"
    )
    assert [label for label, _ in ask.buttons()] == ["✅ 批准", "驳回"]
    assert nobody_but(said, ENG1, PM, CUSTOMER) == []  # the customer is asked to agree
    # An engineer (even the owner) cannot approve, not even with the manager's button data.
    approve_data = ask.buttons()[0][1]
    for engineer in (eng1, eng2):
        await engineer.press_data(ask.message_id, approve_data)
        assert engineer.toast() == "只有本项目的项目经理可以批准暂停。"
    said = await press(s, pm, "驳回", message=ask)
    assert pm.toast() == "好的" and ask.buttons() == []
    assert to(said, ENG1) == ["工单 #1 的暂停申请被 Project Manager 驳回，时限照常计算。"]
    assert to(said, CUSTOMER) == ["工单 #1：暂停提议已撤回，服务时限照常计算。"]
    # Rejected: the clocks keep running and warn on time.
    said = await run(s, until=local(23, 15, 0))
    assert timed(said, ENG1) == [
        ("15:00", "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 1小时，截止 16:00。")
    ]
    await eng1.send("/pause 1 The pole was hit by a truck")
    await cust.press("✅ 同意", message=cust.last())  # the customer agrees first
    ask = pm.last()
    approve_data = ask.buttons()[0][1]
    said = await press(s, pm, "批准", message=ask)
    assert to(said, CUSTOMER) == [
        "工单 #1：因不可抗力（The pole was hit by a truck），经双方确认，服务时限暂停计算。"
        "我们会继续处理并随时告知您。"
    ]
    assert to(said, ENG1) == [
        "⏸ 工单 #1 的服务时限已暂停（不可抗力：The pole was hit by a truck）。"
        "恢复请发送 /resume 1。"
    ]
    # A second press (a double tap, or another manager's copy) changes nothing.
    assert ask.buttons() == []
    await pm.press_data(ask.message_id, approve_data)
    assert pm.toast() == "这个按钮已失效，请使用最新的消息。"
    said = await run(s, hours=3)
    assert said == []
    await eng1.send("/sla 1")
    assert "⏸ 时限暂停中（不可抗力：The pole was hit by a truck）" in eng1.last().text


# ---------------------------------------------------------------------------- re-grading
async def test_regrade_c_to_a_recomputes_and_rearms_without_stale_warnings(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust, level="C")  # arrive 2h: due 16:00, warnings 15:00 and 15:36
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    await run(s, until=local(23, 14, 40))
    said = await send(s, staff[PM], "/regrade 1 A")
    regraded = (
        "工单 #1 级别由 C 一般故障 调整为 A 特大故障。\n"
        "响应时限: 14:15\n到场时限: 15:00\n修复时限: 到场后4小时内"
    )
    assert to(said, PM) == [regraded] and to(said, ENG1) == [regraded]
    assert to(said, CUSTOMER) == [
        "工单 #1 的故障级别由 C 一般故障 调整为 A 特大故障。\n"
        "响应时限: 14:15\n到场时限: 15:00\n修复时限: 到场后4小时内"
    ]
    said = await run(s, until=local(23, 15, 0))
    # A's 50% point (14:30) passed before the re-grade: not sent now. Its 80% point (14:48)
    # and the new due time (15:00) are.
    assert timed(said, ENG1) == [
        ("14:48", "⏰ 工单 #1（A 特大故障，Village 3 office）的到场时限还剩 12分钟，截止 15:00。"),
        (
            "15:00",
            "🔴 工单 #1（A 特大故障，Village 3 office）已超过到场时限（截止 15:00）。\n"
            "请立即赶往现场，到场后点「已到场」。",
        ),
    ]
    # Nothing at C's old points (15:00 warning, 15:36, 16:00 due).
    said = await run(s, until=local(23, 16, 10))
    assert [x.text for x in said if "⏰" in x.text] == []
    assert [(x.hm, x.chat) for x in said] == [("15:30", PM), ("16:00", LEAD)]


async def test_regrade_to_a_deadline_already_passed_is_missed_now_not_late(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust, level="C")
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(23, 15, 10))
    assert timed(said, ENG1) == [
        ("15:00", "⏰ 工单 #1（C 一般故障，Village 3 office）的到场时限还剩 1小时，截止 16:00。")
    ]
    await staff[PM].send("/regrade 1 A")  # A: on site by 15:00, ten minutes ago
    said = await run(s, minutes=1)
    missed = [x for x in said if x.chat == ENG1]
    # The bot was not down: the deadline was moved into the past, and it is missed now.
    assert [x.text for x in missed] == [
        "🔴 工单 #1（A 特大故障，Village 3 office）已超过到场时限 10分钟（截止 15:00）。\n"
        "请立即赶往现场，到场后点「已到场」。"
    ]
    assert to(said, CM) and "迟发" not in to(said, CM)[0]
    assert to(said, CUSTOMER) == [
        "很抱歉，工单 #1 的到场时限（15:00）已超过 10分钟。"
        "我们已通知负责人督促工程师尽快到场，并会随时告知您进展。"
    ]


async def test_regrade_of_a_missed_clock_does_not_delay_its_escalation(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust, level="C")
    await run(s, until=local(23, 14, 40))  # respond missed at 14:15; the PM is due at 14:45
    await staff[PM].send("/regrade 1 B")
    said = await run(s, until=local(23, 15, 20))
    assert [(x.hm, x.chat) for x in said if "升级" in x.text] == [("14:45", PM), ("15:15", LEAD)]


# ---------------------------------------------------------------------------- /sla, the card
async def test_sla_view_shows_met_and_missed_clocks_and_the_card_the_nearest(
    s: Harness,
) -> None:
    staff = await team(s, language="zh")
    eng1 = staff[ENG1]
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await s.tick(minutes=5)
    await eng1.send("/take 1")
    assert eng1.last().text.endswith("⏰ 最近时限：到场 16:00")
    await eng1.send("/sla 1")
    assert eng1.last().text == (
        "工单 #1 服务时限（B 重大故障）\n\n"
        "• 响应：时限 15分钟，已用 5分钟，✅ 达成\n"
        "• 到场：时限 2小时，已用 5分钟，剩余 1小时55分钟（截止 16:00）"
    )
    await run(s, until=local(23, 16, 30))
    await eng1.send("/arrive 1")
    assert eng1.last().text.endswith("⏰ 最近时限：修复 19:30")
    await s.tick(minutes=10)
    await eng1.send("/sla 1")
    assert eng1.last().text == (
        "工单 #1 服务时限（B 重大故障）\n\n"
        "• 响应：时限 15分钟，已用 5分钟，✅ 达成\n"
        "• 到场：时限 2小时，已用 2小时30分钟，❌ 超时 30分钟\n"
        "• 修复：时限 3小时，已用 10分钟，剩余 2小时50分钟（截止 19:30）"
    )
    # Customers do not get the staff's view.
    await cust.send("/sla 1")
    assert "服务时限（" not in cust.last().text


async def test_accepting_at_the_due_instant_is_missed_as_the_breach_said(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    said = await run(s, until=local(23, 14, 15))
    assert [(x.hm, x.chat) for x in said if x.text.startswith("🔴")] == [
        ("14:15", ENG1), ("14:15", ENG2), ("14:15", CM)]
    await staff[ENG1].send("/take 1")  # still 14:15, the due instant
    await staff[ENG1].send("/sla 1")
    assert "• 响应：时限 15分钟，已用 15分钟，❌" in staff[ENG1].last().text


# ---------------------------------------------------------------------------- unicom-abc
async def test_remote_first_tells_only_the_owner_to_go_on_site(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()  # the village project: policy unicom-abc
    await s.report(cust)
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(23, 15, 10))
    remote = [x for x in said if x.at == local(23, 15, 5)]
    assert [(x.chat, x.text) for x in remote] == [
        (
            ENG1,
            "🔴 工单 #1（B 重大故障，Village 3 office）已超过远程处理时限（截止 15:05）。\n"
            "远程 1 小时内未能解决：请立即前往现场。",
        )
    ]
    await staff[ENG1].send("/arrive 1")
    said = await run(s, hours=2)
    assert [x.text for x in said if "远程" in x.text] == []  # told once, never escalated


async def test_remote_first_is_quiet_when_on_site_within_the_hour(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await s.report(cust)
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    await s.tick(minutes=50)
    await staff[ENG1].send("/arrive 1")
    said = await run(s, until=local(23, 16, 0))
    assert said == []


SPARE_EXPECT = (
    "有备用资源时，重大故障须在报修后 7 小时内恢复：请立即用同型号备机恢复系统运行"
    "（/spare 1 记录）；没有备用资源时，须在报修后 11 小时内用其他设备替换。"
)


async def test_spare_resources_count_from_the_report_for_a_major_fault(s: Harness) -> None:
    staff = await team(s)
    eng1 = staff[ENG1]
    cust = await s.customer()
    await s.report(cust)  # B at 14:00: 7 h with spare resources (21:00), 11 h without (01:00)
    await s.tick(minutes=5)
    await eng1.send("/take 1")
    await s.tick(minutes=25)
    await eng1.send("/arrive 1")  # 14:30: repair (B) 3 h, due 17:30
    said = await run(s, until=local(23, 17, 30))
    # The missed repair opens nothing new: the spare-resource clocks run since the report.
    assert to([x for x in said if x.at == local(23, 17, 30)], ENG1) == [
        "🔴 工单 #1（B 重大故障，Village 3 office）已超过修复时限（截止 17:30）。\n"
        "请尽快修复；无法修复时按合同提供备机。",
    ]
    await eng1.send("/sla 1")
    view = eng1.last().text
    assert "• 备用资源恢复：时限 7小时，已用 3小时30分钟，剩余 3小时30分钟（截止 21:00）" in view
    assert (
        "• 其他设备替换：时限 11小时，已用 3小时30分钟，剩余 7小时30分钟（截止 11-24 01:00）"
        in view
    )
    said = await run(s, until=local(23, 21, 5))
    spare = [x for x in said if "备用资源恢复" in x.text]
    assert [(x.hm, x.chat, x.text) for x in spare] == [
        (
            "20:00",
            ENG1,
            "⏰ 工单 #1（B 重大故障，Village 3 office）的备用资源恢复时限还剩 1小时，截止 21:00。",
        ),
        (
            "21:00",
            ENG1,
            "🔴 工单 #1（B 重大故障，Village 3 office）"
            "已超过备用资源恢复时限（截止 21:00）。\n" + SPARE_EXPECT,
        ),
        (
            "21:00",
            CM,
            "🔴 工单 #1（B 重大故障，Village 3 office）已超过备用资源恢复时限（截止 21:00）。\n"
            + OWNED_BY_ENG1,
        ),
    ]
    assert [x for x in to(said, CUSTOMER) if "备用资源" in x] == []  # tell_customer = false
    said = await send(s, eng1, "/spare 1")
    assert to(said, CUSTOMER) == ["工单 #1：已为您提供备机/备件，系统先行恢复。"]
    said = await run(s, until=local(24, 2, 0))
    # The replacement's warning (00:00) and deadline (01:00) are gone with the spare unit.
    assert [x for x in said if "备用资源" in x.text or "其他设备替换" in x.text] == []
    await eng1.send("/sla 1")
    view = eng1.last().text
    assert "• 备用资源恢复：时限 7小时，已用 7小时5分钟，❌ 超时 5分钟" in view
    assert "• 其他设备替换：时限 11小时，已用 7小时5分钟，✅ 达成" in view


async def test_no_replacement_within_11_hours_alarms_the_lead(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await s.report(cust, level="A")  # 14:00
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(24, 1, 0))
    replacement = [(x.hm, x.chat) for x in said if "其他设备替换时限" in x.text]
    assert replacement == [("00:00", ENG1), ("01:00", LEAD), ("01:00", CUSTOMER)]
    assert (
        "🔴 工单 #1（A 特大故障，Village 3 office）已超过其他设备替换时限（截止 01:00）。\n"
        "报修 11 小时内仍未恢复：请立即用其他设备替换（/spare 1 记录）。\n"
        + OWNED_BY_ENG1
    ) in to(said, LEAD)


async def test_a_minor_fault_has_no_spare_resource_clock(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer()
    await s.report(cust, level="C")
    await s.tick(minutes=5)
    await staff[ENG1].send("/take 1")
    said = await run(s, until=local(24, 2, 0))
    assert [x for x in said if "备用资源" in x.text or "其他设备替换" in x.text] == []
    await staff[ENG1].send("/sla 1")
    view = staff[ENG1].last().text
    assert "• 响应：" in view
    assert "备用资源" not in view and "其他设备替换" not in view


# ---------------------------------------------------------------------------- asiainfo-5x8
async def test_business_hours_over_the_weekend(make: MakeHarness) -> None:
    h = await make(FRIDAY_4_30PM)
    staff = await team(h)
    eng3 = staff[ENG3]
    cust = await h.customer(invite="ROLLOUT2026")
    await cust.send("/report")
    await cust.press("否")
    await cust.press("是")
    # Respond 30 min (hotline 7x24); on site within 4 business hours on 5x8 (09:00-12:00,
    # 13:00-18:00): 1.5 h on Friday until 18:00, then 2.5 h from Monday 09:00.
    assert "工程师将在 30分钟内响应，4 个工作小时内到场" in cust.last().text
    await cust.send("Gate camera 4")
    await cust.send("No picture")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")
    receipt = cust.find("已受理").text
    assert "响应时限: 17:00" in receipt and "到场时限: 11-30 11:30" in receipt
    await h.tick(minutes=5)
    await eng3.send("/take 1")
    await h.tick(minutes=10)
    said = await send(h, eng3, "/proposal 1")
    assert "已记录工单 #1：提交解决方案。" in to(said, ENG3)
    assert to(said, CUSTOMER) == ["工单 #1：工程师 Engineer Three 已提交解决方案。"]
    said = await run(h, until=local(30, 11, 35))
    # Nothing of the working-hour clocks over the weekend. Arrive: 50% = 2 bh (1.5 h Fri +
    # 0.5 h Mon) -> Monday 09:30; 80% = 3.2 bh -> Monday 10:42; due Monday 11:30.
    owner = [(x.at, x.text) for x in said if x.chat == ENG3 and "到场" in x.text]
    assert owner == [
        (
            local(30, 9, 30),
            "⏰ 工单 #1（B 重大故障，Gate camera 4）的到场时限还剩 2小时，截止 11:30。",
        ),
        (
            local(30, 10, 42),
            "⏰ 工单 #1（B 重大故障，Gate camera 4）的到场时限还剩 48分钟，截止 11:30。",
        ),
        (
            local(30, 11, 30),
            "🔴 工单 #1（B 重大故障，Gate camera 4）已超过到场时限（截止 11:30）。\n"
            "请立即赶往现场，到场后点「已到场」。",
        ),
    ]
    # Only the loaner's clock, 48 h of wall time from the report, speaks over the weekend:
    # warned 4 h before, due Sunday 16:30, then escalated every 30 min until /loaner N.
    weekend = [x for x in sla(said) if x.at < local(30, 9, 0)]
    assert [(x.at, x.chat) for x in weekend[:5]] == [
        (local(29, 12, 30), ENG3),
        (local(29, 16, 30), ENG3),
        (local(29, 16, 30), CM),
        (local(29, 16, 30), CUSTOMER),
        (local(29, 17, 0), PM),
    ]
    assert all("48 小时修复" in x.text for x in weekend)
    await eng3.send("/sla 1")
    view = eng3.last().text
    assert "• 到场：时限 4 个工作小时" in view
    # The 3-working-day spare part waits for the engineer to record that a part is needed.
    assert "备件更换" not in view


async def test_the_loaner_is_due_48_hours_after_the_report(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="ROLLOUT2026")
    await s.report(cust)  # Monday 14:00
    await s.tick(minutes=5)
    await staff[ENG3].send("/take 1")
    said = await run(s, until=local(25, 14, 5))
    loaner = [(x.hm, x.chat, x.text) for x in said if "48 小时修复" in x.text]
    head = "🔴 工单 #1（B 重大故障，Village 3 office）已超过48 小时修复时限（截止 14:00）。\n"
    assert loaner == [
        ("10:00", ENG3, "⏰ 工单 #1（B 重大故障，Village 3 office）的48 小时修复时限还剩 4小时，"
         "截止 14:00。"),
        ("14:00", ENG3, head + "报修 48 小时内未修复：请立即免费提供备用机（/loaner 1 记录）。"),
        ("14:00", CM, head + "负责人：Engineer Three（电话 13800000003）。"
         "您可以致电督促，或用 /assign 1 加工程师代号 改派。"),
        # The customer is promised what the contract gives now: the free loaner.
        ("14:00", CUSTOMER, "很抱歉，工单 #1 的48 小时修复时限（14:00）已经超过。"
         "按合同，我们将免费为您提供备用机，先恢复使用；负责人已收到通知。"),
    ]
    said = await send(s, staff[ENG3], "/loaner 1")
    assert to(said, CUSTOMER) == ["工单 #1：已为您免费提供备用机。"]
    said = await run(s, until=local(25, 18, 0))
    assert [x for x in said if "48 小时修复" in x.text] == []  # no more escalation
    # No invented target for the loaner itself: nothing started when it fell due.
    await staff[ENG3].send("/sla 1")
    assert "• 48 小时修复：时限 2天，已用 2天5分钟，❌ 超时 5分钟" in staff[ENG3].last().text


async def test_no_response_in_24_hours_alarms_only_the_project_lead(s: Harness) -> None:
    await team(s)
    cust = await s.customer(invite="ROLLOUT2026")
    await s.report(cust)
    said = await run(s, until=local(24, 14, 5))
    liability = [x for x in said if "🔴" in x.text and "承担损失" in x.text]
    assert [(x.at, x.chat) for x in liability] == [(local(24, 14, 0), LEAD)]
    assert liability[0].text == (
        "🔴 工单 #1（B 重大故障，Village 3 office）"
        "已超过24 小时未响应（承担损失）时限（截止 14:00）。\n"
        "24 小时未响应，公司须承担客户损失：请立即处理。\n"
        "目前无人接单（值班：Engineer Three（电话 13800000003）、"
        "Engineer Four（电话 13800000004））。"
        "您可以用 /cover 安排人员值班，或用 /assign 1 加工程师代号 指派工程师。"
    )
    assert [x for x in to(said, CUSTOMER) if "24" in x or "损失" in x] == []
    # Warned 4 h before the deadline (20 h after the report), not 4 h after the report.
    warned = [(x.at, x.chat) for x in said if "⏰" in x.text and "承担损失" in x.text]
    assert warned == [(local(24, 10, 0), ENG3), (local(24, 10, 0), ENG4)]


# ---------------------------------------------------------------------------- restarts
async def test_a_warning_fires_once_across_a_restart(s: Harness) -> None:
    await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await run(s, until=local(23, 14, 7))
    await s.restart()
    said = await run(s, until=local(23, 14, 8))
    await s.restart()
    said += await run(s, until=local(23, 14, 9))
    warn = "⏰ 工单 #1（B 重大故障，Village 3 office）的响应时限还剩 8分钟，截止 14:15。"
    assert timed(said, ENG1) == [("14:07", warn)]
    assert to(said, ENG2) == [warn]


async def test_a_deadline_passed_while_down_arrives_once_and_says_it_is_late(
    s: Harness,
) -> None:
    await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await run(s, until=local(23, 14, 5))
    marks = {uid: len(s.request.chat(uid)) for uid in EVERYONE}
    s.clock.set(local(23, 14, 20))  # the bot was down from 14:05 to 14:20
    await s.restart()
    await s.restart()
    await s.restart()
    new = {uid: [m.text for m in s.request.chat(uid)[marks[uid] :]] for uid in EVERYONE}
    head = (
        "🔴 工单 #1（B 重大故障，Village 3 office）已超过响应时限 5分钟（截止 14:15）。"
        + LATE_ZH.format(due="14:15")
    )
    missed = head + "\n请立即接单（/take 1）并联系客户。"
    # Only the breach: the two warnings that fell due while down are stale now.
    assert new[ENG1] == [missed] and new[ENG2] == [missed]
    assert new[CM] == [
        head + "\n" + NOBODY_OWNS_IT
    ]
    assert new[CUSTOMER] == [
        "很抱歉，工单 #1 的响应时限（14:15）已超过 5分钟。"
        "我们已通知值班负责人，工程师会尽快与您联系。"
    ]
    assert new[PM] == new[LEAD] == []
    # The escalation goes on from the breach: the PM at 14:50, once.
    said = await run(s, until=local(23, 14, 55))
    assert [(x.hm, x.chat) for x in said] == [("14:50", PM)]
    assert "迟发" not in said[0].text


async def test_warnings_missed_while_down_are_sent_once_not_twice(s: Harness) -> None:
    await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    s.clock.set(local(23, 14, 13, 30))  # down 14:00-14:13:30: both warning points passed
    await s.restart()
    said = await run(s, until=local(23, 14, 14))
    texts = [m.text for m in s.request.chat(ENG1) if "⏰" in m.text]
    assert texts == [
        "⏰ 工单 #1（B 重大故障，Village 3 office）的响应时限还剩 2分钟，截止 14:15。"
        + LATE_ZH.format(due="14:12")
    ]
    assert said == []


async def test_a_timer_up_to_60_s_late_is_not_called_late(s: Harness) -> None:
    await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    s.clock.set(local(23, 14, 8, 30))  # the 50% point (14:07:30) passed exactly 60 s ago
    await s.restart()
    s.clock.set(local(23, 14, 13, 1))  # the 80% point (14:12) passed 61 s ago
    await s.restart()
    assert [m.text for m in s.request.chat(ENG1) if "⏰" in m.text] == [
        "⏰ 工单 #1（B 重大故障，Village 3 office）的响应时限还剩 7分钟，截止 14:15。",
        "⏰ 工单 #1（B 重大故障，Village 3 office）的响应时限还剩 2分钟，截止 14:15。"
        + LATE_ZH.format(due="14:12"),
    ]


# ---------------------------------------------------------------------------- English
async def test_english_warning_breach_and_customer_message(s: Harness) -> None:
    staff = await team(s, language="en")
    cust = s.chat(CUSTOMER, "Customer", "en")
    await cust.send("/start PLAIN2026")
    await cust.send("Customer One")
    await cust.send("Village Police Station")
    await cust.send("13900000000")
    await cust.send("/report")
    await cust.press("No")
    await cust.press("Yes")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("Done")
    await cust.press("Skip")
    await cust.press("Use")
    await cust.press("Confirm")
    said = await run(s, until=local(23, 14, 15))
    assert timed(said, ENG1) == [
        ("14:07", "⏰ Ticket #1 (B — major, Village 3 office): 8m left for response, due 14:15."),
        ("14:12", "⏰ Ticket #1 (B — major, Village 3 office): 3m left for response, due 14:15."),
        (
            "14:15",
            "🔴 Ticket #1 (B — major, Village 3 office) missed its response deadline "
            "(due 14:15).\nAccept it now (/take 1) and call the customer.",
        ),
    ]
    # The customer manager is told who could take it and what a manager can do.
    assert to(said, CM) == [
        "🔴 Ticket #1 (B — major, Village 3 office) missed its response deadline (due 14:15).\n"
        "Nobody has accepted it (on duty: Engineer One (phone 13800000001), Engineer Two "
        "(phone 13800000002)). You can put someone on duty with /cover, or give it to an "
        "engineer with /assign 1 and their key."
    ]
    assert to(said, CUSTOMER) == [
        "We are sorry: the response time promised for ticket #1 (14:15) has passed. "
        "The duty managers have been alerted; an engineer will contact you shortly."
    ]
    await s.tick(minutes=1)
    await staff[ENG1].send("/take 1")
    # Down from 15:50 to 16:05: the arrive breach comes late, and says so.
    await run(s, until=local(23, 15, 50))
    s.clock.set(local(23, 16, 5))
    await s.restart()
    assert staff[ENG1].last().text == (
        "🔴 Ticket #1 (B — major, Village 3 office) missed its arrival on site deadline by 5m "
        "(due 16:00). (late: it fell due at 16:00 while the bot was down)\n"
        'Get to the site now and press "Arrived" there.'
    )
    assert cust.last().text == (
        "We are sorry: the arrival on site time promised for ticket #1 (16:00) was missed by "
        "5m. The managers have been alerted to get the engineer to you as soon as possible; "
        "we will keep you posted."
    )
    await staff[ENG1].send("/sla 1")
    assert staff[ENG1].last().text == (
        "Ticket #1 deadlines (B — major)\n\n"
        "• response: target 15m, elapsed 16m, ❌ missed by 1m\n"
        "• arrival on site: target 2h, elapsed 2h 5m, ❌ missed by 5m"
    )


