"""GET /api/v1/programmes/ and /api/v1/cohorts/: the contract's shapes, scoped by the access policy."""

from datetime import date

import pytest

from programmes.models import KSB
from tests.factories import CohortFactory, EnrolmentFactory, ModuleFactory, UserFactory

PAGE_KEYS = {"count", "next", "previous", "results"}


def page(response):
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == len(body["results"])
    return body


@pytest.fixture
def modules(world):
    """Three modules created out of order; the third covers two KSBs."""
    third = ModuleFactory(
        programme=world.programme, order=3, title="Evidence and Policy", year=2, term="autumn"
    )
    third.ksbs.set(KSB.objects.filter(standard=world.programme.standard, code__in=["K2", "S1"]))
    ModuleFactory(
        programme=world.programme, order=2, title="Digital Era Public Policy", year=1, term="summer"
    )
    return world.programme.modules.order_by("order")


def test_the_programme_shows_its_standard_modules_and_ksbs(api, world, cast, modules):
    body = page(api.as_user(cast.apprentice).get("/api/v1/programmes/"))

    assert body["count"] == 1
    programme = body["results"][0]
    assert programme["id"] == world.programme.pk
    assert programme["name"] == "Senior Leader"
    standard = programme["standard"]
    assert (standard["code"], standard["version"], standard["level"]) == ("ST0480", "1.2", 7)
    assert [
        {key: module[key] for key in ("order", "title", "year", "term")} for module in programme["modules"]
    ] == [
        {"order": 1, "title": "Leadership", "year": 1, "term": "autumn"},
        {"order": 2, "title": "Digital Era Public Policy", "year": 1, "term": "summer"},
        {"order": 3, "title": "Evidence and Policy", "year": 2, "term": "autumn"},
    ]
    assert all(isinstance(module["id"], int) for module in programme["modules"])
    assert sorted(programme["modules"][2]["ksbs"]) == ["K2", "S1"]
    assert sorted(ksb["code"] for ksb in programme["ksbs"]) == ["B1", "K1", "K2", "S1"]
    assert {ksb["kind"] for ksb in programme["ksbs"]} == {"K", "S", "B"}
    assert all(ksb["statement"] for ksb in programme["ksbs"])


def test_the_programme_detail_has_the_same_shape_as_the_list(api, world, cast, modules):
    api.as_user(cast.director)
    listed = page(api.get("/api/v1/programmes/"))["results"][0]

    response = api.get(f"/api/v1/programmes/{world.programme.pk}/")

    assert response.status_code == 200
    assert response.json() == listed


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("apprentice", {"programme"}),
        ("line_manager", {"programme"}),
        ("tutor", {"programme"}),
        ("director", {"programme"}),
        ("module_lead", {"programme"}),
        ("assessor", {"programme"}),
        ("other_apprentice", {"other_programme"}),
        ("other_manager", {"other_programme"}),
        ("other_tutor", {"other_programme"}),
        ("other_director", {"other_programme"}),
        ("admin", {"programme", "other_programme"}),
    ],
)
def test_each_person_lists_only_the_programmes_they_work_on(api, world, cast, name, expected):
    body = page(api.as_user(getattr(cast, name)).get("/api/v1/programmes/"))

    assert {programme["id"] for programme in body["results"]} == {getattr(world, key).pk for key in expected}


@pytest.mark.parametrize("name", ["other_apprentice", "other_manager", "other_tutor", "other_director"])
def test_an_outsider_gets_404_on_the_programme(api, world, cast, name):
    response = api.as_user(getattr(cast, name)).get(f"/api/v1/programmes/{world.programme.pk}/")

    assert response.status_code == 404


def test_someone_with_no_relationships_sees_no_programmes(api, world):
    api.as_user(UserFactory())

    assert page(api.get("/api/v1/programmes/"))["results"] == []
    assert api.get(f"/api/v1/programmes/{world.programme.pk}/").status_code == 404


def test_programmes_need_sign_in(api, world):
    api.as_user(None)

    assert api.get("/api/v1/programmes/").status_code == 401
    assert api.get(f"/api/v1/programmes/{world.programme.pk}/").status_code == 401


@pytest.mark.parametrize("name", ["tutor", "director", "module_lead", "assessor", "admin"])
def test_staff_roles_see_the_cohort(api, world, cast, name):
    api.as_user(getattr(cast, name))

    body = page(api.get("/api/v1/cohorts/"))
    detail = api.get(f"/api/v1/cohorts/{world.cohort.pk}/")

    assert world.cohort.pk in {cohort["id"] for cohort in body["results"]}
    assert detail.status_code == 200
    assert detail.json() == {
        "id": world.cohort.pk,
        "name": "2025 cohort",
        "start_date": "2025-09-15",
        "programme": {"id": world.programme.pk, "name": "Senior Leader"},
        "enrolment_count": 1,
    }


@pytest.mark.parametrize("name", ["apprentice", "line_manager", "other_apprentice", "other_manager"])
def test_apprentices_and_line_managers_see_no_cohorts(api, world, cast, name):
    api.as_user(getattr(cast, name))

    assert page(api.get("/api/v1/cohorts/"))["results"] == []
    assert api.get(f"/api/v1/cohorts/{world.cohort.pk}/").status_code == 404
    assert api.get(f"/api/v1/cohorts/{world.other_enrolment.cohort.pk}/").status_code == 404


@pytest.mark.parametrize("name", ["other_tutor", "other_director"])
def test_staff_on_another_programme_get_404_on_the_cohort(api, world, cast, name):
    api.as_user(getattr(cast, name))

    assert [cohort["id"] for cohort in page(api.get("/api/v1/cohorts/"))["results"]] == [
        world.other_enrolment.cohort.pk
    ]
    assert api.get(f"/api/v1/cohorts/{world.cohort.pk}/").status_code == 404


def test_the_director_sees_every_cohort_of_the_programme_with_its_enrolment_count(api, world, cast):
    later = CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 9, 14))
    for _ in range(3):
        EnrolmentFactory(cohort=later)

    body = page(api.as_user(cast.director).get("/api/v1/cohorts/"))

    assert [(cohort["name"], cohort["enrolment_count"]) for cohort in body["results"]] == [
        ("2026 cohort", 3),
        ("2025 cohort", 1),
    ]


def test_cohorts_are_paginated_with_a_next_link(api, world, cast):
    for year in range(2026, 2030):
        CohortFactory(programme=world.programme, name=f"{year} cohort")

    body = api.as_user(cast.director).get("/api/v1/cohorts/?page_size=2").json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_cohorts_are_read_only(api, world, cast):
    api.as_user(cast.director)

    assert api.post("/api/v1/cohorts/", {"name": "New", "programme": world.programme.pk}).status_code == 405
    assert api.delete(f"/api/v1/cohorts/{world.cohort.pk}/").status_code == 405
