"""Writes for reporting: a director's RAG override (kept with its reason), and starting an audit pack build."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from config.errors import ActionNotAllowed, DomainError
from programmes.models import Enrolment
from reporting.models import RAG, AuditPackJob, RAGOverride

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
    transaction.on_commit(lambda: tasks.build_audit_pack.delay(job.pk))
    return job
