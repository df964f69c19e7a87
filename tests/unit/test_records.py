"""The record rules of the service report: sign-off, unconfirmed close, engineers, hashes,
archive names; the archive writes a file once and never overwrites it; issued rows are
insert-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.domain.drafts import split_model
from bot.domain.reports import (
    IssuedReport,
    SignOff,
    archive_name,
    close_unconfirmed,
    content_hash,
    engineers_of,
    file_name,
    sign_off_of,
)
from bot.domain.ticket import Deadlines, Level, Status, Ticket, TransitionError
from bot.domain.timeline import TimelineEntry
from bot.storage.db import Database
from bot.storage.records import Records, ReportFiles
from bot.storage.uow import unit_of_work

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def entry(minutes: int, actor: str, kind: str, **detail: str) -> TimelineEntry:
    return TimelineEntry(1, at(minutes), actor, kind, dict(detail))


def resolved_ticket(resolved_at: datetime | None = None) -> Ticket:
    return Ticket(
        id=1,
        project_key="p",
        customer_id=5001,
        level=Level.B,
        status=Status.RESOLVED,
        reported_at=T0,
        deadlines=Deadlines(at(15), at(120), None),
        owner_key="eng1",
        resolved_at=resolved_at or at(60),
    )


def test_sign_off_is_pending_until_the_customer_confirms() -> None:
    timeline = [entry(0, "customer:5001", "reported"), entry(60, "staff:eng1", "resolved")]
    assert sign_off_of(timeline) == SignOff("pending")
    timeline.append(entry(70, "customer:5001", "confirmed", name="Customer"))
    assert sign_off_of(timeline) == SignOff("confirmed", at(70), 5001, "Customer")


def test_a_reopen_after_a_sign_off_makes_the_next_resolution_pending_again() -> None:
    timeline = [
        entry(60, "staff:eng1", "resolved"),
        entry(65, "customer:5001", "reopened"),
        entry(90, "staff:eng1", "resolved"),
    ]
    assert sign_off_of(timeline).state == "pending"


def test_closed_without_confirmation_is_the_sign_off_block() -> None:
    timeline = [entry(60, "staff:eng1", "resolved"), entry(4380, "system", "closed_unconfirmed")]
    assert sign_off_of(timeline) == SignOff("closed_unconfirmed", at(4380))


def test_close_unconfirmed_only_closes_the_resolution_its_timer_was_set_for() -> None:
    t = resolved_ticket()
    closed = close_unconfirmed(t, at(60), at(4380))
    assert closed.status is Status.CLOSED and closed.closed_at == at(4380)
    assert closed.closed_unconfirmed and not t.closed_unconfirmed
    with pytest.raises(TransitionError):
        close_unconfirmed(resolved_ticket(at(90)), at(60), at(4380))  # resolved again since
    with pytest.raises(TransitionError):
        close_unconfirmed(closed, at(60), at(4400))  # confirmed or closed meanwhile


def test_engineers_in_the_order_they_worked_owner_included() -> None:
    timeline = [
        entry(0, "customer:5001", "reported"),
        entry(5, "staff:eng2", "accepted"),
        entry(9, "staff:pm", "regraded"),
        entry(20, "staff:eng2", "note"),
    ]
    assert engineers_of(resolved_ticket(), timeline) == ("eng2", "pm", "eng1")


def test_hash_and_names() -> None:
    assert content_hash(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert file_name(12) == "service-report-12.pdf"
    name = archive_name(12, 3, content_hash(b"abc"))
    assert name == "service-report-12-v3-ba7816bf8f01.pdf"


def test_the_archive_writes_once_and_never_overwrites(tmp_path: Path) -> None:
    files = ReportFiles(tmp_path / "reports")
    path = files.store("r-v1.pdf", b"%PDF one")
    assert files.read(path) == b"%PDF one"
    assert files.store("r-v1.pdf", b"%PDF one") == path  # a retried transaction: same bytes
    with pytest.raises(FileExistsError):
        files.store("r-v1.pdf", b"%PDF changed")
    assert files.read(path) == b"%PDF one"


async def test_issued_reports_are_kept_in_order_and_a_version_is_never_replaced(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "bot.db")
    await db.open()
    try:
        async with unit_of_work(db) as uow:
            await uow.conn.execute(
                "INSERT INTO tickets (project_key, customer_id, level, status, reported_at,"
                " respond_due, arrive_due) VALUES ('p', 5001, 'B', 'resolved', ?, ?, ?)",
                ("2026-11-23T06:00:00.000000Z",) * 3,
            )
            records = uow.records
            assert isinstance(records, Records)
            assert await records.latest(1) is None
            first = IssuedReport(1, 1, "issued", at(60), "zh", "a.pdf", "aa")
            await records.add(first)
            await records.add(IssuedReport(1, 2, "confirmed", at(70), "zh", "b.pdf", "bb"))
            assert [r.version for r in await records.of_ticket(1)] == [1, 2]
            assert (await records.latest(1)) == IssuedReport(
                1, 2, "confirmed", at(70), "zh", "b.pdf", "bb"
            )
            with pytest.raises(aiosqlite.IntegrityError):
                await records.add(IssuedReport(1, 1, "confirmed", at(80), "zh", "c.pdf", "cc"))
        assert not hasattr(Records, "update") and not hasattr(Records, "delete")
    finally:
        await db.close()


@pytest.mark.parametrize(
    ("answer", "model", "serial"),
    [
        ("DS-2CD3T46 SN:E123", "DS-2CD3T46", "E123"),
        ("DS-2CD3T46", "DS-2CD3T46", ""),
        ("S5720-28X\nE123", "S5720-28X", "E123"),
        ("S5720 序列号：ABC", "S5720", "ABC"),
        ("S5720\nS/N: ABC", "S5720", "ABC"),
        ("SN: only", "", "only"),
        ("Snake 200", "Snake 200", ""),
        ("Serial No. 77", "", "77"),
    ],
)
def test_the_model_answer_gives_model_and_serial(answer: str, model: str, serial: str) -> None:
    assert split_model(answer) == (model, serial)


async def test_a_ticket_from_before_the_serial_field_reads_with_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.storage.db as db_module

    everything = list(db_module.MIGRATIONS)
    monkeypatch.setattr(db_module, "MIGRATIONS", everything[:6])
    old = Database(tmp_path / "bot.db")
    await old.open()
    async with old.transaction() as conn:
        await conn.execute(
            "INSERT INTO tickets (project_key, customer_id, level, status, reported_at,"
            " respond_due, arrive_due, model) VALUES ('p', 5001, 'B', 'new', ?, ?, ?,"
            " 'DS-2CD3T46 SN:E123')",
            ("2026-11-23T06:00:00.000000Z",) * 3,
        )
    await old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", everything)
    new = Database(tmp_path / "bot.db")
    await new.open()
    try:
        async with unit_of_work(new) as uow:
            ticket = await uow.tickets.get(1)
        assert ticket is not None
        assert (ticket.model, ticket.serial) == ("DS-2CD3T46 SN:E123", "")
    finally:
        await new.close()
