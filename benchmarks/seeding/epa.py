"""The gateway/EPA/completion step of the benchmark seeder (bulk rows, as the services would have left them).

Every enrolment in EPA or completed has English and maths evidence, an agreed SBP title and scope, both gateway
sign-offs, a submitted SBP and both methods graded and released; completed ones have a completion record (all
sharing one stored certificate PDF). Enrolments at gateway have English and maths recorded and an SBP proposed.
Sets on the world: ``sample_epa_enrolment`` (in EPA, assessed by ``w.assessor``), ``sample_sbp_submission``,
``sample_completion`` (on an enrolment in EPA when nobody is completed) and ``sample_completion_batch``.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import User
from assessments.epa.models import (
    CompletionBatch,
    CompletionRecord,
    EndPointAssessment,
    EnglishMathsEvidence,
    EPAMethodResult,
    GatewaySignOff,
    LearnerOutcome,
    SBPAgreement,
    SBPSubmission,
)
from benchmarks.seeding.programme import directors_by_programme
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from demo.files import sample_pdf
from programmes.models import Enrolment

Status = Enrolment.Status
SCOPE = "A business case for integrating two services behind a single front door, with options and costs."
Directors = dict[int, User]


def gateway(w: World, directors: Directors, later: list[Enrolment], assessed: list[Enrolment]) -> None:
    """English and maths evidence and an SBP proposal for every enrolment at gateway or later; the SBP agreed,
    both sign-offs and the learner outcome for those past the gateway."""
    create_rows(
        w,
        EnglishMathsEvidence,
        [
            EnglishMathsEvidence(
                enrolment=e, kind="evidence", details="GCSE English B, maths C.", recorded_by=e.practice_tutor
            )
            for e in later
        ],
    )
    create_rows(
        w,
        SBPAgreement,
        [
            SBPAgreement(
                enrolment=e,
                title="A single front door",
                scope=SCOPE,
                proposed_by=e.apprentice,
                employer_agreed_by=e.line_manager if e.status != Status.GATEWAY else None,
                employer_agreed_at=w.now if e.status != Status.GATEWAY else None,
                epao_agreed_by=directors[e.programme_id] if e.status != Status.GATEWAY else None,
                epao_agreed_at=w.now if e.status != Status.GATEWAY else None,
            )
            for e in later
        ],
    )
    create_rows(
        w,
        GatewaySignOff,
        [
            GatewaySignOff(
                enrolment=e,
                role=role,
                signed_by=person,
                typed_name=person.full_name,
                statement="Confirmed.",
                signed_at=w.now,
            )
            for e in assessed
            for role, person in (("employer", e.line_manager), ("provider", directors[e.programme_id]))
        ],
    )
    create_rows(
        w, LearnerOutcome, [LearnerOutcome(enrolment=e, completion_status=1, outcome=8) for e in assessed]
    )


def assessment(
    w: World, epas: dict[int, EndPointAssessment], assessed: list[Enrolment]
) -> list[SBPSubmission]:
    """A submitted SBP (one stored PDF) and both methods graded and released, for every enrolment assessed."""
    body = sample_pdf("Strategic business proposal", ["4,100 words"])
    name = default_storage.save("sbp/benchmark-proposal.pdf", ContentFile(body))
    submissions = create_rows(
        w,
        SBPSubmission,
        [
            SBPSubmission(
                epa=epas[e.pk],
                file=name,
                file_name="proposal.pdf",
                content_type="application/pdf",
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                word_count=4100,
                senior_signoff="Chief executive.",
                submitted_by=e.apprentice,
            )
            for e in assessed
        ],
    )
    create_rows(
        w,
        EPAMethodResult,
        [
            EPAMethodResult(
                epa=epas[e.pk],
                method=method,
                grade=grade,
                comments="Weighed against the grading criteria.",
                assessed_on=w.now.date(),
                recorded_by=epas[e.pk].assessor,
                released_at=w.now,
            )
            for e in assessed
            for method, grade in (("sbp_presentation", "distinction"), ("professional_discussion", "pass"))
        ],
    )
    return submissions


def completion_records(w: World, directors: Directors, completed: list[Enrolment]) -> list[CompletionRecord]:
    """Issued completion records, all naming one stored certificate PDF (rendered from the first)."""
    from assessments.epa.pdf import CompletionCertificatePDF

    standard = w.standard
    records = create_rows(
        w,
        CompletionRecord,
        [
            CompletionRecord(
                enrolment=e,
                certificate_number=f"{standard.code}-{w.now:%Y}-{e.pk:06d}",
                status=CompletionRecord.Status.ISSUED,
                apprentice_name=e.apprentice.full_name,
                provider_name=w.provider.name,
                employer_name="Employer",
                standard_title=standard.title,
                standard_code=standard.code,
                standard_version=standard.version,
                standard_level=standard.level,
                overall_grade="pass",
                start_date=e.start_date,
                achievement_date=w.now.date(),
                awards=["Apprenticeship"],
                issued_on=w.now.date(),
                issued_by=directors[e.programme_id],
            )
            for e in completed
        ],
    )
    if records:
        _, _, content = CompletionCertificatePDF(records[0]).render()
        pdf = default_storage.save("certificates/benchmark.pdf", ContentFile(content))
        CompletionRecord.objects.filter(pk__in=[r.pk for r in records]).update(
            pdf=pdf, pdf_sha256=hashlib.sha256(content).hexdigest(), generated_at=w.now
        )
        records[0].refresh_from_db()
    return records


def epa_records(w: World) -> None:
    """Gateway, EPA and completion rows (see the module's docstring), and the samples targets open."""
    directors = directors_by_programme(w)
    later = [e for e in w.enrolments if e.status in (Status.GATEWAY, Status.EPA, Status.COMPLETED)]
    assessed = [e for e in later if e.status != Status.GATEWAY]
    gateway(w, directors, later, assessed)
    epas = {r.enrolment_id: r for r in EndPointAssessment.objects.filter(enrolment__in=assessed)}
    submissions = assessment(w, epas, assessed)
    # A small world may have nobody completed: the sample record then sits on an enrolment in EPA.
    completed = [e for e in assessed if e.status == Status.COMPLETED] or assessed[:1]
    records = completion_records(w, directors, completed)
    w.sample_completion = records[0] if records else None
    mine = [e for e in assessed if e.status == Status.EPA and epas[e.pk].assessor_id == w.assessor.pk]
    w.sample_epa_enrolment = mine[0] if mine else None
    w.sample_sbp_submission = next((s for s in submissions if mine and s.epa_id == epas[mine[0].pk].pk), None)
    w.sample_completion_batch = CompletionBatch.objects.create(
        cohort=w.sample_cohort,
        started_by=w.director,
        status="finished",
        total=len(records),
        done=len(records),
    )
