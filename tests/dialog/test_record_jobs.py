"""The daily report's and the inspection report's PDFs are typeset after the signing (recording)
transaction, as document jobs: never while the write lock is held; they arrive after the
receipt, once each, read back with their Chinese text; an archived PDF is sent again as it is,
never typeset again; a job pending at a stop is done once at the next start; a typesetting that
fails is kept, told politely, and blocks nothing else."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.dialog.harness import Chat, Harness
from tests.dialog.test_daily_report import worked_day
from tests.dialog.test_report_typesetting import without_sending
from tests.dialog.test_service_report import documents, flat, pdf_text
from tests.dialog.test_tasks import config as tasks_config
from tests.dialog.test_tasks import inspect, rows, task_id

ENG, PM, CUST = 1001, 1012, 5001
FAILED = "抱歉，您请求的每日维护报告 PDF 文件未能生成。请稍后再试；如仍失败，请联系管理员。"


def writable(database: Path) -> bool:
    """Whether another connection can take SQLite's write lock right now (no waiting)."""
    conn = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


class Watched:
    """A typesetter that notes, at each call, its language and whether the bot's writer lock
    and SQLite's write lock were free; it can be told to fail."""

    def __init__(self, h: Harness, real: Any) -> None:
        assert h.hb is not None
        self.real, self.db = real, h.hb.db
        self.calls: list[tuple[str, bool, bool]] = []
        self.broken = False

    def language(self, code: str | None) -> str:
        return str(self.real.language(code))

    def __call__(self, *args: Any) -> bytes:
        lang = args[-1]
        assert isinstance(self.db.path, Path)
        self.calls.append((lang, not self.db._lock.locked(), writable(self.db.path)))
        if self.broken:
            raise RuntimeError("typesetter on fire")
        data = self.real(*args)
        assert isinstance(data, bytes)
        return data


def watch_daily(h: Harness) -> Watched:
    assert h.hb is not None
    daily = h.hb.services.daily
    watched = Watched(h, daily.typeset)
    daily.typeset = watched
    return watched


def kinds_since(chat: Chat, count: int) -> list[str]:
    return [m.kind if m.kind != "text" else m.text.split("\n")[0][:12]
            for m in chat.messages()[count:]]  # fmt: skip


async def job_states(h: Harness) -> list[tuple[object, ...]]:
    return await rows(h, "SELECT kind, state, requester FROM document_jobs ORDER BY id")


async def signed_day(h: Harness) -> tuple[Chat, Chat]:
    eng, pm = await h.staff(ENG), await h.staff(PM, language="en")
    await worked_day(h, eng, await h.customer())
    await eng.send("/daily")
    return eng, pm


# ------------------------------------------------------------------ the daily report
async def test_the_pdfs_are_typeset_off_the_write_lock_and_follow_the_receipt_once(
    h: Harness,
) -> None:
    eng, pm = await signed_day(h)
    watched = watch_daily(h)
    count_eng, count_pm = eng.count(), pm.count()
    await eng.press("签字确认")
    # Typeset once per language (zh for the engineer, en for the manager), each time with
    # the bot's writer lock free and SQLite's write lock free: after the commit.
    assert sorted(watched.calls) == [("en", True, True), ("zh", True, True)]
    after = eng.messages()[count_eng:]
    assert [m.kind for m in after] == ["text", "document"]
    assert "已签字确认" in after[0].text and "SHA-256" in after[0].text
    [mine] = documents(eng)
    assert after[1] is mine and mine.file is not None
    text = flat(pdf_text(mine))
    for value in ("每日设备维护报告", "维护人员签字", "终端死机", "Village3office"):
        assert value in text, value
    [theirs] = pm.messages()[count_pm:]
    assert theirs.kind == "document" and "Daily maintenance report" in pdf_text(theirs)
    assert await job_states(h) == [("daily", "done", ENG)]
    # Archived once per language, with the hash recorded; nothing is sent again later.
    files = await rows(h, "SELECT language, path, sha256 FROM daily_report_files ORDER BY 1")
    assert [f[0] for f in files] == ["en", "zh"]
    assert all((h.tmp / "reports" / str(f[1])).exists() for f in files)
    await h.drain()
    await h.restart()
    assert len(documents(eng)) == 1 and len(documents(pm)) == 1


async def test_an_archived_pdf_is_sent_again_as_it_is_never_typeset_again(h: Harness) -> None:
    eng, pm = await signed_day(h)
    await eng.press("签字确认")
    [first] = documents(pm)
    watched = watch_daily(h)
    await pm.send("/daily eng1 2026-11-23")
    assert watched.calls == []  # the manager's language was archived at the sign
    [_, again] = documents(pm)
    assert again.file == first.file
    assert [r[0] for r in await job_states(h)] == ["daily"]  # no second job
    # The same manager writing in Chinese now: the engineer's archived zh file, as it is.
    zh_pm = h.chat(PM, "Staff", "zh")
    await zh_pm.send("/daily eng1 2026-11-23")
    assert watched.calls == []
    assert documents(zh_pm)[-1].file == documents(eng)[0].file


async def test_a_sign_pending_at_a_stop_is_typeset_and_sent_once_at_start(h: Harness) -> None:
    eng, pm = await signed_day(h)

    async def sign() -> None:
        await eng.press("签字确认")

    await without_sending(h, sign)  # committed; the process stops before the worker ran
    assert await job_states(h) == [("daily", "pending", ENG)]
    assert documents(eng) == [] and documents(pm) == []
    await h.restart()
    [mine], [theirs] = documents(eng), documents(pm)
    assert "终端死机" in flat(pdf_text(mine)) and "Daily maintenance report" in pdf_text(theirs)
    assert await job_states(h) == [("daily", "done", ENG)]
    await h.restart()
    assert len(documents(eng)) == 1 and len(documents(pm)) == 1
    assert len(list((h.tmp / "reports").glob("daily-village-eng1-*.pdf"))) == 2


async def test_two_jobs_for_one_language_typeset_it_once(h: Harness) -> None:
    eng, pm = await signed_day(h)
    watched = watch_daily(h)

    async def sign_then_read() -> None:
        await eng.press("签字确认")
        await pm.send("/daily eng1 2026-11-23")  # before the sign's job has run

    await without_sending(h, sign_then_read)
    assert [r[:2] for r in await job_states(h)] == [("daily", "pending"), ("daily", "pending")]
    await h.drain()
    # The first job typeset zh and en; the second found en archived and typeset nothing.
    assert sorted(watched.calls) == [("en", True, True), ("zh", True, True)]
    first, second = documents(pm)
    assert first.file == second.file
    assert [r[1] for r in await job_states(h)] == ["done", "done"]
    assert len(await rows(h, "SELECT 1 FROM daily_report_files")) == 2


async def test_a_failed_typesetting_is_kept_told_politely_and_blocks_nothing(
    h: Harness,
) -> None:
    eng, pm = await signed_day(h)
    watched = watch_daily(h)
    watched.broken = True
    count = eng.count()
    await eng.press("签字确认")
    texts = eng.since(count)
    assert "已签字确认" in texts[0] and texts[-1] == FAILED
    assert documents(eng) == [] and documents(pm) == []
    assert await job_states(h) == [("daily", "failed", ENG)]
    [(error,)] = await rows(h, "SELECT error FROM document_jobs")
    assert error == "RuntimeError: typesetter on fire"
    # The part stays signed (a record); other users go on; a later /daily makes the PDF.
    assert await rows(h, "SELECT part FROM daily_reports") == [(1,)]
    await eng.send("/daily add 巡检 9 号点位")
    assert "巡检 9 号点位" in eng.last().text
    watched.broken = False
    await pm.send("/daily eng1 2026-11-23")
    [theirs] = documents(pm)
    assert "Daily maintenance report" in pdf_text(theirs)
    assert [r[1] for r in await job_states(h)] == ["failed", "done"]


# ------------------------------------------------------------------ the inspection report
@pytest.fixture
async def t(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, tasks_config())
    await harness.start()
    yield harness
    await harness.stop()
    assert all("Forbidden" in why for _, why in harness.request.refused)


async def test_the_inspection_report_is_typeset_after_the_commit_and_follows_the_receipt(
    t: Harness,
) -> None:
    eng, pm = await t.staff(ENG), await t.staff(PM)
    cust = await t.customer(CUST, language="en")
    assert t.hb is not None
    watched = Watched(t, t.hb.services.tasks.typeset)
    t.hb.services.tasks.typeset = watched  # type: ignore[assignment]
    n = await task_id(t, "village", "inspection", "2027-01-01")
    count = eng.count()
    await inspect(eng, n, ok=("正常", "正常"), notes=("-", "-", "-"), findings="一切正常")
    assert sorted(watched.calls) == [("en", True, True), ("zh", True, True)]
    after = eng.messages()[count:]
    receipt = next(i for i, m in enumerate(after) if m.kind == "text" and "已记录" in m.text)
    assert [m.kind for m in after[receipt:]] == ["text", "document"]
    [mine], [pms], [theirs] = documents(eng), documents(pm), documents(cust)
    assert "巡检报告" in pdf_text(mine) and "一切正常" in flat(pdf_text(pms))
    assert "Inspection report" in pdf_text(theirs)
    assert await rows(t, "SELECT kind, state FROM document_jobs") == [("inspection", "done")]
    assert len(await rows(t, "SELECT 1 FROM task_result_files WHERE task_id = ?", n)) == 2


async def test_an_inspection_pending_at_a_stop_is_sent_once_at_start(t: Harness) -> None:
    eng = await t.staff(ENG)
    n = await task_id(t, "village", "inspection", "2027-01-01")
    await eng.send("/tasks")
    await eng.press(f"#{n} ")
    for note in ("-", "-", "-"):
        await eng.press("正常")
        await eng.send(note)

    async def findings() -> None:
        await eng.send("继续观察")

    await without_sending(t, findings)  # recorded; the process stops before the worker ran
    assert await rows(t, "SELECT kind, state FROM document_jobs") == [("inspection", "pending")]
    assert documents(eng) == []
    await t.restart()
    [mine] = documents(eng)
    assert "继续观察" in flat(pdf_text(mine))
    await t.restart()
    assert len(documents(eng)) == 1
    assert await rows(t, "SELECT kind, state FROM document_jobs") == [("inspection", "done")]
