"""Signing in with allauth: no open sign-up, email and password, rate limits, verified email, MFA (TOTP)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core import mail
from django.utils import timezone

from accounts.models import User

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts. Try again later."
WRONG = "The email address and/or password you specified are not correct."


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def current_code(secret: str) -> str:
    """The authenticator code valid now (time is frozen by the tests that use it)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def another_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def frozen(time_machine):
    """Freeze the clock so a computed TOTP code cannot roll over to the next period mid-test."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


# No open sign-up


def test_the_sign_up_page_says_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_posting_to_the_sign_up_page_creates_no_account(client, db):
    data = {
        "email": "walk.in@example.test",
        "password1": "velvet-otter-lantern",
        "password2": "velvet-otter-lantern",
    }

    response = client.post("/accounts/signup/", data)

    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="walk.in@example.test").exists()
    assert not EmailAddress.objects.filter(email="walk.in@example.test").exists()
    assert signed_in_user_id(client) is None


# Email and password


def test_the_right_email_and_password_sign_in_and_go_home(client, cast, password):
    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == cast.apprentice.pk
    assert client.get("/").status_code == 200


def test_the_email_address_is_not_case_sensitive_at_sign_in(client, cast, password):
    response = client.post(LOGIN, {"login": "Apprentice@EXAMPLE.test", "password": password})

    assert response.status_code == 302
    assert signed_in_user_id(client) == cast.apprentice.pk


def test_a_wrong_password_shows_an_error_and_does_not_sign_in(client, cast):
    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_unknown_email_shows_the_same_error_as_a_wrong_password(client, db, password):
    response = client.post(LOGIN, {"login": "nobody@example.test", "password": password})

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_inactive_person_cannot_sign_in(client, cast, password):
    User.objects.filter(pk=cast.apprentice.pk).update(is_active=False)

    client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    assert signed_in_user_id(client) is None


def test_the_home_page_needs_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# Rate limiting


def test_after_five_failed_attempts_the_right_password_is_refused_too(client, cast, password):
    for _ in range(5):
        response = client.post(LOGIN, {"login": cast.apprentice.email, "password": "not-the-password"})
        assert WRONG in response.content.decode()

    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    # allauth refuses inside the form (200 with a message), not with a 429.
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert signed_in_user_id(client) is None


def test_four_failed_attempts_still_allow_the_right_password(client, cast, password):
    for _ in range(4):
        client.post(LOGIN, {"login": cast.apprentice.email, "password": "not-the-password"})

    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    assert response.status_code == 302
    assert signed_in_user_id(client) == cast.apprentice.pk


def test_the_email_rate_limit_does_not_lock_out_other_people(client, cast, password):
    for _ in range(5):
        client.post(LOGIN, {"login": cast.apprentice.email, "password": "not-the-password"})

    response = client.post(LOGIN, {"login": cast.line_manager.email, "password": password})

    assert response.status_code == 302
    assert signed_in_user_id(client) == cast.line_manager.pk


def test_the_email_rate_limit_lifts_after_five_minutes(client, cast, password, time_machine):
    time_machine.move_to(timezone.now())
    for _ in range(5):
        client.post(LOGIN, {"login": cast.apprentice.email, "password": "not-the-password"})

    time_machine.shift(5 * 60 + 1)
    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    assert response.status_code == 302
    assert signed_in_user_id(client) == cast.apprentice.pk


def test_after_ten_failed_attempts_from_one_address_everyone_is_refused(client, cast, password):
    for n in range(10):
        client.post(LOGIN, {"login": f"guess{n}@example.test", "password": "not-the-password"})

    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})

    assert TOO_MANY in response.content.decode()
    assert signed_in_user_id(client) is None


# Unverified email addresses (ACCOUNT_EMAIL_VERIFICATION = "mandatory")


def test_a_person_with_an_unverified_email_is_not_signed_in_and_is_sent_a_verification_email(
    client, cast, password
):
    EmailAddress.objects.filter(user=cast.line_manager).update(verified=False)

    response = client.post(LOGIN, {"login": cast.line_manager.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None
    assert [m.to for m in mail.outbox] == [[cast.line_manager.email]]
    assert client.get("/").status_code == 302


def test_a_person_with_no_email_address_record_is_not_signed_in(client, cast, password):
    EmailAddress.objects.filter(user=cast.line_manager).delete()

    response = client.post(LOGIN, {"login": cast.line_manager.email, "password": password})

    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None


# MFA


def test_the_mfa_page_is_available_to_a_signed_in_person(client, cast):
    client.force_login(cast.apprentice)

    response = client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert b"/accounts/2fa/totp/activate/" in response.content


def test_the_mfa_page_needs_sign_in(client, db):
    response = client.get("/accounts/2fa/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.fixture
def totp_secret(cast):
    secret = generate_totp_secret()
    TOTP.activate(cast.director, secret)
    return secret


def test_with_an_authenticator_the_right_password_leads_to_the_code_stage_without_signing_in(
    client, cast, password, totp_secret
):
    response = client.post(LOGIN, {"login": cast.director.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 302
    stage = client.get("/accounts/2fa/authenticate/")
    assert stage.status_code == 200
    assert "code" in stage.context["form"].fields


def test_the_right_authenticator_code_completes_sign_in(client, cast, password, totp_secret, frozen):
    client.post(LOGIN, {"login": cast.director.email, "password": password})

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(totp_secret)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == cast.director.pk
    assert client.get("/").status_code == 200


def test_a_wrong_authenticator_code_keeps_the_person_out(client, cast, password, totp_secret, frozen):
    client.post(LOGIN, {"login": cast.director.email, "password": password})

    response = client.post("/accounts/2fa/authenticate/", {"code": another_code(current_code(totp_secret))})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 302


def test_the_code_stage_cannot_be_reached_without_the_password(client, cast, totp_secret, frozen):
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(totp_secret)})

    assert signed_in_user_id(client) is None
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_person_turns_on_an_authenticator_app(client, cast, password, frozen):
    client.force_login(cast.apprentice)

    # allauth asks for the password again before adding an authenticator.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": password})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert page.context["form"].secret == secret
    assert not Authenticator.objects.filter(user=cast.apprentice).exists()

    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})

    assert response.status_code == 302
    totp = Authenticator.objects.get(user=cast.apprentice, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == secret
    # The next sign-in asks for a code.
    client.logout()
    response = client.post(LOGIN, {"login": cast.apprentice.email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None


def test_a_wrong_code_does_not_turn_on_an_authenticator_app(client, cast, password, frozen):
    client.force_login(cast.apprentice)
    response = client.get("/accounts/2fa/totp/activate/")
    client.post(response["Location"], {"password": password})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post("/accounts/2fa/totp/activate/", {"code": another_code(current_code(secret))})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert not Authenticator.objects.filter(user=cast.apprentice).exists()
