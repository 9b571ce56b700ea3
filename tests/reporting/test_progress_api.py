"""GET /api/v1/cohorts/{id}/progress/ exactly as api.md: directors see every row, tutors their caseload's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reporting.conftest import add_rows
from tests.reporting.helpers import override

CONTRACT = {
    "enrolment_id",
    "apprentice_name",
    "status",
    "otj_status",
    "otj_percent_of_expected",
    "last_review_on",
    "next_review_due",
    "review_overdue",
    "modules_passed",
    "ksb_coverage_percent",
    "gateway_ready",
    "rag",
}


def url(world) -> str:
    return f"/api/v1/cohorts/{world.cohort.pk}/progress/"


def test_a_director_gets_one_row_per_enrolment_with_the_contract_fields(api, world, cast, cohort):
    response = api.as_user(cast.director).get(url(world))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {row["apprentice_name"] for row in body["results"]} == {
        "Ada Apprentice",
        "Ben Caseload",
        "Cara Elsewhere",
    }
    for row in body["results"]:
        assert set(row) >= CONTRACT
        assert row["rag"] in ("red", "amber", "green", "grey")
        assert row["rag_reasons"]
    ada = next(row for row in body["results"] if row["enrolment_id"] == world.enrolment.pk)
    assert ada["status"] == "active"
    assert ada["modules_passed"] == 0
    assert isinstance(ada["review_overdue"], bool)


def test_a_tutor_gets_only_their_caseload_rows(api, world, cast, cohort):
    body = api.as_user(cast.tutor).get(url(world)).json()

    assert sorted(row["enrolment_id"] for row in body["results"]) == sorted(e.pk for e in cohort.mine)


@pytest.mark.parametrize(
    "member", ["other_director", "other_tutor", "apprentice", "line_manager", "module_lead"]
)
def test_everyone_else_gets_a_404(api, world, cast, cohort, member):
    assert api.as_user(getattr(cast, member)).get(url(world)).status_code == 404


def test_signed_out_is_a_401(api, world, cohort):
    assert api.as_user(None).get(url(world)).status_code == 401


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999"])
def test_a_cohort_that_does_not_exist_is_a_404(api, cast, world, pk):
    assert api.as_user(cast.director).get(f"/api/v1/cohorts/{pk}/progress/").status_code == 404


def test_an_override_is_the_rating_and_says_so(api, world, cast, cohort):
    override(world.enrolment, cast.director, rag="green", reason="Agreed catch-up plan with the employer.")

    body = api.as_user(cast.director).get(url(world)).json()

    ada = next(row for row in body["results"] if row["enrolment_id"] == world.enrolment.pk)
    assert ada["rag"] == "green"
    assert ada["rag_overridden"] is True
    assert "Agreed catch-up plan with the employer." in ada["rag_reasons"][0]


def test_pages_of_rows(api, world, cast, cohort):
    body = api.as_user(cast.director).get(url(world) + "?page_size=2").json()

    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]


def test_the_query_count_does_not_grow_with_the_rows(api, world, cast, cohort):
    client = api.as_user(cast.director)
    client.get(url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(url(world) + "?page_size=200")
    add_rows(world, 10)
    client.get(url(world))  # the new rows' snapshots are computed once
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world) + "?page_size=200")

    assert response.json()["count"] == 13
    assert len(many) == len(few)
