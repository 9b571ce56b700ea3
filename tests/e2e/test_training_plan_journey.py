"""The tripartite commitment in the browser: the director sends the plan, all three parties sign, training starts."""

import pytest
from playwright.sync_api import expect

from programmes.models import Enrolment
from programmes.training_plans.models import PlanSignature, TrainingPlan
from tests.e2e.support import DEMO_PASSWORD, sign_in


@pytest.fixture
def as_user(browser, live_server):
    """A fresh browser context per person, signed in through the login form."""
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


def sign_plan(page, full_name: str, *, password: str = DEMO_PASSWORD) -> None:
    page.get_by_label("Type your full name").fill(full_name)
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Sign version 1").click()


def test_director_sends_and_all_three_parties_sign(demo, as_user):
    enrolment = Enrolment.objects.select_related("apprentice", "line_manager").get(
        apprentice__email="apprentice12@demo.test"
    )
    assert enrolment.status == Enrolment.Status.PENDING
    plan_url = f"/enrolments/{enrolment.pk}/training-plan/"

    director = as_user("director@demo.test")
    director.goto(plan_url)
    expect(director.get_by_text("Draft version 1")).to_be_visible()
    director.get_by_role("link", name="Send for signature").click()
    director.get_by_role("button", name="Send for signature").click()
    expect(director.get_by_text("Version 1 is sent.")).to_be_visible()
    expect(director.get_by_text("Awaiting signatures").first).to_be_visible()

    apprentice = as_user("apprentice12@demo.test")
    apprentice.get_by_role("link", name="Sign the training plan for Liam Davies").click()
    expect(apprentice.get_by_role("heading", name="Sign your part")).to_be_visible()
    sign_plan(apprentice, "Liam Davies", password="not-my-password")
    expect(apprentice.get_by_text("The password is not correct.").first).to_be_visible()
    assert not PlanSignature.objects.filter(plan__enrolment=enrolment).exists()
    sign_plan(apprentice, "liam  davies")  # case and spacing do not matter
    expect(apprentice.get_by_text("You signed as the apprentice.")).to_be_visible()

    manager = as_user("manager2@demo.test")
    manager.get_by_role("link", name="Sign the training plan for Liam Davies").click()
    sign_plan(manager, Enrolment.objects.get(pk=enrolment.pk).line_manager.full_name)
    expect(manager.get_by_text("You signed as the employer (line manager).")).to_be_visible()

    director.goto(plan_url)
    sign_plan(director, enrolment.programme.directors.get().full_name)
    expect(director.get_by_text("All three parties have now signed")).to_be_visible()
    expect(director.get_by_text("Signed", exact=True).first).to_be_visible()

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    plan = TrainingPlan.objects.get(enrolment=enrolment, version=1)
    assert plan.status == TrainingPlan.Status.SIGNED
    assert set(plan.signatures.values_list("role", flat=True)) == {"apprentice", "employer", "provider"}
    assert all(user_agent for user_agent in plan.signatures.values_list("user_agent", flat=True))

    director.goto(f"/enrolments/{enrolment.pk}/")
    expect(director.get_by_text("Active", exact=True).first).to_be_visible()
