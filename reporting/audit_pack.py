"""One apprentice's audit pack: a ZIP an auditor or inspector can read without an account.

- ``training-plan/`` every signed version of the training plan (signed, or superseded after signing) as its PDF
  with the signature log (``programmes.training_plans.pdf.TrainingPlanPDF``);
- ``otj/`` the off-the-job ledger with confirmations, as a PDF (``OTJLedgerPDF``) and a CSV (the ledger export's
  own rows, formula-escaped);
- ``reviews/`` every submitted progress review record with its signature log (``tutors.pdf.ProgressReviewPDF``;
  safeguarding notes are left out: they are for the tutor and the programme's directors only);
- ``portfolio-index.pdf`` the portfolio index (``portfolios.pdf.PortfolioIndexPDF``);
- ``module-results.csv`` each module's status and weighted mark (released marks only);
- ``manifest.json`` what is in the pack, with each file's SHA-256.

Built into a temporary file (never wholly in memory), reporting progress after each part through ``progress``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC
from typing import IO

from django.utils import timezone
from django.utils.text import slugify

from assessments.selectors import module_results
from core.exports import csv_safe
from portfolios.export import coverage_rows, export_evidence
from portfolios.otj import selectors as otj_selectors
from portfolios.otj.pdf import OTJLedgerPDF
from portfolios.otj.views import LEDGER_HEADER, ledger_rows
from portfolios.pdf import PortfolioIndexPDF
from programmes.models import Enrolment
from programmes.training_plans.models import TrainingPlan
from programmes.training_plans.pdf import TrainingPlanPDF
from tutors import selectors as review_selectors
from tutors.models import ProgressReview
from tutors.pdf import ProgressReviewPDF

Progress = Callable[[int, str], None]


def _csv_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def pack_file_name(enrolment: Enrolment) -> str:
    return f"audit-pack-{slugify(enrolment.apprentice.full_name) or 'apprentice'}.zip"


def _module_results_csv(enrolment: Enrolment) -> bytes:
    rows = [
        [
            r.module.order,
            r.module.title,
            r.status_label,
            "" if r.weighted_mark is None else f"{r.weighted_mark}",
            r.pass_mark,
        ]
        for r in module_results(enrolment)
    ]
    return _csv_bytes(["order", "module", "status", "weighted mark", "pass mark"], rows)


def build_audit_pack(enrolment: Enrolment, *, reader, fileobj: IO[bytes], progress: Progress) -> None:
    """Write the pack into ``fileobj``; ``reader`` is the person who asked (reviews are read as they may see)."""
    enrolment = Enrolment.objects.select_related(
        "apprentice", "employer", "programme__standard", "cohort", "line_manager", "practice_tutor"
    ).get(pk=enrolment.pk)
    now = timezone.now()
    manifest: dict = {
        "apprentice": enrolment.apprentice.full_name,
        "programme": enrolment.programme.name,
        "cohort": enrolment.cohort.name,
        "employer": enrolment.employer.name,
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "files": [],
    }
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, content: bytes, what: str) -> None:
            archive.writestr(path, content)
            manifest["files"].append(
                {
                    "path": path,
                    "what": what,
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
            )

        progress(5, "Training plan versions")
        plans = enrolment.training_plans.filter(
            status__in=[TrainingPlan.Status.SIGNED, TrainingPlan.Status.SUPERSEDED], signatures__isnull=False
        ).distinct()
        for plan in plans.order_by("version"):
            name, _type, content = TrainingPlanPDF(plan).render()
            add(f"training-plan/{name}", content, f"Training plan version {plan.version} ({plan.status})")

        progress(25, "Off-the-job ledger")
        position = otj_selectors.otj_position(enrolment)
        entries = otj_selectors.entries_for(enrolment).select_related("decided_by").order_by("date", "pk")
        name, _type, content = OTJLedgerPDF(enrolment, position, entries).render()
        add(f"otj/{name}", content, "Off-the-job ledger with confirmations (PDF)")
        add(
            "otj/otj-ledger.csv",
            _csv_bytes(LEDGER_HEADER, ledger_rows(enrolment)),
            "Off-the-job ledger (CSV)",
        )

        progress(50, "Progress review records")
        review_ids = (
            ProgressReview.objects.filter(enrolment=enrolment)
            .exclude(status=ProgressReview.Status.DRAFT)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        for pk in review_ids:
            review = review_selectors.review_detail(reader, pk)
            name, _type, content = ProgressReviewPDF(review, include_safeguarding=False).render()
            add(
                f"reviews/{name}", content, f"Progress review {review.number} ({review.get_status_display()})"
            )

        progress(70, "Portfolio index")
        name, _type, content = PortfolioIndexPDF(
            enrolment, export_evidence(enrolment), coverage_rows(enrolment), generated_at=now
        ).render()
        add(name, content, "Portfolio index: evidence, KSB mapping and reflective accounts")

        progress(85, "Module results")
        add("module-results.csv", _module_results_csv(enrolment), "Module results (released marks only)")
        progress(95, "Manifest")
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
