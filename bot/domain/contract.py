"""The contract's calendar (合同日历), pure: the tasks a contract promises on dates.

From a project's contract terms (plain values: no config import) `plan()` lists every task of
the term with its due date: the regular inspections (every `inspection_months` from the start),
the phone visits (spread evenly over each contract year), the final inspection (this long
before the end; it replaces a regular inspection in that window) and the warranty-end notices.
Each task has a key made of what it is, so planning again (a restart, a config change) finds
the same tasks: storage inserts by key and ignores the ones it has.

Dates are local calendar days; a month later than the 31st is the month's last day (31 Jan +
1 month = 28/29 Feb), always counted from the start, so the days do not drift.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, Literal

TaskKind = Literal["inspection", "final_inspection", "phone_visit", "warranty_notice"]
TASK_KINDS: tuple[TaskKind, ...] = (
    "inspection", "final_inspection", "phone_visit", "warranty_notice",
)  # fmt: skip
TaskStatus = Literal["open", "done", "cancelled"]
# The inspection's checklist (the contract's: hardware, software, risk analysis).
CHECKLIST: tuple[str, ...] = ("hardware", "software", "risk")
REMIND_DAYS_BEFORE = 7
MAX_ANSWER = 2000


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Terms:
    """The contract's terms the calendar needs (from `ContractConfig`)."""

    start: date
    end: date  # inclusive
    inspection_months: int = 0
    phone_visits_per_year: int = 0
    final_before: tuple[int, str] | None = None  # (3, "months") or (90, "days")
    warranty_end: date | None = None
    warranty_notices: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlannedTask:
    """A task the contract promises: `number` is the n-th of its kind (a warranty notice:
    the days before the warranty's end)."""

    key: str
    project_key: str
    kind: TaskKind
    due: date
    number: int


def task_key(project_key: str, kind: str, due: date, number: int = 0) -> str:
    """The task's identity: the same task planned twice has the same key."""
    tail = f":{number}" if kind == "warranty_notice" else ""
    return f"{project_key}:{kind}:{due.isoformat()}{tail}"


def final_due(terms: Terms) -> date | None:
    if terms.final_before is None:
        return None
    n, unit = terms.final_before
    due = add_months(terms.end, -n) if unit == "months" else terms.end - timedelta(days=n)
    return max(due, terms.start)


def _visit_days(year_start: date, per_year: int) -> list[date]:
    """`per_year` visits in the contract year from `year_start`: the middle of each equal
    slot (slots in whole months when they divide the year, else in days)."""
    if 12 % per_year == 0:
        step = 12 // per_year
        bounds = [add_months(year_start, i * step) for i in range(per_year + 1)]
    else:
        length = (add_months(year_start, 12) - year_start).days
        bounds = [year_start + timedelta(days=round(i * length / per_year))
                  for i in range(per_year + 1)]
    return [a + (b - a) // 2 for a, b in pairwise(bounds)]


def plan(project_key: str, terms: Terms) -> list[PlannedTask]:
    """Every task of the term, by due date."""
    tasks: list[PlannedTask] = []

    def add(kind: TaskKind, due: date, number: int) -> None:
        tasks.append(PlannedTask(task_key(project_key, kind, due, number), project_key, kind,
                                 due, number))

    final = final_due(terms)
    if terms.inspection_months > 0:
        k, n = 1, 0
        while (due := add_months(terms.start, k * terms.inspection_months)) <= terms.end:
            k += 1
            if final is not None and final <= due:
                continue  # the final inspection is this window's inspection
            n += 1
            add("inspection", due, n)
    if final is not None:
        add("final_inspection", final, 1)
    if terms.phone_visits_per_year > 0:
        year, n = 0, 0
        while (year_start := add_months(terms.start, 12 * year)) <= terms.end:
            year += 1
            for due in _visit_days(year_start, terms.phone_visits_per_year):
                if due <= terms.end:
                    n += 1
                    add("phone_visit", due, n)
    if terms.warranty_end is not None:
        for days in sorted(set(terms.warranty_notices), reverse=True):
            due = terms.warranty_end - timedelta(days=days)
            if due >= terms.start:
                add("warranty_notice", due, days)
    return sorted(tasks, key=lambda t: (t.due, TASK_KINDS.index(t.kind), t.number))


# ------------------------------------------------------------------ stored tasks
@dataclass(frozen=True)
class ContractTask:
    """A planned task as stored: who it is assigned to and where it stands."""

    id: int
    key: str
    project_key: str
    kind: TaskKind
    due: date
    number: int
    assignee: str  # a staff key ("" when the project has nobody of the role)
    status: TaskStatus
    origin: str = "contract"  # "contract": planned from the config; "demo": the sandbox's

    @property
    def is_inspection(self) -> bool:
        return self.kind in ("inspection", "final_inspection")

    @property
    def recordable(self) -> bool:
        """Done by recording a result (a warranty notice is done when it is sent)."""
        return self.kind != "warranty_notice"


def reminder_days(due: date) -> dict[str, date]:
    """The local days a task's reminders fall on: a week before, the due day, the day after
    (overdue: escalated, then again every day while open)."""
    return {
        "week": due - timedelta(days=REMIND_DAYS_BEFORE),
        "due": due,
        "overdue": due + timedelta(days=1),
    }


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class CheckItem:
    item: str  # one of CHECKLIST
    ok: bool
    note: str


@dataclass(frozen=True)
class TaskResult:
    """A task's recorded result: an inspection's checklist and findings, or a phone visit's
    call; who recorded it and when; frozen as canonical JSON with its SHA-256."""

    task_id: int
    task_key: str
    project_key: str
    kind: TaskKind
    due: date
    recorded_at: str  # ISO UTC
    by_id: int
    by_name: str
    checks: tuple[CheckItem, ...] = ()
    findings: str = ""
    called: str = ""
    said: str = ""
    satisfaction: int = 0

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "task_id": self.task_id, "task_key": self.task_key, "project": self.project_key,
            "kind": self.kind, "due": self.due.isoformat(), "recorded_at": self.recorded_at,
            "by_id": self.by_id, "by_name": self.by_name,
            "checks": [[c.item, c.ok, c.note] for c in self.checks],
            "findings": self.findings, "called": self.called, "said": self.said,
            "satisfaction": self.satisfaction,
        }  # fmt: skip
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, raw: str) -> TaskResult:
        d = json.loads(raw)
        return cls(
            d["task_id"], d["task_key"], d["project"], d["kind"], date.fromisoformat(d["due"]),
            d["recorded_at"], d["by_id"], d["by_name"],
            tuple(CheckItem(i, bool(ok), note) for i, ok, note in d["checks"]),
            d["findings"], d["called"], d["said"], d["satisfaction"],
        )  # fmt: skip


def report_file_name(task: ContractTask, lang: str, sha: str) -> str:
    """The archived PDF's name (unique per task, language and content)."""
    return f"inspection-{task.project_key}-{task.due.isoformat()}-{task.id}-{lang}-{sha[:12]}.pdf"


# ------------------------------------------------------------------ the recording dialog
INSPECTION_STEPS = ("hardware", "hardware_note", "software", "software_note", "risk",
                    "risk_note", "findings")
PHONE_STEPS = ("called", "said", "satisfaction")


@dataclass
class TaskDraft:
    """A task's result being recorded: the answers so far and the step waiting."""

    task_id: int
    step: str
    checks: list[list[Any]] = field(default_factory=list)  # [item, ok, note]
    findings: str = ""
    called: str = ""
    said: str = ""

    kind = "task"

    @classmethod
    def begin(cls, task: ContractTask) -> TaskDraft:
        return cls(task.id, INSPECTION_STEPS[0] if task.is_inspection else PHONE_STEPS[0])

    def advance(self) -> str:
        steps = INSPECTION_STEPS if self.step in INSPECTION_STEPS else PHONE_STEPS
        i = steps.index(self.step)
        self.step = steps[i + 1] if i + 1 < len(steps) else "done"
        return self.step

    def to_data(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "step": self.step, "checks": self.checks,
                "findings": self.findings, "called": self.called, "said": self.said}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TaskDraft:
        return cls(int(data["task_id"]), str(data["step"]), list(data.get("checks") or []),
                   str(data.get("findings", "")), str(data.get("called", "")),
                   str(data.get("said", "")))
