"""`run_bot.py check-config` (bot/check_config_cli.py): what it prints for a good file, and the
key it names for a bad one."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.check_config_cli import main
from bot.domain.roster import Override
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from tests.support.configs import STAFF, hotline_config, project_toml

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
TEAM = """
[[teams]]
key = "county"
name = "County team"

[[teams.layers]]
name = "primary"
members = ["eng1", "eng2"]
rotation = "daily"
handoff = "08:00"
start = 2026-11-02

[[teams.layers]]
name = "secondary"
members = ["eng3"]
start = 2026-11-02
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hotline.toml"
    path.write_text(text, encoding="utf-8")
    return path


def good_config(tmp_path: Path) -> Path:
    village = project_toml(team="county", escalation=["cm", "pm", "lead"],
                           extra="group_chat_id = -100777\n")
    other = project_toml("other", name="Other Project", invite="OTHER2026", on_duty=["eng4"])
    return write(tmp_path, hotline_config(staff=STAFF, projects=[village, other], extra=TEAM,
                                          guard_burst=None))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_good_file_is_printed_as_the_bot_understands_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-TOKEN-VALUE-xyz")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "webhook-secret-value")
    path = good_config(tmp_path)
    code, out, err = run(capsys, "--config", str(path), "--at", "2026-11-02 10:00")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{path}: OK"
    # Staff with their roles; phone numbers shortened.
    assert "  eng1  Engineer One — engineer (Telegram id 1001, phone ***0001)" in lines
    assert "  cm    Customer Manager — customer_manager (Telegram id 1011, phone ***0011)" in lines
    # Projects with what pages and escalates.
    assert "  village: County Police Village Query Service" in lines
    assert "    team county" in lines
    assert "    escalation cm → pm → lead" in lines
    assert "    team group -100777" in lines
    assert "  other: Other Project" in lines
    assert "    always on duty eng4" in lines
    # The policy's clocks per level, with what starts and stops them.
    assert "  abc: calendar 24x7; warn 50%, 80%; escalate every 30m" in lines
    clocks = [line.split() for line in lines]
    assert ["respond", "15m", "15m", "15m", "reported", "→", "accepted"] in clocks
    assert ["arrive", "1h", "2h", "2h", "reported", "→", "on_site", "|", "resolved"] in clocks
    assert ["repair", "4h", "3h", "2h", "on_site", "→", "resolved"] in clocks
    assert "  5x8: 09:00-12:00, 13:00-18:00 on mainland China's official working days" in lines
    assert "    primary: eng1, eng2 (daily, hand-off 08:00, from 2026-11-02)" in lines
    # Who is on duty at that time, per project, tier by tier.
    assert "On duty at 2026-11-02 10:00 (Asia/Shanghai; no database yet: the config's roster):" \
        in lines
    assert "  village: eng1 (Engineer One); then eng3 (Engineer Three)" in lines
    assert "  other: eng4 (Engineer Four)" in lines
    assert "guard          20 updates at once per user, then 1/s; strangers answered once " \
           "per 1h" in lines
    # Nothing secret: only whether the secrets are set; no invite code, no full phone.
    assert "TELEGRAM_BOT_TOKEN set, TELEGRAM_WEBHOOK_SECRET set" in out
    for secret in ("SECRET-TOKEN-VALUE", "webhook-secret-value", "VILLAGE2026", "OTHER2026",
                   "13800000001"):
        assert secret not in out


def test_on_duty_follows_the_rotation_and_the_database_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = good_config(tmp_path)
    code, out, _ = run(capsys, "--config", str(path), "--at", "2026-11-03 07:59")
    assert "  village: eng1 (Engineer One); then eng3 (Engineer Three)" in out.splitlines()
    code, out, _ = run(capsys, "--config", str(path), "--at", "2026-11-03 08:00")
    assert "  village: eng2 (Engineer Two); then eng3 (Engineer Three)" in out.splitlines()

    async def cover() -> None:  # a manager's /cover: eng4 takes the primary layer that day
        db = Database(tmp_path / "hotline.db")
        await db.open()
        async with unit_of_work(db) as uow:
            start = datetime(2026, 11, 3, 8, 0, tzinfo=SHANGHAI)
            end = datetime(2026, 11, 3, 20, 0, tzinfo=SHANGHAI)
            await uow.rosters.add_override(
                Override("county", "primary", "eng4", start, end), "cover", "staff:pm", start)
        await db.close()

    asyncio.run(cover())
    code, out, _ = run(capsys, "--config", str(path), "--at", "2026-11-03 09:00")
    assert code == 0
    assert "the roster with the database's overrides" in out
    assert "  village: eng4 (Engineer Four); then eng3 (Engineer Three)" in out.splitlines()


def test_a_gap_in_the_roster_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day_only = TEAM.replace('rotation = "daily"\nhandoff = "08:00"',
                            'rotation = "shifts"\nshifts = ["08:00-20:00"]')
    day_only = day_only[:day_only.index("[[teams.layers]]\nname = \"secondary\"")]
    village = project_toml(team="county", escalation=["cm"])
    path = write(tmp_path, hotline_config(staff=STAFF, projects=[village], extra=day_only))
    code, out, _ = run(capsys, "--config", str(path), "--at", "2026-11-02 22:00")
    assert code == 0
    assert "  village: NOBODY (a gap in the roster: new faults would page no one)" in out


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("invite = ", "invitation = "), "projects[0].invitation: unknown key"),
        (("telegram_id = 1001", 'telegram_id = "1001"'),
         "staff[0].telegram_id: must be a whole number (without quotes)"),
        (("burst = 1000", "burst = 0"), "guard.burst: must be at least 1"),
        (('timezone = "Asia/Shanghai"', 'timezone = "Asia/Atlantis"'),
         "timezone: unknown time zone 'Asia/Atlantis'"),
        (('on_duty = ["eng1", "eng2"]', 'on_duty = ["eng1", "engX"]'),
         "projects[0].on_duty: unknown staff key 'engX'"),
    ],
)
def test_a_bad_key_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], named: str
) -> None:
    text = hotline_config()
    assert change[0] in text
    path = write(tmp_path, text.replace(change[0], change[1], 1))
    code, out, err = run(capsys, "--config", str(path))
    assert code == 2 and out == ""
    assert f"  {path}: {named}" in err, err


def test_a_bad_time_for_at_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--config", str(good_config(tmp_path)), "--at", "tonight")
    assert code == 2 and "--at 'tonight'" in err


def test_run_bot_has_the_sub_command(tmp_path: Path) -> None:
    path = write(tmp_path, hotline_config().replace("invite = ", "invitation = ", 1))
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "check-config", "--config", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2
    assert "projects[0].invitation: unknown key (check the spelling)" in done.stderr
    ok = write(tmp_path, hotline_config())
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "check-config", "--config", str(ok)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith(f"{ok}: OK"), done.stderr
    assert not (tmp_path / "hotline.db").exists()  # checking never creates the database


def test_the_sandbox_config_is_checked_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--config", str(ROOT / "config" / "sandbox.toml"))
    assert (code, err) == (0, "")
    assert "  demo-village: " in out
