"""The guard (bot/telegram/guard.py): a flooding client, strangers, payloads the bot does not
expect, and groups it was not meant to be in; each asserted on what is sent and what is
written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage.uow import unit_of_work
from tests.dialog.harness import BOT_ID, Harness
from tests.support.configs import OTHER_PROJECT, hotline_config, project_toml

SLOW = "⏳ 消息太多太快，请稍等片刻再发送。刚才多余的消息已忽略。"
IDLE = "如需报障请发送 /report；查看工单 /my；帮助 /help。"
STALE = "这个按钮已失效，请使用最新的消息。"
NOT_REGISTERED = "您还没有加入任何项目。请通过项目的邀请链接加入（/start 邀请码）。"
NEED_INVITE = "欢迎使用 7×24 热线值班机器人。请通过项目的邀请链接加入（/start 邀请码）。"
FOREIGN = "本机器人只服务于已配置的项目群组，现在退出此群。"
TEAM_GROUP = -100777
RANDOM_GROUP = -100555
BURST = 20  # the default [guard] burst


@pytest.fixture
async def production(tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with the default [guard] limits (other dialog tests lift the burst) and a
    project whose team group is TEAM_GROUP."""
    village = project_toml(on_duty=["eng1", "eng2"], members=["eng3"], escalation=["cm", "pm"],
                           extra=f"group_chat_id = {TEAM_GROUP}\n")
    harness = Harness(tmp_path, hotline_config(projects=[village, OTHER_PROJECT],
                                               guard_burst=None))
    await harness.start()
    yield harness
    await harness.stop()
    assert harness.request.refused == [], harness.request.refused


async def rows(h: Harness) -> dict[str, int]:
    """Rows in every table of the database."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ) as cur:
            tables = [r[0] for r in await cur.fetchall()]
        counts = {}
        for table in tables:
            async with uow.conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
                row = await cur.fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


async def outbox_rows(h: Harness, chat_id: int) -> int:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
    return int(row[0]) if row else 0


def sent_since(h: Harness, mark: int) -> list[tuple[int, str]]:
    """(chat, text) of each message sent after `mark` calls, in the order sent."""
    return [(int(p["chat_id"]), str(p["text"])) for api, p in h.request.calls[mark:]
            if api == "sendMessage"]


def user_json(user_id: int, name: str = "User") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh"}


# ---------------------------------------------------------------------------- floods
async def test_a_flood_of_messages_gets_one_slow_down_and_cannot_fill_the_outbox(
    production: Harness,
) -> None:
    h = production
    flooder = await h.customer(5001)
    other = await h.customer(5002, name="Customer Two")
    await h.tick(minutes=1)  # joining used some of their buckets: full again
    outbox_before = await outbox_rows(h, 5001)
    mark = len(h.request.calls)
    # 100 messages of a stuck client at one instant, and another customer's in the middle.
    burst = [flooder.text_update(f"hello {i}") for i in range(100)]
    await h.feed_all([*burst[:50], other.text_update("hello"), *burst[50:]])
    sent = sent_since(h, mark)
    to_flooder = [text for chat, text in sent if chat == 5001]
    assert to_flooder.count(SLOW) == 1
    assert to_flooder.count(IDLE) == BURST  # the rest were refused before the database
    assert await outbox_rows(h, 5001) - outbox_before == BURST
    # The other customer's reply went out in the sender's first round, not after the flood.
    assert (5002, IDLE) in sent[:3], sent[:5]
    # Calm again: answered as usual, and no second warning.
    await h.tick(minutes=1)
    await flooder.send("hello")
    assert flooder.last().text == IDLE
    assert flooder.texts().count(SLOW) == 1


async def test_a_flood_goes_on_yet_is_warned_about_once(production: Harness) -> None:
    h = production
    flooder = await h.customer(5001)
    await h.tick(minutes=1)
    for _ in range(5):
        await h.feed_all([flooder.text_update("x") for _ in range(100)])
        await h.tick(seconds=1)
    texts = flooder.texts()
    assert texts.count(SLOW) == 1
    # 20 at once, then about one a second.
    assert BURST + 3 <= texts.count(IDLE) <= BURST + 5


async def test_a_flood_of_button_presses_gets_one_slow_down_toast(production: Harness) -> None:
    h = production
    flooder = await h.customer(5001)
    await h.tick(minutes=1)
    mark = len(h.request.calls)
    for _ in range(100):
        await flooder.press_data(0, "zz:forged")
    toasts = [p.get("text") for api, p in h.request.calls[mark:]
              if api == "answerCallbackQuery"]
    assert toasts.count(SLOW) == 1
    assert toasts.count(STALE) == BURST
    assert len(toasts) == BURST + 1  # the rest cost not even an answer
    assert sent_since(h, mark) == []


# ---------------------------------------------------------------------------- strangers
async def test_a_stranger_is_answered_once_and_repeats_write_nothing(h: Harness) -> None:
    stranger = h.chat(7777, "Stranger")
    await stranger.send("/start")  # opening the bot (Telegram sends /start) is the answer
    assert stranger.texts() == [NEED_INVITE]
    before = await rows(h)
    for i in range(30):
        await stranger.send(f"hello {i}")
    await stranger.sticker()
    await stranger.photo()
    await stranger.send("/report")
    await stranger.send("/my")
    await stranger.press_data(0, "acc:1")
    assert await rows(h) == before  # not a row more, in any table
    assert stranger.texts() == [NEED_INVITE]
    assert stranger.answered()  # the pressed button's spinner stopped all the same
    # The ways in always get through: their id for the operator, and an invite.
    await stranger.send("/whoami")
    assert stranger.last().text == "您的 Telegram 用户 ID：7777"
    await stranger.send("/start VILLAGE2026")
    assert "姓名" in stranger.last().text
    await stranger.send("Stranger Name")  # now a customer: the dialog goes on
    assert "单位" in stranger.last().text
    user = await h.user(7777)
    assert user is not None and user.project_key == "village"


async def test_a_stranger_is_answered_again_after_the_quiet_period(h: Harness) -> None:
    stranger = h.chat(7777, "Stranger")
    await stranger.send("/start")
    await stranger.send("hello")
    assert stranger.texts() == [NEED_INVITE]
    await h.tick(minutes=59)
    await stranger.send("still there?")
    assert stranger.texts() == [NEED_INVITE]
    await h.tick(minutes=1)
    await stranger.send("hello?")
    assert stranger.texts() == [NEED_INVITE, NOT_REGISTERED]


async def test_staff_and_customers_are_never_treated_as_strangers(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    for _ in range(3):
        await cust.send("hello")
        assert cust.last().text == IDLE
        await eng.send("/mine")
    assert len(eng.texts()) == 4


# ---------------------------------------------------------------------------- payloads
async def test_payloads_the_bot_does_not_expect_are_ignored(h: Harness) -> None:
    cust = await h.customer()
    await h.report_until(cust, "site")
    draft = await h.draft(5001)
    before = await rows(h)
    mark = len(h.request.calls)
    user = user_json(5001, "Customer")
    channel = {"id": -100900, "type": "channel", "title": "News"}
    group = {"id": RANDOM_GROUP, "type": "supergroup", "title": "Elsewhere"}
    edited = {**cust.text_update("Village 3 office")["message"], "edit_date": 1_790_000_100}
    for update in (
        {"edited_message": edited},
        {"channel_post": {"message_id": 1, "date": 1_790_000_000, "chat": channel,
                          "text": "/report"}},
        {"edited_channel_post": {"message_id": 1, "date": 1_790_000_000, "chat": channel,
                                 "text": "x", "edit_date": 1_790_000_100}},
        {"inline_query": {"id": "41", "from": user, "query": "#1", "offset": ""}},
        {"chosen_inline_result": {"result_id": "1", "from": user, "query": "#1"}},
        {"message": {"message_id": 5, "date": 1_790_000_000, "chat": group, "from": user,
                     "text": "/report",
                     "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}},
        {"message": {"message_id": 6, "date": 1_790_000_000, "chat": group,
                     "from": {"id": 4242, "is_bot": True, "first_name": "OtherBot"},
                     "text": "hi"}},
    ):
        await h.feed(update)
    assert h.request.calls[mark:] == []
    assert await rows(h) == before
    assert await h.draft(5001) == draft  # an edit is not taken for the answer
    await cust.send("Village 3 office")  # the dialog itself goes on
    assert (await h.draft(5001)) != draft


# ---------------------------------------------------------------------------- groups
ADMIN_RIGHTS = (
    "can_be_edited is_anonymous can_manage_chat can_delete_messages can_manage_video_chats "
    "can_restrict_members can_promote_members can_change_info can_invite_users "
    "can_post_stories can_edit_stories can_delete_stories"
).split()


def member_update(chat: dict[str, Any], old: str, new: str, by: int = 5001) -> dict[str, Any]:
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "Hotline Bot"}

    def member(status: str) -> dict[str, Any]:
        data: dict[str, Any] = {"user": bot, "status": status}
        if status == "administrator":  # every right Telegram lists, none granted
            data.update({right: False for right in ADMIN_RIGHTS})
        if status == "kicked":
            data["until_date"] = 0
        return data

    return {"my_chat_member": {
        "chat": chat, "from": user_json(by), "date": 1_790_000_000,
        "old_chat_member": member(old), "new_chat_member": member(new)}}


async def test_added_to_a_random_group_it_says_so_once_and_leaves(production: Harness) -> None:
    h = production
    before = await rows(h)
    h.request.started.add(RANDOM_GROUP)  # Telegram: the bot is a member now
    group = {"id": RANDOM_GROUP, "type": "supergroup", "title": "Elsewhere"}
    await h.feed(member_update(group, "left", "member"))
    assert [m.text for m in h.request.chat(RANDOM_GROUP)] == [FOREIGN]
    leaves = [p for api, p in h.request.calls if api == "leaveChat"]
    assert [int(p["chat_id"]) for p in leaves] == [RANDOM_GROUP]
    assert RANDOM_GROUP not in h.request.started
    # Telegram then tells the bot it left: nothing more is said or done.
    await h.feed(member_update(group, "member", "left"))
    assert len(h.request.chat(RANDOM_GROUP)) == 1
    assert len([1 for api, _ in h.request.calls if api == "leaveChat"]) == 1
    assert await rows(h) == before


async def test_a_channel_is_left_without_a_word(production: Harness) -> None:
    h = production
    h.request.started.add(-100900)
    channel = {"id": -100900, "type": "channel", "title": "News"}
    await h.feed(member_update(channel, "left", "administrator"))
    assert h.request.chat(-100900) == []
    assert [int(p["chat_id"]) for api, p in h.request.calls if api == "leaveChat"] == [-100900]


async def test_the_team_group_and_private_chats_are_stayed_in(production: Harness) -> None:
    h = production
    mark = len(h.request.calls)
    h.request.started.add(TEAM_GROUP)
    team = {"id": TEAM_GROUP, "type": "supergroup", "title": "Team"}
    await h.feed(member_update(team, "left", "member", by=1001))
    await h.feed(member_update(team, "member", "administrator", by=1001))
    private = {"id": 5001, "type": "private", "first_name": "Customer"}
    await h.feed(member_update(private, "member", "kicked"))  # a user blocked the bot
    await h.feed(member_update(private, "kicked", "member"))
    assert h.request.calls[mark:] == []
