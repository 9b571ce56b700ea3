"""Helpers for the reporting tests: a finished audit pack, reading an XLSX without openpyxl."""

import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from django.utils import timezone

from reporting.models import AuditPackJob, RAGOverride

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def finished_audit_pack(enrolment, by) -> AuditPackJob:
    """A built pack (a tiny ZIP stored), as the task leaves it."""
    job = AuditPackJob.objects.create(
        enrolment=enrolment,
        requested_by=by,
        status=AuditPackJob.Status.DONE,
        progress=100,
        file_name="audit-pack.zip",
        finished_at=timezone.now(),
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", "{}")
    job.file.save(f"{job.token}.zip", ContentFile(buffer.getvalue()), save=True)
    return job


def override(enrolment, by, rag="red", reason="Employer raised a concern today.") -> RAGOverride:
    return RAGOverride.objects.create(enrolment=enrolment, by=by, rag=rag, reason=reason)


def read_xlsx(content: bytes) -> list[list[str]]:
    """The first sheet's cells as text, row by row (shared and inline strings, numbers)."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314 - our own export
            shared = [
                "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)
            ]
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - our own export
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.findall("m:c", NS):
            column = _column(re.sub(r"\d", "", cell.get("r")))
            kind = cell.get("t")
            if kind == "s":
                cells[column] = shared[int(cell.find("m:v", NS).text)]
            elif kind == "inlineStr":
                cells[column] = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
            else:
                value = cell.find("m:v", NS)
                cells[column] = value.text if value is not None else ""
        rows.append([cells.get(n, "") for n in range(max(cells) + 1)] if cells else [])
    return rows


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1
