"""Texts that are true: the timeline names each actor once and counts reopens naturally;
/help and the command menu list the same commands, every command of the role."""

from __future__ import annotations

import json

from telegram.ext import CommandHandler

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


# ---------------------------------------------------------------------------- /help and menus
CUSTOMER_ONLY = {"report", "my", "profile", "complain", "request"}
ADMIN_ONLY = {"health"}  # admins' own (tests/dialog/test_operations.py: their /help has it)
MANAGER_ONLY = {
    "regrade", "cover", "assign", "callback", "complaints", "answer", "close", "ledger",
    "export",
    "monthly",
    "event", "events", "standby",
    "labels",
}


def installed(h: Harness) -> set[str]:
    """Every /command the bot has a handler for."""
    names: set[str] = set()
    for group in h.hb.app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return names


def menu(h: Harness, scope: dict[str, object], language: str = "") -> list[str]:
    commands = h.request.commands[f"{json.dumps(scope, sort_keys=True)}|{language}"]
    return [c["command"] for c in commands]


def help_commands(chat: Chat) -> list[str]:
    """The commands /help lists, in order (each line starts with one)."""
    lines = chat.last().text.splitlines()
    return [line.split()[0][1:] for line in lines if line.startswith("/")]


async def test_help_and_menu_list_every_command_of_the_role(h: Harness) -> None:
    commands = installed(h) - {"start"}
    cust = await h.customer()
    eng = await h.staff(1001)
    pm = await h.staff(1012)
    # What each role may use: every installed command of the customer's, the engineer's
    # and the manager's part of the bot.
    for chat, scope, expected in (
        (cust, {"type": "default"}, {"status", "cancel", "help", "whoami"} | CUSTOMER_ONLY),
        (eng, {"type": "chat", "chat_id": 1001},
         commands - CUSTOMER_ONLY - MANAGER_ONLY - ADMIN_ONLY),
        (pm, {"type": "chat", "chat_id": 1012}, commands - CUSTOMER_ONLY - ADMIN_ONLY),
    ):
        await chat.send("/help")
        listed = help_commands(chat)
        assert listed == menu(h, scope), chat.user_id
        assert expected <= set(listed), (chat.user_id, expected - set(listed))
    assert not MANAGER_ONLY & set(help_commands(eng))
    assert not CUSTOMER_ONLY & set(help_commands(pm))


async def test_a_managers_help_has_a_section_of_their_own(h: Harness) -> None:
    pm = await h.staff(1012, language="en")
    await pm.send("/help")
    text = pm.last().text
    assert text.startswith("Staff commands\n/queue Open tickets\n")
    assert "\n\nManager commands\n/regrade Re-grade N A|B|C\n/cover " in text
