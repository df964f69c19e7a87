"""The command menus are sent again when a command or its description changes."""

from __future__ import annotations

import json

import pytest

from bot.telegram.catalog import MESSAGES
from tests.dialog.harness import Harness

ENG1 = 1001


def menu(h: Harness, scope: dict[str, object], language: str = "") -> dict[str, str]:
    """The menu Telegram holds for a scope and language: command -> description."""
    commands = h.request.commands[f"{json.dumps(scope, sort_keys=True)}|{language}"]
    return {c["command"]: c["description"] for c in commands}


async def test_a_changed_description_refreshes_the_menus(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await h.staff(ENG1)
    staff_scope = {"type": "chat", "chat_id": ENG1}
    assert menu(h, staff_scope)["queue"] == "待处理工单"
    assert menu(h, {"type": "default"})["report"] == MESSAGES["cmd.report"]["zh"]
    sent = sum(api == "setMyCommands" for api, _ in h.request.calls)

    # A restart with the same catalog sends nothing again.
    await h.restart()
    assert sum(api == "setMyCommands" for api, _ in h.request.calls) == sent

    # A new release words two commands differently (same commands, same count).
    monkeypatch.setitem(MESSAGES, "cmd.queue", {"zh": "我的项目的未结工单", "en": "Open tickets"})
    monkeypatch.setitem(MESSAGES, "cmd.report", {"zh": "报告新故障", "en": "Report a new fault"})
    await h.restart()
    assert menu(h, staff_scope)["queue"] == "我的项目的未结工单"
    assert menu(h, {"type": "default"})["report"] == "报告新故障"
    assert menu(h, {"type": "default"}, "en")["report"] == "Report a new fault"
