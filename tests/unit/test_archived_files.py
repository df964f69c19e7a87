"""A document's archived file is sent as it was first made, or not at all (services/records).
Making it once is the document job's part (tests/dialog/test_record_jobs.py)."""

from __future__ import annotations

from bot.domain.reports import content_hash
from bot.services.records import verified


class Shelf:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def store(self, name: str, data: bytes) -> str:
        self.files[name] = data
        return name

    def read(self, name: str) -> bytes:
        if name not in self.files:
            raise FileNotFoundError(name)
        return self.files[name]


def test_an_archived_file_is_read_back_as_it_was_stored() -> None:
    shelf = Shelf()
    stored = (shelf.store("daily-1.pdf", b"%PDF first"), content_hash(b"%PDF first"))
    assert verified(shelf, stored) == stored
    assert list(shelf.files) == ["daily-1.pdf"]


def test_a_changed_or_missing_file_is_not_sent_and_not_silently_made_again() -> None:
    shelf = Shelf()
    stored = (shelf.store("daily-1.pdf", b"%PDF first"), content_hash(b"%PDF first"))
    shelf.files[stored[0]] = b"%PDF tampered"
    assert verified(shelf, stored) is None
    del shelf.files[stored[0]]
    assert verified(shelf, stored) is None
    assert list(shelf.files) == []  # nothing was made in its place
