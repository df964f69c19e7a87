"""A lead-in notice opens the chat's next message when it fits (one message instead of two)."""

from __future__ import annotations

from bot.telegram.postman import led_in, plain_message
from bot.telegram.render.widgets import MAX_TEXT

LEAD = ("sendMessage", {"chat_id": 1, "text": "Severity: <b>C</b>", "parse_mode": "HTML"})


def ask(text: str, **more: object) -> tuple[str, dict[str, object]]:
    return ("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML", **more})


def test_the_lead_in_opens_the_next_message_and_keeps_its_buttons() -> None:
    buttons = {"inline_keyboard": [[{"text": "Skip", "callback_data": "x"}]]}
    joined = led_in(LEAD, [ask("Where?", reply_markup=buttons), ask("more")])
    assert joined == [
        ask("Severity: <b>C</b>\n\nWhere?", reply_markup=buttons),
        ask("more"),
    ]


def test_it_stays_apart_when_it_does_not_fit() -> None:
    edit = ("editMessageText", {"chat_id": 1, "message_id": 5, "text": "x"})
    assert led_in(LEAD, [edit]) is None
    assert led_in(LEAD, [ask("x" * (MAX_TEXT - 10))]) is None  # too long together
    assert led_in(LEAD, [ask("in a topic", message_thread_id=7)]) is None
    assert led_in(LEAD, []) is None


def test_only_a_new_message_without_buttons_can_lead_in() -> None:
    assert plain_message(LEAD)
    assert not plain_message(ask("q", reply_markup={"inline_keyboard": []}))
    assert not plain_message(("sendPhoto", {"chat_id": 1, "photo": "f"}))
