"""The outbox: the default email backend keeps messages in the database, readable in the admin."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail, send_mass_mail
from django.utils import timezone

from accounts import services
from accounts.models import OutboxEmail

OUTBOX_BACKEND = "accounts.mail.OutboxEmailBackend"
CHANGELIST = "/admin/accounts/outboxemail/"


@pytest.fixture
def outbox_backend(settings):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND


def change_page(email: OutboxEmail) -> str:
    return f"{CHANGELIST}{email.pk}/change/"


# The backend


def test_send_mail_stores_the_message_in_the_outbox(outbox_backend, db, settings):
    sent = send_mail("Your review is due", "Please book a date.", None, ["ada@example.test"])

    assert sent == 1
    stored = OutboxEmail.objects.get()
    assert stored.to == "ada@example.test"
    assert stored.subject == "Your review is due"
    assert stored.body == "Please book a date."
    assert stored.from_email == settings.DEFAULT_FROM_EMAIL
    assert stored.html_body == ""
    assert mail.outbox == []


def test_every_recipient_is_recorded(outbox_backend, db):
    send_mail("Hello", "Body", "team@example.test", ["a@example.test", "b@example.test"])

    stored = OutboxEmail.objects.get()
    assert stored.to == "a@example.test, b@example.test"
    assert stored.from_email == "team@example.test"


def test_each_message_is_stored_as_its_own_row(outbox_backend, db):
    sent = send_mass_mail(
        [
            ("First", "One", None, ["one@example.test"]),
            ("Second", "Two", None, ["two@example.test"]),
        ]
    )

    assert sent == 2
    assert sorted(OutboxEmail.objects.values_list("subject", "to", "body")) == [
        ("First", "one@example.test", "One"),
        ("Second", "two@example.test", "Two"),
    ]


def test_the_html_alternative_is_kept(outbox_backend, db):
    send_mail(
        "Plan ready",
        "Sign your plan: http://example.test/plan/",
        None,
        ["ada@example.test"],
        html_message='<p>Sign your <a href="http://example.test/plan/">plan</a></p>',
    )

    stored = OutboxEmail.objects.get()
    assert stored.body == "Sign your plan: http://example.test/plan/"
    assert stored.html_body == '<p>Sign your <a href="http://example.test/plan/">plan</a></p>'


def test_a_non_html_alternative_is_not_taken_for_html(outbox_backend, db):
    message = EmailMultiAlternatives("Calendar", "See attached", None, ["ada@example.test"])
    message.attach_alternative("BEGIN:VCALENDAR", "text/calendar")
    message.send()

    assert OutboxEmail.objects.get().html_body == ""


def test_a_message_object_sent_directly_is_stored(outbox_backend, db):
    sent = EmailMessage("Direct", "Body text", "x@example.test", ["ada@example.test"]).send()

    assert sent == 1
    assert OutboxEmail.objects.get().subject == "Direct"


def test_an_invitation_email_lands_in_the_outbox_with_its_link(
    outbox_backend, world, cast, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="new.person@example.test",
            full_name="Nia Newperson",
            organisation=world.employer,
        )

    stored = OutboxEmail.objects.get()
    assert stored.to == "new.person@example.test"
    assert f"{settings.SITE_URL}/invitations/{invitation.token}/" in stored.body


# The admin


@pytest.fixture
def stored_email(db):
    return OutboxEmail.objects.create(
        to="ada@example.test",
        from_email="no-reply@example.test",
        subject="You are invited",
        body="Open this link: http://127.0.0.1:8000/invitations/abc123/\n<script>alert(1)</script>",
        created_at=timezone.now(),
    )


def test_an_administrator_sees_the_outbox(client, cast, stored_email):
    client.force_login(cast.admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "You are invited" in content
    assert "ada@example.test" in content
    assert change_page(stored_email) in content


def test_an_administrator_reads_a_message_with_clickable_links(client, cast, stored_email):
    client.force_login(cast.admin)

    response = client.get(change_page(stored_email))

    assert response.status_code == 200
    content = response.content.decode()
    assert "You are invited" in content
    assert '<a href="http://127.0.0.1:8000/invitations/abc123/"' in content


def test_markup_in_a_message_body_is_shown_as_text_not_run(client, cast, stored_email):
    client.force_login(cast.admin)

    content = client.get(change_page(stored_email)).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_admin_search_finds_messages_by_body(client, cast, stored_email):
    OutboxEmail.objects.create(to="bob@example.test", subject="Other", body="Nothing here")
    client.force_login(cast.admin)

    response = client.get(CHANGELIST, {"q": "abc123"})

    assert list(response.context["cl"].result_list) == [stored_email]


def test_the_administrator_cannot_add_outbox_emails(client, cast, stored_email):
    client.force_login(cast.admin)

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    response = client.post(
        f"{CHANGELIST}add/", {"to": "x@example.test", "subject": "Forged", "body": "Forged"}
    )
    assert response.status_code == 403
    assert f'href="{CHANGELIST}add/"' not in client.get(CHANGELIST).content.decode()
    assert OutboxEmail.objects.count() == 1


def test_the_administrator_cannot_edit_a_stored_email(client, cast, stored_email):
    client.force_login(cast.admin)

    response = client.post(change_page(stored_email), {"to": "x@example.test", "subject": "Changed"})

    assert response.status_code == 403
    stored_email.refresh_from_db()
    assert stored_email.subject == "You are invited"
    assert stored_email.to == "ada@example.test"


@pytest.mark.parametrize("member", ["apprentice", "director", "tutor"])
def test_people_without_admin_access_are_sent_away_from_the_outbox(client, cast, stored_email, member):
    client.force_login(getattr(cast, member))

    for url in (CHANGELIST, change_page(stored_email)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_away_from_the_outbox(client, stored_email):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
