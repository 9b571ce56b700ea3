"""The cast's cohort with more apprentices: another on the tutor's caseload, and one with a different tutor and
employer (the tutor must not see that row)."""

from dataclasses import dataclass

import pytest

from tests.factories import EnrolmentFactory, OrganisationFactory, UserFactory


@dataclass
class Cohort:
    mine: list  # the cast tutor's rows: the cast's enrolment and Ben Caseload
    theirs: object  # Cara Elsewhere: another tutor, another employer


@pytest.fixture
def cohort(world, cast) -> Cohort:
    second = EnrolmentFactory(
        cohort=world.cohort,
        employer=world.employer,
        practice_tutor=cast.tutor,
        apprentice=UserFactory(full_name="Ben Caseload", email="ben@example.test"),
    )
    elsewhere = OrganisationFactory(name="Westmoor Borough Council")
    theirs = EnrolmentFactory(
        cohort=world.cohort,
        employer=elsewhere,
        practice_tutor=UserFactory(full_name="Tom Secondtutor", email="tom@example.test"),
        apprentice=UserFactory(full_name="Cara Elsewhere", email="cara@example.test"),
    )
    return Cohort([world.enrolment, second], theirs)


def add_rows(world, n: int) -> None:
    for i in range(n):
        EnrolmentFactory(cohort=world.cohort, apprentice=UserFactory(full_name=f"Extra {i}"))
