"""Pauses an auditor accepts, and a manager reassigning an absent owner's ticket.

Force majeure is agreed by both sides (双方协商): the customer answers with a button and the
project manager approves; the clocks stop only once both agreed, and a refusal by either ends
the proposal. Waiting for the customer stops the clocks only once the customer confirms, and
the customer manager is told: an engineer cannot silently stop the clocks. `/assign N STAFF`
lets a manager of the project give a ticket to another engineer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.storage.db import ts
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_sla import (
    CM,
    CUSTOMER,
    ENG1,
    ENG2,
    MONDAY_2PM,
    PM,
    SLA_CONFIG,
    local,
    nobody_but,
    press,
    run,
    send,
    team,
    timed,
    to,
)

STALE = "这个按钮已失效，请使用最新的消息。"
ARRIVE_WARNING = (
    "15:00",
    "⏰ 工单 #1（B 重大故障，Village 3 office）的到场时限还剩 1小时，截止 16:00。",
)


@pytest.fixture
async def s(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, SLA_CONFIG, FakeClock(MONDAY_2PM))
    await harness.start()
    yield harness
    await harness.stop()
    # Only refusals Telegram gives for people who never opened the bot (start-up report).
    assert all("Forbidden" in why for _, why in harness.request.refused), harness.request.refused


async def taken(s: Harness) -> tuple[dict[int, Chat], Chat]:
    """Everyone opened the bot; the customer reported a B fault at 14:00 and Engineer One took
    it; ten minutes passed."""
    staff = await team(s)
    cust = await s.customer(invite="PLAIN2026")
    await s.report(cust)
    await staff[ENG1].send("/take 1")
    await s.tick(minutes=10)
    return staff, cust


async def pause_row(s: Harness) -> dict[str, str | None]:
    assert s.hb is not None
    async with unit_of_work(s.hb.db) as uow:
        async with uow.conn.execute("SELECT * FROM ticket_pauses ORDER BY id DESC") as cur:
            row = await cur.fetchone()
    assert row is not None
    return dict(row)


def utc(at: datetime) -> str:
    return ts(at.astimezone(UTC))


# ---------------------------------------------------------------------------- force majeure
async def test_force_majeure_pauses_only_once_the_customer_and_the_manager_agreed(
    s: Harness,
) -> None:
    staff, cust = await taken(s)
    eng1, pm = staff[ENG1], staff[PM]
    said = await send(s, eng1, "/pause 1 Flood on the road")
    assert to(said, ENG1) == [
        "已提交不可抗力暂停申请（Flood on the road），等待客户同意和项目经理批准。"
    ]
    # The customer is asked (双方协商), and is not told it was agreed: nothing is paused yet.
    ask = cust.last()
    assert ask.text == (
        "⏸ 工单 #1：工程师 Engineer One 提出，因不可抗力（Flood on the road）暂停服务时限的计算。"
        "按合同，这需要双方协商一致，并经项目经理批准。您是否同意？"
    )
    assert [label for label, _ in ask.buttons()] == ["✅ 同意", "不同意"]
    assert not any("经双方确认" in t for t in cust.texts())
    # The project manager approves first: the owner is told the customer has not agreed yet,
    # and the clocks keep running (the arrive warning comes on time).
    said = await press(s, pm, "批准", message=pm.last())
    assert to(said, ENG1) == [
        "Project Manager 已批准工单 #1 的暂停（Flood on the road），等待客户同意。"
    ]
    assert to(said, CUSTOMER) == []
    await eng1.send("/sla 1")
    assert "⏳ 暂停申请待同意（不可抗力：Flood on the road）" in eng1.last().text
    said = await run(s, until=local(23, 15, 0))
    assert timed(said, ENG1) == [ARRIVE_WARNING]
    # The customer agrees at 15:00: now both sides agreed, and the clocks stop.
    said = await press(s, cust, "同意", message=ask)
    assert cust.toast() == "好的" and ask.buttons() == []
    assert to(said, CUSTOMER) == [
        "工单 #1：因不可抗力（Flood on the road），经双方确认，服务时限暂停计算。"
        "我们会继续处理并随时告知您。"
    ]
    assert to(said, ENG1) == [
        "⏸ 工单 #1 的服务时限已暂停（不可抗力：Flood on the road）。恢复请发送 /resume 1。"
    ]
    said = await run(s, hours=3)
    assert said == []  # the 15:36 warning and the 16:00 deadline stand still
    # Both answers are in the pause record (who and when) and in the timeline.
    row = await pause_row(s)
    assert {
        k: row[k]
        for k in (
            "state",
            "customer_answer",
            "customer_by",
            "customer_at",
            "manager_answer",
            "decided_by",
            "decided_at",
            "started_at",
        )
    } == {
        "state": "active",
        "customer_answer": "agreed",
        "customer_by": f"customer:{CUSTOMER}",
        "customer_at": utc(local(23, 15, 0)),
        "manager_answer": "agreed",
        "decided_by": "staff:pm",
        "decided_at": utc(local(23, 14, 10)),
        "started_at": utc(local(23, 15, 0)),
    }
    await eng1.send("/status 1")
    status = eng1.last().text
    assert "Engineer One: 申请不可抗力暂停：Flood on the road" in status
    assert "Project Manager: 批准暂停" in status
    assert "客户: 同意暂停" in status


async def test_force_majeure_is_agreed_in_either_order(s: Harness) -> None:
    staff, cust = await taken(s)
    eng1, pm = staff[ENG1], staff[PM]
    await eng1.send("/pause 1 Earthquake")
    said = await press(s, cust, "同意", message=cust.last())
    assert to(said, CUSTOMER) == [
        "已记录您的同意（工单 #1）。暂停还需项目经理批准；在此之前服务时限照常计算。"
    ]
    assert to(said, ENG1) == ["客户已同意暂停工单 #1（Earthquake），等待项目经理批准。"]
    said = await press(s, pm, "批准", message=pm.last())
    assert to(said, CUSTOMER) == [
        "工单 #1：因不可抗力（Earthquake），经双方确认，服务时限暂停计算。"
        "我们会继续处理并随时告知您。"
    ]


async def test_a_customer_refusal_ends_the_proposal_and_the_owner_is_told(s: Harness) -> None:
    staff, cust = await taken(s)
    eng1, pm = staff[ENG1], staff[PM]
    await eng1.send("/pause 1 Storm")
    ask = pm.last()
    said = await press(s, cust, "不同意", message=cust.last())
    assert to(said, CUSTOMER) == ["已记录：您不同意暂停，工单 #1 的服务时限照常计算。"]
    assert to(said, ENG1) == ["客户不同意暂停工单 #1（Storm），时限照常计算。"]
    assert not any("经双方确认" in t for t in cust.texts())
    # The proposal is over: the project manager's approval changes nothing.
    said = await press(s, pm, "批准", message=ask)
    assert pm.toast() == STALE and said == []
    said = await run(s, until=local(23, 15, 0))
    assert timed(said, ENG1) == [ARRIVE_WARNING]
    row = await pause_row(s)
    assert (row["state"], row["customer_answer"], row["manager_answer"], row["started_at"]) == (
        "rejected",
        "refused",
        None,
        None,
    )
    await eng1.send("/status 1")
    assert "客户: 不同意暂停" in eng1.last().text
    # A new proposal may follow.
    said = await send(s, eng1, "/pause 1 Storm, road closed")
    assert to(said, ENG1) == [
        "已提交不可抗力暂停申请（Storm, road closed），等待客户同意和项目经理批准。"
    ]


# ---------------------------------------------------------------------------- waiting
async def test_waiting_needs_the_customer_and_the_customer_manager_is_told(s: Harness) -> None:
    staff, cust = await taken(s)
    eng1, eng2 = staff[ENG1], staff[ENG2]
    said = await send(s, eng1, "/wait 1 Gate locked")
    assert to(said, CM) == [
        "ℹ️ 工单 #1：Engineer One 请客户确认等待客户配合（Gate locked）；客户确认后时限暂停。"
    ]
    ask = cust.last()
    assert ask.text == (
        "⏸ 工单 #1：工程师 Engineer One 需要等待您的配合（Gate locked），"
        "请求在此期间暂停服务时限的计算。您是否确认？"
    )
    assert nobody_but(said, ENG1, CM, CUSTOMER) == []
    # Not confirmed yet: the engineer alone has not stopped the clocks.
    said = await run(s, until=local(23, 15, 0))
    assert timed(said, ENG1) == [ARRIVE_WARNING]
    # Nobody but the customer can answer for the customer.
    data = ask.buttons()[0][1]
    await eng2.press_data(ask.message_id, data)
    assert eng2.toast() == STALE
    said = await press(s, cust, "同意", message=ask)
    assert to(said, CUSTOMER) == [
        "工单 #1：正在等待您的配合（Gate locked），期间服务时限暂停计算。"
    ]
    paused = "⏸ 工单 #1 的服务时限已暂停（等待客户：Gate locked）。恢复请发送 /resume 1。"
    assert to(said, ENG1) == [paused] and to(said, CM) == [paused]
    said = await run(s, hours=2)
    assert said == []
    row = await pause_row(s)
    assert (row["kind"], row["state"], row["customer_by"], row["decided_by"]) == (
        "waiting",
        "active",
        f"customer:{CUSTOMER}",
        None,
    )


async def test_a_refused_wait_is_told_to_the_owner_and_the_customer_manager(s: Harness) -> None:
    staff, cust = await taken(s)
    said = await send(s, staff[ENG1], "/wait 1 Waiting for the key")
    said = await press(s, cust, "不同意", message=cust.last())
    refused = "客户不同意暂停工单 #1（Waiting for the key），时限照常计算。"
    assert to(said, ENG1) == [refused] and to(said, CM) == [refused]
    said = await run(s, until=local(23, 15, 0))
    assert timed(said, ENG1) == [ARRIVE_WARNING]


async def test_the_owner_withdraws_a_proposal_and_the_customer_is_told(s: Harness) -> None:
    staff, cust = await taken(s)
    await staff[ENG1].send("/wait 1 Waiting for the key")
    ask = cust.last()
    said = await send(s, staff[ENG1], "/resume 1")
    assert to(said, ENG1) == ["已撤回工单 #1 的暂停申请，时限照常计算。"]
    assert to(said, CUSTOMER) == ["工单 #1：暂停提议已撤回，服务时限照常计算。"]
    await cust.press("同意", message=ask)
    assert cust.toast() == STALE
    row = await pause_row(s)
    assert (row["state"], row["started_at"]) == ("withdrawn", None)


# ---------------------------------------------------------------------------- /assign
async def test_a_manager_assigns_an_absent_owners_ticket_to_another_engineer(
    s: Harness,
) -> None:
    staff, cust = await taken(s)
    eng1, eng2, cm = staff[ENG1], staff[ENG2], staff[CM]
    # Engineers cannot take a colleague's ticket away.
    said = await send(s, eng2, "/assign 1 eng2")
    assert to(said, ENG2) == ["只有本项目的经理可以改派工单。"]
    said = await send(s, cm, "/assign 1 eng2")
    assert to(said, CM) == ["已将工单 #1 由 Engineer One 改派给 Engineer Two。"]
    assert to(said, ENG1) == [
        "Customer Manager 已将工单 #1 改派给 Engineer Two，您不再负责这张工单。"
    ]
    assert to(said, CUSTOMER) == ["👷 工单 #1 改由工程师 Engineer Two 负责，电话 13800000002。"]
    assert to(said, ENG2)[0] == "Customer Manager 将工单 #1 改派给您（原负责人 Engineer One）。"
    # The new owner gets the ticket's card with its buttons.
    card = eng2.messages()[-1]
    assert "🚗 已出发" in [label for label, _ in card.buttons()]
    await eng2.press("已出发", message=card)
    assert "Engineer Two" in cust.last().text
    said = await send(s, eng1, "/onway 1")
    assert to(said, ENG1) == ["只有接单工程师可以操作这张工单。"]
    await cm.send("/status 1")
    assert "Customer Manager: 改派：Engineer One → Engineer Two" in cm.last().text


async def test_assign_refuses_what_it_cannot_do(s: Harness) -> None:
    staff, cust = await taken(s)
    cm = staff[CM]
    await s.report(cust)  # ticket 2: nobody has accepted it
    for command, answer in (
        ("/assign 1", "用法：/assign 工单号 人员（如 /assign 12 eng2）"),
        ("/assign 1 nobody", "没有这个人员：nobody"),
        ("/assign 1 pm", "Project Manager 不是本项目的工程师，不能负责工单 #1。"),
        ("/assign 1 eng1", "工单 #1 已由 Engineer One 负责。"),
        (
            "/assign 2 eng2",
            "工单 #2 还没有人接单，无需改派：值班工程师接单即可，或用 /cover 安排值班。",
        ),
        ("/assign 99 eng2", "找不到这张工单，或您无权处理。"),
    ):
        said = await send(s, cm, command)
        assert to(said, CM) == [answer], command
