"""Document jobs: a document (the auditor's export, …) asked for in a command's short
transaction and made after it, off the write lock. A job is pending until it is made and
delivered (done, with its archived file and SHA-256) or cannot be made (failed, with why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

JobState = Literal["pending", "done", "failed"]


@dataclass(frozen=True)
class DocumentJob:
    id: int  # 0 until stored
    kind: str  # a key of the registry of job kinds, e.g. "export"
    requester: int  # the Telegram user id who asked
    chat: int  # where the document goes
    params: dict[str, Any]  # what the kind needs to collect it (JSON)
    requested_at: datetime
    state: JobState = "pending"
    error: str | None = None
    path: str | None = None
    sha256: str | None = None
