"""From gateway to a verified certificate in the browser: the checklist is completed and signed off by the employer
and the provider, the director assigns the assessor, the apprentice submits the SBP, the assessor grades both
methods and releases them, the director issues the completion record, and anyone can verify it and its PDF."""

import re

import pytest
from playwright.sync_api import expect

from assessments.epa.models import CompletionRecord
from demo.files import sample_pdf
from portfolios import services as portfolio
from portfolios.models import Evidence
from programmes.models import KSB, Enrolment
from tests.e2e.support import DEMO_PASSWORD, sign_in

TIMEOUT_MS = 10_000


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def open_as(email: str | None):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if email:
            sign_in(page, email)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def cover_the_missing_ksb(enrolment: Enrolment) -> None:
    """The tutor accepts a piece of evidence for S8, the one KSB the demo leaves uncovered for Chloe Patel."""
    s8 = KSB.objects.get(standard=enrolment.programme.standard, code="S8")
    from django.utils import timezone

    evidence = portfolio.evidence_create(
        enrolment=enrolment,
        by=enrolment.apprentice,
        fields=portfolio.EvidenceFields(
            title="Leading the early-help redesign workshop",
            kind=Evidence.Kind.WORK_PRODUCT,
            occurred_on=timezone.localdate().replace(day=1),
            reflection="I facilitated the workshop and negotiated the trade-offs with partner agencies.",
            ksb_ids=[s8.pk],
        ),
        files=[],
        submit=True,
    )
    portfolio.evidence_feedback(
        evidence=evidence, by=enrolment.practice_tutor, decision="accepted", comment="Good.", judgements=[]
    )


def sign_off(page, gateway_url: str, full_name: str) -> None:
    page.goto(gateway_url)
    page.get_by_role("link", name="Sign off gateway").click()
    page.get_by_label("Type your full name").fill(full_name)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign off gateway").click()


def grade(page, url: str, method: str, grade_label: str) -> None:
    page.goto(url)
    page.get_by_label("Assessment method").select_option(label=method)
    page.get_by_label(grade_label, exact=True).check()
    page.get_by_label("Comments").fill("Evidence weighed carefully against each grading criterion.")
    page.get_by_role("button", name="Record the grade").click()


def test_from_gateway_to_a_verified_certificate(demo, as_user, tmp_path):
    enrolment = Enrolment.objects.select_related("apprentice", "line_manager", "programme").get(
        apprentice__email="apprentice3@demo.test"
    )
    gateway_url = f"/enrolments/{enrolment.pk}/gateway/"
    epa_url = f"/enrolments/{enrolment.pk}/epa/"

    # The director sees the checklist partly met, with the reasons.
    director = as_user("director@demo.test")
    director.goto(f"/cohorts/{enrolment.cohort_id}/gateway/")
    expect(director.get_by_role("heading", level=1)).to_have_text("Gateway readiness")
    director.goto(gateway_url)
    expect(director.get_by_text("Not ready yet")).to_be_visible()
    expect(director.get_by_text("not yet covered by accepted evidence: S8")).to_be_visible()
    expect(director.get_by_text("awaits agreement by the assessment organisation")).to_be_visible()

    # The missing KSB is covered; the director records the assessment organisation's agreement to the SBP.
    cover_the_missing_ksb(enrolment)
    director.get_by_role("button", name="Agree for the assessment organisation").click()
    expect(
        director.get_by_text("SBP title and scope agreed for the assessment organisation.")
    ).to_be_visible()
    expect(director.get_by_text("Ready for gateway")).to_be_visible()

    # The provider may not sign before the employer.
    director.get_by_role("link", name="Sign off gateway").click()
    director.get_by_label("Type your full name").fill("Dr Priya Sharma")
    director.get_by_label("Your password").fill(DEMO_PASSWORD)
    director.get_by_role("button", name="Sign off gateway").click()
    expect(director.get_by_text("the line manager signs off gateway first").first).to_be_visible()

    manager = as_user("manager1@demo.test")
    sign_off(manager, gateway_url, enrolment.line_manager.full_name)
    expect(manager.get_by_text("You signed off gateway for the employer.")).to_be_visible()

    sign_off(director, gateway_url, "Dr Priya Sharma")
    expect(director.get_by_text("the EPA period has started")).to_be_visible()
    expect(director).to_have_url(re.compile(re.escape(epa_url) + "$"))

    # The director assigns the independent assessor.
    director.get_by_role("link", name="Assign the assessor").click()
    director.get_by_label("Independent assessor").select_option(
        label="Sandra Whitfield (Independent Assessment Partners)"
    )
    director.get_by_role("button", name="Assign").click()
    expect(director.get_by_text("Sandra Whitfield is the independent assessor.")).to_be_visible()

    # The apprentice sees the countdown and submits the proposal.
    apprentice = as_user("apprentice3@demo.test")
    apprentice.goto(epa_url)
    expect(apprentice.locator("#sbp-countdown")).to_have_text("84 days to go")
    apprentice.get_by_role("link", name="Submit the proposal").click()
    proposal = tmp_path / "proposal.pdf"
    proposal.write_bytes(sample_pdf("Strategic business proposal", ["Early help: an ethical business case"]))
    apprentice.get_by_label("The proposal (PDF)").set_input_files(str(proposal))
    apprentice.get_by_label("Word count").fill("4050")
    apprentice.get_by_label("Evidence of senior sign-off").fill(
        "Signed off by the Director of Children's Services."
    )
    apprentice.get_by_role("button", name="Submit the proposal").click()
    expect(apprentice.get_by_text("Your strategic business proposal is submitted.")).to_be_visible()

    # The assessor grades both methods; the apprentice sees nothing until the results are released.
    assessor = as_user("assessor@demo.test")
    grade(
        assessor,
        f"{epa_url}grade/",
        "Strategic business proposal, presentation and questioning",
        "Distinction",
    )
    expect(assessor.get_by_text("Distinction recorded")).to_be_visible()
    grade(assessor, f"{epa_url}grade/", "Professional discussion underpinned by the portfolio", "Distinction")
    apprentice.goto(epa_url)
    expect(apprentice.get_by_text("No results have been released yet.")).to_be_visible()
    assessor.goto(epa_url)
    assessor.get_by_role("link", name="Release 2 grades").click()
    assessor.get_by_role("button", name="Release 2 grades").click()
    expect(assessor.get_by_text("released to the apprentice, line manager and director")).to_be_visible()
    apprentice.goto(epa_url)
    expect(apprentice.locator("#overall")).to_contain_text("Overall grade: Distinction")

    # The director issues the completion record.
    director.goto(epa_url)
    director.get_by_role("link", name="Issue the completion record").click()
    director.get_by_role("button", name="Issue the completion record").click()
    expect(director.get_by_role("heading", level=1)).to_contain_text("Completion record")
    record = CompletionRecord.objects.get(enrolment=enrolment)
    assert record.has_pdf and record.overall_grade == "distinction"
    with director.expect_download() as download:
        director.get_by_role("link", name="Download the certificate (PDF)").click()
    certificate = tmp_path / "certificate.pdf"
    download.value.save_as(certificate)
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED

    # Anyone can verify it, and check that the downloaded PDF is the one issued; an altered copy is caught.
    public = as_user(None)
    public.goto(f"/verify/{record.verification_code}/")
    expect(public.locator("#verdict")).to_contain_text("Genuine and current")
    expect(public.get_by_text("Chloe Patel")).to_be_visible()
    public.get_by_label("The certificate PDF").set_input_files(str(certificate))
    public.get_by_role("button", name="Check the PDF").click()
    expect(public.locator("#match")).to_contain_text("byte for byte the certificate that was issued")
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(certificate.read_bytes() + b"\n% altered")
    public.get_by_label("The certificate PDF").set_input_files(str(altered))
    public.get_by_role("button", name="Check the PDF").click()
    expect(public.locator("#match")).to_contain_text("is not the certificate that was issued")

    # The director revokes it; verification then says so.
    director.get_by_role("link", name="Revoke this record").click()
    director.get_by_label("Reason for revoking").fill("Issued against the wrong standard version.")
    director.get_by_role("button", name="Revoke the record").click()
    expect(director.get_by_text("is revoked")).to_be_visible()
    public.goto(f"/verify/{record.verification_code}/")
    expect(public.locator("#verdict")).to_contain_text("Revoked.")
