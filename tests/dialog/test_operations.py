"""Operations through the running bot: /health for admins, the daily backup timer (and the
admins told when it fails), the restore drill under load, /healthz and /metrics over HTTP."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.backup_cli import restore_main
from bot.storage import backup
from bot.storage.db import ts
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.support.configs import Person, hotline_config, people

ADMIN = Person("root", "Admin Root", 1020, "admin")


def config(top: str = "", extra: str = "") -> str:
    text = hotline_config(staff=[*people("eng1", "eng2", "eng3", "cm", "pm"), ADMIN], extra=extra)
    return text.replace('database = "hotline.db"\n', f'database = "hotline.db"\n{top}')


async def started(tmp_path: Path, top: str = "", extra: str = "") -> Harness:
    h = Harness(tmp_path, config(top, extra))
    await h.start()
    return h


@pytest.fixture
async def ops(tmp_path: Path):  # type: ignore[no-untyped-def]
    h = await started(tmp_path, 'backup_dir = "backups"\nbackup_keep = 2\n',
                      '\n[http]\nlisten = "127.0.0.1:0"\n')  # fmt: skip
    yield h
    await h.stop()


# ---------------------------------------------------------------------------- /health
async def test_health_shows_admins_the_same_facts_and_refuses_everyone_else(ops: Harness) -> None:
    h = ops
    admin = await h.staff(ADMIN.telegram_id)
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust, level="B")
    await admin.send("/health")
    shown = admin.last().text
    assert "机器人状态" in shown and "正常 ✅" in shown
    assert "数据库：可写" in shown
    assert "未结工单：B 1" in shown
    assert "最近备份：尚无" in shown
    assert "无法联系的值班人员：" in shown
    await admin.send("/help")
    assert "管理员命令" in admin.last().text and "/health 机器人运行状态" in admin.last().text
    await eng.send("/help")
    assert "/health" not in eng.last().text
    stranger = await h.staff(1013)  # not staff in this config: welcomed once, by /start
    await stranger.send("/health")
    # A stranger's repeats within the guard's quiet period get no answer at all.
    assert stranger.texts() == [
        "欢迎使用 7×24 热线值班机器人。请通过项目的邀请链接加入（/start 邀请码）。"
    ]
    await eng.send("/health")
    assert eng.last().text == "此操作仅限管理员。"
    await cust.send("/health")
    assert cust.last().text == "此操作仅限值班人员。"


async def test_health_in_english_names_what_is_wrong(ops: Harness) -> None:
    h = ops
    admin = await h.staff(ADMIN.telegram_id, language="en")
    await stuck_outbox(h)
    await admin.send("/health")
    shown = admin.last().text
    assert shown.startswith("🩺 Bot health: unhealthy ❌ (messages wait too long: the sender is")
    assert "Outbox: 1 due, the oldest waiting 1h" in shown


# ---------------------------------------------------------------------------- backups
async def test_the_daily_backup_fires_once_a_day_survives_a_restart_and_keeps_the_newest(
    ops: Harness, tmp_path: Path
) -> None:
    h = ops
    assert h.hb is not None and h.hb.ops is not None
    folder = tmp_path / "backups"
    cust = await h.customer()
    number = await h.report(cust)
    # 2026-11-23 14:00 in Shanghai: the first backup is at 03:00 the next morning.
    await h.tick(hours=12, minutes=59)
    await h.hb.ops.backups.wait()
    assert backup.backups(folder) == []
    await h.tick(minutes=2)
    await h.hb.ops.backups.wait()
    [(at, made)] = backup.backups(folder)
    assert at.astimezone(h.settings.tz).strftime("%H:%M") == "03:01"
    copy = tmp_path / "copy.db"
    backup.extract_database(made, copy)
    assert backup.integrity(copy) == "ok"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT id FROM tickets").fetchall() == [(number,)]
    # A restart does not take another one today; tomorrow's comes once.
    hb = await h.restart()
    assert hb.ops is not None
    await h.tick(hours=12)
    await hb.ops.backups.wait()
    assert len(backup.backups(folder)) == 1
    await h.tick(hours=12)
    await hb.ops.backups.wait()
    await h.tick(hours=24)
    await hb.ops.backups.wait()
    assert len(backup.backups(folder)) == 2  # backup_keep = 2: the oldest removed
    async with unit_of_work(hb.db) as uow:
        async with uow.conn.execute(
            "SELECT count(*) FROM timers WHERE kind = 'backup' AND state = 'pending'"
        ) as cur:
            row = await cur.fetchone()
    assert row is not None and row[0] == 1  # tomorrow's, armed once


async def test_a_failed_backup_tells_the_admins(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the backups should go")
    h = await started(tmp_path, 'backup_dir = "not-a-folder"\n')
    try:
        admin = await h.staff(ADMIN.telegram_id)
        pm = await h.staff(1012)
        await h.tick(hours=13, minutes=1)
        assert h.hb is not None and h.hb.ops is not None
        await h.hb.ops.backups.wait()
        await h.drain()
        told = admin.last().text
        assert "每日备份失败" in told and "not-a-folder" in told
        assert all("备份" not in t for t in pm.texts())  # the admins, not every manager
        await admin.send("/health")
        assert "上次备份失败" in admin.last().text
    finally:
        await h.stop()


# ---------------------------------------------------------------------------- the drill
RECEIPT = re.compile(r"已受理，工单号 #(\d+)")


def receipted(customers: list[Chat]) -> set[int]:
    return {int(m[1]) for c in customers for t in c.texts() if (m := RECEIPT.search(t))}


async def test_restore_drill_twenty_customers_report_while_a_backup_is_taken(
    tmp_path: Path,
) -> None:
    h = await started(tmp_path)
    try:
        assert h.hb is not None
        for uid in (1001, 1002, 1003):
            await h.staff(uid)
        customers = [
            await h.customer(6000 + i, name=f"Customer {i}") for i in range(20)
        ]
        began: set[int] = set()

        async def backup_midway() -> backup.Made:
            for _ in range(20_000):  # until five customers have their receipts
                if len(receipted(customers)) >= 5:
                    break
                await asyncio.sleep(0.001)
            began.update(receipted(customers))  # receipts sent before the backup began
            return await asyncio.to_thread(
                backup.make_backup, h.settings.database, tmp_path / "drill", h.clock.now()
            )

        made, *numbers = await asyncio.gather(
            backup_midway(), *(h.report(c) for c in customers)
        )
        assert len(set(numbers)) == 20 and len(receipted(customers)) == 20
        assert 5 <= len(began) < 20  # the backup began while customers were reporting
        # Restored into a fresh database file, as after a dead disk.
        fresh = tmp_path / "fresh"
        fresh.mkdir()
        (fresh / "hotline.toml").write_text(config(), encoding="utf-8")
        restore = ["--config", str(fresh / "hotline.toml"), "--from", str(made.path)]
        assert restore_main(restore) == 0
        assert backup.integrity(fresh / "hotline.db") == "ok"
        with sqlite3.connect(fresh / "hotline.db") as conn:
            restored = {r[0] for r in conn.execute("SELECT id FROM tickets")}
            events = dict(conn.execute(
                "SELECT ticket_id, count(*) FROM ticket_events GROUP BY ticket_id"
            ).fetchall())  # fmt: skip
        missing = began - restored
        assert not missing, f"tickets receipted before the backup but not in it: {missing}"
        assert all(events.get(n, 0) > 0 for n in began)  # with their timelines
    finally:
        await h.stop()


# ---------------------------------------------------------------------------- over HTTP
async def get(h: Harness, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    assert h.hb is not None and h.hb.ops is not None and h.hb.ops.server is not None
    host, port = h.hb.ops.server.address
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body.decode()


def sample(metrics: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.M)
    assert match, f"{name} not in /metrics:\n{metrics}"
    return float(match[1])


async def stuck_outbox(h: Harness) -> None:
    """A message due for an hour that nobody sent: what a stuck sender leaves."""
    assert h.hb is not None
    hour_ago = ts(h.clock.now() - timedelta(hours=1))
    async with unit_of_work(h.hb.db) as uow:
        await uow.conn.execute(
            "INSERT INTO outbox (chat_id, method, payload, status, next_attempt_at, created_at)"
            " VALUES (4242, 'sendMessage', '{}', 'pending', ?, ?)",
            (hour_ago, hour_ago),
        )


async def test_metrics_and_healthz_over_http(ops: Harness) -> None:
    h = ops
    await h.staff(1001)
    cust = await h.customer()
    await h.report(cust, level="B")
    await h.tick(minutes=20)  # a reminder timer fires (late by the tick's step at most)

    status, headers, body = await get(h, "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert sample(body, "hotline_updates_handled_total") >= 10
    assert sample(body, 'hotline_messages_sent_total{priority="reply"}') >= 5
    assert 'hotline_messages_sent_total{priority="bulk"}' in body
    assert sample(body, 'hotline_open_tickets{level="B"}') == 1
    assert sample(body, "hotline_outbox_backlog") == 0
    assert sample(body, "hotline_last_backup_age_seconds") == float("inf")
    assert sample(body, "hotline_unreachable_staff") == 5  # only eng1 started the bot
    assert sample(body, "hotline_database_writable") == 1
    assert sample(body, "hotline_healthy") == 1
    assert "hotline_timer_lateness_seconds_bucket" in body
    assert "hotline_open_breaches" in body and "hotline_timer_oldest_due_seconds" in body

    status, headers, body = await get(h, "/healthz")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["status"] == "ok"

    await stuck_outbox(h)
    status, _, body = await get(h, "/healthz")
    found = json.loads(body)
    assert status == 503 and found["status"] == "unhealthy"
    assert found["reasons"] == ["the oldest due message waits too long: the sender is stuck"]
    status, _, body = await get(h, "/metrics")
    assert sample(body, "hotline_healthy") == 0 and sample(body, "hotline_outbox_backlog") == 1
    assert sample(body, "hotline_outbox_oldest_due_age_seconds") >= 3600


async def test_healthz_says_when_telegram_stopped_answering_getupdates(ops: Harness) -> None:
    h = ops
    assert h.hb is not None and h.hb.ops is not None
    fetches = h.hb.ops.monitor.fetches
    assert fetches is not None
    fetches.first_call = fetches.last_answer = time.monotonic() - 600  # polling, silent 10 min
    status, _, body = await get(h, "/healthz")
    assert status == 503
    assert json.loads(body)["reasons"] == ["no getUpdates answer from Telegram for too long"]
    fetches.last_answer = time.monotonic()
    status, _, _ = await get(h, "/healthz")
    assert status == 200


async def test_the_http_server_answers_only_its_two_pages(ops: Harness) -> None:
    assert (await get(ops, "/"))[0] == 404
    assert (await get(ops, "/metrics", method="POST"))[0] == 405
    assert (await get(ops, "/healthz?verbose=1"))[0] == 200
