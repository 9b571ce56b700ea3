"""Writes for reporting: a director's RAG override (kept with its reason), starting an audit pack build, and
keeping the progress snapshots (the dashboard's read model) fresh."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.errors import ActionNotAllowed, DomainError
from programmes import access
from programmes.models import Enrolment
from reporting import progress
from reporting.models import RAG, AuditPackJob, ProgressSnapshot, RAGOverride

MIN_REASON_WORDS = 3


def _check_director(*, enrolment: Enrolment, by: User, what: str) -> None:
    if not access.is_director_of(by, enrolment.programme):
        raise ActionNotAllowed(f"Only a director of the programme can {what}.")


@transaction.atomic
def rag_override_set(*, enrolment: Enrolment, by: User, rag: str, reason: str) -> RAGOverride:
    """Set (or, with an empty ``rag``, remove) the manual rating of an enrolment; every change is a new row."""
    _check_director(enrolment=enrolment, by=by, what="change a RAG rating")
    reason = reason.strip()
    if rag and rag not in (RAG.RED, RAG.AMBER, RAG.GREEN):
        raise DomainError("Choose red, amber or green (or remove the override).", field="rag")
    if len(reason.split()) < MIN_REASON_WORDS:
        raise DomainError(
            f"Give the reason in at least {MIN_REASON_WORDS} words: it is kept for the auditor.",
            field="reason",
        )
    current = RAGOverride.objects.filter(enrolment=enrolment).order_by("-at", "-id").first()
    if not rag and (current is None or current.is_clear):
        raise DomainError("There is no override to remove.", field="rag")
    return RAGOverride.objects.create(enrolment=enrolment, rag=rag, reason=reason, by=by, at=timezone.now())


@transaction.atomic
def audit_pack_start(*, enrolment: Enrolment, by: User) -> AuditPackJob:
    """Queue the audit pack for one apprentice; the ZIP is built in Celery once this transaction commits.

    A pack already waiting or being built for the enrolment is returned rather than starting another.
    """
    from reporting import tasks

    _check_director(enrolment=enrolment, by=by, what="build an audit pack")
    running = (
        AuditPackJob.objects.select_for_update()
        .filter(enrolment=enrolment, status__in=[AuditPackJob.Status.QUEUED, AuditPackJob.Status.RUNNING])
        .first()
    )
    if running is not None:
        return running
    job = AuditPackJob.objects.create(enrolment=enrolment, requested_by=by)
    tasks.build_audit_pack.delay_on_commit(job.pk)
    return job


# --- the progress snapshots ---------------------------------------------------------------------------------------

BATCH = 500
COMPUTED_FIELDS = [
    f.name
    for f in ProgressSnapshot._meta.concrete_fields
    if f.name not in ("enrolment", "generation") and not f.primary_key
]


def progress_refresh(*, enrolments: QuerySet[Enrolment], today: date | None = None) -> int:
    """Recompute the snapshots of these enrolments that are missing or stale; return how many were computed.

    1. One query finds the enrolments whose snapshot is missing or stale: computed for another day, under other
       rules, or before the latest write (an older generation). On a fresh dashboard that is all this does.
    2. Missing rows get a placeholder first, so that a write from now on bumps a generation.
    3. The stale rows are computed ``BATCH`` at a time (bounded memory) and stored with the generation read in
       step 1. A row changed meanwhile has a newer generation, so it stays stale and is computed again on the
       next read: a refresh never hides a write.
    """
    today = today or timezone.localdate()
    fresh = Q(
        progress_snapshot__computed_on=today,
        progress_snapshot__rules=progress.rules_fingerprint(),
        progress_snapshot__computed_generation=F("progress_snapshot__generation"),
    )
    stale = list(enrolments.exclude(fresh).order_by("pk").values_list("pk", "progress_snapshot__generation"))
    if not stale:
        return 0
    missing = [pk for pk, generation in stale if generation is None]
    if missing:
        ProgressSnapshot.objects.bulk_create(
            [ProgressSnapshot(enrolment_id=pk) for pk in missing], ignore_conflicts=True, batch_size=BATCH
        )
    generations = {pk: generation or 0 for pk, generation in stale}
    for start in range(0, len(stale), BATCH):
        chunk = [pk for pk, _generation in stale[start : start + BATCH]]
        found = list(
            Enrolment.objects.filter(pk__in=chunk)
            .select_related(
                "apprentice", "employer", "practice_tutor", "line_manager", "cohort", "programme__standard"
            )
            .order_by("pk")
        )
        snapshots = progress.compute(found, today=today)
        for snapshot in snapshots:
            snapshot.computed_generation = generations[snapshot.enrolment_id]
        _store(snapshots)
    return len(stale)


def _store(snapshots: list[ProgressSnapshot]) -> None:
    # Only rows no writer holds right now (SKIP LOCKED on PostgreSQL; SQLite has no row locks): a user's write never
    # waits for a dashboard, and two refreshes of the same rows never deadlock. A skipped row stays stale.
    with transaction.atomic():
        free = set(
            ProgressSnapshot.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[s.enrolment_id for s in snapshots])
            .values_list("pk", flat=True)
        )
        ProgressSnapshot.objects.bulk_create(
            [s for s in snapshots if s.enrolment_id in free],
            update_conflicts=True,
            unique_fields=["enrolment"],
            update_fields=COMPUTED_FIELDS,
            batch_size=BATCH,
        )


def progress_mark_stale(
    *,
    enrolment_ids: Iterable[int] | QuerySet | None = None,
    cohort_ids: Iterable[int] | QuerySet | None = None,
    programme_ids: Iterable[int] | QuerySet | None = None,
    standard_ids: Iterable[int] | QuerySet | None = None,
) -> int:
    """Mark snapshots stale (bump their generation) so that the next read recomputes them; one UPDATE."""
    scope = Q()
    for lookup, values in (
        ("enrolment_id__in", enrolment_ids),
        ("enrolment__cohort_id__in", cohort_ids),
        ("enrolment__programme_id__in", programme_ids),
        ("enrolment__programme__standard_id__in", standard_ids),
    ):
        if values is not None:
            scope |= Q(**{lookup: values})
    if not scope:
        return 0
    return ProgressSnapshot.objects.filter(scope).update(generation=F("generation") + 1)
