"""Off-the-job hours in the browser: the apprentice logs an activity from the home page, the line manager gets the
weekly digest and confirms through its one-click link without signing in, and the apprentice's totals change."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import tasks
from portfolios.otj.models import OffTheJobEntry
from programmes.models import Enrolment
from tests.e2e.support import sign_in

DESCRIPTION = (
    "Shadowed the chief operating officer at the winter pressures meeting and noted how she set priorities."
)


@pytest.fixture
def context_for(browser, live_server):
    contexts = []

    def open_context():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        return context.new_page()

    yield open_context
    for context in contexts:
        context.close()


def confirmed_figure(page) -> Decimal:
    text = page.locator("dt:has-text('Confirmed by the employer') + dd").inner_text()
    return Decimal(text.replace("h", "").strip())


def test_apprentice_logs_manager_confirms_through_the_emailed_link_and_totals_change(demo, context_for):
    enrolment = Enrolment.objects.get(apprentice__email="apprentice7@demo.test")
    before = otj_selectors.otj_position(enrolment)
    already_pending = before.pending_hours

    # 1. The apprentice logs two and a half hours of shadowing from the home page.
    apprentice = context_for()
    sign_in(apprentice, "apprentice7@demo.test")
    apprentice.get_by_role("link", name="Log hours").click()
    expect(apprentice.get_by_role("heading", level=1)).to_have_text("Log hours")
    yesterday = timezone.localdate() - timedelta(days=1)
    apprentice.get_by_label("Date of the activity").fill(yesterday.isoformat())
    apprentice.get_by_label("Hours", exact=True).fill("2.5")
    apprentice.get_by_label("Kind of activity").select_option(label="Shadowing")
    apprentice.get_by_label("What you did and what you learned").fill(DESCRIPTION)
    apprentice.locator("input[name=ksbs]").first.check()
    apprentice.get_by_role("button", name="Log hours", exact=True).click()
    expect(apprentice.get_by_text("it now awaits your line manager")).to_be_visible()
    expect(apprentice.get_by_role("heading", level=1)).to_have_text("Off-the-job hours")
    assert confirmed_figure(apprentice) == before.confirmed_hours
    entry = OffTheJobEntry.objects.get(enrolment=enrolment, description=DESCRIPTION)
    assert entry.status == "pending"

    # 2. Monday's digest: one email to the line manager with a link per apprentice.
    manager = User.objects.get(email="manager2@demo.test")
    mail.outbox.clear()
    assert tasks.send_otj_digest(manager.pk) is True
    [message] = mail.outbox
    section = message.body.split("Grace Thompson", 1)[1]
    link = re.search(r"https?://\S+(/otj/confirm/link/\S+/)", section).group(1)

    # 3. The manager opens it on their phone, without signing in: it shows the entries and asks for one click.
    phone = context_for()
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Confirm off-the-job hours")
    expect(phone.get_by_text(DESCRIPTION)).to_be_visible()
    assert OffTheJobEntry.objects.get(pk=entry.pk).status == "pending"  # opening it changed nothing
    phone.get_by_role("button", name=re.compile(r"^Confirm \d+ entr")).click()
    expect(phone.get_by_text("Thank you, David Osei.")).to_be_visible()
    phone.goto(link)  # single use
    expect(phone.get_by_text("already used")).to_be_visible()

    # 4. The apprentice's confirmed total rises by everything that was pending, the new entry included.
    entry.refresh_from_db()
    assert (entry.status, entry.decided_via, entry.decided_by) == ("confirmed", "email_link", manager)
    apprentice.reload()
    assert confirmed_figure(apprentice) == before.confirmed_hours + already_pending + Decimal("2.5")
    expect(apprentice.get_by_text("Confirmed").first).to_be_visible()


def test_line_manager_queries_an_entry_and_the_apprentice_sees_why(demo, context_for):
    manager = context_for()
    sign_in(manager, "manager1@demo.test")
    manager.get_by_role("link", name=re.compile(r"Confirm \d+ off-the-job")).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Hours to confirm")
    manager.get_by_role("link", name="Query this entry").first.click()
    manager.get_by_label("What should the apprentice change?").fill(
        "That day you were covering the duty desk."
    )
    manager.get_by_role("button", name="Send the query").click()
    expect(manager.get_by_text("will see your reason")).to_be_visible()

    queried = OffTheJobEntry.objects.filter(rejection_reason__startswith="That day you were covering").get()
    apprentice = context_for()
    sign_in(apprentice, queried.enrolment.apprentice.email)
    apprentice.goto(f"/enrolments/{queried.enrolment_id}/otj/?status=rejected")
    expect(apprentice.get_by_text("That day you were covering the duty desk.")).to_be_visible()
