"""Document jobs: /export records a job and answers at once; the workbook is made after the
transaction from a read-only snapshot, without holding the write lock, archived, and sent by its
path and SHA-256. A job that fails is marked failed and its requester told politely, and the next
job still works; a job left pending by a stop is done once at start-up."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Any

from openpyxl import load_workbook

from bot.services.export import WorkbookMaker
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_export import CUST, PM, sent_documents
from tests.dialog.test_report_typesetting import without_sending

EXPORT = "/export 2026-11-23 2026-11-23"
PREPARING = (
    "正在准备审计导出（County Police Village Query Service，2026-11-23 至 2026-11-23），"
    "完成后会发给您。"
)


async def job_rows(h: Harness) -> list[tuple[Any, ...]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT id, kind, requester, chat, state, error, path IS NOT NULL FROM document_jobs"
            " ORDER BY id"
        ) as cur:
            return [tuple(r) for r in await cur.fetchall()]


def workbooks(chat: Chat) -> list[Any]:
    docs = [m for m in chat.messages() if m.kind == "document"]
    return [load_workbook(io.BytesIO(d.file[1])) for d in docs if d.file]


async def a_ticket(h: Harness) -> Chat:
    pm = await h.staff(PM)
    await h.report(await h.customer(CUST), symptom="黑屏")
    return pm


def maker_of(h: Harness) -> WorkbookMaker:
    assert h.hb is not None
    return h.hb.services.export.make


def set_maker(h: Harness, make: WorkbookMaker) -> None:
    assert h.hb is not None
    h.hb.services.export.make = make


async def test_a_failing_maker_fails_its_job_politely_and_the_next_job_works(
    h: Harness,
) -> None:
    pm = await a_ticket(h)
    real = maker_of(h)

    def broken(book: Any, language: str | None) -> tuple[bytes, str]:
        raise RuntimeError("disk on fire")

    set_maker(h, broken)
    count = pm.count()
    await pm.send(EXPORT)
    assert pm.since(count) == [
        PREPARING,
        "抱歉，您请求的审计导出未能生成。请稍后再试；如仍失败，请联系管理员。",
    ]
    assert workbooks(pm) == []
    assert await job_rows(h) == [
        (1, "export", PM, PM, "failed", "RuntimeError: disk on fire", 0)
    ]
    # The next export is made and arrives; the failed one is not tried again.
    set_maker(h, real)
    pm_en = h.chat(PM, "Staff", "en")
    count = pm_en.count()
    await pm_en.send(EXPORT)
    [book] = workbooks(pm_en)
    assert book.sheetnames == ["Tickets", "Pauses", "Timeline"]
    assert pm_en.since(count)[0].startswith("Preparing your auditor's export")
    assert [r[4] for r in await job_rows(h)] == ["failed", "done"]


async def test_refusals_and_bad_dates_record_no_job(h: Harness) -> None:
    pm = await a_ticket(h)
    eng = await h.staff(1001)
    await eng.send(EXPORT)
    assert eng.last().text == "审计导出仅限项目经理、项目负责人和管理员。"
    await pm.send("/export 2026-11-30 2026-11-23")
    assert pm.last().text.startswith("用法：/export [项目] 开始日期 结束日期")
    assert await job_rows(h) == []


async def test_a_job_pending_at_a_stop_is_made_once_at_start_up(h: Harness) -> None:
    pm = await a_ticket(h)

    async def ask() -> None:
        await pm.send(EXPORT)

    await without_sending(h, ask)  # committed, then the process stops before the worker ran
    assert [r[4] for r in await job_rows(h)] == ["pending"]
    await h.restart()
    [book] = workbooks(pm)
    assert [r[0] for r in list(book["工单"].iter_rows(values_only=True))[1:]] == [1]
    assert [r[4:] for r in await job_rows(h)] == [("done", None, 1)]
    # Once: another restart sends nothing again.
    await h.restart()
    assert len(workbooks(pm)) == 1 and len(await sent_documents(h)) == 1


async def test_others_are_answered_while_an_export_is_being_made(h: Harness) -> None:
    pm = await a_ticket(h)
    eng = await h.staff(1001)
    real = maker_of(h)
    started, release = threading.Event(), threading.Event()

    def slow(book: Any, language: str | None) -> tuple[bytes, str]:
        started.set()
        assert release.wait(30), "never released"
        return real(book, language)

    set_maker(h, slow)

    async def ask() -> None:
        await pm.send(EXPORT)

    await without_sending(h, ask)
    assert h.hb is not None
    making = asyncio.create_task(h.hb.documents.drain())  # the worker, as after the commit
    try:
        assert await asyncio.to_thread(started.wait, 30), "the maker never started"
        # The workbook is being made: the write lock is free, and another user's update is
        # answered (and written: the ticket changes) before the export is finished.
        assert not h.hb.db._lock.locked()
        count = eng.count()
        await eng.send("/take 1")
        assert eng.since(count) and "#1" in eng.since(count)[0]
        assert (await h.ticket(1)).owner_key == "eng1"  # type: ignore[union-attr]
        assert not making.done() and workbooks(pm) == []
    finally:
        release.set()
    assert await making == 1
    await h.drain()
    [book] = workbooks(pm)
    # The snapshot was read before the ticket was taken: the workbook shows it waiting.
    rows = list(book["工单"].iter_rows(values_only=True))
    assert rows[1][rows[0].index("状态")] == "待接单"
    assert [r[4] for r in await job_rows(h)] == ["done"]
