"""A config change never stops the hotline: the bot restarts with an engineer, a project, a
policy's clock or a level's target removed while open tickets still name them. It starts, the
keepers get the list, the orphaned ticket goes back to paging, every other timer fires on time,
and the orphan's clocks remind again once the config has what it lacked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.domain.ticket import Status
from tests.dialog.harness import Chat, Harness
from tests.support.configs import (
    OTHER_PROJECT,
    Person,
    hotline_config,
    people,
    policy_toml,
    project_toml,
)

ADMIN = Person("admin", "Hotline Admin", 1020, "admin", "13800000020")
STAFF = [*people("eng1", "eng2", "eng3", "cm", "pm"), ADMIN]
ENG1, ENG2, ENG3, PM, ADM = 1001, 1002, 1003, 1012, 1020
LIST = "⚠️ 以下未关闭工单的负责人、项目或时限已不在配置中："

# An extra clock of the "abc" policy: the customer is called back within 4 hours (A and B).
CALLBACK = """
[[policies.abc.clocks]]
name = "callback"
start = "reported"
stop = ["resolved"]
target = { A = "4h", B = "4h" }
label = { zh = "回访", en = "call-back" }
"""


def config(
    staff: list[Person] = STAFF, projects: list[str] | None = None, clocks: str = CALLBACK
) -> str:
    return hotline_config(staff=staff, projects=projects, policies=policy_toml() + clocks)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, config())
    await harness.start()
    yield harness
    await harness.stop()


async def restart_with(h: Harness, text: str) -> None:
    """The operator edits the config and restarts the bot on the same database."""
    path = h.tmp / "changed.toml"
    path.write_text(text, encoding="utf-8")
    h.settings = load_settings(path)
    await h.restart()


def warnings(chat: Chat, number: int, clock: str = "") -> list[str]:
    return [
        t for t in chat.texts() if t.startswith(f"⏰ 工单 #{number}（") and f"的{clock}" in t
    ]


def orphan_lists(chat: Chat) -> list[str]:
    return [t for t in chat.texts() if t.startswith(LIST)]


# ---------------------------------------------------------------------------- staff removed
async def test_a_removed_owner_s_ticket_is_paged_again_and_keeps_its_clocks(h: Harness) -> None:
    eng1, eng2, pm, admin = [await h.staff(u) for u in (ENG1, ENG2, PM, ADM)]
    cust = await h.customer()
    n1 = await h.report(cust, symptom="First fault")
    n2 = await h.report(cust, symptom="Second fault")
    await eng1.send(f"/take {n1}")
    await eng2.send(f"/take {n2}")
    pages_before = eng2.count()

    # eng1 leaves: removed from the staff and from the village's on-duty list.
    without_eng1 = [p for p in STAFF if p.key != "eng1"]
    village = project_toml(on_duty=["eng2"], members=["eng3"], escalation=["cm", "pm"])
    await restart_with(h, config(without_eng1, [village, OTHER_PROJECT]))

    # The bot started; the project's managers and the admins get the list.
    expected = (
        f"{LIST}\n#{n1}：负责人 eng1 已移除，工单退回待接单，已通知值班工程师。"
    )
    assert orphan_lists(pm) == [expected]
    assert orphan_lists(admin) == [expected]
    # The ticket is unowned again and the on-duty engineer is paged, with the Accept button.
    ticket = await h.ticket(n1)
    assert ticket is not None and ticket.status == Status.NEW and ticket.owner_key is None
    page = [m for m in eng2.messages()[pages_before:] if m.text.startswith(f"🚨 新故障 #{n1}")]
    assert len(page) == 1 and page[0].buttons() == [("接单", f"tk:acc:{n1}")]
    # /status answers and says what happened.
    await eng2.send(f"/status {n1}")
    assert "负责人 eng1 已不在配置中，工单退回待接单" in eng2.last().text

    # Half of the 2-hour arrive target: while unowned its warning goes to the on-duty engineer,
    # and the other ticket's warning reaches its owner on time.
    await h.tick(hours=1)
    assert len(warnings(eng2, n1, "到场")) == 1
    assert len(warnings(eng2, n2, "到场")) == 1
    # Taken by eng2, it keeps reminding its new owner.
    await eng2.send(f"/take {n1}")
    ticket = await h.ticket(n1)
    assert ticket is not None and ticket.owner_key == "eng2"
    await h.tick(minutes=36)  # the 80% point
    assert len(warnings(eng2, n1, "到场")) == 2
    assert len(warnings(eng2, n2, "到场")) == 2
    assert not [t for t in eng1.texts() if t.startswith("⏰")]

    # A second restart does not list it again: it is settled.
    await h.restart()
    assert len(orphan_lists(pm)) == 1


# ---------------------------------------------------------------------------- project removed
async def test_a_retired_project_s_ticket_goes_to_the_admins_who_read_and_close_it(
    h: Harness,
) -> None:
    eng1, eng3, pm, admin = [await h.staff(u) for u in (ENG1, ENG3, PM, ADM)]
    village_cust = await h.customer()
    other_cust = await h.customer(5002, invite="OTHER2026", name="Customer Two")
    n1 = await h.report(village_cust, symptom="Village fault")
    n2 = await h.report(other_cust, symptom="Other fault")
    await eng1.send(f"/take {n1}")
    await eng3.send(f"/take {n2}")

    # The village contract ends: its project is removed from the config.
    await restart_with(h, config(projects=[OTHER_PROJECT]))

    assert orphan_lists(admin) == [
        f"{LIST}\n#{n1}：项目 village 已移除，提醒已暂停。管理员可查看（/status {n1}）、"
        f"接单（/take {n1}）并处理完毕；恢复该项目的配置并重启后提醒继续。"
    ]
    # The ticket went back to the keepers: its engineer no longer sees it.
    await eng1.send(f"/status {n1}")
    assert eng1.last().text == f"找不到工单 #{n1}。"
    # The admin reads it: the owner's name, the project's key, no crash on its deadlines.
    await admin.send(f"/status {n1}")
    status = admin.last().text
    assert status.startswith(f"工单 #{n1} · 待接单") and "Village fault" in status
    assert "配置中已无此工单的项目或时限，提醒暂停" in status

    # Every other timer fires on time; the retired ticket's reminders are held.
    await h.tick(hours=1)
    assert len(warnings(eng3, n2, "到场")) == 1
    assert not [t for t in [*eng1.texts(), *admin.texts()] if t.startswith(f"⏰ 工单 #{n1}")]

    # The admin takes it and resolves it.
    await admin.send(f"/take {n1}")
    await admin.send(f"/resolve {n1} Contract ended, unit returned")
    await admin.press("软件")
    ticket = await h.ticket(n1)
    assert ticket is not None and ticket.status == Status.RESOLVED
    assert ticket.owner_key == "admin"
    assert village_cust.last().text.startswith(f"✅ 工单 #{n1} 已修复。")
    # Its customer still reads the ticket, and is asked to join a project anew.
    await village_cust.send(f"/status {n1}")
    assert village_cust.last().text.startswith(f"工单 #{n1} · 已修复")
    await village_cust.send("/start")
    assert "请通过项目的邀请链接加入" in village_cust.last().text
    assert not orphan_lists(pm)  # a retired project's list goes to the admins


async def test_a_retired_project_s_ticket_refuses_what_needs_its_contract(h: Harness) -> None:
    """Arrived still works (its deadlines stay as they were); re-grading and pausing need the
    contract that is gone, and are refused politely instead of leaving the user unanswered."""
    admin = await h.staff(ADM)
    cust = await h.customer()
    n = await h.report(cust)
    await restart_with(h, config(projects=[OTHER_PROJECT]))
    await admin.send(f"/take {n}")
    await admin.send(f"/arrive {n}")
    ticket = await h.ticket(n)
    assert ticket is not None and ticket.status == Status.ON_SITE
    retired = "这张工单的项目已不在配置中：只能查看、接单并处理完毕。"
    await admin.send(f"/regrade {n} A")
    assert admin.last().text == retired
    await admin.send(f"/pause {n} Road closed")
    assert admin.last().text == retired
    await admin.send(f"/wait {n} Customer away")
    assert admin.last().text == retired


# ---------------------------------------------------------------------------- clock removed
# The village's policy loses its call-back clock, or the village changes to a policy without it.
PLAIN_VILLAGE = project_toml(
    policy="plain", on_duty=["eng1", "eng2"], members=["eng3"], escalation=["cm", "pm"]
)
WITHOUT_CALLBACK = {
    "clock removed": config(clocks=""),
    "policy replaced": hotline_config(
        staff=STAFF,
        projects=[PLAIN_VILLAGE, OTHER_PROJECT],
        policies=policy_toml() + CALLBACK + policy_toml("plain"),
    ),
}


@pytest.mark.parametrize("change", WITHOUT_CALLBACK)
async def test_a_removed_clock_is_held_and_reminds_again_once_restored(
    h: Harness, change: str
) -> None:
    eng1, pm = await h.staff(ENG1), await h.staff(PM)
    cust = await h.customer()
    n1 = await h.report(cust)
    await eng1.send(f"/take {n1}")

    await restart_with(h, WITHOUT_CALLBACK[change])
    assert orphan_lists(pm) == [
        f"{LIST}\n#{n1}：时限 callback 已不在其项目的时限策略中，该时限的提醒已暂停。"
    ]
    await eng1.send(f"/status {n1}")
    assert "配置中已无此工单的项目或时限，提醒暂停" in eng1.last().text

    # The ticket's other clocks go on (the arrive warning at 1 h)...
    await h.tick(hours=1)
    assert len(warnings(eng1, n1, "到场")) == 1
    # ...and the callback clock is back once the config has it again: its 50% point at 2 h.
    await restart_with(h, config())
    assert len(orphan_lists(pm)) == 1  # nothing is orphaned any more
    await h.tick(hours=1, minutes=5)
    assert len(warnings(eng1, n1, "回访")) == 1
    await eng1.send(f"/status {n1}")
    assert "配置已恢复，提醒继续" in eng1.last().text


# ---------------------------------------------------------------------------- target removed
async def test_a_removed_level_target_holds_that_clock_only(h: Harness) -> None:
    eng1, eng2, pm = await h.staff(ENG1), await h.staff(ENG2), await h.staff(PM)
    cust = await h.customer()
    n1 = await h.report(cust)  # level B
    n2 = await h.report(cust, level="A")
    await eng1.send(f"/take {n1}")
    await eng2.send(f"/take {n2}")

    # The call-back is promised for A faults only now.
    await restart_with(h, config(clocks=CALLBACK.replace(', B = "4h"', "")))
    assert orphan_lists(pm) == [
        f"{LIST}\n#{n1}：时限 callback 已没有该工单级别的目标，该时限的提醒已暂停。"
    ]
    # The B ticket's arrive clock still reminds (its 50% point at 1 h)...
    await h.tick(hours=1)
    assert len(warnings(eng1, n1, "到场")) == 1
    # ...and the A ticket's call-back at 2 h; the B ticket's call-back is held.
    await h.tick(hours=1, minutes=5)
    assert len(warnings(eng2, n2, "回访")) == 1
    assert warnings(eng1, n1, "回访") == []
    # Still held the next morning: the daily check at 08:00 lists it again.
    await h.tick(hours=16)
    assert len(orphan_lists(pm)) == 2


# ---------------------------------------------------------------------------- start-up
COUNTY = """
[[teams]]
key = "county"

[[teams.layers]]
name = "primary"
members = ["eng1", "eng2"]
rotation = "shifts"
shifts = ["08:00-20:00", "20:00-08:00"]
start = 2026-11-02

[[teams.layers]]
name = "secondary"
members = ["eng3", "eng4"]
rotation = "weekly"
start = 2026-11-02
"""


async def test_the_bot_starts_when_a_cover_names_a_removed_engineer(tmp_path: Path) -> None:
    village = project_toml(team="county", escalation=["cm", "pm"])
    with_eng4 = hotline_config(staff=[*STAFF, *people("eng4")], projects=[village], extra=COUNTY)
    h = Harness(tmp_path, with_eng4)
    await h.start()
    try:
        eng4, pm = await h.staff(1004), await h.staff(PM)
        await pm.send("/cover eng4 4h")
        await pm.send("/cover eng4 2026-11-23T20:00 2026-11-24T08:00")  # tonight, too
        cust = await h.customer()
        n1 = await h.report(cust)
        await eng4.send(f"/take {n1}")

        # eng4 leaves while covering (now and tonight: a shift reminder to arm at start-up)
        # and owning a ticket: the next start-up still comes up.
        county = COUNTY.replace('["eng3", "eng4"]', '["eng3"]')
        await restart_with(h, hotline_config(staff=STAFF, projects=[village], extra=county))
        assert orphan_lists(pm) == [
            f"{LIST}\n#{n1}：负责人 eng4 已移除，工单退回待接单，已通知值班工程师。"
        ]
        await pm.send("/oncall")
        assert pm.last().text.startswith("当前值班")
        await pm.send(f"/status {n1}")
        assert pm.last().text.startswith(f"工单 #{n1} · 待接单")
    finally:
        await h.stop()
