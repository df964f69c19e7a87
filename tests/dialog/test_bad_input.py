"""Hostile and wrong input at every step: never a Bot API error, never a wrong state change,
always a clear reply. (The `h` fixture also fails a test on any refused Bot API call.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.domain.drafts import ProfileDraft, ReportDraft, WorkDraft
from bot.domain.ticket import Status
from tests.dialog.harness import Chat, Harness

STALE = "这个按钮已失效，请使用最新的消息。"
STAFF_ONLY = "此操作仅限值班人员。"
TOO_LONG = "内容太长（最多 {} 字），请精简后再发送。"
WANT_TEXT = "请用文字回复。"
WANT_SITE = "请用文字写出故障地点，或发送位置（📎 → 位置）。"
WANT_PHOTO = "这里可以发送照片；没有照片请点「完成」。"
BAD_PHONE = "请输入有效的电话号码（数字，可带 + 和 -）。"
USE_BUTTONS = "请点击上面消息中的按钮作答，或发送 /cancel 取消。"
UNKNOWN = "不认识这个命令。发送 /help 查看可用命令。"
BUSY = "请先完成当前的填写，或发送 /cancel 取消。"
RESUME = "您有未完成的填写，请继续回答（或发送 /cancel 取消）："

HTML = '<script>alert("x")</script> & <b>bold</b> &amp; </i> <a href="x">'
MARKDOWN = r"_under_ *star* [link](http://x) ~s~ `code` > # + - = | {name} {0} . ! \ end"
EMOJI = "👨‍👩‍👧‍👦🔥🚨 故障 🇨🇳 ok"
RTL_ZW = (
    "abc \u202eRTL\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 "
    "zero\u200bwidth\u200d\ufeffx"
)
HOSTILE = {"html": HTML, "markdown": MARKDOWN, "emoji": EMOJI, "rtl_zero_width": RTL_ZW}
LONG = "x" * 5000

Send = Callable[[Chat], Awaitable[None]]


def sticker(c: Chat) -> Awaitable[None]:
    return c.sticker()


def voice(c: Chat) -> Awaitable[None]:
    return c.voice()


def photo(c: Chat) -> Awaitable[None]:
    return c.photo("PX")


def location(c: Chat) -> Awaitable[None]:
    return c.location(1.0, 2.0)


def text(value: str) -> Send:
    return lambda c: c.send(value)


KINDS: dict[str, Send] = {"sticker": sticker, "voice": voice, "photo": photo,
                          "location": location, "text": text("some words"),
                          "blank": text("   \n  ")}


# ---------------------------------------------------------------------------- hostile text
@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_hostile_text_in_every_field_is_shown_verbatim(h: Harness, kind: str) -> None:
    value = HOSTILE[kind]
    eng = await h.staff(1001)
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    await cust.send(value)  # name
    await cust.send(value)  # unit
    await cust.send("13900000000")
    assert cust.last().text == f"已保存：{value}，{value}，13900000000。可随时用 /profile 修改。"
    await cust.send("/report")
    await cust.press("否")
    await cust.press("是")
    await cust.send(f"site {value}")
    await cust.send(f"symptom {value}")
    await cust.press("完成")
    await cust.send(f"model {value}")
    await cust.press("使用")
    summary = cust.last().text
    for field in ("site", "symptom", "model"):
        assert f"{field} {value}" in summary, field
    await cust.press("确认提交")
    ticket = await h.ticket(1)
    assert ticket is not None
    assert (ticket.site, ticket.symptom, ticket.model) == (
        f"site {value}", f"symptom {value}", f"model {value}")
    assert (ticket.contact_name, ticket.contact_unit) == (value, value)
    receipt = cust.last().text
    assert f"symptom {value}" in receipt
    page = eng.find("新故障 #1")
    assert f"symptom {value}" in page.text and f"报障人: {value} · {value}" in page.text
    # The engineer's words reach the customer the same way.
    await eng.press("接单", message=page)
    await eng.send(f"/note 1 note {value}")
    await eng.send(f"/resolve 1 fixed {value}")
    await eng.press("其他")
    assert f"处理：fixed {value}" in cust.find("已修复").text
    await eng.send("/status 1")
    staff_view = eng.last().text
    assert f"note {value}" in staff_view and f"fixed {value}" in staff_view
    await cust.send("/status 1")
    assert f"symptom {value}" in cust.last().text
    await cust.send("/my")
    await eng.send("/queue")


async def test_hostile_text_when_nothing_waits(h: Harness) -> None:
    cust = await h.customer()
    for value in [*HOSTILE.values(), LONG]:
        await cust.send(value)
        assert cust.last().text == "如需报障请发送 /report；查看工单 /my；帮助 /help。"
    assert await h.draft(5001) is None and await h.ticket_count() == 0


async def test_emoji_filled_fields_at_their_limits_still_fit_in_every_message(
    h: Harness,
) -> None:
    """Emoji count twice in Telegram's 4096: every line (the phone to call!) must stay."""
    eng = await h.staff(1001)
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    await cust.send("👤" * 200)
    await cust.send("🏢" * 200)
    await cust.send("13900000000")
    await cust.send("/report")
    await cust.press("否")
    await cust.press("是")
    await cust.send("🏠" * 500)
    await cust.send("🔥" * 2000)
    await cust.press("完成")
    await cust.send("📷" * 200)
    await cust.press("使用")
    summary = cust.last().text
    rows = ("级别: ", "地点: 🏠", "现象: 🔥", "照片: 0", "型号: 📷", "电话: 13900000000")
    for label in rows:
        assert f"\n{label}" in summary, label
    await cust.press("确认提交")
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.symptom == "🔥" * 2000  # stored whole
    assert "现象: 🔥" in cust.last().text
    page = eng.find("新故障 #1")
    await eng.press("接单", message=page)
    card = eng.last()
    for message in (page, card):
        for label in ("地点: 🏠", "现象: 🔥", "型号: 📷", "报障人: 👤"):
            assert f"\n{label}" in message.text, label
        assert "🏢… · 13900000000\n" in message.text
        assert "到场时限: 16:00" in message.text
    await cust.send("/status 1")
    assert "报障（B 级）" in cust.last().text


# ---------------------------------------------------------------------------- too long
@pytest.mark.parametrize(
    ("step", "answer"),
    [
        ("site", TOO_LONG.format(500)),
        ("symptom", TOO_LONG.format(2000)),
        ("model", TOO_LONG.format(200)),
        ("phone", BAD_PHONE),
    ],
)
async def test_5000_characters_at_each_report_step(h: Harness, step: str, answer: str) -> None:
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    await cust.send(LONG)
    assert cust.last().text == answer
    assert await h.draft(5001) == before


@pytest.mark.parametrize("step", ["name", "unit", "phone"])
async def test_5000_characters_at_each_profile_step(h: Harness, step: str) -> None:
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    for answer in ("Name", "Unit")[: ("name", "unit", "phone").index(step)]:
        await cust.send(answer)
    await cust.send(LONG)
    assert cust.last().text == TOO_LONG.format(200)
    draft = await h.draft(5001)
    assert isinstance(draft, ProfileDraft) and draft.step == step


async def test_5000_characters_in_engineers_notes(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await eng.send(f"/note 1 {LONG}")
    assert eng.last().text == TOO_LONG.format(1000)
    await eng.send(f"/resolve 1 {LONG}")
    assert eng.last().text == TOO_LONG.format(1000)
    await eng.press("备注")
    await eng.send(LONG)
    assert eng.last().text == TOO_LONG.format(1000)
    await eng.send("/cancel")
    await eng.press("已修复")
    await eng.press("电源")
    await eng.send(LONG)
    assert eng.last().text == TOO_LONG.format(1000)
    draft = await h.draft(1001)
    assert isinstance(draft, WorkDraft) and draft.step == "resolution"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.ACCEPTED
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]


# ---------------------------------------------------------------------------- wrong kinds
WRONG_KINDS = [
    ("severity", "text", USE_BUTTONS),
    ("severity", "sticker", USE_BUTTONS),
    ("severity", "photo", USE_BUTTONS),
    ("partial", "voice", USE_BUTTONS),
    ("site", "sticker", WANT_SITE),
    ("site", "voice", WANT_SITE),
    ("site", "photo", WANT_SITE),
    ("site", "blank", WANT_SITE),
    ("symptom", "sticker", WANT_TEXT),
    ("symptom", "voice", WANT_TEXT),
    ("symptom", "photo", WANT_TEXT),
    ("symptom", "location", WANT_TEXT),
    ("symptom", "blank", WANT_TEXT),
    ("photos", "text", WANT_PHOTO),
    ("photos", "sticker", WANT_PHOTO),
    ("photos", "voice", WANT_PHOTO),
    ("photos", "location", WANT_PHOTO),
    ("model", "sticker", WANT_TEXT),
    ("model", "photo", WANT_TEXT),
    ("model", "voice", WANT_TEXT),
    ("phone", "sticker", BAD_PHONE),
    ("phone", "photo", BAD_PHONE),
    ("phone", "text", BAD_PHONE),
    ("confirm", "text", USE_BUTTONS),
    ("confirm", "sticker", USE_BUTTONS),
    ("confirm", "photo", USE_BUTTONS),
    ("edit", "voice", USE_BUTTONS),
]


@pytest.mark.parametrize(("step", "kind", "hint"), WRONG_KINDS)
async def test_wrong_kind_of_input_gets_a_hint_and_the_step_stays(
    h: Harness, step: str, kind: str, hint: str
) -> None:
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    await KINDS[kind](cust)
    assert cust.last().text == hint
    assert await h.draft(5001) == before
    assert await h.ticket_count() == 0


INVISIBLE = "\u200b\u200d\ufeff\u2060 \u200e"


@pytest.mark.parametrize(("step", "hint"), [("site", WANT_SITE), ("symptom", WANT_TEXT),
                                            ("model", WANT_TEXT), ("phone", BAD_PHONE)])
async def test_invisible_characters_only_count_as_no_answer(
    h: Harness, step: str, hint: str
) -> None:
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    await cust.send(INVISIBLE)
    assert cust.last().text == hint
    assert await h.draft(5001) == before


async def test_invisible_name_and_note_count_as_no_answer(h: Harness) -> None:
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    await cust.send(INVISIBLE)
    assert cust.last().text == WANT_TEXT
    draft = await h.draft(5001)
    assert isinstance(draft, ProfileDraft) and draft.step == "name" and draft.name == ""
    eng = await h.staff(1001)
    await cust.send("Name")
    await cust.send("Unit")
    await cust.send("13900000000")
    await h.report(cust)
    await eng.send("/take 1")
    await eng.press("备注")
    await eng.send(INVISIBLE)
    assert eng.last().text == WANT_TEXT
    assert [e.kind for e in await h.events(1)] == ["reported", "accepted"]


@pytest.mark.parametrize("kind", ["sticker", "voice", "photo", "location"])
async def test_wrong_kind_at_the_profile_steps(h: Harness, kind: str) -> None:
    cust = h.chat(5001, "Customer")
    await cust.send("/start VILLAGE2026")
    for step, answer in (("name", "Name"), ("unit", "Unit"), ("phone", "13900000000")):
        await KINDS[kind](cust)
        assert cust.last().text == WANT_TEXT
        draft = await h.draft(5001)
        assert isinstance(draft, ProfileDraft) and draft.step == step
        await cust.send(answer)
    user = await h.user(5001)
    assert user is not None and user.profile_done


async def test_wrong_kinds_when_nothing_waits(h: Harness) -> None:
    cust = await h.customer()
    stranger = h.chat(7777, "Stranger")
    await stranger.send("/start")
    eng = await h.staff(1001)
    assert stranger.texts() == [
        "欢迎使用 7×24 热线值班机器人。请通过项目的邀请链接加入（/start 邀请码）。"]
    for kind in ("sticker", "voice", "photo", "location", "text"):
        await KINDS[kind](cust)
        assert cust.last().text == "如需报障请发送 /report；查看工单 /my；帮助 /help。"
        await h.tick(hours=1)  # a stranger is answered once an hour (the guard's quiet period)
        await KINDS[kind](stranger)
        assert stranger.last().text.startswith("您还没有加入任何项目。")
        await KINDS[kind](eng)
        assert eng.last().text.startswith("值班命令")


# ---------------------------------------------------------------------------- commands
@pytest.mark.parametrize("step", ["severity", "site", "symptom", "photos", "confirm"])
async def test_commands_in_the_middle_of_the_report(h: Harness, step: str) -> None:
    cust = await h.customer()
    await h.report_until(cust, step)
    before = await h.draft(5001)
    # The busy commands also repeat the pending question (tests/dialog/test_urgent_first.py).
    for command, lead in [
        ("/report", BUSY),
        ("/start", RESUME),
        ("/start VILLAGE2026", RESUME),
        ("/profile", BUSY),
    ]:
        count = cust.count()
        await cust.send(command)
        assert cust.since(count)[0] == lead, command
    for command, answer in [
        ("/frobnicate", UNKNOWN),
        ("/status 1", "找不到工单 #1。"),
        ("/my", "我的未结工单\n（无）"),
        ("/take 1", STAFF_ONLY),
    ]:
        await cust.send(command)
        assert cust.last().text == answer, command
    await cust.send("/help")
    assert cust.last().text.startswith("客户命令")
    assert await h.draft(5001) == before
    assert await h.ticket_count() == 0


async def test_the_dialog_goes_on_after_an_interruption(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "symptom")
    await cust.send("/my")
    await cust.send("/nonsense")
    await cust.send("Screen is black")
    assert cust.last().text.startswith("如有照片请发送")
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.symptom == "Screen is black"


async def test_unknown_commands(h: Harness) -> None:
    cust = await h.customer()
    stranger = h.chat(7777, "Stranger", "en")
    await stranger.send("/start")
    eng = await h.staff(1001)
    for chat in (cust, eng):
        await chat.send("/frobnicate now")
        assert chat.last().text == UNKNOWN
        await chat.send("/" + "x" * 5000)
        assert chat.last().text == UNKNOWN
    await h.tick(hours=1)  # a stranger is answered once an hour (the guard's quiet period)
    await stranger.send("/frobnicate")
    assert stranger.last().text == "I don't know that command. Send /help for the list."


async def test_start_with_a_wrong_invite_registers_nothing(h: Harness) -> None:
    stranger = h.chat(7777, "Stranger")
    await stranger.send("/start WRONG2026")
    assert stranger.last().text == "邀请码无效。请使用项目给您的邀请链接，或联系客户经理。"
    for invite in (HTML, "x" * 5000, "VILLAGE2026x", "VILLAGE 2026"):
        await stranger.send(f"/start {invite}")
        assert stranger.last().text.startswith("邀请码无效")
    user = await h.user(7777)
    assert user is not None and user.project_key is None and not user.profile_done
    assert await h.draft(7777) is None
    await stranger.send("/report")
    assert stranger.last().text == (
        "欢迎使用 7×24 热线值班机器人。请通过项目的邀请链接加入（/start 邀请码）。")
    await h.tick(hours=1)  # a stranger is answered once an hour (the guard's quiet period)
    await stranger.send("/profile")
    assert stranger.last().text.startswith("您还没有加入任何项目。")
    await h.tick(hours=1)
    await stranger.send("/my")
    assert stranger.last().text == "我的未结工单\n（无）"
    assert await h.draft(7777) is None and await h.ticket_count() == 0


# ---------------------------------------------------------------------------- buttons
async def test_a_stale_severity_button_after_the_step_moved_on(h: Harness) -> None:
    cust = await h.customer()
    await cust.send("/report")
    whole = cust.find("整个系统")
    await cust.press("否", message=whole)
    partial = cust.find("部分设备")
    for data in ("sev:whole:1", "sev:whole:0"):
        await cust.press_data(whole.message_id, data)
        assert cust.toast() == STALE
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.answers == {"whole": False}
    await cust.press("是", message=partial)
    assert partial.buttons() == []
    count = cust.count()
    for message, data in ((whole, "sev:whole:1"), (partial, "sev:partial:0")):
        await cust.press_data(message.message_id, data)
        assert cust.toast() == STALE
    assert cust.count() == count
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft)
    assert draft.level == "B" and draft.step == "site"
    assert draft.answers == {"whole": False, "partial": True}


async def test_a_severity_question_not_yet_asked_cannot_be_answered(h: Harness) -> None:
    """Forged: answering the second question while the first is asked."""
    cust = await h.customer()
    await cust.send("/report")
    whole = cust.find("整个系统")
    await cust.press_data(whole.message_id, "sev:partial:1")
    assert cust.toast() == STALE
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.answers == {} and draft.step == "severity"
    assert whole.buttons() == [("是", "sev:whole:1"), ("否", "sev:whole:0")]


FORGED = [
    "tk:acc:abc",
    "sev:whole:7",
    "sev:nothing:1",
    "zzz",
    "x" * 64,
    "🔥" * 16,
    "tk:zzz:1",
    "tk:acc:1:extra",
    "rep:confirm:edit_level",
    "rep:confirm:ok:99",
    "rep:confirm:ok:abc",
    "rep:confirm:ok:" + "9" * 50,
    "rep:site:ok",
    "rep:photos:done:1",
    "cause:1:meteor",
    "cust:1:maybe",
    "cust:abc:fixed",
    "hov:abc:y",
    "hov:1:maybe",
    "hto:x:eng2",
    ":::",
    "",
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_callback_data_is_refused_politely(h: Harness, data: str) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await h.report_until(cust, "symptom")
    card = eng.last()
    ticket_before, draft_before = await h.ticket(1), await h.draft(5001)
    counts = (eng.count(), cust.count())
    await cust.press_data(cust.last().message_id, data)
    assert cust.toast() == STALE
    await eng.press_data(card.message_id, data)
    assert eng.toast() == STALE
    assert (eng.count(), cust.count()) == counts
    assert await h.ticket(1) == ticket_before and await h.draft(5001) == draft_before
    assert await h.ticket_count() == 1


@pytest.mark.parametrize(
    "data",
    ["tk:acc:999999", "tk:acc:0", "tk:acc:-1", "tk:onw:999999", "tk:acc:" + "9" * 57,
     "tk:res:" + "9" * 30, "cust:" + "9" * 30 + ":fixed", "hto:" + "9" * 30 + ":eng2",
     "hov:" + "9" * 30 + ":y", "cause:" + "9" * 30 + ":power"],
)
async def test_forged_ticket_numbers_get_an_answer(h: Harness, data: str) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    ticket_before = await h.ticket(1)
    for chat in (eng, cust):
        count = chat.count()
        await chat.press_data(chat.last().message_id, data)
        assert chat.answered(), data
        assert chat.toast() in (STALE, STAFF_ONLY, "找不到这张工单，或您无权处理。"), chat.toast()
        assert chat.count() == count
    assert await h.ticket(1) == ticket_before


async def test_staff_buttons_pressed_by_a_customer(h: Harness) -> None:
    """A customer presses the buttons of a forwarded page, card or offer."""
    eng1, eng2 = await h.staff(1001), await h.staff(1002)
    cust = await h.customer()
    await h.report(cust)
    carrier = cust.last()  # a forwarded message lands in the customer's own chat
    page = eng2.find("新故障 #1")
    for label, data in page.buttons():
        await cust.press_data(carrier.message_id, data)
        assert cust.toast() == STAFF_ONLY, label
    await eng1.send("/take 1")
    card = eng1.last()
    await eng1.press("转交", message=card)
    choices = eng1.last()
    await eng1.press("Engineer Two", message=choices)
    offer = eng2.last()
    ticket_before = await h.ticket(1)
    counts = (eng1.count(), eng2.count(), cust.count())
    for message in (card, choices, offer):
        for label, data in message.buttons() or [("Engineer Two", "hto:1:eng2")]:
            await cust.press_data(carrier.message_id, data)
            assert cust.toast() == STAFF_ONLY, label
    for data in ("cause:1:power", "cause:1:other"):
        await cust.press_data(carrier.message_id, data)
        assert cust.toast() == STALE
    assert (eng1.count(), eng2.count(), cust.count()) == counts
    assert await h.ticket(1) == ticket_before
    assert await h.draft(5001) is None


async def test_customer_buttons_pressed_by_someone_else(h: Harness) -> None:
    eng = await h.staff(1001)
    c1 = await h.customer(5001)
    c2 = await h.customer(5002)
    await h.report(c1)
    await eng.send("/take 1")
    await eng.send("/resolve 1 Fixed")
    await eng.press("其他")
    verdict = c1.last()
    for chat in (c2, eng):
        for _, data in verdict.buttons():
            await chat.press_data(chat.last().message_id, data)
            assert chat.toast() == "这不是您的工单。"
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.RESOLVED and ticket.reopen_count == 0
    # A customer's report buttons pressed by an engineer do nothing either.
    await h.report_until(c2, "confirm")
    summary = c2.last()
    for _, data in summary.buttons():
        await eng.press_data(summary.message_id, data)
        assert eng.toast() == STALE
    assert await h.ticket_count() == 1
    await c2.press("确认提交")
    assert await h.ticket_count() == 2


async def test_double_presses(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report_until(cust, "photos")
    ask_photos = cust.last()
    await cust.press("完成")
    await cust.press_data(ask_photos.message_id, "rep:photos:done")
    assert cust.toast() == STALE
    ask_model = cust.last()
    await cust.press("跳过")
    await cust.press_data(ask_model.message_id, "rep:model:skip")
    assert cust.toast() == STALE
    ask_phone = cust.last()
    await cust.press("使用")
    await cust.press_data(ask_phone.message_id, "rep:phone:keep")
    assert cust.toast() == STALE
    summary = cust.last()
    await cust.press_data(summary.message_id, "rep:confirm:ok")
    await cust.press_data(summary.message_id, "rep:confirm:ok")
    assert cust.toast() == STALE
    await cust.press_data(summary.message_id, "rep:confirm:cancel")
    assert cust.toast() == STALE
    assert await h.ticket_count() == 1
    assert sum("已受理" in t for t in cust.texts()) == 1
    assert sum("新故障 #" in t for t in eng.texts()) == 1
    draft = await h.draft(5001)
    assert draft is None
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.status == Status.NEW


async def test_stale_step_buttons_within_one_report(h: Harness) -> None:
    """The Done button of the photos step pressed again while the summary is shown."""
    cust = await h.customer()
    await h.report_until(cust, "photos")
    await cust.photo("P1")
    first_done = cust.find("如有照片请发送")
    await cust.press("完成")  # on the "1 photo received" message
    await cust.press("跳过")
    await cust.press("使用")
    before = await h.draft(5001)
    await cust.press_data(first_done.message_id, "rep:photos:done")
    assert cust.toast() == STALE
    assert await h.draft(5001) == before


async def test_double_press_on_edit_and_presses_on_an_old_summary(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "confirm")
    summary = cust.last()
    await cust.press_data(summary.message_id, "rep:confirm:edit")
    await cust.press_data(summary.message_id, "rep:confirm:edit")  # a fast double tap
    assert cust.toast() == STALE
    assert sum(t == "要修改哪一项？" for t in cust.texts()) == 1
    edit = cust.last()
    await cust.press("现象", message=edit)
    await cust.send("New symptom")
    new_summary = cust.last()
    assert "现象: New symptom" in new_summary.text
    # The first summary and the first list are over: their buttons do nothing.
    for data in ("rep:confirm:ok", "rep:confirm:edit", "rep:confirm:cancel"):
        await cust.press_data(summary.message_id, data)
        assert cust.toast() == STALE, data
    for data in ("rep:confirm:edit_site", "rep:confirm:edit_symptom"):
        await cust.press_data(edit.message_id, data)
        assert cust.toast() == STALE, data
    assert await h.ticket_count() == 0
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "confirm"
    await cust.press("确认提交", message=new_summary)
    ticket = await h.ticket(1)
    assert ticket is not None and ticket.symptom == "New symptom"


async def test_a_field_cannot_be_picked_without_the_list(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "confirm")
    summary = cust.last()
    await cust.press_data(summary.message_id, "rep:confirm:edit_site")
    assert cust.toast() == STALE
    draft = await h.draft(5001)
    assert isinstance(draft, ReportDraft) and draft.step == "confirm" and not draft.editing
    await cust.press("确认提交", message=summary)
    assert await h.ticket_count() == 1
