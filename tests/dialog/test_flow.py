"""A fault carried from /report to resolved, in Chinese and in English."""

from __future__ import annotations

from tests.dialog.harness import Harness


async def test_full_flow_zh(h: Harness) -> None:
    eng1 = await h.staff(1001)
    eng2 = await h.staff(1002)
    cust = await h.customer()
    await cust.send("/report")
    assert "整个系统" in cust.last().text
    await cust.press("否")
    assert "部分设备" in cust.last().text
    await cust.press("是")
    level_msg = cust.last().text  # the level found opens the next question
    assert "B 重大故障" in level_msg and "15分钟内响应" in level_msg and "2小时内到场" in level_msg
    assert "故障地点" in level_msg
    await cust.send("Village 3 office")
    await cust.send("Query terminal shows <error> & freezes")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用 13900000000")
    summary = cust.last()
    assert "Village 3 office" in summary.text and "<error> & freezes" in summary.text
    await cust.press("确认提交")
    receipt = cust.last().text
    assert "#1" in receipt and "已受理" in receipt
    page1, page2 = eng1.last(), eng2.last()
    assert "新故障 #1" in page1.text and "<error> & freezes" in page1.text
    assert page1.buttons() == [("接单", "tk:acc:1")]
    await eng2.press("接单", message=page2)
    assert "Engineer Two" in page1.text and page1.buttons() == []
    assert "Engineer Two" in cust.last().text and "13800000002" in cust.last().text
    card = eng2.last()
    assert [label for label, _ in card.buttons()] == [
        "🚗 已出发", "📍 已到场", "✅ 已修复", "🔁 转交", "📝 备注", "⛔ 未解决原因"]
    # A late press by the other engineer is refused politely, and changes nothing.
    await eng1.press_data(page1.message_id, "tk:acc:1")
    assert eng1.toast() == "这张工单已被其他工程师接单。"
    await eng2.press("已出发", message=card)
    assert "已出发" in cust.last().text
    await eng2.press("已到场", message=card)
    assert "已到场" in cust.last().text and "承诺" in cust.last().text
    await eng2.press("已修复", message=card)
    await eng2.press("电源")
    assert "处理措施" in eng2.last().text
    await eng2.send("Replaced the power adapter")
    resolved = cust.last()
    assert "已修复" in resolved.text and "电源" in resolved.text
    assert "Replaced the power adapter" in resolved.text
    await cust.press("已恢复")
    assert "已关闭" in cust.texts()[-2]
    assert cust.last().text.startswith("感谢您确认工单 #1！请为本次服务打分")
    await cust.send("/status 1")
    timeline = cust.last().text
    for step in ("报障", "接单", "出发", "到场", "修复", "关闭"):
        assert step in timeline


async def test_full_flow_en(h: Harness) -> None:
    eng1 = await h.staff(1001, language="en")
    cust = await h.customer(language="en-US")
    await cust.send("/report")
    assert "whole system" in cust.last().text
    await cust.press("Yes")
    assert "A — severe" in cust.last().text and "Where is the fault?" in cust.last().text
    await cust.send("Server room, county bureau")
    # A-level: the ticket is open and paged as soon as the site is known.
    page = eng1.last()
    assert "New fault #1" in page.text and "Server room" in page.text
    await cust.send("All query terminals are down")
    # The details are edited into the page, which keeps its Accept button.
    assert eng1.last() is page and "All query terminals are down" in page.text
    assert page.buttons() == [("Accept", "tk:acc:1")]
    await cust.press("Done")
    await cust.press("Skip")
    await cust.press("Use 13900000000")
    assert "added to ticket #1" in cust.last().text
    await eng1.press("Accept", message=page)
    assert "accepted by engineer Engineer One" in cust.last().text
    await eng1.send("/resolve 1 Restarted the database node")
    await eng1.press("Software")
    assert "resolved" in cust.last().text and "Restarted the database node" in cust.last().text
    await cust.press("Not fixed")
    assert "reopened" in eng1.texts()[-2]
    assert "Ticket #1" in eng1.last().text
