"""Dialog drafts (pure): what a user has answered so far, and which step comes next.

Drafts are stored in the database as (kind, step, data) so a dialog survives a restart.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from bot.domain.complaints import ComplaintDraft
from bot.domain.contract import TaskDraft
from bot.domain.ticket import Level

MAX_SYMPTOM = 2000
MAX_SHORT_TEXT = 200
MAX_SITE = 500
MAX_NOTE = 1000
MAX_PHOTOS = 10
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,22}[0-9]$")


def valid_phone(text: str) -> bool:
    return bool(_PHONE.match(text.strip()))


REPORT_STEPS = ("severity", "site", "symptom", "photos", "model", "phone", "confirm")
EDITABLE_STEPS = ("site", "symptom", "photos", "model", "phone")
# A report from a device's label: the register knows the site and the model.
DEVICE_STEPS = ("severity", "symptom", "photos", "phone", "confirm")
# A service request (not a fault): its kind instead of the severity questions, what is needed
# (kept as the symptom), an optional preferred time; no photos or model.
REQUEST_STEPS = ("request_kind", "site", "symptom", "preferred", "phone", "confirm")
REQUEST_EDITABLE = ("site", "symptom", "preferred", "phone")


@dataclass
class ReportDraft:
    """A fault report being filled in by a customer."""

    project_key: str
    step: str = "severity"
    answers: dict[str, bool] = field(default_factory=dict)
    level: str | None = None
    site: str = ""
    latitude: float | None = None
    longitude: float | None = None
    symptom: str = ""
    photos: list[str] = field(default_factory=list)
    model: str = ""
    serial: str = ""  # the product's serial number (older drafts: none, all in `model`)
    phone: str = ""
    # Set when an A-level ticket was opened before the form was complete.
    ticket_id: int | None = None
    # True while the customer edits one field from the summary: go back to the summary after it.
    editing: bool = False
    # True while the list of fields to edit is shown (instead of the summary's buttons).
    choosing: bool = False
    # How many fields were edited from the summary: the summary's and the list's buttons carry
    # it, so the buttons of an earlier summary are stale.
    round: int = 0
    # A fault phoned in (/log): the staff member logging it, the caller (a customer in
    # Telegram, or a contact by name, unit and phone), when the call came in (ISO, UTC) and
    # why that time was set back. The dialog's own steps come before "severity".
    logged_by: int | None = None
    caller_id: int | None = None
    caller_name: str = ""
    caller_unit: str = ""
    called_at: str = ""
    call_reason: str = ""
    # "fault", or a service request's kind ("" while a /request has not chosen one yet).
    ticket_kind: str = "fault"
    preferred: str = ""  # a request's preferred time, as typed
    # A report opened from a device's QR label: its code. Site, model and serial come from the
    # register, so those steps are skipped (the summary shows them; they can be edited).
    device: str = ""

    kind = "report"

    @property
    def is_request(self) -> bool:
        return self.ticket_kind != "fault"

    @property
    def steps(self) -> tuple[str, ...]:
        if self.is_request:
            return REQUEST_STEPS
        return DEVICE_STEPS if self.device else REPORT_STEPS

    @property
    def editable(self) -> tuple[str, ...]:
        return REQUEST_EDITABLE if self.is_request else EDITABLE_STEPS

    @property
    def level_enum(self) -> Level | None:
        return Level(self.level) if self.level else None

    def advance(self) -> str:
        """Move to the step after the current one and return it ('done' when finished)."""
        if self.editing:
            self.editing = False
            self.step = "confirm"
            return self.step
        steps = self.steps
        i = steps.index(self.step)
        nxt = steps[i + 1] if i + 1 < len(steps) else "done"
        if nxt == "confirm" and self.ticket_id is not None:
            nxt = "done"  # an early A-level ticket needs no confirmation
        self.step = nxt
        return nxt

    @property
    def opens_early(self) -> bool:
        """A-level faults do not wait for the form: open as soon as the site is known."""
        return (
            self.level == Level.A.value
            and self.ticket_id is None
            and bool(self.site or self.latitude is not None)
        )

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ReportDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


# "SN", "S/N", "序列号" (with ":" or "：" or a space) starts the serial number on one line.
_SERIAL_MARK = re.compile(
    r"(?:^|\s)(?:(?:s/?n|serial(?:\s*(?:no\.?|number))?)(?:\s*[:：#]\s*|\s+)|序列号\s*[:：]?\s*)",
    re.I,
)


def split_model(text: str) -> tuple[str, str]:
    """The answer to "model and serial number" as (model, serial): the first line and the
    rest, or the parts before and after "SN:" / "序列号" on one line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "", ""
    if len(lines) > 1:
        first, rest = lines[0], " ".join(lines[1:])
        mark = _SERIAL_MARK.match(rest)
        return first, rest[mark.end() :] if mark and mark.start() == 0 else rest
    found = _SERIAL_MARK.search(lines[0])
    if found is None or not lines[0][found.end() :].strip():
        return lines[0], ""
    return lines[0][: found.start()].strip(), lines[0][found.end() :].strip()


PROFILE_STEPS = ("name", "unit", "phone")


@dataclass
class ProfileDraft:
    """Name, unit (单位) and phone of a customer, asked once and changed with /profile."""

    step: str = "name"
    name: str = ""
    unit: str = ""
    phone: str = ""
    # Kept for drafts saved by older versions (/report then asked the profile first); a
    # report no longer waits for the profile.
    then_report: bool = False

    kind = "profile"

    @classmethod
    def missing(cls, name: str, unit: str, phone: str) -> ProfileDraft | None:
        """The profile with what is known filled in, waiting at the first unknown item; None
        when nothing is missing."""
        draft = cls(step="done", name=name, unit=unit, phone=phone)
        first = next((s for s in PROFILE_STEPS if not getattr(draft, s)), None)
        if first is None:
            return None
        draft.step = first
        return draft

    def advance(self) -> str:
        """The next step whose item is still unknown ('done' when none is)."""
        i = PROFILE_STEPS.index(self.step)
        later = [s for s in PROFILE_STEPS[i + 1 :] if not getattr(self, s)]
        self.step = later[0] if later else "done"
        return self.step

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ProfileDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class WorkDraft:
    """An engineer's pending input: the note for 'resolved' or 'add note' on a ticket."""

    ticket_id: int
    step: str  # "cause" | "resolution" | "charge_parts" | "charge_labour" | "note"
    cause: str = ""
    resolution: str = ""
    # A paid ticket's charges, asked after what was done: parts as [text, "350.00"] pairs and
    # labour as "80.00" ("": none charged).
    parts: list[list[str]] = field(default_factory=list)
    labour: str = ""
    # What a step that is not about a ticket is about (the daily report's "PROJECT/YYYY-MM-DD").
    about: str = ""

    kind = "work"

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> WorkDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


AnyDraft = ReportDraft | ProfileDraft | WorkDraft | ComplaintDraft | TaskDraft
DRAFT_TYPES: dict[
    str,
    type[ReportDraft] | type[ProfileDraft] | type[WorkDraft] | type[ComplaintDraft]
    | type[TaskDraft],
] = {
    "report": ReportDraft,
    "profile": ProfileDraft,
    "work": WorkDraft,
    "complaint": ComplaintDraft,
    "task": TaskDraft,
}
