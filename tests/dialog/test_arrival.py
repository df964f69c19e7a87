"""Proof of arrival: "Arrived" offers the engineer Telegram's "share my location" (a reply
keyboard, skippable); the distance to the site is recorded and shown to managers when it is
over the project's `arrival_radius` (500 m by default)."""

from __future__ import annotations

from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import documents, flat, pdf_text

SITE = (30.250000, 120.150000)
ASK_ZH = "📍 已到场工单 #1。请点击下方按钮发送您的位置，作为到场凭证（可跳过）。"
ASK_EN = (
    "📍 On site for ticket #1. Press the button below to share your location as proof of "
    "arrival (you may skip)."
)


async def report_at_site(h: Harness, cust: Chat) -> None:
    """A B-level report whose site is a shared location."""
    await h.report_until(cust, "site")
    await cust.location(*SITE)
    await cust.send("摄像头画面黑屏")
    await cust.press("完成")
    await cust.press("跳过")
    await cust.press("使用")
    await cust.press("确认提交")


async def arrived(h: Harness, eng: Chat, label: str = "已到场") -> None:
    await eng.send("/take 1")
    await eng.press(label)


def reply_keyboard(chat: Chat) -> dict[str, object] | None:
    return chat.last().reply_markup


async def test_arrived_asks_for_the_location_and_records_a_near_one(h: Harness) -> None:
    eng1, pm, cm = await h.staff(1001), await h.staff(1012), await h.staff(1011)
    cust = await h.customer()
    await report_at_site(h, cust)
    await arrived(h, eng1)
    assert eng1.last().text == ASK_ZH
    assert reply_keyboard(eng1) == {
        "keyboard": [
            [{"text": "📍 发送我的位置", "request_location": True}],
            [{"text": "🚫 不发送位置"}],
        ],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    pm_before, cm_before = pm.count(), cm.count()
    await eng1.location(30.251000, 120.150000)  # about 111 m north
    assert eng1.last().text == "已记录到场位置：距现场约 111 米。"
    assert reply_keyboard(eng1) == {"remove_keyboard": True}
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.arrival_distance_m is not None
    assert 110 < ticket.arrival_distance_m < 112
    events = await h.events(1)
    assert events[-1].kind == "arrival_location" and events[-1].detail["metres"] == 111
    # Within 500 m: no manager is bothered.
    assert pm.since(pm_before) == [] and cm.since(cm_before) == []
    # The timeline shows it to staff.
    await eng1.send("/status 1")
    assert "到场位置：距现场约 111 米" in eng1.last().text


async def test_a_far_location_is_shown_to_the_managers(h: Harness) -> None:
    eng1, pm = await h.staff(1001), await h.staff(1012, language="en")
    cust = await h.customer()
    await report_at_site(h, cust)
    await arrived(h, eng1)
    await eng1.location(30.260000, 120.150000)  # about 1.1 km north
    assert eng1.last().text == "已记录到场位置：距现场约 1112 米。"
    told = pm.find("Ticket #1: the location Engineer One shared on arriving")
    assert told.text.startswith(
        "📍 Ticket #1: the location Engineer One shared on arriving is about 1112 m from the "
        "site (over 500 m).\n"
    )
    assert (await h.ticket(1)).arrival_distance_m is not None  # type: ignore[union-attr]
    # The service report the customer receives prints it: the evidence of the visit.
    await eng1.send("/resolve 1 Replaced the camera")
    await eng1.press("硬件")
    (doc,) = documents(cust)
    assert "工程师到场时共享的位置距现场约1112米" in flat(pdf_text(doc))


async def test_skipping_the_location_records_nothing(h: Harness) -> None:
    eng1 = await h.staff(1001, language="en")
    cust = await h.customer()
    await report_at_site(h, cust)
    await arrived(h, eng1, "Arrived")
    assert eng1.last().text == ASK_EN
    await eng1.send("🚫 Don't share my location")  # a reply keyboard sends its label as text
    assert eng1.last().text == "No location shared; ticket #1 has no arrival location."
    assert reply_keyboard(eng1) == {"remove_keyboard": True}
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.arrival_distance_m is None
    assert [e.kind for e in await h.events(1)][-1] == "arrived"
    assert await h.draft(1001) is None


async def test_a_site_without_coordinates_records_the_location_only(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)  # the site typed as text
    await arrived(h, eng1)
    await eng1.location(30.26, 120.15)
    assert eng1.last().text == "已记录到场位置（现场没有定位，无法计算距离）。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.arrival_distance_m is None
    assert [e.kind for e in await h.events(1)][-1] == "arrival_location_only"


async def test_a_stale_skip_button_is_never_taken_for_another_answer(h: Harness) -> None:
    eng1 = await h.staff(1001)
    cust = await h.customer()
    await report_at_site(h, cust)
    await arrived(h, eng1)
    # The engineer ignores the location keyboard and resolves the ticket.
    await eng1.press("已修复")
    await eng1.press("电源")
    await eng1.send("🚫 不发送位置")
    assert eng1.last().text == "请用文字回复。"
    draft = await h.draft(1001)
    assert draft is not None and getattr(draft, "step", "") == "resolution"
    await eng1.send("更换了电源")
    assert (await h.ticket(1)).resolution == "更换了电源"  # type: ignore[union-attr]
    # Without any form open, the button just takes the keyboard away.
    await eng1.send("🚫 不发送位置")
    assert eng1.last().text == "好的，不发送位置。"
    assert reply_keyboard(eng1) == {"remove_keyboard": True}
