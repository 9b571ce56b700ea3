"""The OpenAPI schema at /api/schema/ and the docs at /api/docs/: every API path appears, nothing leaks."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.contract import ENROLMENT_CONTRACT_FIELDS

CONTRACT_PATHS = {
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/programmes/",
    "/api/v1/programmes/{id}/",
    "/api/v1/cohorts/",
    "/api/v1/cohorts/{id}/",
    "/api/v1/enrolments/",
    "/api/v1/enrolments/{id}/",
}


def routes(patterns, prefix=""):
    """Every URL route in the project as a string, resolvers flattened."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def as_openapi_path(route):
    """``api/v1/^enrolments/(?P<pk>[^/.]+)/$`` or ``<int:pk>`` → ``/api/v1/enrolments/{id}/``."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path.replace("{pk}", "{id}")


def api_v1_paths():
    return {
        as_openapi_path(route)
        for route in routes(get_resolver().url_patterns)
        if route.startswith("api/v1/") and "format" not in route
    }


def schema_for(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_url_walk_finds_the_contracts_paths():
    assert api_v1_paths() >= CONTRACT_PATHS


def test_the_schema_is_an_openapi_3_document(client, db):
    schema = schema_for(client)

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Tripartite API"


def test_the_schema_lists_every_api_path_in_the_url_configuration(client, db):
    documented = {path.replace("{pk}", "{id}") for path in schema_for(client)["paths"]}

    assert documented >= CONTRACT_PATHS
    assert documented >= api_v1_paths()


def test_the_schema_documents_token_authentication(client, db):
    schema = schema_for(client)

    assert "tokenAuth" in schema["components"]["securitySchemes"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400"} <= set(token["responses"])


def test_the_schema_describes_the_contracts_enrolment_fields(client, db):
    schema = schema_for(client)

    enrolment = schema["components"]["schemas"]["Enrolment"]["properties"]
    assert set(enrolment) >= ENROLMENT_CONTRACT_FIELDS
    parameters = {p["name"] for p in schema["paths"]["/api/v1/enrolments/"]["get"]["parameters"]}
    assert {"status", "cohort", "page", "page_size"} <= parameters


def test_the_schema_leaks_no_data_and_is_the_same_for_everyone(client, world, cast):
    anonymous = schema_for(client)
    as_admin = schema_for(client, cast.admin)

    assert anonymous == as_admin
    text = json.dumps(anonymous)
    for secret in ("Ada Apprentice", "apprentice@example.test", "Senior Leader", "Northshire", "2025 cohort"):
        assert secret not in text


def test_the_schema_validates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert text.startswith("openapi: 3.")
    for path in CONTRACT_PATHS:
        assert f"  {path}:" in text


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_api_docs_page_renders_for_anyone(client, cast, signed_in):
    if signed_in:
        client.force_login(cast.apprentice)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    assert "/api/schema/" in html
    assert "Ada Apprentice" not in html
