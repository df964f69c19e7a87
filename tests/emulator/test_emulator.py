"""Tests for the strict Bot API emulator, driven through a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Keyboard
from telegram.constants import MessageEntityType, ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.clock import FakeClock
from bot.sandbox.emulator import (
    NOT_MODIFIED,
    QUERY_INVALID,
    BotApiEmulator,
    ChatMessage,
    FloodLimits,
)
from bot.sandbox.html_check import (
    HtmlParseError,
    MarkdownParseError,
    parse_html,
    parse_markdown_v2,
    utf16_len,
)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456:TEST-TOKEN"
BOT_ID = 123456
USER = 1001
OTHER = 1002


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.add_user(USER, "Tester", username="tester_one")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def started(emu: BotApiEmulator) -> BotApiEmulator:
    emu.send_text(USER, "/start")
    return emu


def last_refusal(emu: BotApiEmulator) -> dict[str, Any]:
    assert emu.refusals, "expected a refused call"
    return emu.refusals[-1]


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def keyboard(*pairs: tuple[str, str]) -> Keyboard:
    return Keyboard([[Button(text, callback_data=data) for text, data in pairs]])


# --------------------------------------------------------------------------- basics


async def test_get_me_through_ptb(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        BOT_ID,
        True,
        "Hotline Bot",
        "hotline_test_bot",
    )
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/bot"
    assert emu.port > 0


async def test_wrong_token_unknown_method_and_case_insensitive_names(
    emu: BotApiEmulator,
) -> None:
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{emu.base_url}999:WRONG/getMe")
        unknown = await client.get(f"{emu.base_url}{TOKEN}/fooBar")
        lower = await client.get(f"{emu.base_url}{TOKEN}/getme")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert unknown.status_code == 404
    assert unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert lower.status_code == 200
    assert lower.json()["result"]["id"] == BOT_ID
    assert [c["method"] for c in emu.calls] == ["getMe", "fooBar", "getMe"]
    assert [c["ok"] for c in emu.calls] == [False, False, True]


async def test_ptb_with_wrong_token_raises_invalid_token(emu: BotApiEmulator) -> None:
    wrong_bot = Bot("999:WRONG", base_url=emu.base_url)
    with pytest.raises(InvalidToken):
        await wrong_bot.initialize()


async def test_send_message_html_with_inline_keyboard(started: BotApiEmulator, bot: Bot) -> None:
    markup = Keyboard(
        [
            [Button("Ack", callback_data="ack:1"), Button("Docs", url="https://example.com/d")],
        ]
    )
    sent = await bot.send_message(
        USER,
        "<b>Alert</b>: disk &amp; <i>cpu</i> &lt;90%&gt;",
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
    )
    assert sent.text == "Alert: disk & cpu <90%>"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        (MessageEntityType.BOLD, 0, 5),
        (MessageEntityType.ITALIC, 14, 3),
    ]
    assert sent.from_user is not None
    assert (sent.from_user.id, sent.from_user.is_bot) == (BOT_ID, True)
    assert (sent.chat.id, sent.chat.type, sent.chat.first_name) == (USER, "private", "Tester")
    assert sent.message_id == 2  # the user's /start is message 1
    assert sent.date.year >= 2024
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "ack:1"
    assert sent.reply_markup.inline_keyboard[0][1].url == "https://example.com/d"

    stored = started.last_bot_message(USER)
    assert stored is not None
    assert stored.message_id == 2
    assert stored.html == "<b>Alert</b>: disk &amp; <i>cpu</i> &lt;90%&gt;"
    assert stored.parse_mode == "HTML"
    assert stored.text == "Alert: disk & cpu <90%>"
    assert stored.buttons() == [("Ack", "ack:1"), ("Docs", "")]
    assert stored.button_data("Ac") == "ack:1"
    assert [m.from_bot for m in started.chat(USER)] == [False, True]
    assert started.calls[-1]["params"]["reply_markup"]["inline_keyboard"][0][0] == {
        "text": "Ack",
        "callback_data": "ack:1",
    }


async def test_ptb_application_round_trip(emu: BotApiEmulator) -> None:
    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            "<b>Welcome</b>, report a fault?", reply_markup=keyboard(("Go", "go"))
        )

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text(f"chosen: {query.data}")

    app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_button))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=2)
        emu.send_text(USER, "/start")
        welcome = await emu.wait_for_message(USER, "Welcome", timeout=5)
        query_id = emu.press(USER, welcome.message_id, welcome.button_data("Go"))
        answer = await emu.wait_for_callback_answer(query_id, timeout=5)
        chosen = await emu.wait_for_message(USER, "chosen: go", timeout=5)
        await app.updater.stop()
        await app.stop()
    assert answer["text"] == "ok"
    assert chosen.message_id == welcome.message_id
    assert chosen.entities == []
    assert emu.refusals == []  # the abandoned long poll at shutdown is not a refusal
    assert emu.pending_updates() == []  # the updater confirmed everything on shutdown
    methods = {c["method"] for c in emu.calls}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= methods


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("警报 <br>", 'Unsupported start tag "br" at byte offset 7'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_bad_html_is_refused_like_telegram(
    started: BotApiEmulator, bot: Bot, html: str, reason: str
) -> None:
    with pytest.raises(BadRequest) as error:
        await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    description = f"Bad Request: can't parse entities: {reason}"
    assert error.value.message == description.removeprefix("Bad Request: ").capitalize()
    refusal = last_refusal(started)
    assert refusal["method"] == "sendMessage"
    assert refusal["error_code"] == 400
    assert refusal["description"] == description
    assert started.bot_messages(USER) == []


async def test_strict_html_refuses_unescaped_ampersand_and_anchor_without_href(
    started: BotApiEmulator, bot: Bot
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "Q&A session", parse_mode=ParseMode.HTML)
    assert last_refusal(started)["description"].startswith(
        'Bad Request: can\'t parse entities: Unescaped "&" at byte offset 1'
    )
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "<a>https://example.com</a>", parse_mode=ParseMode.HTML)
    assert last_refusal(started)["description"] == (
        "Bad Request: can't parse entities: "
        'Tag "a" must have a non-empty attribute "href" at byte offset 0'
    )
    # without parse_mode the same text is sent as is
    plain = await bot.send_message(USER, "Q&A <b>")
    assert plain.text == "Q&A <b>"
    assert plain.entities == ()


async def test_markdown_v2_reserved_characters(started: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "*Done*.", parse_mode=ParseMode.MARKDOWN_V2)
    assert last_refusal(started)["description"] == (
        "Bad Request: can't parse entities: "
        "Character '.' is reserved and must be escaped with the preceding '\\'"
    )
    sent = await bot.send_message(USER, "*Done*\\. 1\\-2", parse_mode=ParseMode.MARKDOWN_V2)
    assert sent.text == "Done. 1-2"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        (MessageEntityType.BOLD, 0, 4)
    ]


async def test_text_length_is_counted_in_utf16_after_parsing(
    started: BotApiEmulator, bot: Bot
) -> None:
    assert (await bot.send_message(USER, "a" * 4096)).text == "a" * 4096
    emoji = "😀" * 2048  # 2048 characters, 4096 UTF-16 code units
    assert utf16_len(emoji) == 4096
    assert (await bot.send_message(USER, emoji)).text == emoji
    tagged = await bot.send_message(USER, "<b>" + "b" * 4096 + "</b>", parse_mode="HTML")
    assert tagged.text == "b" * 4096

    for too_long in ("a" * 4097, emoji + "a"):
        with pytest.raises(BadRequest):
            await bot.send_message(USER, too_long)
        assert last_refusal(started)["description"] == "Bad Request: message is too long"
    assert len(started.bot_messages(USER)) == 3


async def test_empty_text_and_whitespace_trimming(started: BotApiEmulator, bot: Bot) -> None:
    for empty in ("<b></b>", " \n "):
        with pytest.raises(BadRequest):
            await bot.send_message(USER, empty, parse_mode=ParseMode.HTML)
        assert last_refusal(started)["description"] == "Bad Request: message text is empty"
    sent = await bot.send_message(USER, "\n <b>hi</b> \n", parse_mode=ParseMode.HTML)
    assert sent.text == "hi"
    assert [(e.offset, e.length) for e in sent.entities] == [(0, 2)]


async def test_caption_limit(started: BotApiEmulator, bot: Bot) -> None:
    photo = started.send_photo(USER)["photo"][-1]["file_id"]
    with pytest.raises(BadRequest):
        await bot.send_photo(USER, photo, caption="c" * 1025)
    assert last_refusal(started)["description"] == "Bad Request: message caption is too long"
    sent = await bot.send_photo(USER, photo, caption="c" * 1024)
    assert sent.caption == "c" * 1024


@pytest.mark.parametrize(
    ("button", "description"),
    [
        (Button("x", callback_data="é" * 33), "Bad Request: BUTTON_DATA_INVALID"),  # 66 bytes
        (Button("x", callback_data=""), "Bad Request: BUTTON_DATA_INVALID"),
        (
            Button("x"),
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (Button("", callback_data="ok"), "Bad Request: BUTTON_TEXT_EMPTY"),
        (Button("x", url="not a url"), "Bad Request: BUTTON_URL_INVALID"),
    ],
)
async def test_invalid_inline_keyboards_are_refused(
    started: BotApiEmulator, bot: Bot, button: Button, description: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "pick", reply_markup=Keyboard([[button]]))
    assert last_refusal(started)["description"] == description
    assert started.bot_messages(USER) == []


async def test_callback_data_limit_is_in_bytes(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard(("x", "é" * 32)))
    assert started.chat(USER)[-1].buttons() == [("x", "é" * 32)]
    assert sent.reply_markup is not None


async def test_users_who_did_not_start_or_blocked_the_bot(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(Forbidden) as not_started:
        await bot.send_message(USER, "hello")
    assert not_started.value.message == "Forbidden: bot can't initiate conversation with a user"
    assert last_refusal(emu)["error_code"] == 403

    emu.send_text(USER, "/start deep-link-payload")
    await bot.send_message(USER, "welcome")

    emu.block(USER)
    with pytest.raises(Forbidden) as blocked:
        await bot.send_message(USER, "still there?")
    assert blocked.value.message == "Forbidden: bot was blocked by the user"
    with pytest.raises(ValueError, match="blocked"):
        emu.send_text(USER, "hi")
    emu.unblock(USER)
    await bot.send_message(USER, "back")

    with pytest.raises(BadRequest) as unknown:
        await bot.send_message(424242, "who?")
    assert unknown.value.message == "Chat not found"
    assert last_refusal(emu)["description"] == "Bad Request: chat not found"
    assert [m.text for m in emu.bot_messages(USER)] == ["welcome", "back"]

    updates = await bot.get_updates()
    members = [u.my_chat_member for u in updates if u.my_chat_member is not None]
    assert [(m.old_chat_member.status, m.new_chat_member.status) for m in members] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]


# --------------------------------------------------------------------------- flood and errors


async def test_injected_flood_raises_retry_after(started: BotApiEmulator, bot: Bot) -> None:
    started.inject_flood(1, retry_after=7)
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(USER, "one")
    assert retry_seconds(error.value) == 7
    assert last_refusal(started)["description"] == "Too Many Requests: retry after 7"
    assert last_refusal(started)["error_code"] == 429
    await bot.send_message(USER, "one")  # the injection is used up

    started.inject_flood(1, retry_after=2, method="editMessageText")
    sent = await bot.send_message(USER, "two")  # other methods are not affected
    with pytest.raises(RetryAfter) as edit_error:
        await bot.edit_message_text("two!", chat_id=USER, message_id=sent.message_id)
    assert retry_seconds(edit_error.value) == 2
    assert [m.text for m in started.bot_messages(USER)] == ["one", "two"]


async def test_private_chat_bucket_with_fake_clock() -> None:
    clock = FakeClock()
    limits = FloodLimits(chat_burst=3, chat_per_second=0.3)
    async with BotApiEmulator(TOKEN, flood=limits, clock=clock) as emu:
        emu.add_user(USER, "Tester")
        emu.send_text(USER, "/start")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            for n in range(3):
                await bot.send_message(USER, f"burst {n}")
            with pytest.raises(RetryAfter) as first:
                await bot.send_message(USER, "over")
            assert retry_seconds(first.value) == 4  # 1 / 0.3 = 3.33 s, rounded up
            clock.advance(dtm.timedelta(seconds=3))  # 0.9 tokens: still 0.33 s to wait
            with pytest.raises(RetryAfter) as second:
                await bot.send_message(USER, "over")
            assert retry_seconds(second.value) == 1
            clock.advance(dtm.timedelta(seconds=0.4))
            await bot.send_message(USER, "after waiting")
        assert len(emu.bot_messages(USER)) == 4


async def test_global_bucket_spans_chats() -> None:
    clock = FakeClock()
    async with BotApiEmulator(
        TOKEN, flood=FloodLimits(global_per_second=2, chat_burst=10), clock=clock
    ) as emu:
        for user_id in (USER, OTHER):
            emu.add_user(user_id, "Tester")
            emu.send_text(user_id, "/start")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            await bot.send_message(USER, "a")
            await bot.send_message(OTHER, "b")
            with pytest.raises(RetryAfter) as error:
                await bot.send_message(USER, "c")
            assert retry_seconds(error.value) == 1
            clock.advance(dtm.timedelta(seconds=0.5))
            await bot.send_message(OTHER, "d")


async def test_flood_control_can_be_disabled() -> None:
    async with BotApiEmulator(TOKEN, flood=FloodLimits(enabled=False)) as emu:
        emu.add_user(USER, "Tester")
        emu.send_text(USER, "/start")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            for n in range(25):
                await bot.send_message(USER, str(n))
        assert len(emu.bot_messages(USER)) == 25


async def test_default_limits_refuse_the_21st_burst_message(
    started: BotApiEmulator, bot: Bot
) -> None:
    for n in range(20):
        await bot.send_message(USER, str(n))
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(USER, "21st")
    assert retry_seconds(error.value) == 1


async def test_server_error_surfaces_as_network_error(started: BotApiEmulator, bot: Bot) -> None:
    started.inject_server_error(1)
    with pytest.raises(NetworkError) as error:
        await bot.send_message(USER, "lost")
    assert type(error.value) is NetworkError
    assert "Bad Gateway" in error.value.message
    assert last_refusal(started)["error_code"] == 502
    await bot.send_message(USER, "delivered")
    assert [m.text for m in started.bot_messages(USER)] == ["delivered"]


# --------------------------------------------------------------------------- editing


async def test_edit_rules(started: BotApiEmulator, bot: Bot) -> None:
    markup = keyboard(("Ack", "ack"))
    sent = await bot.send_message(USER, "<b>v1</b>", parse_mode="HTML", reply_markup=markup)

    with pytest.raises(BadRequest):
        await bot.edit_message_text(
            "<b>v1</b>",
            chat_id=USER,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=markup,
        )
    assert last_refusal(started)["description"] == NOT_MODIFIED

    # the same text without reply_markup removes the keyboard: that is a modification
    edited = await bot.edit_message_text(
        "<b>v1</b>", chat_id=USER, message_id=sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool)
    assert edited.reply_markup is None
    assert edited.edit_date is not None
    stored = started.last_bot_message(USER)
    assert stored is not None
    assert (stored.edits, stored.reply_markup, stored.buttons()) == (1, None, [])

    # same plain text but different entities is a modification too
    plain = await bot.edit_message_text("v1", chat_id=USER, message_id=sent.message_id)
    assert not isinstance(plain, bool)
    assert plain.entities == ()

    with pytest.raises(BadRequest):
        await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
    assert last_refusal(started)["description"] == NOT_MODIFIED
    await bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=keyboard(("Close", "close"))
    )
    assert started.bot_messages(USER)[0].buttons() == [("Close", "close")]
    assert started.bot_messages(USER)[0].edits == 3

    with pytest.raises(BadRequest):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    assert last_refusal(started)["description"] == "Bad Request: message to edit not found"
    with pytest.raises(BadRequest):
        await bot.edit_message_text("x", chat_id=USER, message_id=1)  # the user's /start
    assert last_refusal(started)["description"] == "Bad Request: message can't be edited"


async def test_delete_message(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "temporary")
    assert await bot.delete_message(USER, sent.message_id) is True
    assert started.bot_messages(USER) == []
    with pytest.raises(BadRequest):
        await bot.delete_message(USER, sent.message_id)
    assert last_refusal(started)["description"] == "Bad Request: message to delete not found"
    with pytest.raises(BadRequest):
        await bot.edit_message_text("again", chat_id=USER, message_id=sent.message_id)
    assert last_refusal(started)["description"] == "Bad Request: message to edit not found"


async def test_reply_to_message(started: BotApiEmulator, bot: Bot) -> None:
    question = started.send_text(USER, "is the server down?")
    reply = await bot.send_message(USER, "checking", reply_to_message_id=question["message_id"])
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "is the server down?"
    assert started.bot_messages(USER)[0].reply_to == question["message_id"]
    with pytest.raises(BadRequest):
        await bot.send_message(USER, "lost", reply_to_message_id=999)
    assert last_refusal(started)["description"] == "Bad Request: message to be replied not found"


# --------------------------------------------------------------------------- getUpdates


async def test_get_updates_redelivers_until_confirmed(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.send_text(USER, "second")
    first_batch = await bot.get_updates()
    assert [u.message.text for u in first_batch if u.message] == ["/start", "second"]
    ids = [u.update_id for u in first_batch]
    assert ids[1] == ids[0] + 1
    start_entities = first_batch[0].message.entities if first_batch[0].message else ()
    assert [(e.type, e.offset, e.length) for e in start_entities] == [
        (MessageEntityType.BOT_COMMAND, 0, 6)
    ]

    again = await bot.get_updates()
    assert [u.update_id for u in again] == ids  # not confirmed: delivered again
    assert [u.update_id for u in await bot.get_updates(offset=ids[0] + 1)] == [ids[1]]
    assert [u.update_id for u in await bot.get_updates()] == [ids[1]]  # the first is gone
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [ids[1]]
    assert await bot.get_updates(offset=ids[1] + 1) == ()
    assert emu.pending_updates() == []


async def test_held_confirmations_forget_nothing_until_released(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.send_text(USER, "first")
    [first] = await bot.get_updates()
    emu.hold_confirmations()
    emu.send_text(USER, "second")
    # The running bot still gets only what its offset asks for ...
    [second] = await bot.get_updates(offset=first.update_id + 1)
    assert second.message is not None and second.message.text == "second"
    assert await bot.get_updates(offset=second.update_id + 1) == ()
    assert await bot.get_updates(offset=-1) == (second,)
    # ... but nothing was confirmed: a restarted bot (offset 0) gets both again.
    assert [u.update_id for u in await bot.get_updates(offset=0)] == [
        first.update_id, second.update_id]
    emu.hold_confirmations(False)
    assert await bot.get_updates(offset=second.update_id + 1) == ()
    assert emu.pending_updates() == []


async def test_update_ids_do_not_start_at_one_like_telegrams() -> None:
    async with BotApiEmulator(TOKEN) as a, BotApiEmulator(TOKEN, first_update_id=500) as b:
        for emulator in (a, b):
            emulator.add_user(USER, "Tester")
            emulator.send_text(USER, "hi")
        assert a.pending_updates()[0]["update_id"] != 1  # a new emulator, a new range
        assert b.pending_updates()[0]["update_id"] == 500


async def test_long_poll_wakes_on_a_new_update(emu: BotApiEmulator, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()  # it is waiting in the emulator
    sent_at = loop.time()
    emu.send_text(USER, "wake up")
    updates = await asyncio.wait_for(poll, 3)
    assert loop.time() - sent_at < 1.0
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_long_poll_times_out_empty(emu: BotApiEmulator, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= loop.time() - began < 3


async def test_concurrent_get_updates_conflict(emu: BotApiEmulator) -> None:
    async with (
        Bot(TOKEN, base_url=emu.base_url) as first_bot,
        Bot(TOKEN, base_url=emu.base_url) as second_bot,
    ):
        older = asyncio.create_task(first_bot.get_updates(timeout=5))
        await asyncio.sleep(0.3)
        assert await second_bot.get_updates(timeout=0) == ()
        with pytest.raises(Conflict) as error:
            await asyncio.wait_for(older, 3)
    assert error.value.message == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )
    assert last_refusal(emu)["error_code"] == 409


async def test_allowed_updates_filter(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard(("Yes", "yes")))
    query_id = started.press(USER, sent.message_id, "yes")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.id for u in updates if u.callback_query] == [query_id]
    assert all(u.message is None for u in updates)
    assert len(started.pending_updates()) == 2  # the /start message is still unconfirmed


async def test_deletewebhook_can_drop_pending_updates(started: BotApiEmulator, bot: Bot) -> None:
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 1)
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert await bot.get_updates() == ()


# --------------------------------------------------------------------------- callback queries


async def test_press_validates_buttons_and_answers(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Ack?", reply_markup=keyboard(("Ack", "ack:7")))
    with pytest.raises(ValueError, match="no inline button"):
        started.press(USER, sent.message_id, "ack:8")
    with pytest.raises(ValueError, match="no bot message"):
        started.press(USER, 1, "ack:7")  # the user's own message
    query_id = started.press(USER, sent.message_id, "ack:7")
    forged_id = started.press(USER, sent.message_id, "admin:delete-all", forge=True)

    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [(q.id, q.data) for q in queries] == [
        (query_id, "ack:7"),
        (forged_id, "admin:delete-all"),
    ]
    assert queries[0].from_user.id == USER
    assert queries[0].message is not None
    assert queries[0].message.message_id == sent.message_id

    assert await bot.answer_callback_query(query_id, text="Acknowledged", show_alert=True)
    answer = await started.wait_for_callback_answer(query_id, timeout=1)
    assert (answer["text"], answer["show_alert"]) == ("Acknowledged", True)
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query_id)
    assert last_refusal(started)["description"] == QUERY_INVALID
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("31337")
    assert last_refusal(started)["description"] == QUERY_INVALID
    with pytest.raises(AssertionError, match="not answered"):
        await started.wait_for_callback_answer(forged_id, timeout=0.2)


async def test_press_after_keyboard_removed_is_rejected(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Ack?", reply_markup=keyboard(("Ack", "ack")))
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    with pytest.raises(ValueError, match="no inline button"):
        started.press(USER, sent.message_id, "ack")


# --------------------------------------------------------------------------- waiting


async def test_wait_for_message_sees_edits_and_reports_transcript(
    started: BotApiEmulator, bot: Bot
) -> None:
    waiter = asyncio.create_task(started.wait_for_message(USER, "final", timeout=3))
    sent = await bot.send_message(USER, "draft")
    await asyncio.sleep(0.05)
    assert not waiter.done()
    await bot.edit_message_text("final text", chat_id=USER, message_id=sent.message_id)
    found = await waiter
    assert (found.message_id, found.text, found.edits) == (sent.message_id, "final text", 1)

    later = await started.wait_for_message(USER, lambda m: m.kind == "text", timeout=0.5, after=0)
    assert later.message_id == sent.message_id
    with pytest.raises(AssertionError) as error:
        await started.wait_for_message(USER, "final", timeout=0.2, after=sent.message_id)
    transcript = str(error.value)
    assert "[1] user: /start" in transcript
    assert "[2] bot : final text  (edited 1x)" in transcript


# --------------------------------------------------------------------------- media


async def test_user_media_updates_parse_in_ptb(started: BotApiEmulator, bot: Bot) -> None:
    started.send_location(USER, 31.23, 121.47)
    photo = started.send_photo(USER, caption="smoke in rack 3")
    started.send_sticker(USER)
    started.send_voice(USER)
    started.send_contact(USER, "+10000000000")
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message]
    assert len(messages) == 6
    location = messages[1].location
    assert location is not None
    assert (location.latitude, location.longitude) == (31.23, 121.47)
    assert messages[2].caption == "smoke in rack 3"
    assert [p.file_id for p in messages[2].photo] == [p["file_id"] for p in photo["photo"]]
    assert len(messages[2].photo) == 2
    assert messages[3].sticker is not None
    assert messages[4].voice is not None
    assert messages[5].contact is not None
    assert messages[5].contact.user_id == USER
    assert [m.kind for m in started.chat(USER)] == [
        "text",
        "location",
        "photo",
        "sticker",
        "voice",
        "contact",
    ]


async def test_send_photo_by_file_id_and_upload(started: BotApiEmulator, bot: Bot) -> None:
    file_id = started.send_photo(USER)["photo"][-1]["file_id"]
    forwarded = await bot.send_photo(USER, file_id, caption="<i>seen</i>", parse_mode="HTML")
    assert forwarded.photo[-1].file_id == file_id
    assert forwarded.caption == "seen"
    with pytest.raises(BadRequest):
        await bot.send_photo(USER, "made-up-file-id")
    assert last_refusal(started)["description"] == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )
    uploaded = await bot.send_photo(USER, b"\x89PNG fake image bytes")
    assert uploaded.photo[-1].file_id not in (file_id, "")
    stored = started.last_bot_message(USER)
    assert stored is not None
    assert (stored.kind, stored.file_data) == ("photo", b"\x89PNG fake image bytes")


async def test_send_document_keeps_name_and_bytes(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_document(USER, b"ticket,severity\n1,P1\n", filename="report.csv")
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.file_size) == ("report.csv", 21)
    stored = started.last_bot_message(USER)
    assert stored is not None
    assert stored.kind == "document"
    assert stored.file_name == "report.csv"
    assert stored.file_data == b"ticket,severity\n1,P1\n"
    assert started.calls[-1]["params"]["document"] == {"file_name": "report.csv", "size": 21}
    again = await bot.send_document(USER, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_id == sent.document.file_id


async def test_send_location_chat_action_and_get_chat(started: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_location(USER, latitude=22.5, longitude=114.1)
    assert sent.location is not None
    assert sent.location.latitude == 22.5
    with pytest.raises(BadRequest):
        await bot.send_location(USER, latitude=91, longitude=0)
    assert await bot.send_chat_action(USER, "typing") is True
    with pytest.raises(BadRequest):
        await bot.send_chat_action(USER, "dancing")
    chat = await bot.get_chat(USER)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (
        USER,
        "private",
        "Tester",
        "tester_one",
    )
    assert [m.kind for m in started.bot_messages(USER)] == ["location"]


# --------------------------------------------------------------------------- commands


async def test_set_my_commands(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("report", "Report")])
    await bot.set_my_commands(
        [BotCommand("report", "报告故障")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="zh",
    )
    assert emu.commands() == [
        {"command": "start", "description": "Begin"},
        {"command": "report", "description": "Report"},
    ]
    assert emu.commands(scope={"type": "all_private_chats"}, language_code="zh") == [
        {"command": "report", "description": "报告故障"}
    ]
    fetched = await bot.get_my_commands()
    assert [(c.command, c.description) for c in fetched] == [
        ("start", "Begin"),
        ("report", "Report"),
    ]

    bad = [
        (BotCommand("Report", "x"), "Bad Request: BOT_COMMAND_INVALID"),
        (BotCommand("re-port", "x"), "Bad Request: BOT_COMMAND_INVALID"),
        (BotCommand("a" * 33, "x"), "Bad Request: command length must not exceed 32"),
        (BotCommand("ok", ""), "Bad Request: command description must be non-empty"),
        (
            BotCommand("ok", "d" * 257),
            "Bad Request: command description length must not exceed 256",
        ),
    ]
    for command, description in bad:
        with pytest.raises(BadRequest):
            await bot.set_my_commands([command])
        assert last_refusal(emu)["description"] == description
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand(f"c{n}", "d") for n in range(101)])
    assert last_refusal(emu)["description"] == "Bad Request: BOT_COMMANDS_TOO_MUCH"

    assert await bot.delete_my_commands() is True
    assert emu.commands() == []
    assert len(emu.commands(scope={"type": "all_private_chats"}, language_code="zh")) == 1


# --------------------------------------------------------------------------- request encodings


async def test_form_json_and_query_encodings(started: BotApiEmulator) -> None:
    url = f"{started.base_url}{TOKEN}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient() as client:
        form = await client.post(
            url, data={"chat_id": str(USER), "text": "123", "reply_markup": json.dumps(markup)}
        )
        form_bool = await client.post(url, data={"chat_id": str(USER), "text": "true"})
        as_json = await client.post(
            url, json={"chat_id": USER, "text": "json", "reply_markup": markup}
        )
        json_string_markup = await client.post(
            url, json={"chat_id": USER, "text": "json2", "reply_markup": json.dumps(markup)}
        )
        query = await client.get(url, params={"chat_id": USER, "text": "query"})
        multipart = await client.post(
            url,
            data={"chat_id": str(USER), "text": "multi"},
            files={"unused": ("x.bin", b"\0")},
        )
    assert form.json()["result"]["reply_markup"] == markup
    assert json_string_markup.json()["result"]["reply_markup"] == markup
    responses = [form, form_bool, as_json, json_string_markup, query, multipart]
    assert [r.status_code for r in responses] == [200] * 6
    texts = [r.json()["result"]["text"] for r in responses]
    assert texts == ["123", "true", "json", "json2", "query", "multi"]


async def test_string_parameters_are_never_json_decoded(started: BotApiEmulator, bot: Bot) -> None:
    # PTB posts str values unencoded, so texts that happen to be valid JSON must stay as sent
    for text in ('"quoted"', "null", "1e3", "[1]", "{}"):
        sent = await bot.send_message(USER, text)
        assert sent.text == text
    assert [m.text for m in started.bot_messages(USER)] == ['"quoted"', "null", "1e3", "[1]", "{}"]


# --------------------------------------------------------------------------- control API, events


async def test_control_endpoints(emu: BotApiEmulator, bot: Bot) -> None:
    async with httpx.AsyncClient(base_url=emu.url) as client:
        created = await client.post(
            "/_emu/users", json={"user_id": OTHER, "first_name": "Guest", "language_code": "en"}
        )
        assert created.json() == {"ok": True, "result": True}
        started = await client.post("/_emu/send", json={"user_id": OTHER, "text": "/start"})
        assert started.json()["result"]["text"] == "/start"
        sent = await bot.send_message(OTHER, "choose", reply_markup=keyboard(("One", "one")))
        pressed = await client.post(
            "/_emu/press", json={"user_id": OTHER, "message_id": sent.message_id, "data": "one"}
        )
        forged = await client.post(
            "/_emu/press", json={"user_id": OTHER, "message_id": sent.message_id, "data": "two"}
        )
        located = await client.post(
            "/_emu/location", json={"user_id": OTHER, "latitude": 1.5, "longitude": 2.5}
        )
        photo = await client.post("/_emu/photo", json={"user_id": OTHER, "caption": "pic"})
        chat = await client.get(f"/_emu/chat/{OTHER}")
        missing = await client.get("/_emu/chat/5555")

    assert pressed.status_code == 200
    assert isinstance(pressed.json()["result"], str)
    assert forged.status_code == 400
    assert "no inline button" in forged.json()["error"]
    assert located.json()["result"]["location"] == {"latitude": 1.5, "longitude": 2.5}
    assert photo.json()["result"]["caption"] == "pic"
    rows = chat.json()["result"]
    assert [(r["kind"], r["from_bot"], r["text"]) for r in rows] == [
        ("text", False, "/start"),
        ("text", True, "choose"),
        ("location", False, ""),
        ("photo", False, "pic"),
    ]
    assert rows[1]["buttons"] == [["One", "one"]]
    assert missing.status_code == 404
    updates = await bot.get_updates()
    assert updates[0].message is not None
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.language_code == "en"


async def test_listeners_and_event_stream(started: BotApiEmulator, bot: Bot) -> None:
    seen: list[tuple[str, Any]] = []
    started.add_listener(lambda event, payload: seen.append((event, payload)))

    async def read_events(count: int) -> list[tuple[str, dict[str, Any]]]:
        events: list[tuple[str, dict[str, Any]]] = []
        async with (
            httpx.AsyncClient(base_url=started.url, timeout=5) as client,
            client.stream("GET", "/_emu/events") as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            name = ""
            async for line in response.aiter_lines():
                if line == ": connected":
                    connected.set()
                elif line.startswith("event: "):
                    name = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    events.append((name, json.loads(line.removeprefix("data: "))))
                    if len(events) == count:
                        return events
        return events

    connected = asyncio.Event()
    reader = asyncio.create_task(read_events(3))
    await asyncio.wait_for(connected.wait(), 3)
    started.send_text(USER, "help")
    sent = await bot.send_message(USER, "on it")
    streamed = await asyncio.wait_for(reader, 3)
    assert [(name, payload.get("text")) for name, payload in streamed] == [
        ("message", "help"),
        ("update", None),
        ("message", "on it"),
    ]
    assert streamed[1][1]["message"]["text"] == "help"
    assert [event for event, _ in seen] == ["message", "update", "message"]
    await bot.edit_message_text("done", chat_id=USER, message_id=sent.message_id)
    assert seen[-1][0] == "edit"
    assert seen[-1][1]["text"] == "done"


# --------------------------------------------------------------------------- ChatMessage helpers


def test_chat_message_button_helpers() -> None:
    message = ChatMessage(
        message_id=3,
        chat_id=USER,
        from_bot=True,
        text="pick",
        html=None,
        parse_mode=None,
        entities=[],
        reply_markup={
            "inline_keyboard": [
                [{"text": "✅ Ack", "callback_data": "ack:1"}],
                [{"text": "Escalate", "callback_data": "esc:1"}, {"text": "Web", "url": "x"}],
            ]
        },
        kind="text",
    )
    assert message.buttons() == [("✅ Ack", "ack:1"), ("Escalate", "esc:1"), ("Web", "")]
    assert message.button_data("Esc") == "esc:1"
    with pytest.raises(AssertionError, match="found 0"):
        message.button_data("Close")
    assert message.to_dict()["buttons"] == [
        ["✅ Ack", "ack:1"],
        ["Escalate", "esc:1"],
        ["Web", ""],
    ]


# --------------------------------------------------------------------------- parse_html


def test_parse_html_nested_tags_and_entities() -> None:
    text, entities = parse_html(
        "<b>bold <i>both</i></b> &amp; &lt;tag&gt; &quot;q&quot; &#39;&#x41;"
    )
    assert text == 'bold both & <tag> "q" \'A'
    assert entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
    ]


def test_parse_html_offsets_are_utf16() -> None:
    text, entities = parse_html(
        "😀 <u>故障</u> <a href='https://example.com/x?a=1&amp;b=2'>link</a>"
    )
    assert text == "😀 故障 link"
    assert entities == [
        {"type": "underline", "offset": 3, "length": 2},
        {"type": "text_link", "offset": 6, "length": 4, "url": "https://example.com/x?a=1&b=2"},
    ]


def test_parse_html_rich_tags() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>'
        '<blockquote expandable>q</blockquote><s>d</s><tg-emoji emoji-id="5">👍</tg-emoji>'
    )
    assert text == "x = 1stqd👍"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 5, "length": 1},
        {"type": "spoiler", "offset": 6, "length": 1},
        {"type": "expandable_blockquote", "offset": 7, "length": 1},
        {"type": "strikethrough", "offset": 8, "length": 1},
        {"type": "custom_emoji", "offset": 9, "length": 2, "custom_emoji_id": "5"},
    ]


@pytest.mark.parametrize(
    ("html", "message", "offset"),
    [
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0', 0),
        ("ok <b>unclosed", 'Can\'t find end tag corresponding to start tag "b"', 3),
        ("a < b", 'Unsupported start tag "" at byte offset 2', 2),
        ("a <b", "Unclosed start tag at byte offset 2", 2),
        ("<a>x</a>", 'Tag "a" must have a non-empty attribute "href" at byte offset 0', 0),
        ('<a href="">x</a>', 'Tag "a" must have a non-empty attribute "href" at byte offset 0', 0),
        ("Q&A", 'Unescaped "&" at byte offset 1', 1),
        ("&lt without semicolon", 'Unescaped "&" at byte offset 0', 0),
        ("&nbsp;", 'Unescaped "&" at byte offset 0', 0),
        ("告警<i>x</b>", 'Unmatched end tag at byte offset 10, expected "</i>", found "</b>"', 10),
    ],
)
def test_parse_html_errors(html: str, message: str, offset: int) -> None:
    with pytest.raises(HtmlParseError) as error:
        parse_html(html)
    assert error.value.message.startswith(message)
    assert error.value.offset == offset


def test_parse_html_non_strict_matches_telegram_tolerance() -> None:
    assert parse_html("Q&A &nbsp; &lt", strict=False) == ("Q&A &nbsp; <", [])
    assert parse_html("<a>https://example.com</a>", strict=False) == (
        "https://example.com",
        [{"type": "text_link", "offset": 0, "length": 19, "url": "https://example.com/"}],
    )
    assert parse_html("<a>not a link</a>", strict=False) == ("not a link", [])
    # TDLib's own test vectors
    assert parse_html("🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>", strict=False) == (
        "🏟 🏟🏟 ><🏟",
        [
            {"type": "italic", "offset": 5, "length": 7},
            {"type": "bold", "offset": 9, "length": 3},
        ],
    )
    with pytest.raises(HtmlParseError, match="Unexpected end of name token at byte offset 27"):
        parse_html("🏟 🏟&lt;<i    aba  =  190azAz-.,", strict=False)


def test_parse_markdown_v2() -> None:
    assert parse_markdown_v2("*b* _i_ __u__ ~s~ ||p|| `c` [l](https://x.org/a\\)b) \\.") == (
        "b i u s p c l .",
        [
            {"type": "bold", "offset": 0, "length": 1},
            {"type": "italic", "offset": 2, "length": 1},
            {"type": "underline", "offset": 4, "length": 1},
            {"type": "strikethrough", "offset": 6, "length": 1},
            {"type": "spoiler", "offset": 8, "length": 1},
            {"type": "code", "offset": 10, "length": 1},
            {"type": "text_link", "offset": 12, "length": 1, "url": "https://x.org/a)b"},
        ],
    )
    with pytest.raises(MarkdownParseError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*open")
    with pytest.raises(MarkdownParseError, match="Character '-' is reserved"):
        parse_markdown_v2("P1 - disk")
