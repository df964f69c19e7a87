"""The equipment register's import rules (bot/domain/equipment.py) and its spreadsheet reader
and writer (bot/documents/equipment_sheet.py)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from bot.documents.equipment_sheet import read_table, register_xlsx
from bot.domain.equipment import (
    COLUMNS,
    MAX_ROWS,
    Device,
    FileError,
    ImportPlan,
    Table,
    device_cells,
    plan_import,
    warranty_end,
)

HEADER = ("project", "code", "name", "model", "serial", "site", "installed_on",
          "warranty_until")
PROJECTS = frozenset({"village", "city"})


def plan(rows: list[tuple[str, ...]], *, header: tuple[str, ...] = HEADER,
         allowed: frozenset[str] = PROJECTS, existing: dict[str, Device] | None = None,
         formulas: frozenset[tuple[int, int]] = frozenset()) -> ImportPlan | FileError:
    table = Table(header, tuple(rows), formulas)
    return plan_import(table, projects=PROJECTS, allowed=allowed, existing=existing or {})


def row(code: str = "T-01", project: str = "village", **cells: str) -> tuple[str, ...]:
    values = {"project": project, "code": code, "name": "查询终端", "model": "QT-200",
              "serial": "SN0001", "site": "三号村警务室", "installed_on": "2026-01-05",
              "warranty_until": "", **cells}
    return tuple(values[c] for c in HEADER)


def test_a_good_file_adds_new_codes_and_updates_known_ones() -> None:
    known = Device("T-02", "village", "查询终端", "QT-100", label="abc")
    found = plan([row("t-01"), row("T-02"), row("T-03", warranty_until="2027/06/30")],
                 existing={"T-02": known})
    assert isinstance(found, ImportPlan) and found.accepted
    assert [d.code for d in found.added] == ["T-01", "T-03"]  # codes are upper-cased
    assert found.added[0].installed_on == date(2026, 1, 5)
    assert found.added[1].warranty_until == date(2027, 6, 30)
    assert [(d.code, d.model, d.label) for d in found.updated] == [("T-02", "QT-200", "abc")]


def test_an_unchanged_device_is_counted_not_updated() -> None:
    first = plan([row()])
    assert isinstance(first, ImportPlan)
    stored = {"T-01": Device(**{**first.added[0].__dict__, "label": "x"})}
    again = plan([row()], existing=stored)
    assert isinstance(again, ImportPlan)
    assert (again.added, again.updated, again.unchanged) == ((), (), 1)


def test_chinese_headers_are_understood() -> None:
    header = ("项目", "编号", "名称", "型号")
    found = plan([("village", "A1", "终端", "M1")], header=header)
    assert isinstance(found, ImportPlan) and found.added[0].model == "M1"


def test_missing_required_columns_reject_the_file() -> None:
    assert plan([("village", "终端")], header=("project", "name")) == FileError(
        "missing_columns", "code"
    )


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row(project=""), "no_project"),
        (row(project="moon"), "unknown_project"),
        (row(code=""), "no_code"),
        (row(code="T 01"), "bad_code"),
        (row(name=""), "no_name"),
        (row(model="x" * 201), "too_long"),
        (row(installed_on="2026-13-40"), "bad_date"),
        (row(warranty_until="next year"), "bad_date"),
    ],
)
def test_each_bad_row_rejects_the_whole_file_with_its_reason(
    bad: tuple[str, ...], reason: str
) -> None:
    found = plan([row("GOOD-1"), bad])
    assert isinstance(found, ImportPlan) and not found.accepted
    assert found.added == () and found.updated == ()
    assert [(e.line, e.reason) for e in found.rejected] == [(3, reason)]


def test_duplicate_codes_and_foreign_projects_are_rejected() -> None:
    found = plan([row("A"), row("a"), row("B", project="city")], allowed=frozenset({"village"}))
    assert isinstance(found, ImportPlan)
    assert [(e.line, e.reason) for e in found.rejected] == [
        (3, "duplicate"), (4, "not_your_project")
    ]
    other = plan([row("A")], existing={"A": Device("A", "city", "x")})
    assert isinstance(other, ImportPlan)
    assert [e.reason for e in other.rejected] == ["other_project"]


def test_a_formula_cell_is_rejected() -> None:
    found = plan([row("A"), row("B")], formulas=frozenset({(1, 2)}))
    assert isinstance(found, ImportPlan)
    assert [(e.line, e.reason, e.detail) for e in found.rejected] == [(3, "formula", "name")]


def test_too_many_rows_and_an_empty_file() -> None:
    many = [row(f"D{i}") for i in range(MAX_ROWS + 1)]
    assert plan(many) == FileError("too_many_rows", str(MAX_ROWS + 1))
    assert plan([("", "", "", "", "", "", "", "")]) == FileError("empty")
    assert isinstance(plan([row(f"D{i}") for i in range(MAX_ROWS)]), ImportPlan)


def test_coordinates_both_or_neither_within_range() -> None:
    header = ("project", "code", "name", "latitude", "longitude")
    ok = plan([("village", "A", "n", "30.5", "-104.1")], header=header)
    assert isinstance(ok, ImportPlan) and ok.added[0].longitude == -104.1
    for lat, lon in (("30.5", ""), ("91", "100"), ("x", "1")):
        bad = plan([("village", "A", "n", lat, lon)], header=header)
        assert isinstance(bad, ImportPlan) and bad.rejected[0].reason == "bad_coordinate"


def test_warranty_per_device_wins_over_the_contract() -> None:
    own = Device("A", "village", "n", warranty_until=date(2027, 1, 1))
    assert warranty_end(own, date(2026, 1, 1)) == date(2027, 1, 1)
    assert warranty_end(Device("B", "village", "n"), date(2026, 1, 1)) == date(2026, 1, 1)
    assert warranty_end(None, None) is None


# --------------------------------------------------------------------------- the files


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_is_read_with_dates_numbers_and_formulas_marked() -> None:
    from datetime import datetime

    data = xlsx([list(HEADER), ["village", "A", "终端", "M", 12345, "site",
                                datetime(2026, 1, 5), "=TODAY()"]])
    table = read_table(data, "register.xlsx")
    assert isinstance(table, Table)
    assert table.rows[0][4] == "12345" and table.rows[0][6] == "2026-01-05"
    assert table.formulas == frozenset({(0, 7)})


def test_a_csv_in_gb18030_with_semicolons_is_read() -> None:
    text = "项目;编号;名称\nvillage;A1;查询终端\nvillage;A2;=1+1\n"
    table = read_table(text.encode("gb18030"), "devices.csv")
    assert isinstance(table, Table)
    assert table.rows[0] == ("village", "A1", "查询终端")
    assert table.formulas == frozenset({(1, 2)})


def test_other_files_are_not_spreadsheets() -> None:
    assert read_table(b"%PDF-1.7 ...", "manual.pdf") == FileError("not_spreadsheet", "manual.pdf")
    broken = read_table(b"PK\x03\x04 not really a zip", "x.xlsx")
    assert isinstance(broken, FileError) and broken.reason == "not_spreadsheet"
    assert read_table(b"\xd0\xcf\x11\xe0old xls", "old.xls").reason == "not_spreadsheet"  # type: ignore[union-attr]


def test_the_export_reads_back_as_the_same_devices() -> None:
    hostile = Device("A-1", "village", "=cmd|' /C calc'!A0", "<b>M</b>", "+86", "‮RTL 站点",
                     30.5, 104.25, date(2026, 1, 5), None, "-note 😀")
    data = register_xlsx("devices", [*COLUMNS, "link"], [[*device_cells(hostile), "https://t.me/x"]])
    table = read_table(data, "export.xlsx")
    assert isinstance(table, Table) and table.formulas == frozenset()
    again = plan_import(table, projects=PROJECTS, allowed=PROJECTS, existing={})
    assert isinstance(again, ImportPlan) and again.added[0].same_content(hostile)


def test_spare_and_loaner_clocks_name_the_model_to_bring() -> None:
    from bot.domain.clocks import ClockSpec
    from bot.telegram.render.sla import expectation

    spare = ClockSpec("spare_unit", "reported", ("spare_provided", "resolved"), {},
                      expect={"zh": "请用同型号备机恢复（/spare {id}）"})
    repair = ClockSpec("repair", "reported", ("resolved",), {})
    said = expectation("zh", spare, 7, model="QT-200 <x>")
    assert said == "请用同型号备机恢复（/spare 7）\n备机型号：<b>QT-200 &lt;x&gt;</b>"
    assert "QT-200" in expectation("en", spare, 7, model="QT-200")
    assert "QT-200" not in expectation("zh", repair, 7, model="QT-200")
    assert "备机型号" not in expectation("zh", spare, 7, model="")
    assert "QT-200" not in expectation("zh", spare, 7, customer=True, model="QT-200")


# --------------------------------------------------------------------------- storage


async def test_devices_are_stored_updated_with_their_label_and_found_by_many_codes(
    db: object,
) -> None:
    from datetime import UTC, datetime

    from bot.storage.db import Database
    from bot.storage.uow import unit_of_work

    assert isinstance(db, Database)
    at = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    async with unit_of_work(db) as uow:
        for i in range(1200):  # more codes than SQLite takes parameters at once
            await uow.devices.save(Device(f"D{i:04d}", "village", "n", label=f"L{i}"), at)
        await uow.devices.save(
            Device("D0001", "village", "new name", "M2", warranty_until=date(2027, 1, 1),
                   latitude=30.5, longitude=104.0, label="ignored"), at
        )
    async with unit_of_work(db) as uow:
        found = await uow.devices.by_codes([f"D{i:04d}" for i in range(1300)])
        assert len(found) == 1200
        one = found["D0001"]
        assert (one.name, one.model, one.label, one.warranty_until, one.latitude) == (
            "new name", "M2", "L1", date(2027, 1, 1), 30.5
        )
        assert (await uow.devices.by_label("L1")) == one
        assert await uow.devices.by_label("nope") is None
        assert len(await uow.devices.of_projects(["village"])) == 1200
        assert await uow.devices.of_projects([]) == []
