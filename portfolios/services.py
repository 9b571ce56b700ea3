"""Portfolio evidence: add, edit, submit, revise, delete drafts, tutor feedback per KSB, share links.

Every write is one function here; pages, the API and the demo loader call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.uploads import ValidatedUpload, storage_name, validate_upload
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement, PortfolioShare
from programmes import access
from programmes.models import KSB, Enrolment

Status = Evidence.Status
MAX_FILES_PER_VERSION = 10
SHARE_MAX_DAYS = 90


@dataclass
class EvidenceFields:
    title: str
    kind: str
    occurred_on: date
    reflection: str
    ksb_ids: Sequence[int]


def _require_apprentice(by: User, enrolment: Enrolment) -> None:
    if not access.can_add_evidence(by, enrolment):
        raise ActionNotAllowed("Only the apprentice adds and changes their own portfolio evidence.")
    if not enrolment.is_live:
        raise DomainError("The apprenticeship has ended; its portfolio can no longer change.")


def _delete_unreferenced_files_on_commit(names) -> None:
    """Once the transaction commits, delete stored files that no version refers to any more."""
    names = set(names)
    if not names:
        return

    def remove() -> None:
        still_used = set(EvidenceFile.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names - still_used:
            default_storage.delete(name)

    transaction.on_commit(remove)


def _clean(fields: EvidenceFields, enrolment: Enrolment) -> tuple[EvidenceFields, list[KSB]]:
    fields.title = fields.title.strip()
    fields.reflection = fields.reflection.strip()
    if not fields.title:
        raise DomainError("Give the evidence a title.", field="title")
    if len(fields.title) > 200:
        raise DomainError("Keep the title to 200 characters.", field="title")
    if fields.kind not in Evidence.Kind.values:
        raise DomainError("Choose what kind of evidence this is.", field="kind")
    if fields.occurred_on > timezone.localdate():
        raise DomainError("The activity cannot be dated in the future.", field="occurred_on")
    if fields.occurred_on < enrolment.start_date - timedelta(days=365):
        raise DomainError(
            "The activity is more than a year before the apprenticeship started; record it as prior learning.",
            field="occurred_on",
        )
    if not fields.reflection:
        raise DomainError(
            "Write your reflective account: what you did, what you learned, and how it shows the KSBs.",
            field="reflection",
        )
    try:
        ids = {int(pk) for pk in fields.ksb_ids}
    except (TypeError, ValueError) as error:
        raise DomainError("Choose KSBs from the list.", field="ksbs") from error
    ksbs = list(KSB.objects.filter(pk__in=ids, standard_id=enrolment.programme.standard_id))
    if len(ksbs) != len(ids):
        raise DomainError("Choose KSBs from your apprenticeship standard's version only.", field="ksbs")
    return fields, ksbs


def _store_files(version: EvidenceVersion, files: Iterable[UploadedFile], by: User) -> None:
    checked: list[tuple[UploadedFile, ValidatedUpload]] = [
        (f, validate_upload(f, field="files")) for f in files
    ]
    if version.files.count() + len(checked) > MAX_FILES_PER_VERSION:
        raise DomainError(
            f"Attach at most {MAX_FILES_PER_VERSION} files to one piece of evidence.", field="files"
        )
    stored: list[str] = []
    try:
        for upload, meta in checked:
            name = default_storage.save(storage_name("evidence", meta.safe_name), upload)
            stored.append(name)
            EvidenceFile.objects.create(
                version=version,
                file=name,
                name=meta.safe_name,
                content_type=meta.content_type,
                size=meta.size,
                sha256=meta.sha256,
                uploaded_by=by,
            )
    except Exception:
        for name in stored:  # nothing half-stored if a later file or row fails
            default_storage.delete(name)
        raise


@transaction.atomic
def evidence_create(
    *,
    enrolment: Enrolment,
    by: User,
    fields: EvidenceFields,
    files: Sequence[UploadedFile] = (),
    submit: bool = False,
) -> Evidence:
    """Add evidence (version 1) as a draft, or submit it for review straight away."""
    enrolment = Enrolment.objects.select_related("programme").get(pk=enrolment.pk)
    _require_apprentice(by, enrolment)
    fields, ksbs = _clean(fields, enrolment)
    if submit and not ksbs:
        raise DomainError("Choose at least one KSB this evidence shows before submitting it.", field="ksbs")
    for upload in files:
        validate_upload(upload, field="files")
    evidence = Evidence.objects.create(enrolment=enrolment)
    version = EvidenceVersion.objects.create(
        evidence=evidence,
        number=1,
        title=fields.title,
        kind=fields.kind,
        occurred_on=fields.occurred_on,
        reflection=fields.reflection,
    )
    version.ksbs.set(ksbs)
    _store_files(version, files, by)
    evidence.current = version
    evidence.save(update_fields=["current"])
    if submit:
        evidence = evidence_submit(evidence=evidence, by=by)
    return evidence


def _editable_version(evidence: Evidence) -> EvidenceVersion:
    """The version the apprentice may change: the draft, or a new version when more work was asked for."""
    current = evidence.current
    assert current is not None
    if evidence.status == Status.DRAFT:
        return current
    if evidence.status == Status.NEEDS_WORK:
        return _new_version(evidence)
    if evidence.status == Status.SUBMITTED:
        raise ConflictError("This evidence is awaiting review; it can change once your tutor has responded.")
    raise ConflictError("Accepted evidence is locked. Revise it to create a new version for review.")


def _new_version(evidence: Evidence) -> EvidenceVersion:
    old = evidence.current
    assert old is not None
    version = EvidenceVersion.objects.create(
        evidence=evidence,
        number=old.number + 1,
        title=old.title,
        kind=old.kind,
        occurred_on=old.occurred_on,
        reflection=old.reflection,
    )
    version.ksbs.set(old.ksbs.all())
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            version=version,
            file=f.file.name,
            name=f.name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            uploaded_by=f.uploaded_by,
            uploaded_at=f.uploaded_at,
        )
        for f in old.files.all()
    )
    evidence.current = version
    evidence.status = Status.DRAFT
    evidence.submitted_at = None
    evidence.accepted_at = None
    evidence.save(update_fields=["current", "status", "submitted_at", "accepted_at"])
    return version


def _locked(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("enrolment__programme", "current")
        .get(pk=evidence.pk)
    )


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    by: User,
    fields: EvidenceFields,
    add_files: Sequence[UploadedFile] = (),
    remove_file_ids: Sequence[int] = (),
) -> Evidence:
    """Change a draft, or revise evidence sent back for more work (a new version; earlier ones are kept)."""
    evidence = _locked(evidence)
    _require_apprentice(by, evidence.enrolment)
    fields, ksbs = _clean(fields, evidence.enrolment)
    for upload in add_files:
        validate_upload(upload, field="files")
    # Files to remove are named by the version the apprentice saw; a revision copies them under new ids.
    removed_names = set(
        EvidenceFile.objects.filter(version=evidence.current, pk__in=list(remove_file_ids)).values_list(
            "file", flat=True
        )
    )
    version = _editable_version(evidence)
    version.title, version.kind, version.occurred_on, version.reflection = (
        fields.title,
        fields.kind,
        fields.occurred_on,
        fields.reflection,
    )
    version.save(update_fields=["title", "kind", "occurred_on", "reflection"])
    version.ksbs.set(ksbs)
    if removed_names:
        version.files.filter(file__in=removed_names).delete()
        _delete_unreferenced_files_on_commit(removed_names)  # kept while an earlier version still uses them
    _store_files(version, add_files, by)
    return evidence


@transaction.atomic
def evidence_revise(*, evidence: Evidence, by: User) -> Evidence:
    """Start a new version of accepted (or sent-back) evidence; it returns to review when submitted."""
    evidence = _locked(evidence)
    _require_apprentice(by, evidence.enrolment)
    if evidence.status not in (Status.ACCEPTED, Status.NEEDS_WORK):
        raise ConflictError("Only accepted evidence, or evidence sent back for more work, can be revised.")
    _new_version(evidence)
    return evidence


@transaction.atomic
def evidence_submit(*, evidence: Evidence, by: User) -> Evidence:
    evidence = _locked(evidence)
    _require_apprentice(by, evidence.enrolment)
    if evidence.status == Status.SUBMITTED:
        raise ConflictError("This evidence is already awaiting review.")
    if evidence.status == Status.ACCEPTED:
        raise ConflictError("This evidence has been accepted; revise it to submit a new version.")
    if evidence.status == Status.NEEDS_WORK:
        raise ConflictError("Change the evidence in response to the feedback before submitting it again.")
    version = evidence.current
    assert version is not None
    if not version.ksbs.exists():
        raise DomainError("Choose at least one KSB this evidence shows before submitting it.", field="ksbs")
    now = timezone.now()
    version.submitted_at = now
    version.save(update_fields=["submitted_at"])
    evidence.status = Status.SUBMITTED
    evidence.submitted_at = now
    evidence.save(update_fields=["status", "submitted_at"])
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: User) -> None:
    """Delete a draft that was never submitted; anything a tutor has seen is kept."""
    evidence = _locked(evidence)
    _require_apprentice(by, evidence.enrolment)
    if evidence.status != Status.DRAFT or evidence.versions.filter(submitted_at__isnull=False).exists():
        raise ConflictError(
            "Only drafts that were never submitted can be deleted; submitted evidence is kept."
        )
    names = list(EvidenceFile.objects.filter(version__evidence=evidence).values_list("file", flat=True))
    Evidence.objects.filter(pk=evidence.pk).update(current=None)
    evidence.delete()
    _delete_unreferenced_files_on_commit(names)


@dataclass(frozen=True)
class Judgement:
    ksb_id: int
    agreed: bool
    comment: str = ""


@transaction.atomic
def evidence_feedback(
    *,
    evidence: Evidence,
    by: User,
    decision: str,
    comment: str = "",
    judgements: Sequence[Judgement] = (),
) -> Feedback:
    """The tutor accepts the evidence or asks for more work, agreeing or not with each KSB it claims."""
    evidence = _locked(evidence)
    if not access.can_review_evidence(by, evidence.enrolment):
        raise ActionNotAllowed("Only the apprentice's practice tutor reviews their evidence.")
    if evidence.status != Status.SUBMITTED:
        raise ConflictError(f"This evidence is {evidence.get_status_display().lower()}, not awaiting review.")
    if decision not in Feedback.Decision.values:
        raise DomainError("Choose whether to accept the evidence or ask for more work.", field="decision")
    comment = comment.strip()
    if decision == Feedback.Decision.NEEDS_WORK and not comment:
        raise DomainError("Say what more is needed; the apprentice sees your comment.", field="comment")
    version = evidence.current
    assert version is not None
    claimed = set(version.ksbs.values_list("pk", flat=True))
    given = {j.ksb_id: j for j in judgements}
    if set(given) - claimed:
        raise DomainError("Judge only the KSBs this evidence claims.", field="judgements")
    # A claimed KSB with no explicit judgement is agreed when accepting, not agreed when asking for more work.
    rows = [
        given.get(pk, Judgement(pk, agreed=decision == Feedback.Decision.ACCEPTED)) for pk in sorted(claimed)
    ]
    if decision == Feedback.Decision.ACCEPTED and not any(j.agreed for j in rows):
        raise DomainError(
            "To accept the evidence, agree that it shows at least one KSB; otherwise ask for more work.",
            field="judgements",
        )
    feedback = Feedback.objects.create(version=version, reviewer=by, decision=decision, comment=comment)
    KSBJudgement.objects.bulk_create(
        KSBJudgement(feedback=feedback, ksb_id=j.ksb_id, agreed=j.agreed, comment=j.comment.strip())
        for j in rows
    )
    now = timezone.now()
    evidence.status = Status.ACCEPTED if decision == Feedback.Decision.ACCEPTED else Status.NEEDS_WORK
    evidence.accepted_at = now if decision == Feedback.Decision.ACCEPTED else None
    evidence.save(update_fields=["status", "accepted_at"])
    return feedback


@transaction.atomic
def share_create(*, enrolment: Enrolment, by: User, recipient: str, days: int) -> PortfolioShare:
    if not access.can_share_portfolio(by, enrolment):
        raise ActionNotAllowed("Only the practice tutor or a programme director can share a portfolio.")
    recipient = recipient.strip()
    if not recipient:
        raise DomainError("Say who the link is for, e.g. the assessor's name and email.", field="recipient")
    if not 1 <= days <= SHARE_MAX_DAYS:
        raise DomainError(f"A link can last from 1 to {SHARE_MAX_DAYS} days.", field="days")
    return PortfolioShare.objects.create(
        enrolment=enrolment,
        created_by=by,
        recipient=recipient,
        expires_at=timezone.now() + timedelta(days=days),
    )


@transaction.atomic
def share_revoke(*, share: PortfolioShare, by: User) -> PortfolioShare:
    if not access.can_share_portfolio(by, share.enrolment):
        raise ActionNotAllowed("Only the practice tutor or a programme director can revoke a link.")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share
