"""Complaint records: numbers of their own, storage with a version guard and an insert-only
timeline, and the ledger's cells (text, never formulas; hostile text intact)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.documents.ledger import MAX_CELL, cell_text, ledger_xlsx
from bot.domain.complaints import Complaint, complaint_number, parse_complaint_number
from bot.services.uow import ConcurrentUpdate
from bot.storage.db import Database
from bot.storage.uow import unit_of_work

T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
HOSTILE = (
    "=cmd|' /C calc'!A0 <script>x</script> *_`[]()~>#+-=|{}.! \u202eRTL\u202c "
    "zero\u200bwidth 😀👍🏽 " + "长" * 5000
)


def test_a_complaint_number_is_c_dash_n_and_never_a_ticket_number() -> None:
    assert complaint_number(7) == "C-7"
    assert [parse_complaint_number(s) for s in ("C-7", "c7", " C-12 ")] == [7, 7, 12]
    assert [parse_complaint_number(s) for s in ("7", "#7", "C-", "C-x", "D-7")] == [None] * 5


def test_cells_keep_hostile_text_and_stay_text() -> None:
    assert cell_text(HOSTILE) == HOSTILE
    assert cell_text("a\x00b\x1bc") == "a\ufffdb\ufffdc"  # XML cannot hold control characters
    assert len(cell_text("x" * (MAX_CELL + 10))) == MAX_CELL
    rows = [[v] for v in ("=1+1", "+1", "-1", "@SUM(A1)", HOSTILE)]
    data = ledger_xlsx("=title", ["=header"], rows, wide=[0])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [sheet.cell(row=r, column=1) for r in range(1, 7)]
    assert [c.value for c in cells] == ["=header", "=1+1", "+1", "-1", "@SUM(A1)", HOSTILE]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:5])


async def test_complaints_are_numbered_on_their_own_and_saved_per_version(db: Database) -> None:
    async with unit_of_work(db) as uow:
        c = await uow.complaints.add(Complaint(0, "village", 5001, "late", T0, ticket_id=3,
                                               photos=("P1",)))
        assert c.id == 1 and c.number == "C-1"
        taken = await uow.complaints.save(replace(c, owner_key="cm", status="taken",
                                                  taken_at=T0))
        with pytest.raises(ConcurrentUpdate):
            await uow.complaints.save(replace(c, owner_key="pm", status="taken"))
        assert await uow.complaints.get(1) == taken
        assert [x.id for x in await uow.complaints.open_of_projects(["village"])] == [1]
        month = await uow.complaints.received_between("village", T0, T0 + timedelta(days=1))
        assert [x.id for x in month] == [1]
        assert await uow.complaints.received_between("village", T0 + timedelta(seconds=1),
                                                     T0 + timedelta(days=1)) == []
        await uow.complaints.append(1, T0, "staff:cm", "answered", text=HOSTILE)
        [entry] = await uow.complaints.timeline(1)
        assert (entry.actor, entry.kind, entry.detail) == ("staff:cm", "answered",
                                                           {"text": HOSTILE})
        stored = await uow.complaints.get(1)
        assert stored is not None and stored.photos == ("P1",) and stored.ticket_id == 3
