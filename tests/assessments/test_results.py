"""Module results: weights, pass mark, the resubmission cap, and the selectors later issues rely on."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from assessments import selectors, services
from assessments.selectors import FAILED, IN_PROGRESS, NOT_STARTED, PASSED, module_status
from tests.assessments.helpers import mark, release, set_up_run, submit
from tests.factories import EnrolmentFactory, ModuleFactory, ModuleRunFactory

ON_TIME = "2025-11-10 12:00"
LATER = "2026-01-20 12:00"


@pytest.mark.parametrize(
    ("weights_and_marks", "pass_mark", "expected"),
    [
        (
            [(50, 60), (50, 40)],
            50,
            (PASSED, Decimal("50.0")),
        ),  # 50/50: 60 and 40 average exactly the pass mark
        ([(50, 58), (50, 41)], 50, (FAILED, Decimal("49.5"))),
        ([(30, 40), (70, 70)], 50, (PASSED, Decimal("61.0"))),  # weights per module
        ([(70, 40), (30, 70)], 50, (FAILED, Decimal("49.0"))),  # the same marks the other way round fail
        ([(50, 65), (50, 55)], 60, (PASSED, Decimal("60.0"))),  # pass mark per module
        ([(50, 64), (50, 55)], 60, (FAILED, Decimal("59.5"))),
    ],
)
def test_a_module_passes_when_its_weighted_mark_reaches_the_pass_mark(weights_and_marks, pass_mark, expected):
    assert module_status(weights_and_marks=weights_and_marks, pass_mark=pass_mark, started=True) == expected


def test_a_module_with_a_mark_still_to_come_is_in_progress_once_started_and_not_started_before():
    marks = [(50, 80), (50, None)]

    assert module_status(weights_and_marks=marks, pass_mark=50, started=True) == (IN_PROGRESS, None)
    assert module_status(weights_and_marks=marks, pass_mark=50, started=False) == (NOT_STARTED, None)


def test_a_resubmission_counts_at_most_the_pass_mark():
    assert services.effective_mark(mark=80, attempt=2, pass_mark=50) == 50
    assert services.effective_mark(mark=45, attempt=2, pass_mark=50) == 45
    assert services.effective_mark(mark=80, attempt=1, pass_mark=50) == 80


def test_feedback_is_due_fifteen_days_after_submission(settings):
    assert services.feedback_due_on(date(2025, 11, 10)) == date(2025, 11, 25)
    settings.ASSIGNMENT_FEEDBACK_DAYS = 10
    assert services.feedback_due_on(date(2025, 11, 10)) == date(2025, 11, 20)


def _result(enrolment, module):
    return next(r for r in selectors.module_results(enrolment) if r.module == module)


def test_only_released_marks_count_towards_the_result(world):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        first, second = submit(world, 1), submit(world, 2)
        mark(world, first, 70)
        mark(world, second, 60)
        assert _result(world.enrolment, world.module_run.module).status == IN_PROGRESS

        release(world)

    result = _result(world.enrolment, world.module_run.module)
    assert (result.status, result.weighted_mark) == (PASSED, Decimal("65.0"))
    assert selectors.modules_passed_counts([world.enrolment.pk]) == {world.enrolment.pk: 1}


def test_a_failed_assignment_resubmitted_is_capped_and_can_then_pass_the_module(world):
    set_up_run(world, weights=(50, 50))
    with time_machine.travel(ON_TIME, tick=False):
        mark(world, submit(world, 1), 55)
        mark(world, submit(world, 2), 30)
        release(world)
    assert _result(world.enrolment, world.module_run.module).status == FAILED  # (55 + 30) / 2 = 42.5

    with time_machine.travel(LATER, tick=False):
        resubmission = submit(world, 2)
        assert resubmission.attempt == 2 and not resubmission.is_late
        mark(world, resubmission, 90)
        release(world)

    result = _result(world.enrolment, world.module_run.module)
    assert result.assignments[1].counted_mark == 50  # 90, capped at the pass mark
    assert (result.status, result.weighted_mark) == (PASSED, Decimal("52.5"))


def test_results_list_every_module_of_the_programme_in_order_with_unscheduled_ones_not_started(world):
    later = ModuleFactory(programme=world.programme, order=2, title="Digital Era Public Policy")

    with time_machine.travel(ON_TIME, tick=False):
        results = selectors.module_results(world.enrolment)

    assert [(r.module.title, r.status) for r in results] == [
        ("Leadership", IN_PROGRESS),  # its online weeks began on 22 September
        (later.title, NOT_STARTED),
    ]


def test_modules_passed_counts_gives_every_enrolment_asked_about(world):
    set_up_run(world)
    classmate = EnrolmentFactory(cohort=world.cohort)
    with time_machine.travel(ON_TIME, tick=False):
        mark(world, submit(world, 1), 60)
        mark(world, submit(world, 2), 60)
        release(world)

    counts = selectors.modules_passed_counts([world.enrolment.pk, classmate.pk, world.other_enrolment.pk])

    assert counts == {world.enrolment.pk: 1, classmate.pk: 0, world.other_enrolment.pk: 0}


def test_the_result_selectors_run_a_constant_number_of_queries(world, django_assert_max_num_queries):
    set_up_run(world)
    classmates = [EnrolmentFactory(cohort=world.cohort) for _ in range(5)]
    for order in range(2, 7):
        ModuleRunFactory(module=ModuleFactory(programme=world.programme, order=order), cohort=world.cohort)
    with time_machine.travel(ON_TIME, tick=False):
        for enrolment in [world.enrolment, *classmates]:
            by = enrolment.apprentice
            for number in (1, 2):
                mark(world, submit(world, number, enrolment=enrolment, by=by), 60)
        release(world)
        ids = [world.enrolment.pk, *(c.pk for c in classmates)]

        with django_assert_max_num_queries(6):
            results = selectors.module_results(world.enrolment)
        with django_assert_max_num_queries(5):
            counts = selectors.modules_passed_counts(ids)

    assert len(results) == 6 and results[0].status == PASSED
    assert set(counts.values()) == {1}
