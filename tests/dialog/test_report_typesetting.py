"""A service report is typeset after its transaction: the transaction lays it out (HTML) and
keeps a job, the document waits in the outbox (holding up the rest of the customer's chat, so
the PDF still comes before the resolved message), and the PDF is made, archived and released
after the commit, also after a restart. A report that cannot be typeset holds nothing up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.storage.uow import unit_of_work
from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import archived, documents, pdf_text


async def reported_and_taken(h: Harness) -> tuple[Chat, Chat]:
    eng = await h.staff(1001)
    cust = await h.customer()
    await h.report(cust)
    await eng.send("/take 1")
    await eng.send("/resolve 1 更换了交换机电源模块")
    return cust, eng


async def without_sending(h: Harness, act: Callable[[], Awaitable[None]]) -> None:
    """Do `act` as the bot's handlers do, but neither typeset nor send afterwards."""

    async def nothing() -> None:
        return None

    h.drain = nothing  # type: ignore[method-assign]
    try:
        await act()
    finally:
        del h.drain


async def jobs(h: Harness) -> list[tuple[int, int, str, str | None]]:
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT ticket_id, version, kind, error FROM report_jobs ORDER BY version"
        ) as cur:
            return [tuple(r) for r in await cur.fetchall()]  # type: ignore[misc]


async def test_the_transaction_lays_out_and_the_pdf_follows_after_the_commit(
    h: Harness,
) -> None:
    cust, eng = await reported_and_taken(h)
    await without_sending(h, lambda: eng.press("硬件"))
    # Committed: the version is laid out and waits; no PDF yet, nothing archived.
    assert await jobs(h) == [(1, 1, "issued", None)]
    assert await archived(h, 1) == []
    assert not (h.tmp / "reports").exists() or list((h.tmp / "reports").iterdir()) == []
    # The sender alone holds the customer's chat: neither the PDF nor the resolved message
    # after it goes before the PDF is there.
    before = len(cust.messages())
    assert h.hb is not None
    await h.hb.sender.drain()
    assert len(cust.messages()) == before
    # Typeset: archived with its hash, sent, and the resolved message right after it.
    await h.drain()
    assert await jobs(h) == []
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued"]
    [doc] = documents(cust)
    resolved = cust.last()
    assert "已修复" in resolved.text and resolved.message_id > doc.message_id
    assert "更换了交换机电源模块" in pdf_text(doc)


async def test_a_version_left_by_a_stop_is_typeset_and_sent_at_start_up(h: Harness) -> None:
    cust, eng = await reported_and_taken(h)
    await without_sending(h, lambda: eng.press("硬件"))
    assert await jobs(h) == [(1, 1, "issued", None)]
    await h.restart()
    assert await jobs(h) == []
    [doc] = documents(cust)
    assert doc.file is not None and doc.file[0] == "service-report-1.pdf"
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued"]


async def test_versions_laid_out_before_the_first_is_typeset_are_numbered_on(
    h: Harness,
) -> None:
    cust, eng = await reported_and_taken(h)
    await without_sending(h, lambda: eng.press("硬件"))
    # /doc while the version is being typeset: that version, sent once it is there.
    await without_sending(h, lambda: cust.send("/doc 1"))
    assert h.hb is not None
    records = h.hb.services.records
    async with unit_of_work(h.hb.db) as uow:
        ticket = await uow.tickets.get(1)
        assert ticket is not None
        await records.issue(uow, ticket, "closed_unconfirmed")
    assert await jobs(h) == [(1, 1, "issued", None), (1, 2, "closed_unconfirmed", None)]
    await h.drain()
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "closed_unconfirmed"]
    sent = documents(cust)
    assert len(sent) == 2 and all("第 1 版" in d.text for d in sent)
    assert sent[0].file == sent[1].file


async def test_a_report_that_cannot_be_typeset_holds_nothing_up(h: Harness) -> None:
    cust, eng = await reported_and_taken(h)
    assert h.hb is not None

    def broken(html: str) -> bytes:
        raise RuntimeError("no fonts")

    h.hb.services.records.pdf = broken
    await eng.press("硬件")
    assert await jobs(h) == [(1, 1, "issued", "RuntimeError: no fonts")]
    assert documents(cust) == []
    assert "已修复" in cust.last().text  # the resolved message and its buttons still came
    await cust.press("确认")
    assert cust.find("已关闭")
