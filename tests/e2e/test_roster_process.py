"""Who is on duty, with the bot as a process against the strict emulator and the real clock.

Rosters are built from the current local time, so that the shift under way and the next
hand-off are known whenever the test runs (a hand-off is a few seconds away).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff
from tests.support.configs import hotline_config, project_toml

TZ = ZoneInfo("Asia/Shanghai")
ENG1, ENG2, ENG3, CM, PM = 1001, 1002, 1003, 1011, 1012


def roster_config(layers: str, members: Sequence[str] = ()) -> str:
    """The village project paging team "county" with these [[teams.layers]]."""
    return hotline_config(
        projects=[project_toml(team="county", escalation=["cm", "pm"], members=members)],
        extra=f'\n[[teams]]\nkey = "county"\n{layers}',
    )


def configure(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def layer(name: str, members: list[str], handoff: str, start: str) -> str:
    quoted = ", ".join(f'"{m}"' for m in members)
    return (
        f'\n[[teams.layers]]\nname = "{name}"\nmembers = [{quoted}]\nrotation = "daily"\n'
        f'handoff = "{handoff}"\nstart = {start}\n'
    )


def always_on(name: str, member: str) -> str:
    """A daily rotation of one member: on duty whatever the time."""
    yesterday = (datetime.now(TZ) - timedelta(days=1)).date().isoformat()
    return layer(name, [member], "00:00", yesterday)


async def report_a_fault(emu: BotApiEmulator, site: str) -> float:
    """A customer reports an A-level fault (opened and paged as soon as the site is known);
    returns the moment the site was sent (loop time)."""
    await join_customer(emu)
    cust = Person(emu, CUSTOMER)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("是")
    await cust.expect("故障地点")
    sent_at = asyncio.get_running_loop().time()
    cust.send(site)
    await cust.expect("#1")
    return sent_at


def pages(emu: BotApiEmulator, uid: int, number: int = 1) -> list[str]:
    return [m.text for m in emu.bot_messages(uid) if f"新故障 #{number}" in m.text]


async def test_blocked_primary_pages_the_secondary_within_seconds(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path
) -> None:
    configure(
        config_file, roster_config(always_on("primary", "eng1") + always_on("secondary", "eng2"))
    )
    bot = await start_bot()
    for uid in (ENG1, ENG2, PM):
        await start_staff(emu, uid)
    emu.block(ENG1)
    sent_at = await report_a_fault(emu, "Server room, county bureau")
    page = await emu.wait_for_message(ENG2, "新故障 #1", timeout=5)
    assert asyncio.get_running_loop().time() - sent_at < 5  # not after the 7.5-min timeout
    assert "Server room" in page.text and page.buttons() == [("接单", "tk:acc:1")]
    assert pages(emu, ENG1) == []  # blocked: nothing reached eng1
    told = await emu.wait_for_message(PM, "无法接收消息", timeout=5)
    assert "Engineer One" in told.text
    assert any(r["error_code"] == 403 for r in emu.refusals)
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_an_accepted_swap_changes_oncall(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path
) -> None:
    # A daily rotation eng1, eng2 whose hand-off was 12 hours ago: eng1 is on duty now,
    # until 12 hours from now, whenever the test runs.
    last = datetime.now(TZ).replace(second=0, microsecond=0) - timedelta(hours=12)
    handoff, start = last.strftime("%H:%M"), last.date().isoformat()
    configure(config_file, roster_config(layer("primary", ["eng1", "eng2"], handoff, start)))
    bot = await start_bot()
    for uid in (ENG1, ENG2, PM):
        await start_staff(emu, uid)
    eng1, eng2, pm = Person(emu, ENG1), Person(emu, ENG2), Person(emu, PM)
    eng1.send("/oncall")
    before = await eng1.expect("当前值班")
    assert "primary：Engineer One" in before.text
    eng1.send("/swap")
    shifts = await eng1.expect("要换出哪个班次")
    # The first shift offered is the one under way.
    label, data = shifts.buttons()[0]
    assert data.startswith("sws:") and last.strftime("%H:%M") in label
    eng1._remember()
    emu.press(ENG1, shifts.message_id, data)
    await eng1.expect("请选择接班的同事")
    eng1.press("Engineer Two")
    await eng1.expect("等待对方确认")
    offer = await eng2.expect("请您接替")
    assert "Engineer One" in offer.text
    pm._remember()
    eng2.press("接班")
    await eng1.expect("Engineer Two 已接替您")
    told = await pm.expect("换班")
    assert "Engineer Two" in told.text and "Engineer One" in told.text
    eng1.send("/oncall")
    after = await eng1.expect("当前值班")
    assert "primary：Engineer Two" in after.text
    assert not_flood(emu) == []
    assert await bot.stop() == 0


async def test_at_handoff_the_incoming_engineer_gets_the_digest_and_the_ticket(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path
) -> None:
    # eng1 is always on duty; a hand-off a few seconds ahead puts eng3 on duty. Rotations
    # hand off at whole minutes (HH:MM); a manager's cover starts at any second, so the
    # hand-off is a few seconds away whenever the test runs.
    configure(config_file, roster_config(always_on("primary", "eng1"), members=["eng3"]))
    bot = await start_bot()
    for uid in (ENG1, ENG3, PM):
        await start_staff(emu, uid)
    await report_a_fault(emu, "Village 9 crossroads")
    await emu.wait_for_message(ENG1, "新故障 #1", timeout=5)
    eng3, pm = Person(emu, ENG3), Person(emu, PM)
    start = datetime.now(TZ).replace(microsecond=0) + timedelta(seconds=5)
    end = start + timedelta(hours=1)
    eng3._remember()
    iso = "%Y-%m-%dT%H:%M:%S"  # local time, to the second
    pm.send(f"/cover eng3 {start.strftime(iso)} {end.strftime(iso)}")
    await pm.expect("已安排 Engineer Three")
    assert pages(emu, ENG3) == []  # not yet: the hand-off is still ahead
    digest = await eng3.expect("交接班")
    assert datetime.now(TZ) >= start  # at the hand-off, not when the cover was made
    assert "未结工单 1 张" in digest.text and "#1" in digest.text
    assert "Village 9 crossroads" in digest.text
    page = await emu.wait_for_message(ENG3, "新故障 #1", timeout=5)
    assert page.buttons() == [("接单", "tk:acc:1")]
    eng3._remember()
    emu.press(ENG3, page.message_id, "tk:acc:1")
    await Person(emu, CUSTOMER).expect("Engineer Three")
    await emu.wait_for_message(ENG1, "已由 Engineer Three 接单", timeout=5)
    assert not_flood(emu) == []
    assert await bot.stop() == 0
