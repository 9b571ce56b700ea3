"""The programme page: modules, KSBs and each cohort's timetable, for the people involved in the programme."""

import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import access
from programmes.models import KSB
from tests.factories import CohortFactory, ModuleFactory, ModuleRunFactory, UserFactory

INSIDERS = ["apprentice", "line_manager", "tutor", "director", "module_lead", "assessor", "admin"]
STAFF_INSIDERS = ["tutor", "director", "module_lead", "assessor", "admin"]
OUTSIDERS = ["other_apprentice", "other_manager", "other_tutor", "other_director"]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(world) -> str:
    return f"/programmes/{world.programme.pk}/"


@pytest.fixture
def mapped(world):
    """The world's Leadership module covers K1 and B1."""
    module = world.module_run.module
    module.ksbs.set(KSB.objects.filter(standard=world.programme.standard, code__in=["K1", "B1"]))
    return module


def test_the_access_policy_counts_the_expected_people_in_and_out(world, cast):
    for who in INSIDERS:
        assert world.programme in access.programmes_visible_to(getattr(cast, who)), who
    for who in OUTSIDERS:
        assert world.programme not in access.programmes_visible_to(getattr(cast, who)), who


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_see_the_modules_and_the_ksbs(client, world, cast, mapped, who):
    client.force_login(getattr(cast, who))

    response = client.get(_url(world))

    assert response.status_code == 200
    page = _text(response)
    assert "Senior Leader" in page
    assert "ST0480 v1.2 Senior leader, Level 7" in page
    assert "Leadership" in page
    assert "Year 1, Autumn" in page
    assert "6 weeks online, 2 campus days" in page
    ksb_cell = re.search(r"Leadership</td>.*?campus days</td><td>([^<]*)</td>", page, re.S).group(1)
    assert set(ksb_cell.split(", ")) == {"K1", "B1"}, "the module's KSBs are listed against it"
    for ksb in world.programme.standard.ksbs.all():
        assert ksb.statement in page


@pytest.mark.parametrize("who", STAFF_INSIDERS)
def test_staff_insiders_see_the_cohort_timetable(client, world, cast, who):
    client.force_login(getattr(cast, who))

    page = _text(client.get(_url(world)))

    assert "2025 cohort timetable" in page
    assert "22 Sep 2025 – 2 Nov 2025" in page, "six weeks online from 22 September"
    assert "Mon 3 Nov 2025, Tue 4 Nov 2025" in page, "two campus days after the online weeks"
    assert "Lee Lead" in page


@pytest.mark.parametrize("who", ["apprentice", "line_manager"])
def test_the_apprentice_and_their_line_manager_see_their_cohorts_timetable(client, world, cast, who):
    """They need the campus days: the apprentice attends and the line manager releases them from work."""
    client.force_login(getattr(cast, who))

    page = _text(client.get(_url(world)))

    assert "2025 cohort timetable" in page
    assert "Mon 3 Nov 2025, Tue 4 Nov 2025" in page


def test_the_director_sees_every_cohort_of_the_programme_and_no_other(client, world, cast):
    CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 9, 14))
    client.force_login(cast.director)

    page = _text(client.get(_url(world)))

    assert "2025 cohort timetable" in page
    assert "2026 cohort timetable" in page
    assert "No module runs scheduled." in page
    assert "Other cohort" not in page


@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_not_involved_in_the_programme_get_not_found(client, world, cast, who):
    client.force_login(getattr(cast, who))

    response = client.get(_url(world))

    assert response.status_code == 404
    assert "Leadership" not in _text(response)


def test_a_missing_programme_is_not_found(client, cast):
    client.force_login(cast.admin)

    assert client.get("/programmes/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(_url(world))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_says_when_no_ksbs_have_been_imported(client, world, cast):
    world.programme.standard.ksbs.all().delete()
    client.force_login(cast.director)

    assert "No KSBs imported yet" in _text(client.get(_url(world)))


def test_the_programme_page_runs_the_same_number_of_queries_however_many_modules(client, world, cast, mapped):
    client.force_login(cast.director)
    client.get(_url(world))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as with_one:
        client.get(_url(world))

    ksbs = list(KSB.objects.filter(standard=world.programme.standard))
    for order in range(2, 8):
        module = ModuleFactory(programme=world.programme, order=order, title=f"Extra module {order}")
        module.ksbs.set(ksbs)
        ModuleRunFactory(
            module=module,
            cohort=world.cohort,
            online_start=date(2026, 1, 5),
            lead=UserFactory(organisation=world.provider),
        )
        KSB.objects.create(
            standard=world.programme.standard, code=f"S{order}", kind="S", statement=f"Extra skill {order}"
        )
    with CaptureQueriesContext(connection) as with_seven:
        response = client.get(_url(world))

    assert "Extra module 7" in _text(response)
    assert len(with_seven) == len(with_one), "\n".join(q["sql"] for q in with_seven.captured_queries)
