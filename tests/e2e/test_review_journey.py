"""A termly progress review in the browser: the tutor records and signs it, the apprentice and line manager sign,
and the caseload shows the review done."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import Enrolment
from tests.e2e.support import DEMO_PASSWORD, sign_in
from tutors.models import ProgressReview


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def open_as(email: str):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign(page, full_name: str, button: str) -> None:
    page.get_by_label("Type your full name").fill(full_name)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button).click()


def test_tutor_records_apprentice_and_manager_sign_and_the_caseload_updates(demo, as_user):
    enrolment = Enrolment.objects.get(apprentice__email="apprentice10@demo.test")
    draft = ProgressReview.objects.get(enrolment=enrolment, status="draft")  # scheduled in the demo
    today = timezone.localdate()

    tutor = as_user("tutor2@demo.test")
    tutor.get_by_role("link", name="Your caseload and reviews").click()
    expect(tutor.get_by_role("heading", level=1)).to_have_text("Your caseload")
    row = tutor.locator("#caseload tbody tr", has_text="Jacob Mensah")
    expect(row).to_contain_text("Scheduled")
    row.get_by_role("link", name="Record a review for Jacob Mensah").click()

    expect(tutor.get_by_role("heading", level=1)).to_contain_text(f"Review {draft.number}")
    tutor.get_by_label("Date the review was held").fill(today.isoformat())
    tutor.get_by_label("Training since the last review").fill("Evidence and Policy module, both campus days.")
    tutor.get_by_label("Off-the-job re-plan").fill("Friday afternoons protected for study until March.")
    tutor.get_by_label("Progress against the training plan and KSBs").fill("On track; K3 now well evidenced.")
    tutor.get_by_label("Safeguarding concern").fill("Nothing to record.")
    tutor.get_by_label("Next review date").fill((today + timedelta(weeks=10)).isoformat())
    tutor.get_by_label("Action 1: what will be done").fill(
        "Submit the policy briefing as portfolio evidence."
    )
    tutor.get_by_label("Action 1: owner").select_option("apprentice")
    tutor.get_by_label("Action 1: due by").fill((today + timedelta(days=30)).isoformat())
    tutor.get_by_role("button", name="Save draft").click()
    expect(tutor.get_by_text("Draft saved.")).to_be_visible()
    tutor.get_by_role("button", name="Submit for signatures").click()
    expect(tutor.get_by_text(f"Review {draft.number} is submitted.")).to_be_visible()
    sign(tutor, "Rachel Evans", f"Sign review {draft.number}")
    expect(tutor.get_by_text("You signed as the provider (practice tutor).")).to_be_visible()

    apprentice = as_user("apprentice10@demo.test")
    apprentice.get_by_role("link", name=f"Sign progress review {draft.number} for Jacob Mensah").click()
    expect(apprentice.get_by_text("Safeguarding")).to_have_count(0)  # the tutor's note is not shown to them
    sign(apprentice, "Jacob Mensah", f"Sign review {draft.number}")
    expect(apprentice.get_by_text("You signed as the apprentice.")).to_be_visible()
    expect(apprentice.get_by_text("Submit the policy briefing as portfolio evidence.").first).to_be_visible()

    manager = as_user("manager2@demo.test")
    manager.get_by_role("link", name=f"Sign progress review {draft.number} for Jacob Mensah").click()
    sign(manager, "David Osei", f"Sign review {draft.number}")
    expect(manager.get_by_text("All three have now signed: the record is complete.")).to_be_visible()
    expect(manager.get_by_text("Signed", exact=True).first).to_be_visible()

    tutor.goto("/caseload/?q=Jacob")
    row = tutor.locator("#caseload tbody tr", has_text="Jacob Mensah")
    expect(row).to_contain_text(today.strftime("%-d %b %Y"))  # the last review is today's
    expect(row).to_contain_text("On track")
    expect(row).not_to_contain_text(f"Review {draft.number}")  # nothing left unsigned
    draft.refresh_from_db()
    assert draft.status == "signed"
    assert set(draft.signatures.values_list("role", flat=True)) == {"provider", "apprentice", "employer"}
