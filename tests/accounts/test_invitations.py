"""Invitations: the only way in. A director invites, the invitee sets a password from the emailed link."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from core.errors import ActionNotAllowed, DomainError

INVITEE = "new.person@example.test"
GOOD_PASSWORD = "velvet-otter-lantern"


@pytest.fixture
def invite(client, cast, world, django_capture_on_commit_callbacks):
    """Invite someone through the page as ``by`` (the director unless told), with on-commit emails sent."""

    def _invite(email=INVITEE, *, by=None, full_name="Nia Newperson", organisation=None, job_title="Analyst"):
        client.force_login(by or cast.director)
        data = {
            "full_name": full_name,
            "email": email,
            "organisation": (organisation or world.employer).pk,
            "job_title": job_title,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/people/invite/", data)
        client.logout()
        return response

    return _invite


def accept_path_from(message) -> str:
    """The path of the accept link in an invitation email (the link itself is absolute, on SITE_URL)."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/invitations/[^/\s]+/)", message.body)
    assert match, f"no accept link in: {message.body}"
    return match.group(1)


# Inviting


def test_a_director_invites_someone_and_they_are_emailed_an_accept_link(invite, world, cast):
    response = invite()

    assert response.status_code == 302
    assert response["Location"] == "/people/invitations/"
    invitation = Invitation.objects.get()
    assert invitation.email == INVITEE
    assert invitation.invited_by == cast.director
    assert invitation.organisation == world.employer
    assert invitation.state == "pending"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [INVITEE]
    assert "invited" in message.subject
    assert f"{settings.SITE_URL}/invitations/{invitation.token}/" in message.body
    assert accept_path_from(message) == f"/invitations/{invitation.token}/"


def test_the_invited_person_has_an_account_without_a_usable_password_until_they_accept(invite, world):
    invite(job_title="Service manager")

    person = User.objects.get(email=INVITEE)
    assert person.full_name == "Nia Newperson"
    assert person.organisation == world.employer
    assert person.job_title == "Service manager"
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person, verified=True).exists()


def test_the_invitation_email_is_sent_only_when_the_transaction_commits(
    world, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_send(
            invited_by=cast.director, email=INVITEE, full_name="Nia Newperson", organisation=world.employer
        )
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[INVITEE]]


def test_the_invitees_email_address_is_stored_lower_case(world, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="  Mixed.Case@Example.TEST ",
            full_name=" Max Mixed ",
            organisation=world.employer,
        )

    assert invitation.email == "mixed.case@example.test"
    assert invitation.user.email == "mixed.case@example.test"
    assert invitation.full_name == "Max Mixed"
    assert mail.outbox[0].to == ["mixed.case@example.test"]


def test_an_administrator_can_invite_people(invite, cast):
    response = invite(by=cast.admin)

    assert response.status_code == 302
    assert Invitation.objects.get().invited_by == cast.admin
    assert len(mail.outbox) == 1


def test_a_director_sees_the_invite_page(client, cast):
    client.force_login(cast.director)

    response = client.get("/people/invite/")

    assert response.status_code == 200
    assert b"Send invitation" in response.content


@pytest.mark.parametrize("member", ["apprentice", "line_manager", "tutor", "module_lead", "assessor"])
def test_people_who_do_not_direct_a_programme_cannot_open_the_invite_page(client, cast, member):
    client.force_login(getattr(cast, member))

    assert client.get("/people/invite/").status_code == 403
    assert client.get("/people/invitations/").status_code == 403


@pytest.mark.parametrize("member", ["apprentice", "line_manager", "tutor"])
def test_people_who_do_not_direct_a_programme_cannot_invite_by_posting(
    client, world, cast, member, django_capture_on_commit_callbacks
):
    client.force_login(getattr(cast, member))
    data = {"full_name": "Nia Newperson", "email": INVITEE, "organisation": world.employer.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/", data)

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email=INVITEE).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("member", ["apprentice", "line_manager", "tutor"])
def test_the_invitation_service_refuses_people_who_do_not_direct_a_programme(world, cast, member):
    with pytest.raises(ActionNotAllowed):
        services.invitation_send(
            invited_by=getattr(cast, member),
            email=INVITEE,
            full_name="Nia Newperson",
            organisation=world.employer,
        )

    assert not Invitation.objects.exists()
    assert not User.objects.filter(email=INVITEE).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_invite_page(client):
    response = client.get("/people/invite/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inviting_someone_who_already_has_an_account_fails_naming_their_email(invite, cast):
    response = invite(email=cast.apprentice.email)

    assert response.status_code == 400
    assert f"{cast.apprentice.email} already has an account" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    cast.apprentice.refresh_from_db()
    assert cast.apprentice.full_name == "Ada Apprentice"
    assert cast.apprentice.has_usable_password()


def test_an_existing_account_is_recognised_whatever_the_case_of_the_email(world, cast):
    with pytest.raises(DomainError) as error:
        services.invitation_send(
            invited_by=cast.director,
            email="APPRENTICE@Example.test",
            full_name="Someone Else",
            organisation=world.employer,
        )

    assert error.value.field == "email"
    assert "apprentice@example.test" in error.value.message
    assert not Invitation.objects.exists()


def test_reinviting_someone_who_has_not_accepted_revokes_the_earlier_invitation(invite, client):
    invite(full_name="Nia Newperson")
    first = Invitation.objects.get()
    first_link = accept_path_from(mail.outbox[0])

    invite(full_name="Nia Newperson-Jones")

    first.refresh_from_db()
    second = Invitation.objects.exclude(pk=first.pk).get()
    assert first.state == "revoked"
    assert second.state == "pending"
    assert User.objects.filter(email=INVITEE).count() == 1
    assert User.objects.get(email=INVITEE).full_name == "Nia Newperson-Jones"
    assert len(mail.outbox) == 2
    assert client.get(first_link).status_code == 410
    assert client.get(accept_path_from(mail.outbox[1])).status_code == 200


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"full_name": "", "email": INVITEE}, "Full name: This field is required."),
        (
            {"full_name": "Nia Newperson", "email": "not-an-email"},
            "Email address: Enter a valid email address.",
        ),
        ({"full_name": "Nia Newperson", "email": ""}, "Email address: This field is required."),
    ],
)
def test_invalid_invitation_input_shows_the_error_summary_and_creates_nothing(
    client, world, cast, data, field_error, django_capture_on_commit_callbacks
):
    client.force_login(cast.director)
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/", {**data, "organisation": world.employer.pk})

    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert field_error in content
    assert not Invitation.objects.exists()
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_an_invitation_without_an_organisation_is_refused(client, cast):
    client.force_login(cast.director)

    response = client.post("/people/invite/", {"full_name": "Nia Newperson", "email": INVITEE})

    assert response.status_code == 400
    assert "Organisation: This field is required." in response.content.decode()
    assert not Invitation.objects.exists()


# The invitation list


def test_a_director_lists_only_the_invitations_they_sent(invite, client, cast):
    invite(email="mine@example.test")
    invite(email="theirs@example.test", by=cast.other_director)
    client.force_login(cast.director)

    response = client.get("/people/invitations/")

    assert response.status_code == 200
    assert [i.email for i in response.context["page_obj"].object_list] == ["mine@example.test"]


def test_an_administrator_lists_every_invitation(invite, client, cast):
    invite(email="mine@example.test")
    invite(email="theirs@example.test", by=cast.other_director)
    client.force_login(cast.admin)

    response = client.get("/people/invitations/")

    assert {i.email for i in response.context["page_obj"].object_list} == {
        "mine@example.test",
        "theirs@example.test",
    }


# Accepting


def test_following_the_link_shows_a_set_password_form(invite, client):
    invite()

    response = client.get(accept_path_from(mail.outbox[0]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome, Nia Newperson" in content
    assert 'name="password"' in content
    assert 'name="password_again"' in content


def test_an_unknown_invitation_token_is_not_found(client, db):
    assert client.get("/invitations/no-such-token/").status_code == 404


def test_mismatched_passwords_are_refused_and_nothing_is_saved(invite, client):
    invite()
    link = accept_path_from(mail.outbox[0])

    response = client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD + "x"})

    assert response.status_code == 400
    assert "The two passwords do not match." in response.content.decode()
    assert not User.objects.get(email=INVITEE).has_usable_password()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("4815162342", "This password is entirely numeric."),
        ("new.person1", "The password is too similar to the email."),
    ],
)
def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_saved(invite, client, password, message):
    invite()
    link = accept_path_from(mail.outbox[0])

    response = client.post(link, {"password": password, "password_again": password})

    assert response.status_code == 400
    assert message in response.content.decode()
    person = User.objects.get(email=INVITEE)
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person, verified=True).exists()
    assert Invitation.objects.get().accepted_at is None
    # The link still works: the person can try again.
    assert client.get(link).status_code == 200


def test_a_good_password_accepts_the_invitation_and_verifies_the_email(invite, client):
    invite()
    link = accept_path_from(mail.outbox[0])

    response = client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    invitation = Invitation.objects.get()
    assert invitation.state == "accepted"
    assert invitation.accepted_at is not None
    person = User.objects.get(email=INVITEE)
    assert person.check_password(GOOD_PASSWORD)
    assert person.is_active
    address = EmailAddress.objects.get(user=person)
    assert address.email == INVITEE
    assert address.verified
    assert address.primary


def test_the_invited_person_cannot_sign_in_before_accepting(invite, client):
    invite()

    response = client.post("/accounts/login/", {"login": INVITEE, "password": GOOD_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_after_accepting_the_person_signs_in_with_their_new_password(invite, client):
    invite()
    link = accept_path_from(mail.outbox[0])
    client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    response = client.post("/accounts/login/", {"login": INVITEE, "password": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=INVITEE).pk
    assert client.get("/").status_code == 200


def test_after_accepting_the_invitee_can_no_longer_be_invited(invite, client, world, cast):
    invite()
    client.post(
        accept_path_from(mail.outbox[0]), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    )

    response = invite()

    assert response.status_code == 400
    assert f"{INVITEE} already has an account" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert User.objects.get(email=INVITEE).check_password(GOOD_PASSWORD)


def test_a_used_invitation_link_is_gone(invite, client):
    invite()
    link = accept_path_from(mail.outbox[0])
    client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    get = client.get(link)
    post = client.post(link, {"password": "another-fine-password", "password_again": "another-fine-password"})

    assert get.status_code == 410
    assert "This invitation is accepted" in get.content.decode()
    assert post.status_code == 410
    person = User.objects.get(email=INVITEE)
    assert person.check_password(GOOD_PASSWORD)


def test_the_service_refuses_to_accept_an_invitation_twice(world, cast):
    invitation = services.invitation_send(
        invited_by=cast.director, email=INVITEE, full_name="Nia Newperson", organisation=world.employer
    )
    services.invitation_accept(invitation=invitation, password=GOOD_PASSWORD)

    with pytest.raises(DomainError, match="accepted"):
        services.invitation_accept(invitation=invitation, password="another-fine-password")

    assert User.objects.get(email=INVITEE).check_password(GOOD_PASSWORD)


def test_an_invitation_still_works_just_before_it_expires(invite, client, time_machine):
    invite()
    link = accept_path_from(mail.outbox[0])

    time_machine.move_to(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS) - timedelta(hours=1))

    assert client.get(link).status_code == 200


def test_an_expired_invitation_is_gone_and_cannot_be_used(invite, client, time_machine):
    invite()
    link = accept_path_from(mail.outbox[0])

    time_machine.move_to(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, hours=1))
    get = client.get(link)
    post = client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    assert get.status_code == 410
    assert "This invitation is expired" in get.content.decode()
    assert post.status_code == 410
    assert not User.objects.get(email=INVITEE).has_usable_password()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_with_an_expiry_in_the_past_is_gone(invite, client):
    invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    assert client.get(accept_path_from(mail.outbox[0])).status_code == 410


# Revoking


def test_a_director_revokes_their_invitation_and_its_link_stops_working(invite, client, cast):
    invite()
    invitation = Invitation.objects.get()
    client.force_login(cast.director)

    response = client.post(f"/people/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/people/invitations/"
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    client.logout()
    get = client.get(accept_path_from(mail.outbox[0]))
    assert get.status_code == 410
    assert "This invitation is revoked" in get.content.decode()


def test_revoking_needs_a_post(invite, client, cast):
    invite()
    invitation = Invitation.objects.get()
    client.force_login(cast.director)

    response = client.get(f"/people/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_a_director_cannot_revoke_another_directors_invitation(invite, client, cast):
    invite(by=cast.other_director)
    invitation = Invitation.objects.get()
    client.force_login(cast.director)

    response = client.post(f"/people/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_an_administrator_can_revoke_any_invitation(invite, client, cast):
    invite(by=cast.other_director)
    invitation = Invitation.objects.get()
    client.force_login(cast.admin)

    client.post(f"/people/invitations/{invitation.pk}/revoke/")

    invitation.refresh_from_db()
    assert invitation.state == "revoked"


@pytest.mark.parametrize("member", ["apprentice", "line_manager", "tutor"])
def test_people_who_do_not_direct_a_programme_cannot_revoke_invitations(invite, client, cast, member):
    invite()
    invitation = Invitation.objects.get()
    client.force_login(getattr(cast, member))

    response = client.post(f"/people/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_the_revoke_service_refuses_people_who_do_not_direct_a_programme(world, cast):
    invitation = services.invitation_send(
        invited_by=cast.director, email=INVITEE, full_name="Nia Newperson", organisation=world.employer
    )

    with pytest.raises(ActionNotAllowed):
        services.invitation_revoke(invitation=invitation, by=cast.apprentice)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_revoked(invite, client, cast):
    invite()
    client.post(
        accept_path_from(mail.outbox[0]), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    )
    invitation = Invitation.objects.get()
    client.force_login(cast.director)

    response = client.post(f"/people/invitations/{invitation.pk}/revoke/", follow=True)

    assert "This invitation has already been accepted." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert invitation.revoked_at is None
