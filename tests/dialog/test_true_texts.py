"""Texts that are true: the timeline names each actor once and counts reopens naturally;
/help and the command menu list the same commands, every command of the role."""

from __future__ import annotations

from tests.dialog.harness import Chat, Harness


async def reopened_twice(h: Harness, cust: Chat, eng: Chat) -> None:
    await h.report(cust)
    await eng.send("/take 1")
    for _ in range(2):
        await eng.send("/resolve 1 Restarted")
        await eng.press("软件" if eng.language == "zh" else "Software")
        await cust.press("未修复" if cust.language == "zh" else "Not fixed")


async def test_the_timeline_names_the_actor_once_and_counts_reopens_in_chinese(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await reopened_twice(h, cust, eng)
    await cust.send("/status 1")
    status = cust.last().text
    assert "客户: 客户" not in status
    assert "客户: 反馈未修复，第 1 次重新打开" in status
    assert "客户: 反馈未修复，第 2 次重新打开" in status


async def test_the_timeline_names_the_actor_once_and_counts_reopens_in_english(
    h: Harness,
) -> None:
    eng = await h.staff(1001, language="en")
    cust = await h.customer()
    await reopened_twice(h, cust, eng)
    assert "ticket #1 is not fixed; it is open again (times reopened: 2)." in eng.texts()[-2]
    await eng.send("/status 1")
    status = eng.last().text
    assert "customer: customer" not in status
    assert "customer: not fixed; reopened (1st time)" in status
    assert "customer: not fixed; reopened (2nd time)" in status
