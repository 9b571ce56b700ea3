"""GET /api/v1/me/: who the caller is and the roles their relationships give them."""

import pytest

from tests.contract import CAST_ROLES
from tests.factories import EnrolmentFactory, UserFactory

ROLES = CAST_ROLES


@pytest.mark.parametrize("name", sorted(ROLES))
def test_me_returns_each_persons_identity_and_roles(api, cast, name):
    user = getattr(cast, name)

    response = api.as_user(user).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "roles": ROLES[name],
    }


def test_me_lists_every_role_a_person_holds(api, world, cast):
    EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.other_director)

    response = api.as_user(cast.other_director).get("/api/v1/me/")

    assert response.json()["roles"] == ["practice_tutor", "programme_director"]


def test_me_gives_no_roles_to_someone_with_no_relationships(api, world):
    nobody = UserFactory()

    response = api.as_user(nobody).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["roles"] == []


def test_me_works_with_a_browser_session_too(client, cast):
    client.force_login(cast.line_manager)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "manager@example.test"


def test_me_is_401_when_not_signed_in(api, world):
    response = api.as_user(None).get("/api/v1/me/")

    assert response.status_code == 401


def test_me_is_401_with_an_unknown_token(api, world):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get("/api/v1/me/")

    assert response.status_code == 401


def test_an_inactive_users_token_no_longer_works(api, cast):
    api.as_user(cast.apprentice)
    cast.apprentice.is_active = False
    cast.apprentice.save(update_fields=["is_active"])

    response = api.get("/api/v1/me/")

    assert response.status_code == 401


def test_a_token_is_issued_for_the_right_email_and_password(api, cast, password):
    response = api.post("/api/v1/auth/token/", {"email": "apprentice@example.test", "password": password})

    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["id"] == cast.apprentice.pk


def test_a_wrong_password_gets_400_with_a_message_and_no_token(api, cast):
    response = api.post(
        "/api/v1/auth/token/", {"email": "apprentice@example.test", "password": "wrong-password"}
    )

    assert response.status_code == 400
    assert response.json()["detail"]
    assert "token" not in response.json()
