"""Portfolio export: the evidence worth exporting, KSB coverage, and a ZIP of the whole portfolio.

The ZIP holds ``index.pdf`` (``PortfolioIndexPDF``), ``manifest.json`` (machine-readable: evidence, files with
their SHA-256, KSB coverage) and every file under ``evidence/<NN>-<slug>/<name>``. Files are streamed from
storage into the archive in chunks, so a large portfolio never sits in memory. Exporting only reads.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import IO

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify

from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement
from portfolios.pdf import PortfolioIndexPDF
from programmes.models import KSB, Enrolment

Status = Evidence.Status
CHUNK = 1024 * 1024
SPOOL_MAX = 20 * 1024 * 1024
FOLDER_SLUG_LIMIT = 60
_UNSAFE = re.compile(r"[^\w .()\-]+")


def ksb_kind_order() -> Case:
    """K, S, B: the order a standard lists its knowledge, skills and behaviours."""
    return Case(
        When(kind=KSB.Kind.KNOWLEDGE, then=Value(0)),
        When(kind=KSB.Kind.SKILL, then=Value(1)),
        When(kind=KSB.Kind.BEHAVIOUR, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def ordered_ksbs():
    return KSB.objects.alias(kind_order=ksb_kind_order()).order_by("kind_order", "order", "code")


def export_evidence(enrolment: Enrolment) -> list[Evidence]:
    """Every piece of evidence that is not a draft, in date-of-activity order, with its current version's KSBs
    and files prefetched (three queries, however many pieces)."""
    return list(
        Evidence.objects.filter(enrolment=enrolment, current__isnull=False)
        .exclude(status=Status.DRAFT)
        .select_related("current")
        .prefetch_related(
            Prefetch("current__ksbs", queryset=ordered_ksbs()),
            Prefetch("current__files", queryset=EvidenceFile.objects.order_by("uploaded_at", "id")),
        )
        .order_by("current__occurred_on", "pk")
    )


def coverage_rows(enrolment: Enrolment) -> list[dict]:
    """One row per KSB of the enrolment's standard: accepted, claimed or none, and the evidence behind it.

    Accepted: accepted evidence whose current version's latest feedback agrees the KSB. Claimed: the current
    version of some submitted, sent-back or accepted evidence claims it. Three or four queries in all.
    """
    ksbs = list(ordered_ksbs().filter(standard_id=enrolment.programme.standard_id))
    latest_feedback = (
        Feedback.objects.filter(version_id=OuterRef("feedback__version_id"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    accepted: dict[int, list[int]] = defaultdict(list)
    for ksb_id, evidence_id in (
        KSBJudgement.objects.filter(
            agreed=True,
            feedback__version__evidence__enrolment=enrolment,
            feedback__version__evidence__status=Status.ACCEPTED,
            feedback__version__evidence__current=F("feedback__version"),
            feedback_id=Subquery(latest_feedback),
        )
        .order_by("feedback__version__occurred_on", "feedback__version__evidence_id")
        .values_list("ksb_id", "feedback__version__evidence_id")
    ):
        if evidence_id not in accepted[ksb_id]:
            accepted[ksb_id].append(evidence_id)
    claimed: dict[int, list[int]] = defaultdict(list)
    for ksb_id, evidence_id in (
        EvidenceVersion.ksbs.through.objects.filter(
            evidenceversion__evidence__enrolment=enrolment,
            evidenceversion__evidence__current=F("evidenceversion"),
        )
        .exclude(evidenceversion__evidence__status=Status.DRAFT)
        .order_by("evidenceversion__occurred_on", "evidenceversion__evidence_id")
        .values_list("ksb_id", "evidenceversion__evidence_id")
    ):
        if evidence_id not in claimed[ksb_id]:
            claimed[ksb_id].append(evidence_id)
    rows = []
    for ksb in ksbs:
        if accepted.get(ksb.pk):
            status, evidence = "accepted", accepted[ksb.pk]
        elif claimed.get(ksb.pk):
            status, evidence = "claimed", claimed[ksb.pk]
        else:
            status, evidence = "none", []
        rows.append(
            {
                "code": ksb.code,
                "kind": ksb.kind,
                "statement": ksb.statement,
                "status": status,
                "evidence": list(evidence),
            }
        )
    return rows


# --- the ZIP -----------------------------------------------------------------------------------------------


def safe_file_name(name: str) -> str:
    """A single, harmless path segment: EvidenceFile names are sanitised already; this is belt and braces."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" ")
    return "file" if not name or name.startswith(".") else name[:150]


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... (before the extension) if already taken in the folder."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, dot, extension = name, "", ""
    candidate, n = name, 1
    while candidate.lower() in taken:  # case-insensitively: archives are unpacked on Windows and macOS too
        n += 1
        candidate = f"{stem}-{n}{dot}{extension}"
    taken.add(candidate.lower())
    return candidate


def folder_name(number: int, title: str, width: int) -> str:
    slug = slugify(title)[:FOLDER_SLUG_LIMIT].strip("-_") or "evidence"
    return f"evidence/{number:0{width}d}-{slug}"


def _zip_info(name: str, when: datetime) -> zipfile.ZipInfo:
    local = timezone.localtime(when)
    info = zipfile.ZipInfo(name, date_time=(max(local.year, 1980), *local.timetuple()[1:6]))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_portfolio_zip(enrolment: Enrolment, *, fileobj: IO[bytes]) -> None:
    """Write the portfolio ZIP (index.pdf, manifest.json, the evidence files) into a binary file object."""
    enrolment = Enrolment.objects.select_related("apprentice", "employer", "programme__standard").get(
        pk=enrolment.pk
    )
    evidence = export_evidence(enrolment)
    coverage = coverage_rows(enrolment)
    now = timezone.now()
    standard = enrolment.programme.standard
    width = max(2, len(str(len(evidence))))
    plan: list[tuple[EvidenceFile, str]] = []
    entries = []
    for number, item in enumerate(evidence, start=1):
        version = item.current
        assert version is not None  # exported evidence always has a current version
        folder, taken = folder_name(number, version.title, width), set[str]()
        files = []
        for stored in version.files.all():
            path = f"{folder}/{unique_name(safe_file_name(stored.name), taken)}"
            plan.append((stored, path))
            files.append(
                {
                    "name": stored.name,
                    "path_in_zip": path,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "content_type": stored.content_type,
                }
            )
        entries.append(
            {
                "id": item.pk,
                "number": number,
                "title": version.title,
                "kind": version.kind,
                "occurred_on": version.occurred_on.isoformat(),
                "status": item.status,
                "version": version.number,
                "ksbs": [ksb.code for ksb in version.ksbs.all()],
                "reflection": version.reflection,
                "files": files,
            }
        )
    manifest = {
        "apprentice": {"name": enrolment.apprentice.full_name, "email": enrolment.apprentice.email},
        "programme": enrolment.programme.name,
        "standard": {
            "code": standard.code,
            "version": standard.version,
            "level": standard.level,
            "title": standard.title,
        },
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "evidence": entries,
        "coverage": coverage,
    }
    _, _, pdf = PortfolioIndexPDF(enrolment, evidence, coverage, generated_at=now).render()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_zip_info("index.pdf", now), pdf)
        archive.writestr(
            _zip_info("manifest.json", now), json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        )
        for stored, path in plan:
            large = stored.size >= zipfile.ZIP64_LIMIT
            with (
                stored.file.open("rb") as source,
                archive.open(_zip_info(path, stored.uploaded_at), "w", force_zip64=large) as target,
            ):
                shutil.copyfileobj(source, target, CHUNK)


def portfolio_zip_response(enrolment: Enrolment, *, filename: str | None = None) -> FileResponse:
    """The portfolio ZIP as a download; spooled to disk past 20 MB, so memory stays bounded."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)  # noqa: SIM115 - FileResponse closes it
    try:
        build_portfolio_zip(enrolment, fileobj=spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    if filename is None:
        filename = f"portfolio-{slugify(enrolment.apprentice.full_name) or 'apprentice'}.zip"
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
