"""Shared builders for the portfolio evidence tests: byte samples, uploads, evidence made through services.

Uploaded files land in the temporary folder that the autouse fixture in tests/conftest.py points the default
storage at, so "nothing stored" is checked by listing that folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portfolios import selectors, services
from portfolios.models import Evidence, EvidenceFile, Feedback
from programmes.models import KSB

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
REFLECTION = "What I did, what I learned, and how it shows the KSBs."


def pdf(name: str = "board-paper.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png(name: str = "diagram.png", data: bytes = PNG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def disguised(name: str, data: bytes) -> SimpleUploadedFile:
    """A hostile upload that claims to be a PDF."""
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def with_raw_name(upload: SimpleUploadedFile, raw_name: str) -> SimpleUploadedFile:
    """Give an upload a name with a path in it, as if a client had slipped one past the multipart parser."""
    upload._name = raw_name
    return upload


def ksb(world, code: str, *, standard=None) -> KSB:
    return KSB.objects.get(standard=standard or world.programme.standard, code=code)


def ksb_ids(world, *codes: str) -> list[int]:
    return [ksb(world, code).pk for code in codes]


def fields(
    world,
    *codes: str,
    title: str = "Board paper",
    occurred_on: date | None = None,
    reflection: str = REFLECTION,
    kind: str = Evidence.Kind.WORK_PRODUCT,
) -> services.EvidenceFields:
    return services.EvidenceFields(
        title=title,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        reflection=reflection,
        ksb_ids=ksb_ids(world, *codes),
    )


def add(
    world,
    cast,
    *codes: str,
    title: str = "Board paper",
    files=(),
    submit: bool = True,
    enrolment=None,
    by=None,
) -> Evidence:
    """Evidence added by the apprentice (submitted for review unless ``submit=False``)."""
    return services.evidence_create(
        enrolment=enrolment or world.enrolment,
        by=by or cast.apprentice,
        fields=fields(world, *codes, title=title),
        files=list(files),
        submit=submit,
    )


def review(
    evidence: Evidence,
    tutor,
    decision: str = Feedback.Decision.ACCEPTED,
    *,
    comment: str = "",
    agree: tuple[str, ...] = (),
    disagree: tuple[str, ...] = (),
) -> Feedback:
    """The tutor's feedback, agreeing or not with the named KSB codes (others take the service's default)."""
    standard_id = evidence.enrolment.programme.standard_id
    judgements = [
        services.Judgement(KSB.objects.get(standard_id=standard_id, code=code).pk, agreed=agreed)
        for codes, agreed in ((agree, True), (disagree, False))
        for code in codes
    ]
    return services.evidence_feedback(
        evidence=evidence, by=tutor, decision=decision, comment=comment, judgements=judgements
    )


def accept(evidence: Evidence, tutor) -> Feedback:
    return review(evidence, tutor, Feedback.Decision.ACCEPTED)


def needs_work(evidence: Evidence, tutor, comment: str = "Say more about the outcome.") -> Feedback:
    return review(evidence, tutor, Feedback.Decision.NEEDS_WORK, comment=comment)


def coverage(enrolment) -> dict[str, str]:
    return {row.ksb.code: row.status for row in selectors.ksb_coverage(enrolment)}


def files_under(folder: Path | str | None = None) -> list[Path]:
    """Every file under the folder (by default, the private storage location)."""
    root = Path(folder or default_storage.location)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def nothing_stored(tmp_path: Path) -> bool:
    """No evidence rows, no file rows, and no file anywhere under the test's temporary folder."""
    return not Evidence.objects.exists() and not EvidenceFile.objects.exists() and files_under(tmp_path) == []
