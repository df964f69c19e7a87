"""The auditor's export with the bot as a process against the strict emulator (/export → the
XLSX arrives), then the operator's command line on the same database."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.sandbox.emulator import BotApiEmulator
from tests.e2e.conftest import ROOT, TOKEN, StartBot
from tests.e2e.test_bot_process import CUSTOMER, Person, join_customer, not_flood, start_staff

ENG1, PM = 1001, 1012
HOSTILE = "=cmd|' /C calc'!A0 <b>黑屏</b> 🙂"


async def _cli(*args: str) -> tuple[int, str, str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "run_bot.py"), "export", *args,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _config_naming(config: Path, path: Path, database: str) -> Path:
    """A copy of the config that names another database file."""
    text = config.read_text(encoding="utf-8").replace("hotline.db", database)
    path.write_text(text, encoding="utf-8")
    return path


def _ticket_row(data: bytes, sheet: str) -> dict[str, object]:
    book = load_workbook(io.BytesIO(data))
    rows = list(book[sheet].iter_rows(values_only=True))
    assert len(rows) == 2, rows
    return dict(zip([str(h) for h in rows[0]], rows[1], strict=True))


async def test_export_in_chat_and_from_the_command_line(
    emu: BotApiEmulator, start_bot: StartBot, config_file: Path, tmp_path: Path
) -> None:
    bot = await start_bot()
    await start_staff(emu, ENG1)
    await start_staff(emu, PM, lang="en")
    await join_customer(emu)
    cust, eng, pm = Person(emu, CUSTOMER), Person(emu, ENG1), Person(emu, PM)
    cust.send("/report")
    await cust.expect("整个系统")
    cust.press("否")
    await cust.expect("部分设备")
    cust.press("否")
    await cust.expect("故障地点")
    cust.send("Village 3 office")
    await cust.expect("故障现象")
    cust.send(HOSTILE)
    await cust.expect("照片")
    cust.press("完成")
    await cust.expect("型号")
    cust.press("跳过")
    await cust.expect("联系电话")
    cust.press("使用")
    await cust.expect("请确认")
    cust.press("确认提交")
    await cust.expect("已受理")
    await eng.expect("新故障 #1")
    eng.send("/take 1")
    await eng.expect("工单 #1")
    eng.send("/blocked 1 transmission")
    await eng.expect("无 → 传输")

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    pm.send(f"/export {today} {today}")
    doc = await pm.expect("Auditor's export")
    assert doc.kind == "document" and doc.file_data is not None
    day = today.replace("-", "")
    assert doc.file_name == f"tickets-village-{day}-{day}.xlsx"
    row = _ticket_row(doc.file_data, "Tickets")
    assert row["Ticket"] == 1 and row["Symptom"] == HOSTILE
    assert row["Blocking reason"] == "Transmission" and row["Owner"] == "Engineer One"
    assert isinstance(row["Reported at (Asia/Shanghai)"], datetime)
    assert row["response: result"] == "met"
    assert not_flood(emu) == []
    assert await bot.stop() == 0

    # The operator's command line, on the database the config names.
    out = tmp_path / "audit.xlsx"
    code, said, err = await _cli(
        "--config", str(config_file), "--project", "village", "--from", today, "--to", today,
        "--out", str(out), "--lang", "zh",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert said.startswith(f"wrote {out}: 1 tickets of village")
    cli_row = _ticket_row(out.read_bytes(), "工单")
    assert cli_row["工单号"] == 1 and cli_row["故障现象"] == HOSTILE
    assert cli_row["未解决原因"] == "传输"
    assert cli_row["报障时间（Asia/Shanghai）"] == row["Reported at (Asia/Shanghai)"]

    for args, message in (
        (("--project", "nope", "--from", today, "--to", today),
         "export: no project 'nope' in"),
        (("--project", "village", "--from", "2026-13-01", "--to", today), "export: bad dates"),
        (("--project", "village", "--from", today, "--to", "2000-01-01"), "export: bad dates"),
    ):  # fmt: skip
        code, said, err = await _cli("--config", str(config_file), *args, "--out", str(out))
        assert code == 2 and err.startswith(message), err
        assert TOKEN not in said + err
    missing = _config_naming(config_file, tmp_path / "elsewhere.toml", "gone.db")
    code, _, err = await _cli("--config", str(missing), "--project", "village", "--from", today,
                              "--to", today, "--out", str(out))  # fmt: skip
    assert code == 2 and err.startswith("export: database not found:"), err
    assert not (tmp_path / "gone.db").exists()  # never created
