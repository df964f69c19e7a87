"""`run_bot.py backup` and `run_bot.py restore`: an online backup of the database and the
documents; a restore that is refused while a bot holds the database, refuses a backup that
fails its integrity check (changing nothing), and keeps the old database and documents aside."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from bot.backup_cli import backup_main, restore_main
from bot.storage import backup
from bot.storage.db import Database
from bot.storage.lock import DatabaseLock
from tests.support.configs import hotline_config

ROOT = Path(__file__).resolve().parents[2]


def users(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT telegram_id FROM users ORDER BY 1")]
    finally:
        conn.close()


def add_user(db: Path, telegram_id: int) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(
            "INSERT INTO users (telegram_id, created_at) VALUES (?, ?)",
            (telegram_id, "2026-11-30T10:00:00.000000Z"),
        )
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "hotline.toml"
    text = hotline_config().replace(
        'database = "hotline.db"\n', 'database = "hotline.db"\nbackup_dir = "saved"\n'
    )
    path.write_text(text, encoding="utf-8")

    async def migrate() -> None:
        db = Database(tmp_path / "hotline.db")
        await db.open()
        await db.close()

    asyncio.run(migrate())
    add_user(tmp_path / "hotline.db", 5001)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "report-1-v1-zh.pdf").write_bytes(b"%PDF-1.7 the first service report")
    return path


def test_backup_from_the_command_line_holds_the_database_and_the_documents(
    config: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "backup", "--config", str(config)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [(_, made)] = backup.backups(tmp_path / "saved")  # backup_dir, relative to the config
    assert f"wrote {made}" in done.stdout and "1 documents" in done.stdout
    with tarfile.open(made) as tar:
        names = tar.getnames()
        pdf = tar.extractfile("reports/report-1-v1-zh.pdf")
        assert pdf is not None and pdf.read() == b"%PDF-1.7 the first service report"
    assert {"hotline.db", "manifest.json", "reports/report-1-v1-zh.pdf"} <= set(names)
    copy = tmp_path / "copy.db"
    backup.extract_database(made, copy)
    assert backup.integrity(copy) == "ok"
    assert users(copy) == [5001]


def test_backup_to_a_named_file_never_overwrites_one(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.tar"
    assert backup_main(["--config", str(config), "--to", str(target)]) == 0
    assert target.is_file()
    assert backup_main(["--config", str(config), "--to", str(target)]) == 2
    assert "the file exists" in capsys.readouterr().err


def test_restore_is_refused_while_a_bot_holds_the_database(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "b.tar"
    assert backup_main(["--config", str(config), "--to", str(made)]) == 0
    add_user(tmp_path / "hotline.db", 5002)
    bot = DatabaseLock(tmp_path / "hotline.db")
    bot.acquire("bot")  # what a running bot holds from start to exit
    try:
        assert restore_main(["--config", str(config), "--from", str(made)]) == 2
    finally:
        bot.release()
    err = capsys.readouterr().err
    assert "is in use" in err and "bot pid" in err and "stop the bot first" in err
    assert users(tmp_path / "hotline.db") == [5001, 5002]  # nothing changed


def test_restore_of_a_running_bots_database_is_refused_across_processes(
    config: Path, tmp_path: Path
) -> None:
    made = tmp_path / "b.tar"
    assert backup_main(["--config", str(config), "--to", str(made)]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from bot.storage.lock import DatabaseLock; "
         f"DatabaseLock({str(tmp_path / 'hotline.db')!r}).acquire(); print('held', flush=True); "
         "time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = subprocess.run(
            [sys.executable, str(ROOT / "run_bot.py"), "restore", "--config", str(config),
             "--from", str(made)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2 and "stop the bot first" in done.stderr
    # The holder is gone (killed: the kernel dropped its lock): now the restore goes through.
    assert restore_main(["--config", str(config), "--from", str(made)]) == 0


@pytest.mark.parametrize("damage", ["garbage", "torn page", "not a backup tar"])
def test_a_corrupt_backup_is_refused_and_nothing_changes(
    config: Path, tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hotline.db"
    bad = tmp_path / "bad.db"
    if damage == "garbage":
        bad.write_bytes(b"this is not a database at all" * 100)
    elif damage == "torn page":
        backup.copy_database(db, bad)
        data = bytearray(bad.read_bytes())
        page = 4096
        data[2 * page : 3 * page] = b"\xff" * page  # a b-tree page overwritten
        bad.write_bytes(bytes(data))
    else:
        with tarfile.open(bad, "w") as tar:
            tar.add(config, arcname="hotline.toml")
    before = db.read_bytes()
    assert restore_main(["--config", str(config), "--from", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nothing was changed" in err
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "before-restore" in p.name) == []
    assert not list(tmp_path.glob(".restore-*"))  # no temporary left behind


def test_restore_keeps_the_old_database_and_documents_aside(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "b.tar"
    assert backup_main(["--config", str(config), "--to", str(made)]) == 0
    db = tmp_path / "hotline.db"
    add_user(db, 5002)  # after the backup: only in the old database
    (tmp_path / "reports" / "report-2-v1-zh.pdf").write_bytes(b"%PDF later")
    assert restore_main(["--config", str(config), "--from", str(made)]) == 0
    out = capsys.readouterr().out
    assert users(db) == [5001]
    [old] = [p for p in tmp_path.iterdir() if p.name.startswith("hotline.db.before-restore-")]
    assert users(old) == [5001, 5002] and f"kept as {old}" in out
    [kept] = [p for p in tmp_path.iterdir() if p.name.startswith("reports.before-restore-")]
    assert sorted(p.name for p in kept.iterdir()) == ["report-1-v1-zh.pdf", "report-2-v1-zh.pdf"]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["report-1-v1-zh.pdf"]
    assert backup.integrity(db) == "ok"


def test_restore_of_a_missing_file_says_so(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert restore_main(["--config", str(config), "--from", str(tmp_path / "nope.tar")]) == 2
    assert "no such file" in capsys.readouterr().err
