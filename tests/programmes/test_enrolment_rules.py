"""The rules for enrolling an apprentice (programmes.services.enrolment_create) and the database's backstops."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.errors import ActionNotAllowed, DomainError
from programmes import services
from programmes.models import Cohort, Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, ProviderFactory, UserFactory
from tests.guards import assert_unchanged

START = date(2026, 1, 12)
PLANNED_END = date(2028, 1, 10)
LIVE_OR_COMPLETED = [status for status in Enrolment.Status.values if status != Enrolment.Status.WITHDRAWN]


@pytest.fixture
def newcomer(world):
    """An apprentice at the world's employer who is not enrolled on anything yet."""
    return UserFactory(
        email="nia.newcomer@example.test", full_name="Nia Newcomer", organisation=world.employer
    )


@pytest.fixture
def enrol(world, cast, newcomer):
    """Call enrolment_create with valid arguments for the newcomer, overridden by keyword."""

    def _enrol(**overrides):
        arguments = {
            "created_by": cast.director,
            "apprentice": newcomer,
            "cohort": world.cohort,
            "employer": world.employer,
            "line_manager": cast.line_manager,
            "practice_tutor": cast.tutor,
            "start_date": START,
            "planned_end_date": PLANNED_END,
            "contracted_weekly_hours": Decimal("37"),
        }
        return services.enrolment_create(**(arguments | overrides))

    return _enrol


def _assert_refused(enrol, *, message: str, field: str, **overrides) -> DomainError:
    with assert_unchanged("a refused enrolment"), pytest.raises(DomainError) as caught:
        enrol(**overrides)
    assert message in caught.value.message
    assert caught.value.field == field
    return caught.value


def test_a_valid_enrolment_by_the_director_is_pending_with_one_employment_period_and_one_status_change(
    enrol, world, cast, newcomer
):
    enrolment = enrol(prior_learning_hours=Decimal("12.5"), prior_learning_notes="CMI Level 5 certificate")

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PENDING
    assert enrolment.apprentice == newcomer
    assert enrolment.programme == world.programme
    assert enrolment.cohort == world.cohort
    assert enrolment.employer == world.employer
    assert enrolment.line_manager == cast.line_manager
    assert enrolment.practice_tutor == cast.tutor
    assert (enrolment.start_date, enrolment.planned_end_date) == (START, PLANNED_END)
    assert enrolment.contracted_weekly_hours == Decimal("37")
    assert enrolment.prior_learning_hours == Decimal("12.5")
    assert enrolment.actual_end_date is None

    [period] = enrolment.employment_periods.all()
    assert (period.employer, period.line_manager, period.start_date, period.end_date) == (
        world.employer,
        cast.line_manager,
        START,
        None,
    )
    [change] = enrolment.status_changes.all()
    assert (change.from_status, change.to_status, change.effective_on, change.changed_by) == (
        "",
        Enrolment.Status.PENDING,
        START,
        cast.director,
    )


def test_an_administrator_may_enrol_an_apprentice(enrol, cast):
    assert enrol(created_by=cast.admin).status == Enrolment.Status.PENDING


@pytest.mark.parametrize(
    "planned_end",
    [START, date(2026, 1, 11), date(2025, 6, 1)],
    ids=["same-day", "day-before", "months-before"],
)
def test_a_planned_end_on_or_before_the_start_is_refused(enrol, planned_end):
    _assert_refused(
        enrol,
        planned_end_date=planned_end,
        message="The planned end date must be after the start date.",
        field="planned_end_date",
    )


@pytest.mark.parametrize("hours", ["0.5", "0", "48.01", "49"])
def test_contracted_hours_outside_1_to_48_are_refused(enrol, hours):
    _assert_refused(
        enrol,
        contracted_weekly_hours=Decimal(hours),
        message="Contracted weekly hours must be between 1 and 48.",
        field="contracted_weekly_hours",
    )


@pytest.mark.parametrize("hours", ["1", "48"])
def test_contracted_hours_of_exactly_1_and_48_are_accepted(enrol, hours):
    enrolment = enrol(contracted_weekly_hours=Decimal(hours))

    enrolment.refresh_from_db()
    assert enrolment.contracted_weekly_hours == Decimal(hours)


def test_negative_prior_learning_is_refused(enrol):
    _assert_refused(
        enrol,
        prior_learning_hours=Decimal("-1"),
        message="Prior learning hours cannot be negative.",
        field="prior_learning_hours",
    )


@pytest.mark.parametrize("existing_status", LIVE_OR_COMPLETED)
def test_an_apprentice_already_enrolled_on_the_programme_is_refused_in_any_cohort(
    enrol, world, cast, existing_status
):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=existing_status)
    later_cohort = CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 1, 12))

    for cohort in (world.cohort, later_cohort):
        _assert_refused(
            enrol,
            apprentice=cast.apprentice,
            cohort=cohort,
            message="Ada Apprentice is already enrolled on Senior Leader (2025 cohort).",
            field="apprentice",
        )


def test_an_apprentice_whose_earlier_enrolment_was_withdrawn_may_enrol_again(enrol, world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    later_cohort = CohortFactory(programme=world.programme, name="2026 cohort", start_date=date(2026, 1, 12))

    again = enrol(apprentice=cast.apprentice, cohort=later_cohort)

    assert again.status == Enrolment.Status.PENDING
    assert set(Enrolment.objects.filter(apprentice=cast.apprentice, programme=world.programme)) == {
        world.enrolment,
        again,
    }


def test_an_apprentice_enrolled_on_one_programme_may_enrol_on_another(enrol, world, cast):
    other_cohort = Cohort.objects.get(programme=world.other_programme)

    second = enrol(apprentice=cast.apprentice, cohort=other_cohort, created_by=cast.other_director)

    assert second.programme == world.other_programme
    assert Enrolment.objects.filter(apprentice=cast.apprentice).count() == 2


def test_a_line_manager_from_another_employer_is_refused(enrol, cast):
    error = _assert_refused(
        enrol, line_manager=cast.other_manager, message="Omar Othermanager works for", field="line_manager"
    )

    assert "Riverside NHS Trust" in error.message
    assert "Northshire County Council" in error.message


def test_a_line_manager_with_no_organisation_is_refused(enrol):
    loner = UserFactory(full_name="Lou Loner", organisation=None)

    _assert_refused(
        enrol,
        line_manager=loner,
        message="Lou Loner works for no employer, not Northshire County Council",
        field="line_manager",
    )


def test_an_employer_that_is_not_an_employer_organisation_is_refused(enrol, world, cast):
    _assert_refused(
        enrol,
        employer=world.provider,
        line_manager=cast.tutor,
        message="University of Testing is not an employer.",
        field="employer",
    )


def test_an_apprentice_who_works_for_another_employer_is_refused(enrol, world, cast):
    stranger = UserFactory(full_name="Sam Stranger", organisation=world.other_employer)

    _assert_refused(
        enrol,
        apprentice=stranger,
        message="Sam Stranger works for Riverside NHS Trust, not Northshire",
        field="employer",
    )


@pytest.mark.parametrize("tutor_kind", ["line_manager", "another_provider"])
def test_a_practice_tutor_not_on_the_providers_staff_is_refused(enrol, cast, tutor_kind):
    if tutor_kind == "line_manager":
        tutor = cast.line_manager
    else:
        tutor = UserFactory(full_name="Rival Tutor", organisation=ProviderFactory(name="Rival University"))

    _assert_refused(
        enrol,
        practice_tutor=tutor,
        message="The practice tutor must be a member of staff at University of Testing.",
        field="practice_tutor",
    )


def test_an_apprentice_cannot_be_their_own_line_manager(enrol, newcomer):
    _assert_refused(
        enrol,
        line_manager=newcomer,
        message="An apprentice cannot be their own line manager",
        field="apprentice",
    )


@pytest.mark.parametrize(
    "who", ["tutor", "other_director", "line_manager", "apprentice", "module_lead", "assessor"]
)
def test_someone_who_does_not_direct_the_programme_is_not_allowed_to_enrol(enrol, cast, who):
    with assert_unchanged("a refused enrolment"), pytest.raises(ActionNotAllowed):
        enrol(created_by=getattr(cast, who))


def test_the_permission_check_comes_before_the_rules(enrol, cast):
    """A non-director learns nothing about the data from the error they get."""
    with pytest.raises(ActionNotAllowed):
        enrol(
            created_by=cast.other_director,
            line_manager=cast.other_manager,
            contracted_weekly_hours=Decimal("60"),
        )


# --- The database's own constraints (the last line of defence behind the services) ---------------------------


@pytest.mark.parametrize("planned_end", [date(2025, 9, 15), date(2025, 9, 1)], ids=["same-day", "before"])
def test_the_database_refuses_an_enrolment_ending_on_or_before_its_start(world, planned_end):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(cohort=world.cohort, start_date=date(2025, 9, 15), planned_end_date=planned_end)


@pytest.mark.parametrize("hours", ["0.5", "49"])
def test_the_database_refuses_contracted_hours_outside_1_to_48(world, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(cohort=world.cohort, contracted_weekly_hours=Decimal(hours))


def test_the_database_refuses_a_second_live_enrolment_on_the_same_programme(world, cast):
    later_cohort = CohortFactory(programme=world.programme, name="2026 cohort")

    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(cohort=later_cohort, employer=world.employer, apprentice=cast.apprentice)


def test_the_database_allows_a_new_enrolment_after_a_withdrawal(world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    later_cohort = CohortFactory(programme=world.programme, name="2026 cohort")

    EnrolmentFactory(cohort=later_cohort, employer=world.employer, apprentice=cast.apprentice)

    assert Enrolment.objects.filter(apprentice=cast.apprentice).count() == 2
