"""Completion records: issue (idempotent), generate the certificate PDF, bulk issue for a cohort, revoke, verify.

Issuing fixes what the certificate says, moves the enrolment to ``completed`` and records the learner-record
outcome (completion status 2, outcome 1, the achievement date); the PDF is generated in Celery after the commit
and its SHA-256 kept. Issuing twice returns the same record; generating twice keeps the first PDF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User
from assessments.epa import grading as epa
from assessments.epa import services as epa_services
from assessments.epa.models import CompletionBatch, CompletionRecord, EPAMethodResult, LearnerOutcome
from assessments.selectors import modules_passed_counts
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.uploads import storage_name
from programmes import access
from programmes.models import Cohort, Enrolment, Module
from programmes.services import enrolment_change_status

Status = Enrolment.Status


def certificate_number(enrolment: Enrolment, issued_on: date) -> str:
    """Readable and unique (one record per enrolment); not a secret: the verification code is."""
    return f"{enrolment.programme.standard.code}-{issued_on:%Y}-{enrolment.pk:06d}"


def awards_for(enrolment: Enrolment) -> list[str]:
    """The apprenticeship; the professional award (Chartered Manager eligibility); the academic award (the PG
    Diploma) only when every module is passed."""
    programme, standard = enrolment.programme, enrolment.programme.standard
    awards = [f"Apprenticeship: {standard.title} (Level {standard.level})"]
    if programme.professional_award:
        awards.append(programme.professional_award)
    if programme.academic_award:
        total = Module.objects.filter(programme=programme).count()
        if total and modules_passed_counts([enrolment.pk]).get(enrolment.pk, 0) >= total:
            awards.append(programme.academic_award)
    return awards


def completion_blocker(enrolment: Enrolment) -> str | None:
    """Why a completion record cannot be issued now, or None."""
    if enrolment.status != Status.EPA:
        return f"The enrolment is {enrolment.get_status_display().lower()}; records are issued at the end of the EPA."
    results = list(EPAMethodResult.objects.filter(epa__enrolment=enrolment))
    if any(r.released_at is None for r in results):
        return "Some grades have not been released yet."
    grading = epa.grade(results)
    if grading.overall is None:
        return "Both assessment methods need a released grade."
    if not grading.passed:
        return "The end-point assessment was not passed."
    return None


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("programme__standard", "programme__provider", "apprentice", "employer")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def completion_issue(*, enrolment: Enrolment, by: User) -> CompletionRecord:
    """Issue the completion record for a passed EPA; issuing again returns the record already issued."""
    enrolment = _locked(enrolment)
    if not access.can_issue_completion(by, enrolment):
        raise ActionNotAllowed("Only a director of this programme issues completion records.")
    existing = CompletionRecord.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        if not existing.has_pdf and existing.status == CompletionRecord.Status.GENERATING:
            _enqueue_pdf(existing.pk)
        return existing
    blocker = completion_blocker(enrolment)
    if blocker:
        raise ConflictError(blocker)
    grading = epa_services.released_grading(enrolment)
    achieved = epa_services.achievement_date(enrolment) or timezone.localdate()
    issued_on = timezone.localdate()
    standard = enrolment.programme.standard
    try:
        with transaction.atomic():
            record = CompletionRecord.objects.create(
                enrolment=enrolment,
                certificate_number=certificate_number(enrolment, issued_on),
                apprentice_name=enrolment.apprentice.full_name,
                provider_name=enrolment.programme.provider.name,
                employer_name=enrolment.employer.name,
                standard_title=standard.title,
                standard_code=standard.code,
                standard_version=standard.version,
                standard_level=standard.level,
                overall_grade=grading.overall or epa.PASS,
                start_date=enrolment.start_date,
                achievement_date=achieved,
                awards=awards_for(enrolment),
                issued_on=issued_on,
                issued_by=by,
            )
    except IntegrityError:  # pragma: no cover - the row lock above makes a second issue wait, then return it
        return CompletionRecord.objects.get(enrolment=enrolment)
    enrolment_change_status(
        enrolment=enrolment,
        to_status=Status.COMPLETED,
        by=by,
        reason=f"End-point assessment passed ({epa.GRADE_LABELS[record.overall_grade].lower()}); "
        f"completion record {record.certificate_number} issued.",
        check_permission=False,
    )
    LearnerOutcome.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "completion_status": LearnerOutcome.CompletionStatus.COMPLETED,
            "outcome": LearnerOutcome.Outcome.ACHIEVED,
            "achievement_date": achieved,
        },
    )
    _enqueue_pdf(record.pk)
    return record


def _enqueue_pdf(record_id: int) -> None:
    from assessments.epa import tasks as epa_tasks

    epa_tasks.generate_certificate.delay_on_commit(record_id)


@transaction.atomic
def completion_generate_pdf(*, record_id: int) -> CompletionRecord | None:
    """Render and store the certificate once; a record that already has its PDF is left exactly as it is."""
    from assessments.epa.pdf import CompletionCertificatePDF

    record = CompletionRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None or record.has_pdf:
        return record
    filename, _content_type, content = CompletionCertificatePDF(record).render()
    name = default_storage.save(storage_name("certificates", filename), ContentFile(content))
    record.pdf = name
    record.pdf_sha256 = hashlib.sha256(content).hexdigest()
    record.generated_at = timezone.now()
    fields = ["pdf", "pdf_sha256", "generated_at"]
    if record.status == CompletionRecord.Status.GENERATING:
        record.status = CompletionRecord.Status.ISSUED
        fields.append("status")
    record.save(update_fields=fields)
    return record


@transaction.atomic
def completion_revoke(*, record: CompletionRecord, by: User, reason: str) -> CompletionRecord:
    """A director revokes a record with a reason; verification then says it is revoked (the record is kept)."""
    record = (
        CompletionRecord.objects.select_for_update().select_related("enrolment__programme").get(pk=record.pk)
    )
    if not access.can_revoke_completion(by, record.enrolment):
        raise ActionNotAllowed("Only a director of this programme revokes completion records.")
    if record.status == CompletionRecord.Status.REVOKED:
        raise ConflictError("This record has already been revoked.")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "Give the reason for revoking; verification will say it was revoked.", field="reason"
        )
    record.status = CompletionRecord.Status.REVOKED
    record.revoked_at, record.revoked_by, record.revocation_reason = timezone.now(), by, reason
    record.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    return record


# --- bulk issue for a cohort ---------------------------------------------------------------------------------


@dataclass
class CompletionRow:
    enrolment: Enrolment
    grading: epa.Grading
    unreleased: int
    record: CompletionRecord | None

    @property
    def ready(self) -> bool:
        return (
            self.record is None
            and self.enrolment.status == Status.EPA
            and self.unreleased == 0
            and self.grading.passed
        )


def cohort_completion_rows(cohort: Cohort, *, user: Any) -> list[CompletionRow]:
    """Each visible enrolment of the cohort in or after EPA, with its released grading and record (3 queries)."""
    enrolments = list(
        access.enrolments_visible_to(user)
        .filter(cohort=cohort, status__in=[Status.EPA, Status.COMPLETED])
        .select_related("apprentice")
        .order_by("apprentice__full_name")
    )
    ids = [e.pk for e in enrolments]
    results: dict[int, list[EPAMethodResult]] = {pk: [] for pk in ids}
    unreleased: dict[int, int] = dict.fromkeys(ids, 0)
    for result in EPAMethodResult.objects.filter(epa__enrolment_id__in=ids).annotate(
        enrolment_id=F("epa__enrolment_id")
    ):
        if result.released_at is None:
            unreleased[result.enrolment_id] += 1
        else:
            results[result.enrolment_id].append(result)
    records = {r.enrolment_id: r for r in CompletionRecord.objects.filter(enrolment_id__in=ids)}
    return [
        CompletionRow(e, epa.grade(results[e.pk]), unreleased[e.pk], records.get(e.pk)) for e in enrolments
    ]


@transaction.atomic
def completion_bulk_start(*, cohort: Cohort, by: User) -> CompletionBatch:
    """Queue the issue of every ready record in a cohort; the batch records progress as the task works."""
    if not access.is_director_of(by, cohort.programme):
        raise ActionNotAllowed("Only a director of this programme issues completion records.")
    ready = [row.enrolment.pk for row in cohort_completion_rows(cohort, user=by) if row.ready]
    if not ready:
        raise ConflictError("No apprentice in this cohort is ready for a completion record.")
    batch = CompletionBatch.objects.create(
        cohort=cohort, started_by=by, enrolment_ids=ready, total=len(ready)
    )
    from assessments.epa import tasks as epa_tasks

    epa_tasks.run_completion_batch.delay_on_commit(batch.pk)
    return batch


def completion_bulk_run(*, batch_id: int) -> CompletionBatch | None:
    """Issue each record in its own transaction, saving progress after each so the page can show it.

    Safe to run twice: issuing is idempotent, and a finished batch is left alone.
    """
    batch = CompletionBatch.objects.filter(pk=batch_id).select_related("started_by").first()
    if batch is None or batch.status == CompletionBatch.Status.FINISHED:
        return batch
    CompletionBatch.objects.filter(pk=batch.pk).update(
        status=CompletionBatch.Status.RUNNING, done=0, failed=[]
    )
    failed: list[dict] = []
    for done, enrolment in enumerate(
        Enrolment.objects.filter(pk__in=batch.enrolment_ids).select_related("apprentice").order_by("pk"), 1
    ):
        try:
            completion_issue(enrolment=enrolment, by=batch.started_by)
        except DomainError as error:
            failed.append(
                {
                    "enrolment_id": enrolment.pk,
                    "name": enrolment.apprentice.full_name,
                    "reason": error.message,
                }
            )
        CompletionBatch.objects.filter(pk=batch.pk).update(done=done, failed=failed)
    CompletionBatch.objects.filter(pk=batch.pk).update(
        status=CompletionBatch.Status.FINISHED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# --- reading and verifying ---------------------------------------------------------------------------------------


def records_visible_to(user: Any) -> QuerySet[CompletionRecord]:
    return CompletionRecord.objects.filter(enrolment__in=access.enrolments_visible_to(user))


def matches_issued_pdf(record: CompletionRecord, chunks: Iterable[bytes]) -> bool:
    """True when the bytes (read in chunks, never whole) are exactly the certificate PDF that was issued."""
    if not record.pdf_sha256:
        return False
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest() == record.pdf_sha256


def record_for_code(code: str) -> CompletionRecord | None:
    if not code or len(code) > 64:
        return None
    return CompletionRecord.objects.filter(verification_code=code).first()


def verification(record: CompletionRecord) -> dict[str, Any]:
    """What the public verification page and endpoint say about a record."""
    return {
        "valid": record.is_valid,
        "apprentice_name": record.apprentice_name,
        "award": record.award,
        "standard": record.standard,
        "grade": record.overall_grade,
        "achieved_on": record.achievement_date,
        "issued_on": record.issued_on,
        "status": record.status,
        "certificate_number": record.certificate_number,
        "awards": list(record.awards),
        "employer": record.employer_name,
        "provider": record.provider_name,
        "start_date": record.start_date,
        # The reason stays private to the programme: the public learns only that, and when, it was revoked.
        "revoked_on": timezone.localtime(record.revoked_at).date() if record.revoked_at else None,
    }


def pdf_matches(record: CompletionRecord, content: bytes) -> bool:
    return record.matches(content)
