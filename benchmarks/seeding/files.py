"""The one small real PDF that every benchmark file row (evidence files, submissions, marked copies) names."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from demo.files import sample_pdf

SAMPLE_FILE_NAME = "benchmarks/sample-evidence.pdf"


class StoredFile(NamedTuple):
    name: str
    size: int
    sha256: str


def stored_sample_file() -> StoredFile:
    """One real small PDF in the default storage, written once and shared by every world: every benchmark file
    row points at it, so downloads and the portfolio ZIP have something to read."""
    content = sample_pdf(
        "Benchmark evidence", ["A small stored file that every benchmark evidence file names."]
    )
    if default_storage.exists(SAMPLE_FILE_NAME) and default_storage.size(SAMPLE_FILE_NAME) != len(content):
        default_storage.delete(SAMPLE_FILE_NAME)  # written by an older version of this seeder
    if not default_storage.exists(SAMPLE_FILE_NAME):
        default_storage.save(SAMPLE_FILE_NAME, ContentFile(content))
    return StoredFile(SAMPLE_FILE_NAME, len(content), hashlib.sha256(content).hexdigest())
