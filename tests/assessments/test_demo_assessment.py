"""The demo's module assessment: modules passed, in progress and with late feedback, as the README describes."""

from accounts.models import User
from assessments import selectors
from assessments.models import Submission
from programmes.models import Enrolment, ModuleRun


def enrolment(n: int) -> Enrolment:
    return Enrolment.objects.select_related("programme", "cohort").get(
        apprentice__email=f"apprentice{n}@demo.test"
    )


def statuses(n: int) -> list[str]:
    return [result.status for result in selectors.module_results(enrolment(n))]


def test_the_2024_cohort_has_passed_most_modules_and_one_after_a_capped_resubmission(demo):
    assert statuses(1) == ["passed"] * 6
    assert statuses(3) == ["passed"] * 6
    module_4 = selectors.module_results(enrolment(3))[3]
    assert module_4.assignments[1].counted_mark == 50  # resubmitted at 71, capped
    assert statuses(5)[5] == "in_progress"
    counts = selectors.modules_passed_counts([enrolment(n).pk for n in range(1, 7)])
    assert sorted(counts.values()) == [3, 5, 5, 6, 6, 6]


def test_the_2025_cohort_has_module_1_and_2_results_and_one_late_feedback(demo):
    assert statuses(7)[:4] == ["passed", "passed", "in_progress", "in_progress"]
    assert statuses(9)[1] == "failed"  # may resubmit assignment 2
    late = selectors.late_feedback(ModuleRun.objects.all())
    assert [s.enrolment.apprentice.email for s in late] == ["apprentice8@demo.test"]
    lead = User.objects.get(email="lead@demo.test")
    assert selectors.marking_queue(lead).count() == 3
    assert Submission.objects.filter(enrolment__apprentice__email="apprentice11@demo.test").count() == 0
