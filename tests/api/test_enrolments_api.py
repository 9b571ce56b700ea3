"""GET /api/v1/enrolments/ and /{id}/: the contract's fields, scoping, filters, paging and query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Enrolment
from tests.contract import ENROLMENT_CONTRACT_FIELDS
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

INSIDERS = ["apprentice", "line_manager", "tutor", "director", "module_lead", "assessor", "admin"]
OUTSIDERS = ["other_apprentice", "other_manager", "other_tutor", "other_director"]
CONTRACT_FIELDS = ENROLMENT_CONTRACT_FIELDS


def results(response):
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]


def person(user):
    return {"id": user.pk, "full_name": user.full_name, "email": user.email}


def test_an_enrolment_has_every_field_of_the_contract(api, world, cast):
    response = api.as_user(cast.apprentice).get(f"/api/v1/enrolments/{world.enrolment.pk}/")

    assert response.status_code == 200
    body = response.json()
    # api.md allows extra fields; the contract's fields must all be there with these shapes.
    assert set(body) >= CONTRACT_FIELDS
    assert {field: body[field] for field in CONTRACT_FIELDS} == {
        "id": world.enrolment.pk,
        "apprentice": person(cast.apprentice),
        "programme": {"id": world.programme.pk, "name": "Senior Leader"},
        "cohort": {"id": world.cohort.pk, "name": "2025 cohort"},
        "employer": {"id": world.employer.pk, "name": "Northshire County Council"},
        "line_manager": person(cast.line_manager),
        "practice_tutor": person(cast.tutor),
        "status": "active",
        "start_date": "2025-09-15",
        "planned_end_date": "2027-09-13",
        "contracted_weekly_hours": "37.00",
    }


def test_weekly_hours_are_a_string_with_two_decimal_places(api, world, cast):
    world.enrolment.contracted_weekly_hours = Decimal("22.5")
    world.enrolment.save()

    body = api.as_user(cast.tutor).get(f"/api/v1/enrolments/{world.enrolment.pk}/").json()

    assert body["contracted_weekly_hours"] == "22.50"


def test_the_list_shows_the_same_objects_as_the_detail(api, world, cast):
    api.as_user(cast.director)

    listed = results(api.get("/api/v1/enrolments/"))

    assert listed == [api.get(f"/api/v1/enrolments/{world.enrolment.pk}/").json()]


@pytest.mark.parametrize("name", INSIDERS)
def test_everyone_connected_to_the_enrolment_sees_it(api, world, cast, name):
    api.as_user(getattr(cast, name))

    assert world.enrolment.pk in {row["id"] for row in results(api.get("/api/v1/enrolments/"))}
    assert api.get(f"/api/v1/enrolments/{world.enrolment.pk}/").status_code == 200


@pytest.mark.parametrize("name", OUTSIDERS)
def test_an_outsider_never_sees_the_enrolment(api, world, cast, name):
    api.as_user(getattr(cast, name))

    assert [row["id"] for row in results(api.get("/api/v1/enrolments/"))] == [world.other_enrolment.pk]
    assert api.get(f"/api/v1/enrolments/{world.enrolment.pk}/").status_code == 404


def test_someone_with_no_relationships_sees_no_enrolments(api, world):
    api.as_user(UserFactory())

    assert results(api.get("/api/v1/enrolments/")) == []
    assert api.get(f"/api/v1/enrolments/{world.enrolment.pk}/").status_code == 404


def test_an_enrolment_that_does_not_exist_is_404_like_one_you_may_not_see(api, world, cast):
    missing = Enrolment.objects.order_by("-pk").first().pk + 1000

    assert api.as_user(cast.admin).get(f"/api/v1/enrolments/{missing}/").status_code == 404


def test_enrolments_need_sign_in(api, world):
    api.as_user(None)

    assert api.get("/api/v1/enrolments/").status_code == 401
    assert api.get(f"/api/v1/enrolments/{world.enrolment.pk}/").status_code == 401


def test_the_admin_sees_every_enrolment(api, world, cast):
    rows = results(api.as_user(cast.admin).get("/api/v1/enrolments/"))

    assert {row["id"] for row in rows} == {world.enrolment.pk, world.other_enrolment.pk}


def test_the_status_filter_returns_only_that_status(api, world, cast):
    pending = EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.PENDING)
    withdrawn = EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.WITHDRAWN)
    api.as_user(cast.director)

    assert [row["id"] for row in results(api.get("/api/v1/enrolments/?status=pending"))] == [pending.pk]
    assert [row["id"] for row in results(api.get("/api/v1/enrolments/?status=withdrawn"))] == [withdrawn.pk]
    assert [row["id"] for row in results(api.get("/api/v1/enrolments/?status=active"))] == [
        world.enrolment.pk
    ]
    assert results(api.get("/api/v1/enrolments/?status=completed")) == []


def test_an_unknown_status_is_400_naming_the_field(api, world, cast):
    response = api.as_user(cast.director).get("/api/v1/enrolments/?status=finished")

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_the_cohort_filter_returns_only_that_cohort(api, world, cast):
    later = CohortFactory(programme=world.programme, name="2026 cohort")
    in_later = {EnrolmentFactory(cohort=later).pk for _ in range(2)}
    api.as_user(cast.director)

    assert {row["id"] for row in results(api.get(f"/api/v1/enrolments/?cohort={later.pk}"))} == in_later
    assert [row["id"] for row in results(api.get(f"/api/v1/enrolments/?cohort={world.cohort.pk}"))] == [
        world.enrolment.pk
    ]


def test_filtering_by_a_cohort_you_cannot_see_reveals_nothing(api, world, cast):
    other_cohort = world.other_enrolment.cohort

    response = api.as_user(cast.director).get(f"/api/v1/enrolments/?cohort={other_cohort.pk}")

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("field", ["cohort", "programme"])
def test_a_filter_does_not_tell_an_invisible_object_from_a_missing_one(api, world, cast, field):
    # 404 for anything the caller may not see, never revealing it exists: filtering by an id the caller
    # cannot see must answer exactly as filtering by an id that does not exist.
    invisible = {
        "cohort": world.other_enrolment.cohort,
        "programme": world.other_programme,
    }[field]
    api.as_user(cast.director)

    hidden = api.get(f"/api/v1/enrolments/?{field}={invisible.pk}")
    missing = api.get(f"/api/v1/enrolments/?{field}={invisible.pk + 100000}")

    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_page_size_splits_the_list_with_a_next_link(api, world, cast):
    for _ in range(4):
        EnrolmentFactory(cohort=world.cohort)
    api.as_user(cast.director)

    first = api.get("/api/v1/enrolments/?page_size=2").json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert "page_size=2" in first["next"]
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert second["previous"] is not None
    assert third["next"] is None
    ids = [row["id"] for body in (first, second, third) for row in body["results"]]
    assert len(ids) == len(set(ids)) == 5


def test_page_size_is_capped_at_200(api, world, cast):
    EnrolmentFactory.create_batch(
        205,
        cohort=world.cohort,
        employer=world.employer,
        line_manager=cast.line_manager,
        practice_tutor=cast.tutor,
    )

    body = api.as_user(cast.director).get("/api/v1/enrolments/?page_size=500").json()

    assert body["count"] == 206
    assert len(body["results"]) == 200
    assert body["next"] is not None


@pytest.mark.parametrize(("page", "status"), [("", 400), ("two", 400), ("-1", 400), ("1", 200), ("9", 404)])
def test_a_page_that_is_not_a_number_is_bad_input_and_one_past_the_end_is_not_found(
    api, cast, world, page, status
):
    response = api.as_user(cast.director).get(f"/api/v1/enrolments/?page={page}")
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"page": ["Give a page number of 1 or more."]}


@pytest.mark.parametrize(
    "url", ["/api/v1/enrolments/?status=", "/api/v1/otj-entries/?status=", "/api/v1/reviews/?status="]
)
def test_a_filter_given_with_no_value_is_bad_input_not_ignored(api, cast, world, url):
    response = api.as_user(cast.director).get(url)
    assert response.status_code == 400
    assert response.json() == {"status": ["Give a value, or leave this filter out."]}


@pytest.mark.parametrize("name", ["apprentice", "director", "admin"])
def test_enrolments_cannot_be_written_through_the_api(api, world, cast, name):
    api.as_user(getattr(cast, name))
    url = f"/api/v1/enrolments/{world.enrolment.pk}/"

    assert api.post("/api/v1/enrolments/", {"cohort": world.cohort.pk}).status_code == 405
    assert api.put(url, {"status": "withdrawn"}).status_code == 405
    assert api.patch(url, {"status": "withdrawn"}).status_code == 405
    assert api.delete(url).status_code == 405
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.ACTIVE


def count_list_queries(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/enrolments/")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_enrolments(api, world, cast):
    EnrolmentFactory.create_batch(2, cohort=world.cohort)
    api.as_user(cast.director)
    with_three, count = count_list_queries(api)
    assert count == 3

    EnrolmentFactory.create_batch(27, cohort=world.cohort)
    with_thirty, count = count_list_queries(api)
    assert count == 30

    assert with_thirty == with_three
