"""Portfolio evidence in the browser: the apprentice submits evidence with a file, the practice tutor asks for more
work, the apprentice revises and resubmits, the tutor accepts, and the KSB turns green on the coverage page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.files import sample_pdf
from portfolios import selectors
from portfolios.models import Evidence, Feedback
from programmes.models import Enrolment
from tests.e2e.support import sign_in

TIMEOUT_MS = 10_000
TITLE = "Business case: virtual ward for frail older people"
REFLECTION = (
    "I wrote the business case for a 20-bed virtual ward with the community services lead and presented it to "
    "the divisional board, which approved it for a six-month pilot."
)
REVISION = (
    "Revised after feedback: I built the five-year financial model myself, tested it with the finance business "
    "partner and changed the staffing assumptions after her challenge."
)
NEEDS_WORK = "Show the financial model you built and how you tested the assumptions with finance."


@pytest.fixture
def as_user(browser, live_server):
    """A fresh browser context per person, signed in through the login form."""
    contexts = []

    def open_as(email: str):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def coverage_cell(page, code: str):
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=code, exact=True))
    return row.locator("td[data-label=Coverage] .cov")


def record_feedback(page, decision: str, comment: str = "", *, agree: bool = True) -> None:
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Disagree" if not agree else "Agree", exact=True).check()
    if comment:
        page.get_by_label("Comment (optional)", exact=True).fill(comment)
    page.get_by_role("button", name="Record feedback").click()
    expect(page.get_by_text("Feedback recorded; the apprentice can see it now.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/portfolio/review/$"))


def test_evidence_is_sent_back_revised_and_accepted_and_the_ksb_turns_green(demo, as_user, tmp_path):
    enrolment = Enrolment.objects.select_related("practice_tutor").get(
        apprentice__email="apprentice7@demo.test"
    )
    assert enrolment.practice_tutor.email == "tutor2@demo.test"
    gap = next(row.ksb for row in selectors.ksb_coverage(enrolment) if row.status == "none")
    pdf = tmp_path / "virtual-ward-business-case.pdf"
    pdf.write_bytes(sample_pdf(TITLE, ["Grace Thompson, Clinical Services Manager"]))

    # The apprentice adds the evidence from their portfolio, with a file, and submits it at once.
    apprentice = as_user("apprentice7@demo.test")
    apprentice.get_by_role("link", name="Your portfolio").click()
    expect(apprentice.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    apprentice.get_by_role("link", name="Add evidence").click()
    apprentice.get_by_label("Title").fill(TITLE)
    apprentice.get_by_label("Type of evidence").select_option(label="Work product")
    apprentice.get_by_label("Date of the activity").fill((timezone.localdate().replace(day=1)).isoformat())
    apprentice.get_by_label("Reflective account").fill(REFLECTION)
    apprentice.get_by_role("checkbox", name=f"{gap.code}: {gap.statement}", exact=True).check()
    apprentice.get_by_label("Files").set_input_files(str(pdf))
    apprentice.get_by_role("button", name="Save and submit for review").click()
    expect(apprentice.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(apprentice.get_by_text("Awaiting review", exact=True)).to_be_visible()
    expect(apprentice.get_by_role("link", name="virtual-ward-business-case.pdf")).to_be_visible()

    evidence = Evidence.objects.get(enrolment=enrolment, versions__title=TITLE)
    assert evidence.status == Evidence.Status.SUBMITTED
    assert [ksb.code for ksb in evidence.current.ksbs.all()] == [gap.code]
    (stored,) = evidence.current.files.all()
    assert (stored.name, stored.content_type, stored.size) == (
        pdf.name,
        "application/pdf",
        pdf.stat().st_size,
    )

    # The tutor finds it in their review queue and asks for more work.
    tutor = as_user("tutor2@demo.test")
    tutor.goto("/portfolio/review/")
    expect(tutor.get_by_role("heading", name="Evidence to review")).to_be_visible()
    tutor.get_by_role("link", name=TITLE).click()
    expect(tutor.get_by_role("heading", name="Your review")).to_be_visible()
    record_feedback(tutor, "Ask for more work", NEEDS_WORK, agree=False)
    expect(tutor.get_by_role("link", name=TITLE)).to_have_count(0)
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.NEEDS_WORK

    # The apprentice reads the feedback and revises the evidence: a new version, resubmitted.
    apprentice.reload()
    expect(apprentice.get_by_text("More work needed", exact=True).first).to_be_visible()
    expect(apprentice.get_by_text(NEEDS_WORK)).to_be_visible()
    expect(apprentice.get_by_text(f"{gap.code}: not shown")).to_be_visible()
    apprentice.get_by_role("link", name="Revise in response to the feedback").click()
    expect(apprentice.get_by_text("Saving creates version 2")).to_be_visible()
    apprentice.get_by_label("Reflective account").fill(f"{REFLECTION}\n\n{REVISION}")
    apprentice.get_by_role("button", name="Save and submit for review").click()
    expect(apprentice.get_by_text("Submitted for review.")).to_be_visible()
    expect(apprentice.get_by_text("version 2", exact=False).first).to_be_visible()
    expect(apprentice.get_by_text("Awaiting review", exact=True)).to_be_visible()

    # The tutor accepts version 2.
    tutor.goto("/portfolio/review/")
    tutor.get_by_role("link", name=TITLE).click()
    expect(tutor.get_by_text(REVISION)).to_be_visible()
    record_feedback(tutor, "Accept")

    # The KSB is covered by accepted evidence now.
    apprentice.goto(f"/enrolments/{enrolment.pk}/ksb-coverage/")
    cell = coverage_cell(apprentice, gap.code)
    expect(cell).to_have_text("Accepted")
    expect(cell).to_have_class(re.compile(r"\bcov-accepted\b"))
    expect(cell).to_have_css("background-color", "rgb(220, 239, 226)")  # #dcefe2, the green
    expect(
        coverage_cell(apprentice, gap.code).locator("xpath=../..").get_by_role("link", name=TITLE)
    ).to_be_visible()

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.ACCEPTED and evidence.accepted_at is not None
    versions = list(evidence.versions.order_by("number"))
    assert [(v.number, v.submitted_at is not None) for v in versions] == [(1, True), (2, True)]
    assert evidence.current == versions[1] and REVISION in versions[1].reflection
    assert [f.sha256 for f in versions[1].files.all()] == [stored.sha256]  # the file carries over
    decisions = [
        (f.version.number, f.decision, [(j.ksb.code, j.agreed) for j in f.judgements.all()])
        for f in Feedback.objects.filter(version__evidence=evidence).order_by("created_at")
    ]
    assert decisions == [
        (1, Feedback.Decision.NEEDS_WORK, [(gap.code, False)]),
        (2, Feedback.Decision.ACCEPTED, [(gap.code, True)]),
    ]
    assert next(row for row in selectors.ksb_coverage(enrolment) if row.ksb == gap).status == "accepted"
