"""Writes for gateway and the end-point assessment: typed, keyword-only, atomic, raising DomainError.

Gateway: English and maths evidence, the SBP title and scope and its two agreements, and the two sign-offs (the
employer's decision, then the provider's) that move the enrolment into ``epa``. EPA: the director assigns the
independent assessor; the apprentice submits the SBP; the assessor schedules the presentation (at least four
weeks' notice) and the discussion, records each method's grade, and releases the results to everyone at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from assessments.epa import gateway
from assessments.epa import grading as epa
from assessments.epa.models import (
    EndPointAssessment,
    EnglishMathsEvidence,
    EPAEvent,
    EPAMethodResult,
    GatewaySignOff,
    SBPAgreement,
    SBPSubmission,
)
from assessments.epa.signing import (  # noqa: F401 - re-exported: callers use services.gateway_statement
    GatewayDocument,
    gateway_blocker,
    gateway_statement,
)
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.signatures import services as signing
from core.signatures.services import Origin, Proof
from core.uploads import PDF, storage_name, validate_upload
from programmes import access
from programmes.models import Enrolment, EnrolmentStatusChange

Status = Enrolment.Status
SBP_DUE_WEEKS = 12
PRESENTATION_NOTICE = timedelta(weeks=4)
SBP_WORDS = 4000
SBP_TOLERANCE = 0.10  # ±10%
SBP_MIN_WORDS = round(SBP_WORDS * (1 - SBP_TOLERANCE))
SBP_MAX_WORDS = round(SBP_WORDS * (1 + SBP_TOLERANCE))


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("programme__standard", "apprentice")
        .get(pk=enrolment.pk)
    )


def _words(text: str) -> int:
    return len(text.split())


# --- gateway: English and maths, the SBP title and scope ---------------------------------------------------------


@transaction.atomic
def english_maths_record(*, enrolment: Enrolment, by: User, kind: str, details: str) -> EnglishMathsEvidence:
    """Record the Level 2 English and maths evidence seen, or the exemption and why; a new record replaces it."""
    enrolment = _locked(enrolment)
    if not access.can_record_english_maths(by, enrolment):
        raise ActionNotAllowed("Only the practice tutor or a programme director records English and maths.")
    if kind not in EnglishMathsEvidence.Kind.values:
        raise DomainError("Choose evidence held or an exemption.", field="kind")
    details = details.strip()
    if not details:
        what = "the qualifications and grades seen" if kind == "evidence" else "why the rules exempt them"
        raise DomainError(f"Say {what}.", field="details")
    record, _ = EnglishMathsEvidence.objects.update_or_create(
        enrolment=enrolment,
        defaults={"kind": kind, "details": details, "recorded_by": by, "recorded_at": timezone.now()},
    )
    return record


@transaction.atomic
def sbp_agreement_propose(*, enrolment: Enrolment, by: User, title: str, scope: str) -> SBPAgreement:
    """The apprentice proposes the SBP title and scope; a change clears any earlier agreement."""
    enrolment = _locked(enrolment)
    if not access.can_propose_sbp(by, enrolment):
        raise ActionNotAllowed("Only the apprentice proposes the SBP title and scope.")
    if enrolment.status not in gateway.CHECKABLE_STATUSES:
        raise ConflictError("The SBP title and scope are agreed before gateway.")
    title, scope = " ".join(title.split()), scope.strip()
    if not title:
        raise DomainError("Give the proposal a title.", field="title")
    if not scope:
        raise DomainError("Describe the scope of the proposal.", field="scope")
    if _words(scope) > SBPAgreement.MAX_SCOPE_WORDS:
        raise DomainError(
            f"The scope is {_words(scope)} words; it can be at most {SBPAgreement.MAX_SCOPE_WORDS}.",
            field="scope",
        )
    agreement = SBPAgreement.objects.filter(enrolment=enrolment).first()
    if agreement is not None and agreement.title == title and agreement.scope == scope:
        return agreement
    agreement = agreement or SBPAgreement(enrolment=enrolment)
    agreement.title, agreement.scope = title, scope
    agreement.proposed_by, agreement.proposed_at = by, timezone.now()
    agreement.employer_agreed_by = agreement.epao_agreed_by = None
    agreement.employer_agreed_at = agreement.epao_agreed_at = None
    agreement.save()
    return agreement


@transaction.atomic
def sbp_agreement_agree(*, enrolment: Enrolment, by: User, party: str) -> SBPAgreement:
    """The employer (line manager) or the assessment organisation agrees the title and scope as they stand."""
    enrolment = _locked(enrolment)
    parties = access.can_agree_sbp_for(by, enrolment)
    if party not in ("employer", "epao"):
        raise DomainError("Agree for the employer or for the assessment organisation.", field="party")
    if party not in parties:
        who = "the line manager" if party == "employer" else "the assessor or a programme director"
        raise ActionNotAllowed(
            f"Only {who} agrees the SBP for {'the employer' if party == 'employer' else 'the assessment organisation'}."
        )
    agreement = SBPAgreement.objects.select_for_update().filter(enrolment=enrolment).first()
    if agreement is None:
        raise ConflictError("The apprentice has not proposed an SBP title and scope yet.")
    now = timezone.now()
    if party == "employer":
        agreement.employer_agreed_by, agreement.employer_agreed_at = by, now
    else:
        agreement.epao_agreed_by, agreement.epao_agreed_at = by, now
    agreement.save()
    return agreement


# --- gateway sign-off -------------------------------------------------------------------------------------------


@transaction.atomic
def gateway_sign(
    *,
    enrolment: Enrolment,
    by: User,
    proof: Proof | None = None,
    full_name: str = "",
    password: str = "",
    code: str = "",
    role: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> GatewaySignOff:
    """Sign off gateway for the employer (line manager, first) or the provider (director, second).

    Both sign-offs move the enrolment into ``epa`` (through ``gateway`` if it was still active). ``proof`` is what
    the signer read (``GatewayDocument``'s version and content hash) and how they prove it is them; without it
    the other keywords make one that names no version, which is refused."""
    return signing.sign(
        GatewayDocument(enrolment),
        by=by,
        proof=proof or Proof(None, "", full_name, password, code, role),
        origin=Origin(ip_address, user_agent),
    )


# --- the EPA ---------------------------------------------------------------------------------------------------


def epa_started_on(enrolment: Enrolment) -> date | None:
    """The day the enrolment entered ``epa`` (gateway passed): the EPA period starts."""
    change = (
        EnrolmentStatusChange.objects.filter(enrolment=enrolment, to_status=Status.EPA)
        .order_by("-effective_on", "-pk")
        .first()
    )
    return change.effective_on if change else None


def sbp_due_on(started_on: date | None) -> date | None:
    return started_on + timedelta(weeks=SBP_DUE_WEEKS) if started_on else None


def epa_for(enrolment: Enrolment) -> EndPointAssessment | None:
    return EndPointAssessment.objects.filter(enrolment=enrolment).select_related("assessor").first()


def _require_epa(enrolment: Enrolment) -> EndPointAssessment:
    record = EndPointAssessment.objects.select_for_update().filter(enrolment=enrolment).first()
    if record is None or enrolment.status not in (Status.EPA, Status.COMPLETED):
        raise ConflictError("The apprentice has not passed gateway: there is no end-point assessment yet.")
    return record


def assessor_candidates():
    """Independent assessors: active people at an end-point assessment organisation."""
    return User.objects.filter(organisation__kind=Organisation.Kind.EPAO, is_active=True).select_related(
        "organisation"
    )


@transaction.atomic
def epa_assign_assessor(*, enrolment: Enrolment, by: User, assessor: User) -> EndPointAssessment:
    """A director assigns the independent assessor (or changes them while nothing has been graded)."""
    enrolment = _locked(enrolment)
    if not access.can_assign_assessor(by, enrolment):
        raise ActionNotAllowed("Only a director of this programme assigns the independent assessor.")
    if enrolment.status not in (Status.GATEWAY, Status.EPA):
        raise ConflictError("An assessor is assigned at gateway or during the end-point assessment.")
    if assessor.organisation is None or assessor.organisation.kind != Organisation.Kind.EPAO:
        raise DomainError(
            f"{assessor} does not work for an end-point assessment organisation; the assessor must be independent.",
            field="assessor",
        )
    if assessor.pk in (enrolment.apprentice_id, enrolment.line_manager_id, enrolment.practice_tutor_id):
        raise DomainError("The assessor must be independent of the apprentice.", field="assessor")
    record, _ = EndPointAssessment.objects.select_for_update().get_or_create(enrolment=enrolment)
    if record.assessor_id == assessor.pk:
        return record
    if record.assessor_id and record.method_results.exists():
        raise ConflictError("Grades have been recorded: the assessor can no longer change.")
    record.assessor, record.assigned_at = assessor, timezone.now()
    record.save(update_fields=["assessor", "assigned_at"])
    return record


@transaction.atomic
def sbp_submit(
    *, enrolment: Enrolment, by: User, upload: UploadedFile | None, word_count: int, senior_signoff: str
) -> SBPSubmission:
    """The apprentice submits the SBP (a PDF, 4,000 words ±10%, with evidence of senior sign-off)."""
    enrolment = _locked(enrolment)
    if not access.can_submit_sbp(by, enrolment):
        raise ActionNotAllowed("Only the apprentice submits their strategic business proposal.")
    record = _require_epa(enrolment)
    if record.method_results.filter(method=epa.SBP_PRESENTATION).exists():
        raise ConflictError("The proposal has been assessed; it can no longer be replaced.")
    if not SBP_MIN_WORDS <= word_count <= SBP_MAX_WORDS:
        raise DomainError(
            f"The proposal must be {SBP_WORDS:,} words ±10% ({SBP_MIN_WORDS:,}–{SBP_MAX_WORDS:,}); "
            f"you gave {word_count:,}.",
            field="word_count",
        )
    senior_signoff = senior_signoff.strip()
    if not senior_signoff:
        raise DomainError(
            "Say who signed the proposal off (board or senior leader), their role and when.",
            field="senior_signoff",
        )
    checked = validate_upload(upload)
    if checked.content_type != PDF.content_type:
        raise DomainError("Upload the proposal as a PDF.", field="file")
    assert upload is not None  # validate_upload refused None
    now = timezone.now()
    name = default_storage.save(storage_name("sbp", checked.safe_name), upload)
    return SBPSubmission.objects.create(
        epa=record,
        file=name,
        file_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        word_count=word_count,
        senior_signoff=senior_signoff,
        submitted_by=by,
        submitted_at=now,
        is_late=bool((due := sbp_due_on(epa_started_on(enrolment))) and timezone.localdate() > due),
    )


@transaction.atomic
def epa_event_schedule(
    *, enrolment: Enrolment, by: User, kind: str, scheduled_at: datetime, location: str = ""
) -> EPAEvent:
    """The assessor schedules (or moves) the presentation — at least 4 weeks' notice — or the discussion."""
    enrolment = _locked(enrolment)
    if not access.can_assess(by, enrolment):
        raise ActionNotAllowed("Only the assigned independent assessor schedules the assessment.")
    record = _require_epa(enrolment)
    if kind not in EPAEvent.Kind.values:
        raise DomainError("Choose the presentation or the professional discussion.", field="kind")
    now = timezone.now()
    if scheduled_at <= now:
        raise DomainError("Choose a time in the future.", field="scheduled_at")
    if (
        kind == EPAEvent.Kind.PRESENTATION
        and scheduled_at.date() - timezone.localdate() < PRESENTATION_NOTICE
    ):
        earliest = timezone.localdate() + PRESENTATION_NOTICE
        raise DomainError(
            f"The presentation needs at least 4 weeks' notice: the earliest day is {earliest.day} {earliest:%B %Y}.",
            field="scheduled_at",
        )
    event, _ = EPAEvent.objects.update_or_create(
        epa=record,
        kind=kind,
        defaults={
            "scheduled_at": scheduled_at,
            "location": location.strip(),
            "scheduled_by": by,
            "notified_at": now,
        },
    )
    return event


@transaction.atomic
def epa_record_result(
    *,
    enrolment: Enrolment,
    by: User,
    method: str,
    grade: str,
    comments: str,
    assessed_on: date | None = None,
    kind: str = epa.FIRST,
    employer_agreement: str = "",
) -> EPAMethodResult:
    """The assessor records one method's grade: a first attempt, or a re-sit or re-take of a failed method."""
    enrolment = _locked(enrolment)
    if not access.can_assess(by, enrolment):
        raise ActionNotAllowed("Only the assigned independent assessor records end-point assessment grades.")
    record = _require_epa(enrolment)
    if enrolment.status != Status.EPA:
        raise ConflictError("The end-point assessment is over; its grades can no longer change.")
    if grade not in epa.GRADES:
        raise DomainError("Choose fail, pass or distinction.", field="grade")
    if method not in epa.METHODS:
        raise DomainError("Choose an assessment method.", field="method")
    if kind not in epa.KINDS:
        raise DomainError("Choose a first attempt, a re-sit or a re-take.", field="kind")
    comments = comments.strip()
    if not comments:
        raise DomainError("Give comments that explain the grade.", field="comments")
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise DomainError("The assessment date cannot be in the future.", field="assessed_on")
    started = epa_started_on(enrolment)
    if started and assessed_on < started:
        raise DomainError("The assessment cannot be before the EPA period started.", field="assessed_on")
    if method == epa.SBP_PRESENTATION and not record.sbp_submissions.exists():
        raise ConflictError("The apprentice has not submitted the strategic business proposal yet.")
    attempts = list(EPAMethodResult.objects.select_for_update().filter(epa=record))
    refusal = epa.repeat_refusal(attempts, method=method, kind=kind)
    if refusal:
        raise ConflictError(refusal)
    employer_agreement = employer_agreement.strip()
    if kind != epa.FIRST and not employer_agreement:
        raise DomainError(
            "A re-sit or re-take needs the employer's agreement: record who agreed and when.",
            field="employer_agreement",
        )
    return EPAMethodResult.objects.create(
        epa=record,
        method=method,
        attempt=1 + sum(a.method == method for a in attempts),
        kind=kind,
        grade=grade,
        comments=comments,
        assessed_on=assessed_on,
        employer_agreement=employer_agreement if kind != epa.FIRST else "",
        recorded_by=by,
    )


@transaction.atomic
def epa_release_results(*, enrolment: Enrolment, by: User) -> int:
    """Release every unreleased grade to the apprentice, line manager and director at the same moment."""
    enrolment = _locked(enrolment)
    if not access.can_assess(by, enrolment):
        raise ActionNotAllowed("Only the assigned independent assessor releases the results.")
    record = _require_epa(enrolment)
    pending = EPAMethodResult.objects.select_for_update().filter(epa=record, released_at__isnull=True)
    if not pending.exists():
        raise ConflictError("There are no new grades to release.")
    released = pending.update(released_at=timezone.now())
    from assessments.epa import tasks as epa_tasks

    epa_tasks.send_epa_results_released.delay_on_commit(record.pk)
    return released


# --- reading the EPA --------------------------------------------------------------------------------------------


def visible_results(enrolment: Enrolment, user) -> list[EPAMethodResult]:
    """The method results this person may see: all for the assessor, released ones for everyone else."""
    results = EPAMethodResult.objects.filter(epa__enrolment=enrolment).select_related("recorded_by")
    if not access.can_see_unreleased_results(user, enrolment):
        results = results.filter(released_at__isnull=False)
    return list(results.order_by("method", "attempt"))


def released_grading(enrolment: Enrolment) -> epa.Grading:
    return epa.grade(EPAMethodResult.objects.filter(epa__enrolment=enrolment, released_at__isnull=False))


def achievement_date(enrolment: Enrolment) -> date | None:
    """When the EPA concluded: the day of the latest counted attempt, once the released grades pass."""
    grading = released_grading(enrolment)
    if not grading.passed:
        return None
    days = [m.latest.assessed_on for m in grading.methods.values() if m.latest is not None]  # type: ignore[attr-defined]
    return max(days) if days else None
