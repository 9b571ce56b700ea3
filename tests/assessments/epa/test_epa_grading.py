"""The EPA grading rule (domain.md §7), every combination: the overall grade, the re-sit/re-take cap, repeats."""

import itertools
from dataclasses import dataclass

import pytest

from assessments.epa import grading as epa

GRADES = ("fail", "pass", "distinction")


@dataclass
class A:
    method: str
    attempt: int
    kind: str
    grade: str


def expected_overall(sbp: str, discussion: str) -> str:
    """The rule written out case by case: any fail → fail; both distinction → distinction; otherwise pass."""
    table = {
        ("fail", "fail"): "fail",
        ("fail", "pass"): "fail",
        ("fail", "distinction"): "fail",
        ("pass", "fail"): "fail",
        ("distinction", "fail"): "fail",
        ("pass", "pass"): "pass",
        ("pass", "distinction"): "pass",
        ("distinction", "pass"): "pass",
        ("distinction", "distinction"): "distinction",
    }
    return table[sbp, discussion]


@pytest.mark.parametrize(("sbp", "discussion"), list(itertools.product(GRADES, GRADES)))
def test_the_overall_grade_for_every_pair_of_first_attempts(sbp, discussion):
    grading = epa.grade(
        [A("sbp_presentation", 1, "first", sbp), A("professional_discussion", 1, "first", discussion)]
    )

    assert grading.overall == expected_overall(sbp, discussion)
    assert grading.passed == (expected_overall(sbp, discussion) != "fail")


CAPPED = {"fail": "fail", "pass": "pass", "distinction": "pass"}


@pytest.mark.parametrize(("grade", "kind"), list(itertools.product(GRADES, epa.KINDS)))
def test_a_resit_or_retake_caps_the_method_at_pass(grade, kind):
    assert epa.capped(grade, kind) == (grade if kind == "first" else CAPPED[grade])


# Every combination: which method failed first time, how it was repeated, the repeat's grade, the other method.
@pytest.mark.parametrize(
    ("failed", "kind", "repeat", "other"),
    list(itertools.product(epa.METHODS, ("resit", "retake"), GRADES, GRADES)),
)
def test_a_repeated_method_counts_its_capped_latest_attempt(failed, kind, repeat, other):
    untouched = next(m for m in epa.METHODS if m != failed)
    attempts = [A(failed, 1, "first", "fail"), A(untouched, 1, "first", other), A(failed, 2, kind, repeat)]

    grading = epa.grade(attempts)

    assert grading.methods[failed].counted == CAPPED[repeat]
    assert grading.methods[failed].was_capped == (repeat == "distinction")
    assert grading.methods[untouched].counted == other
    by_method = {failed: CAPPED[repeat], untouched: other}
    assert grading.overall == expected_overall(
        by_method["sbp_presentation"], by_method["professional_discussion"]
    )
    # Distinction overall is impossible once a method has been repeated.
    assert grading.overall != "distinction"


def test_no_overall_grade_until_both_methods_are_graded():
    assert epa.grade([]).overall is None
    assert epa.grade([A("sbp_presentation", 1, "first", "distinction")]).overall is None
    assert epa.grade([A("sbp_presentation", 1, "first", "distinction")]).overall_label == "Not yet graded"


@pytest.mark.parametrize(("first", "kind"), list(itertools.product(GRADES, ("resit", "retake"))))
def test_only_a_failed_method_may_be_repeated(first, kind):
    attempts = [A("sbp_presentation", 1, "first", first)]

    refusal = epa.repeat_refusal(attempts, method="sbp_presentation", kind=kind)

    if first == "fail":
        assert refusal is None
    else:
        assert refusal.startswith("Only a failed method may be re-sat or re-taken")


def test_a_repeat_needs_a_first_attempt_and_a_first_attempt_happens_once():
    assert "no first attempt yet" in epa.repeat_refusal([], method="professional_discussion", kind="resit")
    once = [A("professional_discussion", 1, "first", "fail")]
    assert "already has a first attempt" in epa.repeat_refusal(
        once, method="professional_discussion", kind="first"
    )
    assert epa.repeat_refusal([], method="professional_discussion", kind="first") is None


def test_a_passed_resit_may_not_be_repeated_again_but_a_failed_one_may():
    failed_twice = [A("sbp_presentation", 1, "first", "fail"), A("sbp_presentation", 2, "resit", "fail")]
    passed_resit = [A("sbp_presentation", 1, "first", "fail"), A("sbp_presentation", 2, "resit", "pass")]

    assert epa.repeat_refusal(failed_twice, method="sbp_presentation", kind="retake") is None
    assert epa.repeat_refusal(passed_resit, method="sbp_presentation", kind="retake") is not None


def test_bad_grades_and_kinds_are_refused():
    with pytest.raises(ValueError):
        epa.capped("merit", "first")
    with pytest.raises(ValueError):
        epa.capped("pass", "third")
    with pytest.raises(ValueError):
        epa.overall("pass", "merit")
