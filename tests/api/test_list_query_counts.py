"""List endpoints and list pages run a constant number of queries, however many rows they show."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from tests.factories import CohortFactory, ModuleFactory, ModuleRunFactory, ProgrammeFactory


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as context:
        response = fn()
    assert response.status_code == 200
    return len(context.captured_queries)


def add_programme_with_modules(world, director, n: int, modules: int = 6):
    programme = ProgrammeFactory(
        name=f"Extra programme {n}", provider=world.provider, standard=world.programme.standard
    )
    programme.directors.add(director)
    for order in range(1, modules + 1):
        module = ModuleFactory(programme=programme, order=order)
        module.ksbs.set(world.programme.standard.ksbs.all())
    return programme


def test_programmes_endpoint_query_count_does_not_grow_with_programmes_and_modules(api, world, cast):
    api.as_user(cast.director)
    few = count_queries(lambda: api.get("/api/v1/programmes/"))
    for n in range(4):
        add_programme_with_modules(world, cast.director, n)
    many_response = api.get("/api/v1/programmes/")
    assert many_response.json()["count"] == 5
    assert count_queries(lambda: api.get("/api/v1/programmes/")) == few


def test_cohorts_endpoint_query_count_does_not_grow_with_cohorts(api, world, cast):
    api.as_user(cast.director)
    few = count_queries(lambda: api.get("/api/v1/cohorts/"))
    for n in range(8):
        cohort = CohortFactory(programme=world.programme, name=f"Cohort {n}", start_date=date(2020 + n, 9, 1))
        ModuleRunFactory(
            module=world.module_run.module, cohort=cohort, online_start=cohort.start_date + timedelta(7)
        )
    assert api.get("/api/v1/cohorts/").json()["count"] == 9
    assert count_queries(lambda: api.get("/api/v1/cohorts/")) == few


def test_invitation_list_page_query_count_does_not_grow_with_invitations(client, world, cast):
    client.force_login(cast.director)
    services.invitation_send(
        invited_by=cast.director, email="first@example.test", full_name="First", organisation=world.employer
    )
    few = count_queries(lambda: client.get("/people/invitations/"))
    for n in range(15):
        services.invitation_send(
            invited_by=cast.director,
            email=f"p{n}@example.test",
            full_name=f"P {n}",
            organisation=world.employer,
        )
    response = client.get("/people/invitations/")
    assert response.context["page_obj"].paginator.count == 16
    assert count_queries(lambda: client.get("/people/invitations/")) == few
