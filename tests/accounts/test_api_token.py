"""POST /api/v1/auth/token/: email and password (and a code when MFA is on) for a token; GET /api/v1/me/."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def current_code(secret: str) -> str:
    """The authenticator code valid now (time is frozen by the tests that use it)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def another_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def frozen(time_machine):
    """Start the clock at the beginning of a 30-second TOTP period so a computed code cannot roll over mid-test.

    The clock keeps ticking: allauth rolls back a rate-limit hit by its timestamp, and a stopped clock would make
    every hit share one timestamp.
    """
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now - timedelta(seconds=now.second % 30), tick=True)
    return time_machine


@pytest.fixture
def totp_secret(cast):
    secret = generate_totp_secret()
    TOTP.activate(cast.director, secret)
    return secret


def test_the_right_email_and_password_give_a_token_that_authenticates_me(api, cast, password):
    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == cast.apprentice
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get(ME)
    assert me.status_code == 200
    assert me.json() == {
        "id": cast.apprentice.pk,
        "email": "apprentice@example.test",
        "full_name": "Ada Apprentice",
        "roles": ["apprentice"],
    }


def test_asking_twice_gives_the_same_token(api, cast, password):
    first = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")
    second = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert first.json()["token"] == second.json()["token"]
    assert Token.objects.filter(user=cast.apprentice).count() == 1


def test_the_email_is_not_case_sensitive(api, cast, password):
    response = api.post(TOKEN, {"email": "Apprentice@EXAMPLE.test", "password": password}, format="json")

    assert response.status_code == 200
    assert Token.objects.get(key=response.json()["token"]).user == cast.apprentice


def test_me_lists_the_roles_from_relationships(api, cast):
    assert api.as_user(cast.director).get(ME).json()["roles"] == ["programme_director"]
    assert api.as_user(cast.admin).get(ME).json()["roles"] == ["admin"]
    assert api.as_user(cast.line_manager).get(ME).json()["roles"] == ["line_manager"]


def test_a_wrong_password_is_a_400_with_a_message_and_no_token(api, cast):
    response = api.post(
        TOKEN, {"email": cast.apprentice.email, "password": "not-the-password"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Email address or password is not correct."}
    assert not Token.objects.filter(user=cast.apprentice).exists()


def test_an_unknown_email_is_a_400_with_the_same_message(api, db, password):
    response = api.post(TOKEN, {"email": "nobody@example.test", "password": password}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Email address or password is not correct."}
    assert not Token.objects.exists()


def test_missing_fields_are_400_field_errors(api, db):
    response = api.post(TOKEN, {}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"email", "password"}
    assert body["email"] == ["This field is required."]
    assert body["password"] == ["This field is required."]


def test_a_malformed_email_is_a_400_field_error(api, db, password):
    response = api.post(TOKEN, {"email": "not-an-email", "password": password}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_an_inactive_person_gets_no_token(api, cast, password):
    User.objects.filter(pk=cast.apprentice.pk).update(is_active=False)

    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Token.objects.filter(user=cast.apprentice).exists()


def test_an_existing_token_stops_working_when_the_person_is_deactivated(api, cast):
    api.as_user(cast.apprentice)
    User.objects.filter(pk=cast.apprentice.pk).update(is_active=False)

    assert api.get(ME).status_code == 401


def test_an_anonymous_request_for_me_is_401(api, db):
    response = api.get(ME)

    assert response.status_code == 401


def test_a_made_up_token_is_401(api, db):
    response = api.get(ME, HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert response.status_code == 401


# Rate limiting, like the login page


def test_after_five_failures_for_one_email_even_the_right_password_is_429(api, cast, password):
    for _ in range(5):
        response = api.post(
            TOKEN, {"email": cast.apprentice.email, "password": "not-the-password"}, format="json"
        )
        assert response.status_code == 400

    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 429
    assert "detail" in response.json()
    assert not Token.objects.filter(user=cast.apprentice).exists()


def test_four_failures_still_allow_the_right_password(api, cast, password):
    for _ in range(4):
        api.post(TOKEN, {"email": cast.apprentice.email, "password": "not-the-password"}, format="json")

    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 200


def test_the_limit_counts_the_email_whatever_its_case(api, cast, password):
    for n in range(5):
        email = cast.apprentice.email.upper() if n % 2 else cast.apprentice.email
        api.post(TOKEN, {"email": email, "password": "not-the-password"}, format="json")

    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 429


def test_failures_for_one_email_do_not_lock_out_another(api, cast, password):
    for _ in range(5):
        api.post(TOKEN, {"email": cast.apprentice.email, "password": "not-the-password"}, format="json")

    response = api.post(TOKEN, {"email": cast.line_manager.email, "password": password}, format="json")

    assert response.status_code == 200


def test_after_ten_failures_from_one_address_everyone_is_429(api, cast, password):
    for n in range(10):
        api.post(TOKEN, {"email": f"guess{n}@example.test", "password": "not-the-password"}, format="json")

    response = api.post(TOKEN, {"email": cast.apprentice.email, "password": password}, format="json")

    assert response.status_code == 429


# MFA


def test_with_an_authenticator_and_no_code_the_token_is_refused_with_an_otp_error(
    api, cast, password, totp_secret
):
    response = api.post(TOKEN, {"email": cast.director.email, "password": password}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["otp"]
    assert not Token.objects.filter(user=cast.director).exists()


def test_with_an_authenticator_a_wrong_code_is_refused(api, cast, password, totp_secret, frozen):
    code = another_code(current_code(totp_secret))

    response = api.post(
        TOKEN, {"email": cast.director.email, "password": password, "otp": code}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["otp"]
    assert not Token.objects.filter(user=cast.director).exists()


def test_with_an_authenticator_the_right_code_gives_a_token(api, cast, password, totp_secret, frozen):
    data = {"email": cast.director.email, "password": password, "otp": current_code(totp_secret)}

    response = api.post(TOKEN, data, format="json")

    assert response.status_code == 200
    assert Token.objects.get(key=response.json()["token"]).user == cast.director


def test_an_authenticator_code_cannot_be_used_twice(api, cast, password, totp_secret, frozen):
    data = {"email": cast.director.email, "password": password, "otp": current_code(totp_secret)}
    api.post(TOKEN, data, format="json")

    response = api.post(TOKEN, data, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["otp"]


def test_wrong_codes_count_towards_the_rate_limit(api, cast, password, totp_secret, frozen):
    wrong = another_code(current_code(totp_secret))
    for _ in range(5):
        api.post(TOKEN, {"email": cast.director.email, "password": password, "otp": wrong}, format="json")

    data = {"email": cast.director.email, "password": password, "otp": current_code(totp_secret)}
    response = api.post(TOKEN, data, format="json")

    assert response.status_code == 429
    assert not Token.objects.filter(user=cast.director).exists()
