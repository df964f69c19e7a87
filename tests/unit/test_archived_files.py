"""A document's archived file is sent as it was first made, or not at all (services/records)."""

from __future__ import annotations

from bot.domain.reports import content_hash
from bot.services.records import archived_or_typeset


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


def name(sha: str) -> str:
    return f"daily-{sha[:8]}.pdf"


async def test_made_once_then_read_back_and_never_made_again() -> None:
    shelf, made = Shelf(), []

    def typeset() -> bytes:
        made.append(1)
        return b"%PDF first"

    stored, new = await archived_or_typeset(shelf, None, typeset, name)
    sha = content_hash(b"%PDF first")
    assert (stored, new) == ((f"daily-{sha[:8]}.pdf", sha), True)
    assert stored is not None
    again, new = await archived_or_typeset(shelf, stored, typeset, name)
    assert (again, new, len(made)) == (stored, False, 1)


async def test_a_changed_or_missing_file_is_not_sent_and_not_silently_made_again() -> None:
    shelf = Shelf()
    stored, _ = await archived_or_typeset(shelf, None, lambda: b"%PDF first", name)
    assert stored is not None
    shelf.files[stored[0]] = b"%PDF tampered"
    assert await archived_or_typeset(shelf, stored, lambda: b"%PDF new", name) == (None, False)
    del shelf.files[stored[0]]
    assert await archived_or_typeset(shelf, stored, lambda: b"%PDF new", name) == (None, False)
    assert list(shelf.files) == []  # nothing was made in its place
