"""Document jobs: documents that take seconds to make (the auditor's export, …) are made after
the command's transaction, never under the write lock.

The command's use case checks who asks and what, and records a job (`request`) in its short
transaction. The document worker (bot/telegram/document_jobs.py) then takes each pending job:
the job's kind collects what it needs through a separate read-only snapshot of the database
(`collect`), makes the bytes in a worker thread and the file is archived with its SHA-256
(`make`); a short transaction then marks the job done and says what the kind delivers
(`deliver`): a document notice that names the archived file, never its bytes. A job that
cannot be made is marked failed with why, and its requester is told politely (`fail`). Both
take effect once.

A kind is three steps, registered by key (see `JobKind`); the registry is filled by the
composition root. A kind whose files are records of their own (a signed daily report part, an
inspection report: see `RecordKind`) names its files itself and records them (path and
SHA-256, insert-only) in the delivering transaction; a file it finds already archived is sent
as it is, never made again, so it may have nothing left to make.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from bot.clock import Clock
from bot.domain.jobs import DocumentJob
from bot.services.notices import Notice, Outcome, Params
from bot.services.records import Archive
from bot.services.uow import UnitOfWork

T = TypeVar("T")
# Another read-only snapshot, begun when entered: for a kind that reads two things at once.
OpenRead = Callable[[], AbstractAsyncContextManager[UnitOfWork]]


@dataclass(frozen=True)
class Archived:
    """A file of a job's document in the archive: its name there and its SHA-256."""

    path: str
    sha256: str


class JobKind(Protocol[T]):
    """How one kind of document is made. `what` is the catalog key naming the document (for
    the failure message)."""

    what: str

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> T:
        """What the document shows, read from a read-only snapshot (`uow` writes nothing;
        `open_read` opens a second one, for queries run side by side on two cores)."""
        ...

    def make(self, job: DocumentJob, collected: T) -> dict[str, bytes]:
        """The document's files by their suffix, e.g. {".xlsx": …} or, for a document in
        several parts or languages, {".zh.png": …, ".zh.pdf": …, ".en.pdf": …}. CPU seconds:
        called in a worker thread."""
        ...

    def delivered(
        self, job: DocumentJob, collected: T, files: dict[str, Archived]
    ) -> list[Notice]:
        """What is said once the files are archived (notices naming them, by suffix)."""
        ...


@runtime_checkable
class RecordKind(Protocol[T]):
    """A kind whose files are records (evidence): made once per language, archived under its
    own names, recorded with their SHA-256 when delivered."""

    what: str

    async def collect(self, uow: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> T:
        """What the document shows, and which of its files are still to make."""
        ...

    def make(self, job: DocumentJob, collected: T) -> dict[str, bytes]:
        """The files still to make, by suffix (may be none: all archived meanwhile)."""
        ...

    def file_name(self, job: DocumentJob, collected: T, suffix: str, sha256: str) -> str:
        """The archive's name of a file (unique per record, language and content)."""
        ...

    async def recorded(
        self, uow: UnitOfWork, job: DocumentJob, collected: T, files: dict[str, Archived]
    ) -> list[Notice]:
        """In the delivering transaction: record the new files (the first recorded stays),
        then the notices naming the files as recorded."""
        ...


AnyKind = JobKind[Any] | RecordKind[Any]


@dataclass(frozen=True)
class Produced:
    """A job's document, archived (its files by suffix), and what it showed."""

    files: dict[str, Archived]
    collected: Any


@dataclass(frozen=True)
class JobFailed(Params):
    """jobs.failed: the document could not be made; `what` is the catalog key naming it."""

    what: str


def language_of(suffix: str) -> str:
    """The language of a record kind's file by its suffix (".zh.pdf" → "zh")."""
    return suffix.split(".")[1]


def readers_of(params: dict[str, Any]) -> tuple[tuple[int, str], ...]:
    """A record job's readers as its params keep them: [[telegram id, language], ...]."""
    return tuple((int(uid), str(lang)) for uid, lang in params.get("readers", []))


class DocumentJobs:
    def __init__(self, clock: Clock, archive: Archive) -> None:
        self.clock = clock
        self.archive = archive
        self.kinds: dict[str, AnyKind] = {}

    def register(self, kind: str, how: AnyKind) -> None:
        if kind in self.kinds:
            raise ValueError(f"document job kind {kind!r} is registered twice")
        self.kinds[kind] = how

    async def request(
        self, uow: UnitOfWork, kind: str, requester: int, chat: int, params: dict[str, Any]
    ) -> DocumentJob:
        """Record a job (in the command's transaction); the worker is woken after the commit."""
        if kind not in self.kinds:
            raise ValueError(f"no document job kind {kind!r}")
        job = DocumentJob(0, kind, requester, chat, params, self.clock.now())
        return await uow.document_jobs.add(job)

    async def pending(self, uow: UnitOfWork) -> list[DocumentJob]:
        return await uow.document_jobs.pending()

    async def collect(self, read: UnitOfWork, job: DocumentJob, open_read: OpenRead) -> Any:
        """What the job's document shows, read through the snapshot `read`."""
        return await self.kinds[job.kind].collect(read, job, open_read)

    async def make(self, job: DocumentJob, collected: Any) -> Produced:
        """Make the document (in a worker thread) and archive its files with their SHA-256.
        Raises whatever went wrong: the caller marks the job failed."""
        how = self.kinds[job.kind]
        made = await asyncio.to_thread(how.make, job, collected)
        if not made and not isinstance(how, RecordKind):  # a record kind may find all archived
            raise ValueError(f"document job {job.id} ({job.kind}) made no file")
        files: dict[str, Archived] = {}
        for suffix, data in made.items():
            sha = hashlib.sha256(data).hexdigest()
            # The name holds the hash: a job made again after a crash (a workbook's bytes
            # differ by their timestamps) gets a new file instead of clashing with the first.
            if isinstance(how, RecordKind):
                name = how.file_name(job, collected, suffix, sha)
            else:
                name = f"{job.kind}-{job.id}-{sha[:16]}{suffix}"
            files[suffix] = Archived(await asyncio.to_thread(self.archive.store, name, data), sha)
        return Produced(files, collected)

    async def deliver(self, uow: UnitOfWork, job: DocumentJob, produced: Produced) -> Outcome:
        """Mark the job done and deliver its document, once. The job keeps its first file's
        name and SHA-256 (the others are named in the notices' outbox rows)."""
        first = next(iter(produced.files.values()), Archived("", ""))
        if not await uow.document_jobs.finish(job.id, first.path, first.sha256):
            return Outcome()
        how = self.kinds[job.kind]
        if isinstance(how, RecordKind):
            return Outcome(await how.recorded(uow, job, produced.collected, produced.files))
        return Outcome(how.delivered(job, produced.collected, produced.files))

    async def fail(self, uow: UnitOfWork, job: DocumentJob, error: str) -> Outcome:
        """Mark the job failed with why, and tell its requester politely, once (a job the bot
        asked for itself, requester 0 — e.g. a timer's — tells nobody: the log says why)."""
        if not await uow.document_jobs.fail(job.id, error) or not job.requester:
            return Outcome()
        how = self.kinds.get(job.kind)
        what = how.what if how is not None else "jobs.document"
        return Outcome([Notice(job.requester, "jobs.failed", params=JobFailed(what))])
