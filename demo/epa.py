"""Demo gateway, end-point assessment and completion: one apprentice at each stage.

- apprentice1 (Amelia Hughes): gateway signed off in September, the proposal submitted, both methods graded
  (distinction and pass: overall pass) and released, and the completion record issued today with its certificate.
- apprentice2 (Ben Okafor): in EPA; the proposal submitted, the professional discussion graded (not yet released)
  and the presentation scheduled with more than four weeks' notice.
- apprentice3 (Chloe Patel): at gateway with the checklist partly met: English and maths recorded, the SBP title
  and scope agreed by the employer but not yet by the assessment organisation, and one KSB still uncovered.

Idempotent: every row is got or created, and an apprentice who is already completed is left alone.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from assessments.epa import completion, gateway
from assessments.epa.models import (
    CompletionRecord,
    EndPointAssessment,
    EnglishMathsEvidence,
    EPAEvent,
    EPAMethodResult,
    GatewaySignOff,
    LearnerOutcome,
    SBPAgreement,
    SBPSubmission,
)
from assessments.epa.signing import gateway_content, gateway_statement
from core.signatures.services import canonical_hash
from core.uploads import storage_name
from demo.files import sample_pdf
from programmes.models import Enrolment, Programme

SBP = {
    1: (
        "Integrating adult social care and housing support: a business case for a single front door",
        "The proposal examines how Northshire's adult social care and housing teams handle first contact with "
        "residents who need both kinds of support. It maps current demand and hand-offs, assesses the costs of "
        "duplicated assessments and delayed placements, and sets out options for a single front door, with a "
        "recommended option, an implementation plan, risks and the benefits to residents and the council.",
    ),
    2: (
        "Reducing agency spend in children's services through a permanent recruitment and retention strategy",
        "The proposal analyses the council's reliance on agency social workers, the drivers of vacancy and "
        "turnover, and what comparable authorities have done. It recommends a recruitment and retention "
        "strategy with a financial case, a workforce plan, governance and measures of success.",
    ),
    3: (
        "Using predictive analytics to target early help for families: an ethical business case",
        "The proposal considers whether and how the council should use data to identify families who could "
        "benefit from early help, weighing the evidence, the legal and ethical constraints, the cost and the "
        "governance needed, and recommends a carefully bounded pilot.",
    ),
}
COMMENTS = {
    "sbp_distinction": "An outstanding proposal: a rigorous options appraisal, a clear financial case and a "
    "persuasive presentation. Answers to questions showed strategic judgement and command of the evidence.",
    "pd_pass": "The discussion evidenced the knowledge, skills and behaviours well, drawing on the portfolio. "
    "To reach distinction, more examples of leading change across organisational boundaries were needed.",
}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _status_change_on(enrolment: Enrolment, status: str) -> date | None:
    change = enrolment.status_changes.filter(to_status=status).order_by("-effective_on").first()
    return change.effective_on if change else None


def _english_maths(enrolment: Enrolment, director: User, on: date) -> int:
    _, created = EnglishMathsEvidence.objects.get_or_create(
        enrolment=enrolment,
        defaults={
            "kind": EnglishMathsEvidence.Kind.EVIDENCE,
            "details": "GCSE English language grade B and mathematics grade C (certificates seen).",
            "recorded_by": director,
            "recorded_at": _at(on),
        },
    )
    return int(created)


def _sbp_agreement(n: int, enrolment: Enrolment, director: User, on: date, *, epao: bool) -> int:
    title, scope = SBP[n]
    _, created = SBPAgreement.objects.get_or_create(
        enrolment=enrolment,
        defaults={
            "title": title,
            "scope": scope,
            "proposed_by": enrolment.apprentice,
            "proposed_at": _at(on - timedelta(days=14)),
            "employer_agreed_by": enrolment.line_manager,
            "employer_agreed_at": _at(on - timedelta(days=10)),
            "epao_agreed_by": director if epao else None,
            "epao_agreed_at": _at(on - timedelta(days=7)) if epao else None,
        },
    )
    return int(created)


def _signoffs(enrolment: Enrolment, director: User, gateway_on: date, epa_on: date) -> int:
    snapshot = gateway.readiness(enrolment, on=gateway_on).snapshot()
    created = 0
    for role, person, on in (
        (GatewaySignOff.Role.EMPLOYER, enrolment.line_manager, gateway_on),
        (GatewaySignOff.Role.PROVIDER, director, epa_on),
    ):
        _, was_created = GatewaySignOff.objects.get_or_create(
            enrolment=enrolment,
            role=role,
            defaults={
                "signed_by": person,
                "typed_name": person.full_name,
                "statement": gateway_statement(enrolment, role),
                "signed_at": _at(on, 11),
                "checklist": snapshot,
                "content_hash": canonical_hash(gateway_content(enrolment, snapshot)),
            },
        )
        created += int(was_created)
    _, was_created = LearnerOutcome.objects.get_or_create(
        enrolment=enrolment,
        defaults={
            "completion_status": LearnerOutcome.CompletionStatus.CONTINUING,
            "outcome": LearnerOutcome.Outcome.AWAITING_EPA,
        },
    )
    return created + int(was_created)


def _submission(record: EndPointAssessment, on: date) -> int:
    if record.sbp_submissions.exists():
        return 0
    enrolment = record.enrolment
    content = sample_pdf(
        "Strategic business proposal",
        [
            SBP[int(enrolment.apprentice.email.split("@")[0].removeprefix("apprentice"))][0][:90],
            "4,120 words",
        ],
    )
    name = default_storage.save(storage_name("sbp", "strategic-business-proposal.pdf"), ContentFile(content))
    SBPSubmission.objects.create(
        epa=record,
        file=name,
        file_name="strategic-business-proposal.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        word_count=4120,
        senior_signoff=f"Signed off by the Director of Adult Services, {enrolment.employer.name}, on "
        f"{(on - timedelta(days=3)):%-d %B %Y}.",
        submitted_by=enrolment.apprentice,
        submitted_at=_at(on),
    )
    return 1


def _event(record: EndPointAssessment, kind: str, at: datetime, notified: datetime) -> int:
    _, created = EPAEvent.objects.get_or_create(
        epa=record,
        kind=kind,
        defaults={
            "scheduled_at": at,
            "location": "University of Westmoor, Leadership Centre, room 2.14",
            "scheduled_by": record.assessor,
            "notified_at": notified,
        },
    )
    return int(created)


def _result(
    record: EndPointAssessment, method: str, grade: str, on: date, comments: str, released: bool
) -> int:
    _, created = EPAMethodResult.objects.get_or_create(
        epa=record,
        method=method,
        attempt=1,
        defaults={
            "kind": EPAMethodResult.Kind.FIRST,
            "grade": grade,
            "comments": comments,
            "assessed_on": on,
            "recorded_by": record.assessor,
            "recorded_at": _at(on, 16),
            "released_at": _at(on + timedelta(days=3), 9) if released else None,
        },
    )
    return int(created)


def seed_epa(*, programme: Programme) -> int:
    """Gateway, EPA and completion for apprentice1–3 of the 2024 cohort; returns how many rows were created."""
    director = programme.directors.order_by("pk").first()
    if director is None:
        return 0
    enrolments = {
        int(e.apprentice.email.split("@")[0].removeprefix("apprentice")): e
        for e in Enrolment.objects.filter(
            programme=programme, apprentice__email__in=[f"apprentice{n}@demo.test" for n in (1, 2, 3)]
        ).select_related("apprentice", "line_manager", "employer", "programme__standard")
    }
    created = 0
    for n in (1, 2):
        enrolment = enrolments.get(n)
        if enrolment is None or enrolment.status not in (Enrolment.Status.EPA, Enrolment.Status.COMPLETED):
            continue
        gateway_on = _status_change_on(enrolment, Enrolment.Status.GATEWAY) or enrolment.start_date
        epa_on = _status_change_on(enrolment, Enrolment.Status.EPA) or gateway_on
        created += _english_maths(enrolment, director, gateway_on - timedelta(days=21))
        created += _sbp_agreement(n, enrolment, director, gateway_on, epao=True)
        created += _signoffs(enrolment, director, gateway_on, epa_on)
        record = (
            EndPointAssessment.objects.select_related(
                "assessor", "enrolment__apprentice", "enrolment__employer"
            )
            .filter(enrolment=enrolment)
            .first()
        )
        if record is None or record.assessor is None:
            continue
        if n == 1:
            created += _submission(record, date(2026, 10, 19))
            held = _at(date(2026, 11, 10), 10)
            created += _event(record, EPAEvent.Kind.PRESENTATION, held, _at(date(2026, 10, 6), 9))
            created += _event(
                record, EPAEvent.Kind.DISCUSSION, held + timedelta(hours=1), _at(date(2026, 10, 6), 9)
            )
            created += _result(
                record, "sbp_presentation", "distinction", held.date(), COMMENTS["sbp_distinction"], True
            )
            created += _result(
                record, "professional_discussion", "pass", held.date(), COMMENTS["pd_pass"], True
            )
            if not CompletionRecord.objects.filter(enrolment=enrolment).exists():
                issued = completion.completion_issue(enrolment=enrolment, by=director)
                # The task runs after the commit; generate now too (idempotent) so the demo has its PDF at once.
                completion.completion_generate_pdf(record_id=issued.pk)
                created += 1
        else:
            created += _submission(record, date(2026, 11, 2))
            created += _event(
                record, EPAEvent.Kind.PRESENTATION, _at(date(2026, 12, 14), 10), _at(date(2026, 11, 3), 9)
            )
            created += _event(
                record, EPAEvent.Kind.DISCUSSION, _at(date(2026, 11, 18), 14), _at(date(2026, 10, 20), 9)
            )
            created += _result(
                record, "professional_discussion", "pass", date(2026, 11, 18), COMMENTS["pd_pass"], False
            )
    third = enrolments.get(3)
    if third is not None and third.status == Enrolment.Status.GATEWAY:
        on = _status_change_on(third, Enrolment.Status.GATEWAY) or third.start_date
        created += _english_maths(third, director, on - timedelta(days=10))
        created += _sbp_agreement(3, third, director, on + timedelta(days=7), epao=False)
    return created
