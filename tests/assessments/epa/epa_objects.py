"""Rows for the access matrix and the fuzzer: an SBP submission, a completion record with its PDF, a batch.

Stored directly (the services are tested in tests/assessments/test_*): the matrix builds them for every route.
"""

from django.utils import timezone

from assessments.epa import completion
from assessments.epa.models import CompletionBatch, CompletionRecord, SBPSubmission
from tests.assessments.helpers import PDF


def epa_rows(world, cast):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    submission = SBPSubmission.objects.create(
        epa=world.epa,
        file=default_storage.save("sbp/proposal.pdf", ContentFile(PDF)),
        file_name="proposal.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        word_count=4000,
        senior_signoff="Chief executive, 1 March 2026.",
        submitted_by=cast.apprentice,
    )
    standard, today = world.programme.standard, timezone.localdate()
    record = CompletionRecord.objects.create(
        enrolment=world.enrolment,
        certificate_number=f"{standard.code}-{today:%Y}-{world.enrolment.pk:06d}",
        apprentice_name=cast.apprentice.full_name,
        provider_name=world.provider.name,
        employer_name=world.employer.name,
        standard_title=standard.title,
        standard_code=standard.code,
        standard_version=standard.version,
        standard_level=standard.level,
        overall_grade="pass",
        start_date=world.enrolment.start_date,
        achievement_date=today,
        awards=["Apprenticeship"],
        issued_on=today,
        issued_by=cast.director,
    )
    completion.completion_generate_pdf(record_id=record.pk)
    record.refresh_from_db()
    batch = CompletionBatch.objects.create(cohort=world.cohort, started_by=cast.director, total=0)
    return submission, record, batch
