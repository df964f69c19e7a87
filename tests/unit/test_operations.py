"""The health rule, the backups folder (names, newest kept) and the database's lock file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.health import HealthFacts, HealthLimits, problems
from bot.storage import backup
from bot.storage.lock import DatabaseLock, DatabaseLocked
from tests.support.configs import hotline_config

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
LIMITS = HealthLimits(updates_max_age=timedelta(minutes=2), outbox_max_age=timedelta(minutes=15))


def facts(**changed: object) -> HealthFacts:
    base: dict[str, object] = dict(
        at=NOW, database_error="", polling=True, updates_age=5.0, updates_handled=3,
        outbox_backlog=0, outbox_oldest_age=None, timers_oldest_age=None,
    )  # fmt: skip
    base.update(changed)
    return HealthFacts(**base)  # type: ignore[arg-type]


def test_healthy_when_the_database_writes_telegram_answers_and_the_sender_moves() -> None:
    assert problems(facts(), LIMITS) == []
    assert problems(facts(outbox_backlog=900, outbox_oldest_age=899.0), LIMITS) == []


@pytest.mark.parametrize(
    ("changed", "found"),
    [
        ({"database_error": "OperationalError: disk I/O error"}, ["database"]),
        ({"updates_age": 121.0}, ["updates"]),
        ({"updates_age": None}, ["updates"]),  # polling, and Telegram never answered
        ({"outbox_oldest_age": 901.0, "outbox_backlog": 1}, ["outbox"]),
        ({"database_error": "x", "updates_age": 500.0, "outbox_oldest_age": 5000.0},
         ["database", "updates", "outbox"]),
    ],
)  # fmt: skip
def test_each_problem_is_named(changed: dict[str, object], found: list[str]) -> None:
    assert problems(facts(**changed), LIMITS) == found


def test_a_bot_that_does_not_poll_is_not_judged_by_getupdates() -> None:
    # Webhook mode: Telegram pushes; a quiet night is not a fault.
    assert problems(facts(polling=False, updates_age=None), LIMITS) == []


def test_backups_are_found_by_name_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    for day in range(1, 6):
        (tmp_path / backup.backup_name(NOW.replace(day=day))).write_bytes(b"x")
    (tmp_path / "hotline-20261101T030000Z.tar.part").write_bytes(b"half")  # never a backup
    (tmp_path / "notes.txt").write_text("mine")
    assert backup.latest(tmp_path) == NOW.replace(day=5)
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == [
        "hotline-20261101T030000Z.tar", "hotline-20261102T030000Z.tar",
        "hotline-20261103T030000Z.tar",
    ]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hotline-20261101T030000Z.tar.part", "hotline-20261104T030000Z.tar",
        "hotline-20261105T030000Z.tar", "notes.txt",
    ]  # fmt: skip
    assert backup.latest(tmp_path / "none") is None


def test_the_online_copy_of_a_wal_database_holds_every_commit_and_stands_alone(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live.db"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # every commit stays in the WAL file
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(500)])
    assert (tmp_path / "live.db-wal").stat().st_size > 0
    copy = tmp_path / "copy.db"
    backup.copy_database(live, copy)
    writer.close()
    assert backup.integrity(copy) == "ok"
    assert not (tmp_path / "copy.db-wal").exists()
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (500,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


def test_a_file_that_is_not_a_database_fails_the_integrity_check(tmp_path: Path) -> None:
    (tmp_path / "x.db").write_bytes(b"hello")
    assert backup.integrity(tmp_path / "x.db") == "not an SQLite database"


def test_one_holder_of_the_lock_at_a_time(tmp_path: Path) -> None:
    first, second = DatabaseLock(tmp_path / "h.db"), DatabaseLock(tmp_path / "h.db")
    first.acquire("bot")
    with pytest.raises(DatabaseLocked, match="bot pid"):
        second.acquire("restore")
    first.release()
    second.acquire("restore")  # released: the next may take it
    second.release()
    assert (tmp_path / "h.db.lock").exists()


def test_the_config_keys_of_operations(tmp_path: Path) -> None:
    path = tmp_path / "c" / "hotline.toml"
    path.parent.mkdir()
    head = 'database = "hotline.db"\n'
    text = hotline_config().replace(
        head, head + 'backup_at = "02:30"\nbackup_dir = "../saved"\nbackup_keep = 7\n'
    ) + '\n[http]\nlisten = "[::1]:9100"\nupdates_max_age = "5m"\noutbox_max_age = "1h"\n'
    path.write_text(text, encoding="utf-8")
    s = load_settings(path)
    assert (s.backup_at, s.backup_keep) == ("02:30", 7)
    assert s.backup_dir == path.parent / "../saved"  # relative to the config, like database
    assert s.http.listen == "[::1]:9100"
    assert (s.http.updates_max_age, s.http.outbox_max_age) == (
        timedelta(minutes=5), timedelta(hours=1),
    )  # fmt: skip
    default = tmp_path / "d.toml"
    default.write_text(hotline_config(), encoding="utf-8")
    d = load_settings(default)
    assert (d.http.listen, d.backup_at, d.backup_keep, d.backup_dir) == ("", "03:00", 14, None)
    for bad, key in [
        (head + 'backup_at = "25:00"\n', "backup_at"),
        (head + "backup_keep = 0\n", "backup_keep"),
    ]:
        default.write_text(hotline_config().replace(head, bad), encoding="utf-8")
        with pytest.raises(ConfigError, match=key):
            load_settings(default)
    default.write_text(hotline_config() + '\n[http]\nlisten = "9090"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"http\.listen"):
        load_settings(default)
