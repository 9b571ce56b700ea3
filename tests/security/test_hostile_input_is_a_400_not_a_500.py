"""Issue 18, item 8: hostile input is a clear 400 or 404, never a 500.

A NUL byte cannot be stored by PostgreSQL ("A string literal cannot contain NUL"), so one in a path segment, a
query value or a JSON string reached the database and became a 500; JSON nested 50,000 deep raised RecursionError.
Both are refused at the edge now (``core.middleware.RefuseNulBytes`` and ``core.api.JSONParser``). These run on
both lanes; on PostgreSQL the old behaviour was the 500.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

NUL_PATHS = [
    "/api/v1/verify/%00/",
    "/verify/%00/",
    "/shared/portfolio/%00/",
    "/invitations/%00/",
    "/enrolments/?q=%00",
    "/api/v1/enrolments/?status=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_in_a_path_or_query_is_a_400(path, cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.director)
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.django_db
def test_a_nul_byte_in_a_json_string_is_a_400_naming_the_problem(api, world, cast):
    client = api.as_user(cast.apprentice)
    response = client.post(
        "/api/v1/otj-entries/",
        data=json.dumps(
            {
                "enrolment": world.enrolment.pk,
                "date": "2026-01-05",
                "hours": "2.00",
                "activity_type": "read\u0000ing",
                "description": "Reading",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode() or "null character" in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [200, 50_000])
def test_deeply_nested_json_is_a_400(api, cast, depth):
    client = api.as_user(cast.apprentice)
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/otj-entries/", data=body, content_type="application/json")
    assert response.status_code == 400
