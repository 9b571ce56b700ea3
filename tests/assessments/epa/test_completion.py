"""Completion records: issuing (idempotent), the certificate PDF and its QR code, bulk issue, revocation and
public verification (genuine, revoked, altered PDF, unknown code), page and API."""

import hashlib
import io
from datetime import UTC, date, datetime

import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from assessments.epa import completion
from assessments.epa.models import CompletionBatch, CompletionRecord, GatewaySignOff, LearnerOutcome
from assessments.epa.pdf import CompletionCertificatePDF, qr_drawing, verify_url
from core.errors import ActionNotAllowed, ConflictError, DomainError
from programmes.models import Enrolment
from tests.assessments.epa.epa_helpers import NOW, issued, passed_and_released

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def record(world, cast, django_capture_on_commit_callbacks):
    passed_and_released(world, cast)
    return issued(world, cast, django_capture_on_commit_callbacks)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_issuing_completes_the_enrolment_and_records_the_learner_outcome(world, cast, record):
    world.enrolment.refresh_from_db()

    assert world.enrolment.status == Enrolment.Status.COMPLETED
    outcome = LearnerOutcome.objects.get(enrolment=world.enrolment)
    assert (outcome.completion_status, outcome.outcome, outcome.achievement_date) == (2, 1, date(2026, 3, 10))
    assert record.status == CompletionRecord.Status.ISSUED
    assert record.overall_grade == "pass"  # distinction and pass
    assert record.certificate_number == f"{world.programme.standard.code}-2026-{world.enrolment.pk:06d}"


def test_issuing_twice_never_creates_two_records(world, cast, record, django_capture_on_commit_callbacks):
    again = issued(world, cast, django_capture_on_commit_callbacks)

    assert again.pk == record.pk
    assert CompletionRecord.objects.count() == 1
    assert again.pdf_sha256 == record.pdf_sha256


def test_generating_twice_keeps_the_first_pdf(record):
    first = (record.pdf.name, record.pdf_sha256)

    completion.completion_generate_pdf(record_id=record.pk)
    record.refresh_from_db()

    assert (record.pdf.name, record.pdf_sha256) == first


def test_the_stored_sha256_is_the_pdfs(record):
    content = record.pdf.read()
    assert hashlib.sha256(content).hexdigest() == record.pdf_sha256


def test_the_certificate_shows_names_grade_number_and_the_verification_link(world, cast, record):
    text = pdf_text(record.pdf.read())

    for expected in (
        cast.apprentice.full_name,
        world.provider.name,
        world.employer.name,
        "Overall grade: Pass",
        record.certificate_number,
        world.programme.standard.code,
        "10 March 2026",
        "15 September 2025",
        f"/verify/{record.verification_code[:20]}",
    ):
        assert expected in text.replace("\n", ""), expected


def test_the_qr_code_encodes_the_public_verification_url(record):
    pdf = CompletionCertificatePDF(record)

    assert pdf.qr_value == verify_url(record)
    assert pdf.qr_value.endswith(f"/verify/{record.verification_code}/")
    story = pdf.story()
    drawings = [flow for flow in story if hasattr(flow, "_cellvalues")]
    widget = drawings[-1]._cellvalues[0][0].contents[0]
    assert widget.value == verify_url(record)
    assert qr_drawing("x").contents[0].value == "x"


def test_the_pg_diploma_is_awarded_only_when_every_module_is_passed(world):
    from tests.assessments.epa.epa_helpers import pass_modules

    programme = world.programme
    programme.professional_award, programme.academic_award = (
        "Chartered Manager (CMI) eligibility",
        "PG Diploma",
    )
    programme.save()
    apprenticeship = f"Apprenticeship: {programme.standard.title} (Level {programme.standard.level})"

    assert completion.awards_for(world.enrolment) == [apprenticeship, "Chartered Manager (CMI) eligibility"]
    pass_modules(world)
    assert completion.awards_for(world.enrolment) == [
        apprenticeship,
        "Chartered Manager (CMI) eligibility",
        "PG Diploma",
    ]


def test_codes_are_unguessable(record):
    assert len(record.verification_code) >= 32  # 24 random bytes, URL-safe: 192 bits
    assert CompletionRecord().verification_code != record.verification_code


def test_a_failed_epa_is_not_issued(world, cast):
    passed_and_released(world, cast, sbp="fail")
    with pytest.raises(ConflictError, match="not passed"):
        completion.completion_issue(enrolment=world.enrolment, by=cast.director)


def test_unreleased_grades_block_issuing(world, cast):
    from tests.assessments.epa.epa_helpers import grade, into_epa, submit_sbp

    into_epa(world, cast)
    submit_sbp(world, cast)
    grade(world, cast, "sbp_presentation", "pass")
    grade(world, cast, "professional_discussion", "pass")
    with pytest.raises(ConflictError, match="not been released"):
        completion.completion_issue(enrolment=world.enrolment, by=cast.director)


@pytest.mark.parametrize("member", ["tutor", "assessor", "line_manager", "other_director"])
def test_only_a_director_issues(world, cast, member):
    passed_and_released(world, cast)
    with pytest.raises(ActionNotAllowed):
        completion.completion_issue(enrolment=world.enrolment, by=getattr(cast, member))


def test_a_director_revokes_with_a_reason(cast, record):
    with pytest.raises(DomainError, match="reason"):
        completion.completion_revoke(record=record, by=cast.director, reason="  ")
    with pytest.raises(ActionNotAllowed):
        completion.completion_revoke(record=record, by=cast.tutor, reason="Wrong")

    revoked = completion.completion_revoke(record=record, by=cast.director, reason="Issued in error.")

    assert revoked.status == "revoked" and not revoked.is_valid
    with pytest.raises(ConflictError):
        completion.completion_revoke(record=record, by=cast.director, reason="Again")


def test_bulk_issue_for_a_cohort_records_progress(world, cast, django_capture_on_commit_callbacks):
    passed_and_released(world, cast)
    with django_capture_on_commit_callbacks(execute=True):
        batch = completion.completion_bulk_start(cohort=world.cohort, by=cast.director)
    batch.refresh_from_db()

    assert (batch.status, batch.done, batch.total, batch.failed) == ("finished", 1, 1, [])
    assert CompletionRecord.objects.get().has_pdf
    assert completion.completion_bulk_run(batch_id=batch.pk).done == 1  # running again changes nothing
    with pytest.raises(ConflictError, match="No apprentice"):
        completion.completion_bulk_start(cohort=world.cohort, by=cast.director)


def test_bulk_issue_reports_an_apprentice_it_could_not_issue(world, cast):
    passed_and_released(world, cast)
    batch = CompletionBatch.objects.create(
        cohort=world.cohort, started_by=cast.director, enrolment_ids=[world.enrolment.pk], total=1
    )
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    batch = completion.completion_bulk_run(batch_id=batch.pk)

    assert batch.done == 1 and batch.failed[0]["name"] == cast.apprentice.full_name
    assert not CompletionRecord.objects.exists()


# --- public verification -----------------------------------------------------------------------------------------


def test_verification_of_a_genuine_record(client, api, cast, record):
    page = client.get(f"/verify/{record.verification_code}/")
    data = api.get(f"/api/v1/verify/{record.verification_code}/").json()

    assert page.status_code == 200
    assert "Genuine and current" in page.content.decode()
    assert data == {
        "valid": True,
        "apprentice_name": cast.apprentice.full_name,
        "award": record.award,
        "standard": record.standard,
        "grade": "pass",
        "achieved_on": "2026-03-10",
        "issued_on": "2026-03-10",
        "status": "issued",
        "certificate_number": record.certificate_number,
        "awards": record.awards,
        "employer": record.employer_name,
        "provider": record.provider_name,
        "start_date": "2025-09-15",
        "revoked_on": None,
    }


def test_verification_of_a_revoked_record(client, api, cast, record):
    completion.completion_revoke(record=record, by=cast.director, reason="Issued in error.")

    page = client.get(f"/verify/{record.verification_code}/").content.decode()
    data = api.get(f"/api/v1/verify/{record.verification_code}/").json()

    assert "Revoked." in page and "Genuine and current" not in page
    assert "Issued in error." not in page  # the reason stays with the programme
    assert (data["valid"], data["status"], data["revoked_on"]) == (False, "revoked", "2026-03-10")


def test_an_uploaded_pdf_is_checked_byte_for_byte(client, record):
    original = record.pdf.read()
    url = f"/verify/{record.verification_code}/"

    same = client.post(url, {"file": SimpleUploadedFile("c.pdf", original, content_type="application/pdf")})
    altered_bytes = original.replace(b"Pass", b"Dist", 1) if b"Pass" in original else original + b"\n"
    altered = client.post(
        url, {"file": SimpleUploadedFile("c.pdf", altered_bytes, content_type="application/pdf")}
    )

    assert "byte for byte the certificate that was issued" in same.content.decode()
    assert "is not the certificate that was issued" in altered.content.decode()


def test_an_unknown_code_is_404(client, api):
    assert client.get("/verify/not-a-real-code/").status_code == 404
    assert api.get("/api/v1/verify/not-a-real-code/").status_code == 404


@override_settings(VERIFY_RATE_LIMIT_PER_MINUTE=3)
def test_verification_is_rate_limited(client, api, record):
    url = f"/api/v1/verify/{record.verification_code}/"
    statuses = [api.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert client.get(f"/verify/{record.verification_code}/").status_code == 429
    with time_machine.travel(datetime(2026, 3, 10, 10, 2, tzinfo=UTC), tick=False):
        assert api.get(url).status_code == 200  # a new minute


def test_the_certificate_prints_the_gateway_sign_offs_on_a_second_page_without_addresses(world, cast, record):
    GatewaySignOff.objects.filter(enrolment=world.enrolment).update(ip_address="203.0.113.9")
    _, _, content = CompletionCertificatePDF(record).render()
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]

    assert len(pages) == 2 and "Gateway sign-off" not in pages[0]
    log = " ".join(pages[1].split())
    assert "Gateway sign-off" in log
    assert "Employer (line manager)" in log and f"typed: {cast.line_manager.full_name}" in log
    assert "Provider (programme director)" in log and f"typed: {cast.director.full_name}" in log
    assert "203.0.113.9" not in log and "From" not in log
