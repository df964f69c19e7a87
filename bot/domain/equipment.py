"""The equipment register (pure): a project's devices, and an imported table's rows checked.

A register of hundreds of devices is data, not configuration: it lives in the database and is
imported from a spreadsheet (XLSX or CSV, one row per device). An import is all or nothing:
every row is checked first, and one rejected row rejects the file (the answer names each
rejected row and why); a file that passes adds the new codes and updates the known ones.

A device's code is short and unique across the hotline (`/equipment CODE`, `/device N CODE`
name no project). Its label payload (the `?start=` of the QR label's deep link) is random and
never shown anywhere but on the label: it opens a report for that device, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

# At most this many rows in one file: a register of a county's devices is hundreds; a file of
# tens of thousands is a mistake (a whole export of another system), answered at once.
MAX_ROWS = 5000
# Of the rejected rows, the answer lists this many (and says how many more).
MAX_REASONS_SHOWN = 30
MAX_CODE = 32
MAX_NAME = 200  # name, model, serial
MAX_SITE = 500
MAX_NOTES = 1000
# Telegram's start payload: at most 64 characters of A-Za-z0-9_-.
LABEL_ALPHABET = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")

# The register's columns in file order; the template's header row has them as written here,
# and a header may use the Chinese name instead (the template's second line shows both).
Column = Literal[
    "project", "code", "name", "model", "serial", "site", "latitude", "longitude",
    "installed_on", "warranty_until", "notes",
]
COLUMNS: tuple[Column, ...] = (
    "project", "code", "name", "model", "serial", "site", "latitude", "longitude",
    "installed_on", "warranty_until", "notes",
)
REQUIRED: tuple[Column, ...] = ("project", "code", "name")
ZH_HEADERS: dict[str, Column] = {
    "项目": "project",
    "编号": "code",
    "名称": "name",
    "型号": "model",
    "序列号": "serial",
    "地点": "site",
    "纬度": "latitude",
    "经度": "longitude",
    "安装日期": "installed_on",
    "保修截止": "warranty_until",
    "备注": "notes",
}

# Why a row (or the whole file) was rejected: a catalog key suffix (`equipment.bad.<reason>`).
RowProblem = Literal[
    "no_project", "unknown_project", "not_your_project", "no_code", "bad_code", "duplicate",
    "other_project", "no_name", "too_long", "formula", "bad_date", "bad_coordinate",
]
FileProblem = Literal[
    "not_spreadsheet", "empty", "missing_columns", "too_many_rows", "too_large", "download",
]


@dataclass(frozen=True)
class Device:
    """One device of a project's register."""

    code: str
    project_key: str
    name: str
    model: str = ""
    serial: str = ""
    site: str = ""
    latitude: float | None = None
    longitude: float | None = None
    installed_on: date | None = None
    warranty_until: date | None = None  # None: the project's contract decides
    notes: str = ""
    label: str = ""  # the deep link's start payload (random; set when first stored)

    def same_content(self, other: Device) -> bool:
        """Equal in everything an import can change (the label is the device's own)."""
        return replace(self, label="") == replace(other, label="")


@dataclass(frozen=True)
class DeviceTicket:
    """A ticket of a device, as its history lists it."""

    id: int
    status: str
    level: str
    kind: str
    reported_at: datetime
    resolved_at: datetime | None
    cause: str
    blocking_reason: str
    symptom: str


@dataclass(frozen=True)
class DeviceFaults:
    """A device's faults reported in a month (the monthly summary's "devices with most
    faults"): how many, how many were resolved by the month's end, and their mean time from
    report to resolution (None: none resolved)."""

    code: str
    name: str
    model: str
    site: str
    faults: int
    resolved: int
    repair_seconds: float | None


@dataclass(frozen=True)
class RowError:
    """A rejected row: its line in the file (the header is line 1), why, and what was there."""

    line: int
    reason: RowProblem
    detail: str = ""
    other_line: int = 0  # a duplicate: the line that has the code first


@dataclass(frozen=True)
class FileError:
    """A file rejected as a whole (`detail`: the missing columns, the row count, ...)."""

    reason: FileProblem
    detail: str = ""


@dataclass(frozen=True)
class ImportPlan:
    """What a checked file would do: devices to add and to update (none if any row was
    rejected), the rows rejected, and the devices the file leaves as they are."""

    added: tuple[Device, ...]
    updated: tuple[Device, ...]
    unchanged: int
    rejected: tuple[RowError, ...]

    @property
    def accepted(self) -> bool:
        return not self.rejected and bool(self.added or self.updated or self.unchanged)


@dataclass(frozen=True)
class Table:
    """A spreadsheet as read: the header row and the rows after it, every cell as text
    (dates from XLSX cells as YYYY-MM-DD), and which cells hold a formula, as (row index in
    `rows`, column index): an XLSX formula cell, or a CSV cell starting with = (a spreadsheet
    opening the CSV would run it)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    formulas: frozenset[tuple[int, int]] = frozenset()


def normalize_code(text: str) -> str:
    return text.strip().upper()


def valid_code(code: str) -> bool:
    return 0 < len(code) <= MAX_CODE and bool(_CODE.match(code))


def columns_of(header: tuple[str, ...]) -> dict[Column, int] | FileError:
    """Which cell of a row holds which column; the required columns missing: a FileError.
    Unknown headers (the export's link column, a note of the operator's) are ignored."""
    found: dict[Column, int] = {}
    names: dict[str, Column] = {c: c for c in COLUMNS}
    for index, cell in enumerate(header):
        title = cell.strip()
        column = names.get(title.lower()) or ZH_HEADERS.get(title)
        if column is not None and column not in found:
            found[column] = index
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        return FileError("missing_columns", ", ".join(missing))
    return found


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD (also with / or .), or a date-time whose day is taken; ValueError if not."""
    raw = text.strip()
    if not raw:
        return None
    raw = raw.replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    return datetime.fromisoformat(raw).date()  # "2026-01-05 00:00:00" from a spreadsheet


def _coordinate(text: str, limit: float) -> float | None:
    raw = text.strip()
    if not raw:
        return None
    value = float(raw)
    if not -limit <= value <= limit:
        raise ValueError(raw)
    return value


def plan_import(
    table: Table,
    *,
    projects: frozenset[str],
    allowed: frozenset[str],
    existing: dict[str, Device],
) -> ImportPlan | FileError:
    """Check every row of a table against the projects (`projects`: the config's keys,
    `allowed`: those the importer manages) and the stored devices (`existing`, by code).
    Rows of nothing but blanks are skipped."""
    columns = columns_of(table.header)
    if isinstance(columns, FileError):
        return columns
    rows = [
        (index, row) for index, row in enumerate(table.rows) if any(c.strip() for c in row)
    ]
    if not rows:
        return FileError("empty")
    if len(rows) > MAX_ROWS:
        return FileError("too_many_rows", str(len(rows)))
    added: list[Device] = []
    updated: list[Device] = []
    unchanged = 0
    rejected: list[RowError] = []
    seen: dict[str, int] = {}
    for index, row in rows:
        line = index + 2  # the header is line 1
        formula = next((c for c in COLUMNS if (index, columns.get(c, -1)) in table.formulas), None)
        if formula is not None:
            rejected.append(RowError(line, "formula", formula))
            continue
        found = _device_of(line, row, columns, projects, allowed)
        if isinstance(found, RowError):
            rejected.append(found)
            continue
        if found.code in seen:
            rejected.append(RowError(line, "duplicate", found.code, seen[found.code]))
            continue
        seen[found.code] = line
        before = existing.get(found.code)
        if before is None:
            added.append(found)
        elif before.project_key != found.project_key:
            rejected.append(RowError(line, "other_project", found.code))
        elif before.same_content(replace(found, label=before.label)):
            unchanged += 1
        else:
            updated.append(replace(found, label=before.label))
    if rejected:
        return ImportPlan((), (), 0, tuple(rejected))
    return ImportPlan(tuple(added), tuple(updated), unchanged, ())


def _device_of(
    line: int,
    row: tuple[str, ...],
    columns: dict[Column, int],
    projects: frozenset[str],
    allowed: frozenset[str],
) -> Device | RowError:
    def cell(column: Column) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    project = cell("project")
    if not project:
        return RowError(line, "no_project")
    if project not in projects:
        return RowError(line, "unknown_project", project)
    if project not in allowed:
        return RowError(line, "not_your_project", project)
    code = normalize_code(cell("code"))
    if not code:
        return RowError(line, "no_code")
    if not valid_code(code):
        return RowError(line, "bad_code", code[:40])
    if not cell("name"):
        return RowError(line, "no_name", code)
    limits: dict[Column, int] = {
        "name": MAX_NAME, "model": MAX_NAME, "serial": MAX_NAME, "site": MAX_SITE,
        "notes": MAX_NOTES,
    }
    for column, limit in limits.items():
        if len(cell(column)) > limit:
            return RowError(line, "too_long", column)
    days: dict[Column, date | None] = {}
    day_columns: tuple[Column, ...] = ("installed_on", "warranty_until")
    for column in day_columns:
        try:
            days[column] = parse_day(cell(column))
        except ValueError:
            return RowError(line, "bad_date", cell(column)[:40])
    try:
        latitude = _coordinate(cell("latitude"), 90)
        longitude = _coordinate(cell("longitude"), 180)
    except ValueError:
        return RowError(line, "bad_coordinate", f"{cell('latitude')} {cell('longitude')}"[:40])
    if (latitude is None) != (longitude is None):
        return RowError(line, "bad_coordinate", f"{cell('latitude')} {cell('longitude')}"[:40])
    return Device(
        code=code,
        project_key=project,
        name=cell("name"),
        model=cell("model"),
        serial=cell("serial"),
        site=cell("site"),
        latitude=latitude,
        longitude=longitude,
        installed_on=days["installed_on"],
        warranty_until=days["warranty_until"],
        notes=cell("notes"),
    )


def device_cells(device: Device) -> list[str | float | None]:
    """A device as a row of the register's columns (the export; re-imported as is)."""
    return [
        device.project_key,
        device.code,
        device.name,
        device.model,
        device.serial,
        device.site,
        device.latitude,
        device.longitude,
        device.installed_on.isoformat() if device.installed_on else "",
        device.warranty_until.isoformat() if device.warranty_until else "",
        device.notes,
    ]


def warranty_end(device: Device | None, contract_end: date | None) -> date | None:
    """The last day of free service for a fault of this device: its own date when it has
    one, else the contract's."""
    if device is not None and device.warranty_until is not None:
        return device.warranty_until
    return contract_end


def deep_link(bot_username: str, label: str) -> str:
    return f"https://t.me/{bot_username}?start={label}"
