"""The home page: every role lands on a page showing its own data, and nobody else's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

EMPTY_STATE = "When a programme director enrols you or assigns you to an apprentice, it will appear here."


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def cohort_row(html, cohort_name):
    """The cells of the director's cohort table row for one cohort (whitespace between tags ignored)."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    matching = [row for row in rows if cohort_name in row]
    assert len(matching) == 1, f"expected one row for {cohort_name!r}, found {len(matching)}"
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", matching[0], flags=re.S)]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_apprentice_sees_their_programme_and_their_tutor(client, world, cast):
    html = home(client, cast.apprentice)

    assert "Your apprenticeship" in html
    assert "Senior Leader" in html
    assert "Tara Tutor" in html
    assert "Mina Manager" in html
    assert "Other Programme" not in html
    assert "Otto Othertutor" not in html


def test_the_line_manager_sees_their_apprentice_and_not_the_other_one(client, world, cast):
    html = home(client, cast.line_manager)

    assert "Apprentices you manage" in html
    assert "Ada Apprentice" in html
    assert "Olly Otherapprentice" not in html


def test_the_other_line_manager_sees_only_their_own_apprentice(client, world, cast):
    html = home(client, cast.other_manager)

    assert "Olly Otherapprentice" in html
    assert "Ada Apprentice" not in html


def test_the_tutor_sees_their_caseload(client, world, cast):
    html = home(client, cast.tutor)

    assert "Your caseload" in html
    assert "Ada Apprentice" in html
    assert "Olly Otherapprentice" not in html


def test_withdrawn_apprentices_leave_the_tutors_caseload(client, world, cast):
    world.enrolment.status = Enrolment.Status.WITHDRAWN
    world.enrolment.save()

    html = home(client, cast.tutor)

    assert "Your caseload is empty." in html
    assert "Ada Apprentice" not in html


def test_the_director_sees_each_cohort_with_counts_and_can_enrol_an_apprentice(client, world, cast):
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.PENDING)
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.PENDING)
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.BREAK_IN_LEARNING)
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.GATEWAY)
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.EPA)
    EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.WITHDRAWN)

    html = home(client, cast.director)

    assert "Your programmes" in html
    assert "Senior Leader" in html
    assert "2025 cohort" in html
    # Apprentices, pending, active, on a break, gateway/EPA, completed, withdrawn.
    cells = cohort_row(html, "2025 cohort")
    assert cells[:7] == ["7", "2", "1", "1", "2", "0", "1"]
    assert "/ksb-heatmap/" in cells[7]
    assert "Enrol an apprentice" in html
    assert 'href="/enrolments/new/"' in html
    assert "Other cohort" not in html


def test_the_other_director_does_not_see_the_directors_cohort(client, world, cast):
    html = home(client, cast.other_director)

    assert "Other Programme" in html
    assert "Other cohort" in html
    assert "2025 cohort" not in html
    assert "Senior Leader" not in html


def test_the_module_lead_sees_the_module_run(client, world, cast):
    html = home(client, cast.module_lead)

    assert "Modules you lead" in html
    row = cohort_row(html, "2025 cohort")
    assert row[:2] == ["Leadership", "2025 cohort"]
    assert "22 Sep 2025" in row[2]


def test_the_assessor_sees_the_apprentice_in_end_point_assessment(client, world, cast):
    html = home(client, cast.assessor)

    assert "End-point assessments assigned to you" in html
    assert "Ada Apprentice" in html
    assert "Olly Otherapprentice" not in html


@pytest.mark.parametrize("name", ["apprentice", "line_manager", "tutor"])
def test_a_pending_enrolment_needs_the_attention_of_each_party(client, world, cast, name):
    world.enrolment.status = Enrolment.Status.PENDING
    world.enrolment.save()

    html = home(client, getattr(cast, name))

    assert "Needs attention" in html
    attention = html.split("Needs attention", 1)[1].split("</section>", 1)[0]
    assert "Ada Apprentice" in attention
    assert "training plan awaiting signatures" in attention


@pytest.mark.parametrize("name", ["apprentice", "line_manager", "tutor"])
def test_an_active_enrolment_needs_no_attention(client, world, cast, name):
    assert "Needs attention" not in home(client, getattr(cast, name))


def test_someone_elses_pending_enrolment_does_not_need_your_attention(client, world, cast):
    world.enrolment.status = Enrolment.Status.PENDING
    world.enrolment.save()

    assert "Needs attention" not in home(client, cast.other_manager)


def test_a_person_with_no_relationships_sees_the_empty_state(client, world):
    html = home(client, UserFactory(full_name="Nora Nobody"))

    assert "Nothing has been assigned to you yet." in html
    assert EMPTY_STATE in html
    assert "Ada Apprentice" not in html
    assert "Senior Leader" not in html


def test_someone_with_a_role_does_not_see_the_empty_state(client, world, cast):
    html = home(client, cast.apprentice)

    assert "Nothing has been assigned to you yet." not in html
    assert EMPTY_STATE not in html


def count_home_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_the_directors_home_runs_the_same_number_of_queries_for_2_and_20_enrolments(client, world, cast):
    EnrolmentFactory(cohort=world.cohort)
    assert Enrolment.objects.filter(programme=world.programme).count() == 2
    with_two = count_home_queries(client, cast.director)

    for _ in range(18):
        EnrolmentFactory(cohort=world.cohort, status=Enrolment.Status.PENDING)
    assert Enrolment.objects.filter(programme=world.programme).count() == 20
    with_twenty = count_home_queries(client, cast.director)

    assert with_twenty == with_two


def test_the_directors_home_runs_the_same_number_of_queries_for_1_and_5_cohorts(client, world, cast):
    with_one = count_home_queries(client, cast.director)

    for year in range(2026, 2030):
        EnrolmentFactory(cohort=CohortFactory(programme=world.programme, name=f"{year} cohort"))
    with_five = count_home_queries(client, cast.director)

    assert with_five == with_one


def test_the_tutors_caseload_runs_the_same_number_of_queries_for_1_and_20_apprentices(client, world, cast):
    with_one = count_home_queries(client, cast.tutor)

    for _ in range(19):
        EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.tutor)
    html = client.get("/").content.decode()
    assert html.count('href="/enrolments/') >= 20
    with_twenty = count_home_queries(client, cast.tutor)

    assert with_twenty == with_one
