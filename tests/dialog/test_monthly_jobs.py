"""The monthly summary as a document job: /monthly answers at once ("preparing…"), the files
are made after the transaction without holding the write lock, and the outbox rows name the
archived files by path and SHA-256 instead of carrying their bytes. The 1st-of-month timer
requests one job (requester 0) whose files reach every reader once."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.clock import FakeClock
from bot.storage.uow import unit_of_work
from tests.dialog.harness import Harness
from tests.dialog.test_monthly import (
    CONFIG,
    CUSTOMER,
    ENG1,
    LEAD,
    PM,
    at,
    documents,
    photos,
    until,
)  # fmt: skip
from tests.dialog.test_report_typesetting import without_sending

PREPARING = (
    "正在准备每月维护报告汇总（County Police Village Query Service，2026-11），完成后会发给您。"
)


@pytest.fixture
async def m(tmp_path: Path) -> Any:
    h = Harness(tmp_path, CONFIG, FakeClock(at(11, 2, 9)))
    await h.start()
    yield h
    await h.stop()


async def job_rows(h: Harness) -> list[tuple[Any, ...]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT kind, requester, chat, state, params FROM document_jobs ORDER BY id"
        ) as cur:
            return [(*r[:4], json.loads(r[4])) for r in await cur.fetchall()]


async def file_rows(h: Harness) -> list[tuple[str, dict[str, Any]]]:
    """The outbox rows of the files (what travels in the database)."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT method, payload FROM outbox WHERE method IN ('sendPhoto', 'sendDocument')"
            " ORDER BY id"
        ) as cur:
            return [(r[0], json.loads(r[1])) for r in await cur.fetchall()]


async def test_monthly_answers_at_once_and_the_files_travel_by_path(m: Harness) -> None:
    pm = await m.staff(PM)
    await until(m, at(12, 2, 9))
    count = pm.count()
    await pm.send("/monthly village 2026-11")
    said = pm.since(count)
    assert said[0] == PREPARING
    assert said[1].startswith("每月维护报告汇总 · County Police Village Query Service · 2026-11")
    assert (await job_rows(m))[-1] == (
        "monthly", PM, PM, "done", {"project": "village", "month": "2026-11"}
    )
    rows = (await file_rows(m))[-3:]
    assert [method for method, _ in rows] == ["sendPhoto", "sendDocument", "sendDocument"]
    png = photos(m, PM)[-1]
    assert Image.open(io.BytesIO(png)).size == (1320, 1080)
    sent = [png, *(data for _, data in documents(pm)[-2:])]
    for (method, payload), data in zip(rows, sent, strict=True):
        field = "photo" if method == "sendPhoto" else "document"
        # No base64 in the database: the archived file's name and its SHA-256.
        assert "document_b64" not in payload and not any(
            isinstance(v, str) and len(v) > 500 for v in payload.values()
        )
        assert payload[f"{field}_sha256"] == hashlib.sha256(data).hexdigest()
        assert (m.tmp / "reports" / payload[f"{field}_path"]).read_bytes() == data


async def test_others_are_answered_while_the_monthly_files_are_made(m: Harness) -> None:
    pm, eng = await m.staff(PM), await m.staff(ENG1)
    cust = await m.customer(CUSTOMER)
    await until(m, at(11, 3, 10))
    await m.report(cust, level="C")
    await until(m, at(12, 2, 9))  # the 1st's automatic summary has come
    before = len(documents(pm))
    assert m.hb is not None
    pages = m.hb.services.monthly.typeset
    real = pages.pictures
    started, release = threading.Event(), threading.Event()

    def slow(summary: Any, lang: str) -> tuple[bytes, bytes]:
        started.set()
        assert release.wait(30), "never released"
        return real(summary, lang)

    pages.pictures = slow  # type: ignore[method-assign]

    async def ask() -> None:
        await pm.send("/monthly village 2026-11")

    await without_sending(m, ask)
    making = asyncio.create_task(m.hb.documents.drain())  # the worker, as after the commit
    try:
        assert await asyncio.to_thread(started.wait, 30), "the maker never started"
        # The chart is being drawn: the write lock is free, and another user's update is
        # answered (and written) before the summary is finished.
        assert not m.hb.db._lock.locked()
        count = eng.count()
        await eng.send("/take 1")
        assert eng.since(count) and "#1" in eng.since(count)[0]
        assert (await m.ticket(1)).owner_key == "eng1"  # type: ignore[union-attr]
        assert not making.done() and len(documents(pm)) == before
    finally:
        release.set()
        del pages.pictures
    assert await making == 1
    await m.drain()
    head = pm.find("每月维护报告汇总 · County Police Village Query Service · 2026-11")
    assert "报修数量：1（A 0 · B 0 · C 1）" in head.text
    assert [name for name, _ in documents(pm)[before:]] == [
        "monthly-village-2026-11.xlsx", "monthly-village-2026-11.pdf"
    ]


async def test_the_first_of_the_month_is_one_job_for_every_reader(m: Harness) -> None:
    pm, lead = await m.staff(PM), await m.staff(LEAD, language="en")
    cust = await m.customer(CUSTOMER)
    await until(m, at(12, 1, 9))
    jobs = [j for j in await job_rows(m) if j[4]["project"] == "village"]
    assert jobs == [("monthly", 0, 0, "done",
                     {"project": "village", "month": "2026-11", "automatic": True})]
    for chat in (pm, lead, cust):
        assert len(documents(chat)) == 2 and len(photos(m, chat.user_id)) == 1
    assert lead.find("(sent on the 1st of each month)")
    # One set of files per language: the Chinese readers share theirs.
    paths = {p["document_path"] for _, p in await file_rows(m) if "document_path" in p}
    assert len([p for p in paths if "village" not in p]) == len(paths)  # named by job
    assert len(paths) == 2 * 2 + 2  # village: zh + en workbook and PDF; other: zh


async def test_a_large_months_chart_and_pdf_are_drawn_in_a_process_of_their_own(
    m: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.telegram.render.monthly as pages

    monkeypatch.setattr(pages, "LARGE_MONTH", 0)  # any month counts as large here
    pm = await m.staff(PM)
    await until(m, at(12, 2, 9))
    assert m.hb is not None
    typeset = m.hb.services.monthly.typeset
    assert isinstance(typeset, pages.MonthlyPages)
    drawing, runs = typeset.drawing, []
    run = drawing.run

    def recorded(draw: Any, *args: Any) -> Any:
        runs.append(drawing.started)  # the process was running when the pictures were drawn
        return run(draw, *args)

    monkeypatch.setattr(drawing, "run", recorded)
    try:
        await pm.send("/monthly village 2026-11")
        assert runs == [True]
        assert drawing.started  # kept a while for the next large month
    finally:
        typeset.close()
    assert not drawing.started
    png = photos(m, PM)[-1]
    assert Image.open(io.BytesIO(png)).size == (1320, 1080)
    name, pdf = documents(pm)[-1]
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert "drawing process died" not in caplog.text  # drawn there, not as a fallback
