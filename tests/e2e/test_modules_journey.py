"""Module assessment in the browser: the apprentice submits an assignment file, the module lead marks it and
releases the module's marks, and the apprentice then sees the feedback, mark and result."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assignment, Mark
from demo.files import sample_pdf
from programmes.models import Enrolment
from tests.e2e.support import sign_in

TIMEOUT_MS = 10_000
FEEDBACK = "A persuasive analysis of evidence use in your trust; strengthen the counter-arguments."


@pytest.fixture
def as_user(browser, live_server):
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


def test_an_assignment_is_submitted_marked_released_and_its_result_seen(demo, as_user, tmp_path):
    enrolment = Enrolment.objects.get(apprentice__email="apprentice9@demo.test")
    assignment = Assignment.objects.get(
        module_run__cohort=enrolment.cohort, module_run__module__order=4, number=1
    )
    essay = tmp_path / "evidence-and-policy-essay.pdf"
    essay.write_bytes(sample_pdf(assignment.title, ["Isla Campbell"]))

    # The apprentice opens their modules from home, submits the file, and is told when feedback is due.
    apprentice = as_user("apprentice9@demo.test")
    apprentice.get_by_role("link", name="Modules and timetable").click()
    expect(apprentice.get_by_role("heading", name="Modules and timetable")).to_be_visible()
    apprentice.get_by_role("link", name="Submit assignment 1 of Evidence and Policy").click()
    apprentice.get_by_label("Your assignment file").set_input_files(str(essay))
    apprentice.get_by_role("button", name="Submit the assignment").click()
    expect(apprentice.get_by_text(re.compile(r"Submitted\..*Feedback is due by"))).to_be_visible()
    expect(apprentice.get_by_text("Feedback, the mark and the result appear here")).to_be_visible()

    # The module lead finds it in the marking queue, marks it, then releases the module's marks.
    lead = as_user("lead@demo.test")
    lead.get_by_role("link", name=re.compile(r"submissions? to mark")).click()
    expect(lead.get_by_role("heading", name="Marking queue")).to_be_visible()
    lead.get_by_role("link", name="Mark Isla Campbell's assignment 1").click()
    lead.get_by_label("Mark (0–100)").fill("68")
    lead.get_by_label("Written feedback").fill(FEEDBACK)
    lead.get_by_role("button", name="Record the mark").click()
    expect(lead.get_by_text("Mark recorded.")).to_be_visible()
    assert (
        Mark.objects.get(submission__enrolment=enrolment, submission__assignment=assignment).released_at
        is None
    )

    lead.goto(f"/module-runs/{assignment.module_run_id}/")
    lead.get_by_role("link", name="Release marks").click()
    expect(lead.get_by_role("heading", name=re.compile("Release the marks"))).to_be_visible()
    lead.get_by_role("button", name=re.compile(r"Release 1 mark$")).click()
    expect(lead.get_by_text("1 mark released; apprentices are told.")).to_be_visible()

    # The apprentice now sees the mark, the feedback and the result.
    apprentice.reload()
    expect(apprentice.get_by_text(FEEDBACK)).to_be_visible()
    expect(apprentice.get_by_role("definition").filter(has_text=re.compile(r"^68$"))).to_be_visible()
    expect(apprentice.get_by_role("definition").filter(has_text="Passed")).to_be_visible()
