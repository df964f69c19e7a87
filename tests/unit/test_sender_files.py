"""The sender turns an archived file named in an outbox row into an upload: a document
(`document_path`) or a photo (`photo_path`), each only if it still has its SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from telegram import InputFile

from bot.services.uow import OutboxRow
from bot.telegram.sender import DocumentUnavailable, _prepared

PNG = b"\x89PNG\r\n\x1a\n chart"


class Files:
    def __init__(self, **files: bytes) -> None:
        self.files = files

    def read(self, name: str) -> bytes:
        try:
            return self.files[name]
        except KeyError:
            raise FileNotFoundError(name) from None


def row(method: str, payload: dict[str, Any]) -> OutboxRow:
    return OutboxRow(1, 42, method, payload, None, "", "pending", 0, None)


def photo_row(sha: str) -> OutboxRow:
    return row("sendPhoto", {"chat_id": 42, "photo_path": "chart.png", "photo_sha256": sha,
                             "filename": "monthly.png", "caption": "c"})


def test_an_archived_photo_becomes_the_photo_upload() -> None:
    sha = hashlib.sha256(PNG).hexdigest()
    payload = _prepared(photo_row(sha), Files(**{"chart.png": PNG}))
    upload = payload.pop("photo")
    assert isinstance(upload, InputFile)
    assert upload.input_file_content == PNG and upload.filename == "monthly.png"
    assert payload == {"chat_id": 42, "caption": "c"}  # no path, hash or file name left


def test_a_photo_changed_or_gone_since_it_was_archived_is_not_sent() -> None:
    sha = hashlib.sha256(PNG).hexdigest()
    with pytest.raises(DocumentUnavailable, match="SHA-256"):
        _prepared(photo_row(sha), Files(**{"chart.png": PNG + b"tampered"}))
    with pytest.raises(DocumentUnavailable, match="cannot be read"):
        _prepared(photo_row(sha), Files())
    with pytest.raises(DocumentUnavailable, match="cannot be read"):
        _prepared(photo_row(sha), None)


def test_an_archived_document_is_still_the_document_upload() -> None:
    data = b"%PDF-1.7 report"
    sha = hashlib.sha256(data).hexdigest()
    r = row("sendDocument", {"chat_id": 42, "document_path": "r.pdf", "document_sha256": sha,
                             "filename": "r.pdf"})
    payload = _prepared(r, Files(**{"r.pdf": data}))
    assert payload["document"].input_file_content == data and "photo" not in payload
    bad = row("sendDocument", {**r.payload, "document_sha256": "0" * 64})
    with pytest.raises(DocumentUnavailable):
        _prepared(bad, Files(**{"r.pdf": data}))
