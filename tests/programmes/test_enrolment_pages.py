"""The enrolment pages: who sees what, filters and paging, enrolling, the lifecycle form and change of employer."""

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Cohort, EmploymentPeriod, Enrolment, EnrolmentStatusChange
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

Status = Enrolment.Status
TODAY = date(2026, 1, 10)
OUTSIDERS = ["other_apprentice", "other_manager", "other_tutor", "other_director"]
INSIDERS = ["apprentice", "line_manager", "tutor", "director", "module_lead", "assessor", "admin"]
INSIDERS_WHO_MAY_NOT_MANAGE = ["apprentice", "line_manager", "tutor", "module_lead", "assessor"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _names(response) -> list[str]:
    return [enrolment.apprentice.full_name for enrolment in response.context["page_obj"].object_list]


def _as(client, user):
    client.force_login(user)
    return client


def _urls(world) -> dict[str, str]:
    pk = world.enrolment.pk
    return {
        "list": "/enrolments/",
        "detail": f"/enrolments/{pk}/",
        "new": "/enrolments/new/",
        "status": f"/enrolments/{pk}/status/",
        "employer": f"/enrolments/{pk}/employer/",
    }


# --- Who may see what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "detail", "new", "status", "employer"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, page):
    url = _urls(world)[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [url]


VISIBLE_IN_LIST = {
    "apprentice": {"Ada Apprentice"},
    "line_manager": {"Ada Apprentice"},
    "tutor": {"Ada Apprentice"},
    "module_lead": {"Ada Apprentice"},
    "assessor": {"Ada Apprentice"},
    "director": {"Ada Apprentice", "Cal Later"},
    "other_apprentice": {"Olly Otherapprentice"},
    "other_manager": {"Olly Otherapprentice"},
    "other_tutor": {"Olly Otherapprentice"},
    "other_director": {"Olly Otherapprentice"},
    "admin": {"Ada Apprentice", "Cal Later", "Olly Otherapprentice"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE_IN_LIST))
def test_each_person_sees_exactly_the_enrolments_they_should_in_the_list(client, world, cast, who):
    later_cohort = CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 1, 12))
    EnrolmentFactory(cohort=later_cohort, apprentice__full_name="Cal Later")

    response = _as(client, getattr(cast, who)).get("/enrolments/")

    assert response.status_code == 200
    assert set(_names(response)) == VISIBLE_IN_LIST[who]
    page = _text(response)
    for name in {"Ada Apprentice", "Cal Later", "Olly Otherapprentice"} - VISIBLE_IN_LIST[who]:
        assert name not in page


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_detail_page_is_not_found_for_outsiders(client, world, cast, who):
    response = _as(client, getattr(cast, who)).get(f"/enrolments/{world.enrolment.pk}/")

    assert response.status_code == 404
    assert "Ada Apprentice" not in _text(response)


@pytest.mark.parametrize("who", INSIDERS)
def test_the_detail_page_shows_the_enrolment_to_insiders(client, world, cast, who):
    response = _as(client, getattr(cast, who)).get(f"/enrolments/{world.enrolment.pk}/")

    assert response.status_code == 200
    page = _text(response)
    for fact in (
        "Ada Apprentice",
        "Northshire County Council",
        "Mina Manager",
        "Tara Tutor",
        "Senior Leader",
    ):
        assert fact in page


def test_a_missing_enrolment_is_not_found(client, cast):
    assert _as(client, cast.admin).get("/enrolments/999999/").status_code == 404


# --- Filters, sorting and paging ----------------------------------------------------------------------------


@pytest.fixture
def later_cohort(world):
    return CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 1, 12))


@pytest.fixture
def varied(world, later_cohort):
    """Four enrolments the director can see, differing in status, cohort, start date and name."""
    EnrolmentFactory(
        cohort=world.cohort,
        apprentice__full_name="Bea Breaker",
        status=Status.BREAK_IN_LEARNING,
        start_date=date(2025, 10, 1),
        apprentice__email="bea@example.test",
    )
    EnrolmentFactory(
        cohort=world.cohort,
        apprentice__full_name="Will Withdrawn",
        status=Status.WITHDRAWN,
        start_date=date(2025, 9, 1),
    )
    EnrolmentFactory(
        cohort=later_cohort,
        apprentice__full_name="Cal Later",
        start_date=date(2026, 1, 12),
        planned_end_date=date(2028, 1, 10),
    )


def test_the_list_is_sorted_by_name_by_default(client, cast, varied):
    response = _as(client, cast.director).get("/enrolments/")

    assert _names(response) == ["Ada Apprentice", "Bea Breaker", "Cal Later", "Will Withdrawn"]


def test_the_status_filter_shows_only_that_status(client, cast, varied):
    response = _as(client, cast.director).get("/enrolments/", {"status": "withdrawn"})

    assert _names(response) == ["Will Withdrawn"]


def test_the_cohort_filter_shows_only_that_cohort(client, world, cast, varied, later_cohort):
    client = _as(client, cast.director)

    assert _names(client.get("/enrolments/", {"cohort": later_cohort.pk})) == ["Cal Later"]
    assert _names(client.get("/enrolments/", {"cohort": world.cohort.pk})) == [
        "Ada Apprentice",
        "Bea Breaker",
        "Will Withdrawn",
    ]


def test_a_cohort_filter_that_is_not_a_number_is_ignored(client, cast, varied):
    response = _as(client, cast.director).get("/enrolments/", {"cohort": "1 OR 1=1"})

    assert response.status_code == 200
    assert len(_names(response)) == 4


def test_the_search_matches_names_and_email_addresses(client, cast, varied):
    client = _as(client, cast.director)

    assert _names(client.get("/enrolments/", {"q": "ada"})) == ["Ada Apprentice"]
    assert _names(client.get("/enrolments/", {"q": " WITHDRAWN "})) == ["Will Withdrawn"]
    assert _names(client.get("/enrolments/", {"q": "bea@example"})) == ["Bea Breaker"]


def test_the_search_never_reaches_beyond_what_the_user_may_see(client, cast, varied):
    response = _as(client, cast.director).get("/enrolments/", {"q": "Olly"})

    assert _names(response) == []
    assert "No enrolments match these filters" in _text(response)


def test_filters_combine(client, world, cast, varied):
    response = _as(client, cast.director).get("/enrolments/", {"cohort": world.cohort.pk, "status": "active"})

    assert _names(response) == ["Ada Apprentice"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-name", ["Will Withdrawn", "Cal Later", "Bea Breaker", "Ada Apprentice"]),
        ("start", ["Will Withdrawn", "Ada Apprentice", "Bea Breaker", "Cal Later"]),
        ("-start", ["Cal Later", "Bea Breaker", "Ada Apprentice", "Will Withdrawn"]),
        ("status", ["Ada Apprentice", "Cal Later", "Bea Breaker", "Will Withdrawn"]),
        ("nonsense", ["Ada Apprentice", "Bea Breaker", "Cal Later", "Will Withdrawn"]),
    ],
)
def test_the_list_can_be_sorted(client, cast, varied, sort, expected):
    response = _as(client, cast.director).get("/enrolments/", {"sort": sort})

    assert _names(response) == expected


@pytest.fixture
def thirty_more(world):
    for n in range(30):
        EnrolmentFactory(cohort=world.cohort, apprentice__full_name=f"Bulk Apprentice {n:02d}")


def _link(response, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]*)" rel="{rel}"', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def test_the_list_shows_25_a_page_and_the_next_link_keeps_the_filters(client, cast, thirty_more):
    client = _as(client, cast.director)

    first = client.get("/enrolments/", {"q": "bulk", "status": "active", "sort": "-name"})

    assert first.context["page_obj"].paginator.count == 30
    assert len(_names(first)) == 25
    assert _names(first)[0] == "Bulk Apprentice 29"
    next_link = _link(first, "next")
    assert next_link is not None
    assert parse_qs(urlsplit(next_link).query) == {
        "q": ["bulk"],
        "status": ["active"],
        "sort": ["-name"],
        "page": ["2"],
    }

    second = client.get("/enrolments/" + next_link)

    assert _names(second) == [f"Bulk Apprentice {n:02d}" for n in (4, 3, 2, 1, 0)]
    assert _link(second, "next") is None
    assert parse_qs(urlsplit(_link(second, "prev")).query)["q"] == ["bulk"]


def test_the_list_runs_the_same_number_of_queries_for_3_or_30_enrolments(client, world, cast):
    client = _as(client, cast.director)
    for n in range(2):
        EnrolmentFactory(cohort=world.cohort, apprentice__full_name=f"Early {n}")
    client.get("/enrolments/")  # warm up (session, content types)

    with CaptureQueriesContext(connection) as with_three:
        response = client.get("/enrolments/")
    assert len(_names(response)) == 3

    for n in range(27):
        EnrolmentFactory(cohort=world.cohort, apprentice__full_name=f"Late {n:02d}")
    with CaptureQueriesContext(connection) as with_thirty:
        response = client.get("/enrolments/")
    assert response.context["page_obj"].paginator.count == 30

    assert len(with_thirty) == len(with_three), "\n".join(q["sql"] for q in with_thirty.captured_queries)


# --- Enrolling an apprentice ----------------------------------------------------------------------------------


@pytest.fixture
def newcomer(world):
    return UserFactory(
        email="nia.newcomer@example.test", full_name="Nia Newcomer", organisation=world.employer
    )


@pytest.fixture
def valid_post(world, cast, newcomer):
    return {
        "apprentice": newcomer.pk,
        "cohort": world.cohort.pk,
        "employer": world.employer.pk,
        "line_manager": cast.line_manager.pk,
        "practice_tutor": cast.tutor.pk,
        "start_date": "2026-01-12",
        "planned_end_date": "2028-01-10",
        "contracted_weekly_hours": "37",
        "prior_learning_hours": "",
        "prior_learning_notes": "",
    }


def _row_counts() -> tuple[int, int, int]:
    return Enrolment.objects.count(), EmploymentPeriod.objects.count(), EnrolmentStatusChange.objects.count()


@pytest.mark.parametrize(
    "who",
    [
        "apprentice",
        "line_manager",
        "tutor",
        "module_lead",
        "assessor",
        "other_apprentice",
        "other_manager",
        "other_tutor",
    ],
)
def test_the_enrol_page_is_forbidden_to_people_who_direct_no_programme(client, cast, valid_post, who):
    client = _as(client, getattr(cast, who))
    before = _row_counts()

    assert client.get("/enrolments/new/").status_code == 403
    assert client.post("/enrolments/new/", valid_post).status_code == 403
    assert _row_counts() == before


def test_the_enrol_page_offers_the_director_only_their_programmes_cohorts(client, world, cast):
    response = _as(client, cast.director).get("/enrolments/new/")

    assert response.status_code == 200
    assert list(response.context["form"].fields["cohort"].queryset) == [world.cohort]


def test_a_director_cannot_enrol_on_another_programmes_cohort(client, cast, valid_post):
    before = _row_counts()

    response = _as(client, cast.other_director).post("/enrolments/new/", valid_post)

    assert response.status_code == 400
    assert "Select a valid choice" in _text(response)
    assert _row_counts() == before


BAD_ENROLMENTS = {
    "end-before-start": (
        {"planned_end_date": "2026-01-05"},
        "The planned end date must be after the start date.",
    ),
    "end-on-start": (
        {"planned_end_date": "2026-01-12"},
        "The planned end date must be after the start date.",
    ),
    "hours-60": ({"contracted_weekly_hours": "60"}, "Contracted weekly hours must be between 1 and 48."),
    "hours-half": ({"contracted_weekly_hours": "0.5"}, "Contracted weekly hours must be between 1 and 48."),
    "manager-from-other-employer": (
        {"line_manager": "other_manager"},
        "Omar Othermanager works for Riverside NHS Trust, not Northshire County Council",
    ),
    "already-enrolled": ({"apprentice": "apprentice"}, "Ada Apprentice is already enrolled on Senior Leader"),
    "negative-prior-learning": ({"prior_learning_hours": "-3"}, "greater than or equal to 0"),
}


@pytest.mark.parametrize("case", list(BAD_ENROLMENTS))
def test_a_bad_enrolment_is_shown_again_with_the_reason_and_saves_nothing(client, cast, valid_post, case):
    overrides, message = BAD_ENROLMENTS[case]
    data = valid_post | {
        field: getattr(cast, value).pk if field in ("line_manager", "apprentice") else value
        for field, value in overrides.items()
    }
    before = _row_counts()

    response = _as(client, cast.director).post("/enrolments/new/", data)

    assert response.status_code == 400
    assert message in _text(response)
    assert _row_counts() == before


def test_a_valid_enrolment_goes_to_the_new_enrolments_page(client, world, cast, valid_post, newcomer):
    response = _as(client, cast.director).post("/enrolments/new/", valid_post)

    enrolment = Enrolment.objects.get(apprentice=newcomer)
    assert response.status_code == 302
    assert response["Location"] == f"/enrolments/{enrolment.pk}/"
    assert enrolment.status == Status.PENDING
    assert enrolment.prior_learning_hours == 0
    page = _text(client.get(response["Location"]))
    assert "Nia Newcomer is enrolled" in page
    assert "Pending training plan signatures" in page


# --- The lifecycle form ---------------------------------------------------------------------------------------


def _withdrawal(**overrides) -> dict:
    return {
        "to_status": "withdrawn",
        "effective_on": "2026-01-05",
        "reason": "Left for a post abroad",
        "withdrawal_reason_code": "44",
    } | overrides


@pytest.mark.parametrize("who", INSIDERS_WHO_MAY_NOT_MANAGE)
def test_the_status_page_is_forbidden_to_insiders_who_do_not_direct_the_programme(client, world, cast, who):
    client = _as(client, getattr(cast, who))

    assert client.get(f"/enrolments/{world.enrolment.pk}/status/").status_code == 403
    assert client.post(f"/enrolments/{world.enrolment.pk}/status/", _withdrawal()).status_code == 403
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_status_page_is_not_found_for_outsiders(client, world, cast, who):
    client = _as(client, getattr(cast, who))

    assert client.get(f"/enrolments/{world.enrolment.pk}/status/").status_code == 404
    assert client.post(f"/enrolments/{world.enrolment.pk}/status/", _withdrawal()).status_code == 404
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE


def test_the_status_page_offers_only_the_allowed_moves(client, world, cast):
    response = _as(client, cast.director).get(f"/enrolments/{world.enrolment.pk}/status/")

    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
    assert choices == ["break_in_learning", "gateway", "withdrawn"]


def test_the_director_can_withdraw_an_apprentice_and_the_history_shows_it(client, world, cast):
    client = _as(client, cast.director)

    response = client.post(f"/enrolments/{world.enrolment.pk}/status/", _withdrawal())

    assert response.status_code == 302
    assert response["Location"] == f"/enrolments/{world.enrolment.pk}/"
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.WITHDRAWN
    assert world.enrolment.withdrawal_reason == "Left for a post abroad"
    assert world.enrolment.withdrawal_reason_code == "44"
    assert world.enrolment.actual_end_date == date(2026, 1, 5)
    page = _text(client.get(response["Location"]))
    assert "Active → Withdrawn: Left for a post abroad" in page
    assert "5 January 2026" in page
    assert "by Dana Director" in page


def test_withdrawing_without_a_reason_is_refused_and_changes_nothing(client, world, cast):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/status/", _withdrawal(reason=" ")
    )

    assert response.status_code == 400
    assert "Give a reason" in _text(response)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert world.enrolment.actual_end_date is None
    assert not EnrolmentStatusChange.objects.filter(enrolment=world.enrolment).exists()


def test_withdrawing_needs_a_reason_from_the_learner_record_list(client, world, cast):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/status/", _withdrawal(withdrawal_reason_code="")
    )

    assert response.status_code == 400
    assert "Choose the withdrawal reason from the learner-record list." in _text(response)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert world.enrolment.withdrawal_reason_code == ""


def test_a_change_dated_in_the_future_is_refused(client, world, cast):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/status/", _withdrawal(effective_on="2026-02-01")
    )

    assert response.status_code == 400
    assert "cannot take effect in the future" in _text(response)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE


def test_a_move_the_lifecycle_does_not_allow_is_refused_by_the_form(client, world, cast):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/status/", _withdrawal(to_status="completed")
    )

    assert response.status_code == 400
    assert "Select a valid choice" in _text(response)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE


def test_the_status_page_of_a_withdrawn_enrolment_says_it_is_final(client, world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Status.WITHDRAWN)
    client = _as(client, cast.director)

    response = client.post(f"/enrolments/{world.enrolment.pk}/status/", _withdrawal(to_status="active"))

    assert response.status_code == 302
    assert response["Location"] == f"/enrolments/{world.enrolment.pk}/"
    assert "its status is final" in _text(client.get(response["Location"]))
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.WITHDRAWN


# --- Change of employer -----------------------------------------------------------------------------------------


@pytest.fixture
def first_period(world, cast):
    """The employment period enrolment_create would have opened (the factory builds enrolments directly)."""
    return EmploymentPeriod.objects.create(
        enrolment=world.enrolment,
        employer=world.employer,
        line_manager=cast.line_manager,
        start_date=world.enrolment.start_date,
    )


def _move(world, cast, **overrides) -> dict:
    return {
        "employer": world.other_employer.pk,
        "line_manager": cast.other_manager.pk,
        "effective_on": "2026-01-05",
    } | overrides


@pytest.mark.parametrize("who", INSIDERS_WHO_MAY_NOT_MANAGE)
def test_the_employer_page_is_forbidden_to_insiders_who_do_not_direct_the_programme(client, world, cast, who):
    client = _as(client, getattr(cast, who))

    assert client.get(f"/enrolments/{world.enrolment.pk}/employer/").status_code == 403
    assert client.post(f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast)).status_code == 403
    world.enrolment.refresh_from_db()
    assert world.enrolment.employer == world.employer


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_employer_page_is_not_found_for_outsiders(client, world, cast, who):
    client = _as(client, getattr(cast, who))

    assert client.get(f"/enrolments/{world.enrolment.pk}/employer/").status_code == 404
    assert client.post(f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast)).status_code == 404
    world.enrolment.refresh_from_db()
    assert world.enrolment.employer == world.employer


def test_the_director_records_a_change_of_employer_end_to_end(client, world, cast, first_period):
    client = _as(client, cast.director)
    assert client.get(f"/enrolments/{world.enrolment.pk}/employer/").status_code == 200

    response = client.post(f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast))

    assert response.status_code == 302
    assert response["Location"] == f"/enrolments/{world.enrolment.pk}/"
    world.enrolment.refresh_from_db()
    assert (world.enrolment.employer, world.enrolment.line_manager) == (
        world.other_employer,
        cast.other_manager,
    )
    cast.apprentice.refresh_from_db()
    assert cast.apprentice.organisation == world.other_employer
    page = _text(client.get(response["Location"]))
    assert "Change of employer recorded: Riverside NHS Trust from 05/01/2026." in page
    assert "Northshire County Council (line manager Mina Manager): 15/09/2025 – 04/01/2026" in page
    assert "Riverside NHS Trust (line manager Omar Othermanager): 05/01/2026 – now" in page


def test_a_new_line_manager_from_the_old_employer_is_refused_on_the_page(client, world, cast, first_period):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast, line_manager=cast.line_manager.pk)
    )

    assert response.status_code == 400
    assert "Mina Manager works for Northshire County Council, not Riverside NHS Trust" in _text(response)
    assert list(world.enrolment.employment_periods.all()) == [first_period]
    world.enrolment.refresh_from_db()
    assert world.enrolment.employer == world.employer


def test_a_change_of_employer_dated_before_the_current_period_is_refused_on_the_page(
    client, world, cast, first_period
):
    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast, effective_on="2025-09-15")
    )

    assert response.status_code == 400
    assert "must take effect after the current employment period began (15/09/2025)" in _text(response)
    first_period.refresh_from_db()
    assert first_period.end_date is None


def test_a_withdrawn_enrolment_cannot_change_employer_on_the_page(client, world, cast, first_period):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Status.WITHDRAWN)

    response = _as(client, cast.director).post(
        f"/enrolments/{world.enrolment.pk}/employer/", _move(world, cast)
    )

    assert response.status_code == 400
    assert "The enrolment has ended" in _text(response)
    assert EmploymentPeriod.objects.filter(enrolment=world.enrolment).count() == 1


def test_the_cohorts_in_the_filter_are_those_the_user_works_with(client, world, cast, later_cohort):
    response = _as(client, cast.director).get("/enrolments/")

    assert set(response.context["cohorts"]) == set(Cohort.objects.filter(programme=world.programme))
