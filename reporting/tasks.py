"""Background work for reporting: build an audit pack, and refresh the progress snapshots each night (thin tasks
on primary keys, safe to run twice)."""

from __future__ import annotations

import hashlib
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.tasks import task
from programmes.models import Enrolment
from reporting.audit_pack import build_audit_pack as write_pack
from reporting.audit_pack import pack_file_name
from reporting.models import AuditPackJob
from reporting.services import progress_refresh

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def _update(job_id: int, **fields) -> None:
    # Saved outside any transaction so that the status page sees each step as it happens.
    AuditPackJob.objects.filter(pk=job_id).update(**fields)


@task(time_limit=900, soft_time_limit=840)
def build_audit_pack(job_id: int) -> str:
    """Build the pack for a queued job; a job already finished (or taken by another worker) is left alone."""
    with transaction.atomic():
        job = (
            AuditPackJob.objects.select_for_update()
            .select_related("enrolment", "requested_by")
            .filter(pk=job_id, status=AuditPackJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return "skipped"
        job.status = AuditPackJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        with tempfile.TemporaryFile() as spool:
            write_pack(
                job.enrolment,
                reader=job.requested_by,
                fileobj=spool,
                progress=lambda percent, step: _update(job_id, progress=percent, step=step),
            )
            spool.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: spool.read(CHUNK), b""):
                digest.update(chunk)
            size = spool.tell()
            spool.seek(0)
            name = pack_file_name(job.enrolment)
            job.file.save(f"{job.token}.zip", File(spool, name=name), save=False)
        _update(
            job_id,
            file=job.file.name,
            file_name=name,
            size=size,
            sha256=digest.hexdigest(),
            status=AuditPackJob.Status.DONE,
            progress=100,
            step="Ready",
            finished_at=timezone.now(),
        )
        return "done"
    except Exception as error:
        logger.exception("Audit pack %s failed", job_id)
        _update(
            job_id,
            status=AuditPackJob.Status.FAILED,
            step="Failed",
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        return "failed"


@task(time_limit=120, soft_time_limit=100)
def refresh_all_progress() -> int:
    """Nightly: queue a refresh of each cohort's progress snapshots, so the day's first dashboards are fresh."""
    cohort_ids = list(Enrolment.objects.order_by("cohort_id").values_list("cohort_id", flat=True).distinct())
    for cohort_id in cohort_ids:
        refresh_cohort_progress.delay(cohort_id)
    return len(cohort_ids)


@task(time_limit=300, soft_time_limit=240)
def refresh_cohort_progress(cohort_id: int) -> int:
    """Recompute the stale snapshots of one cohort (a row already fresh is left alone, so running twice is
    harmless)."""
    return progress_refresh(enrolments=Enrolment.objects.filter(cohort_id=cohort_id))
