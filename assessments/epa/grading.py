"""The end-point assessment grading rule for ST0480 (domain.md §7), as pure functions.

1. Each method is graded fail, pass or distinction.
2. A re-sit (no further learning) or re-take (further learning) caps that method at pass.
3. Only a failed method may be repeated; the method's latest attempt is the one that counts.
4. Overall: any method fail → fail; both distinction → distinction; otherwise pass. Until both methods have a
   grade there is no overall grade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

FAIL, PASS, DISTINCTION = "fail", "pass", "distinction"
GRADES = (FAIL, PASS, DISTINCTION)
GRADE_LABELS = {FAIL: "Fail", PASS: "Pass", DISTINCTION: "Distinction"}
FIRST, RESIT, RETAKE = "first", "resit", "retake"
KINDS = (FIRST, RESIT, RETAKE)
SBP_PRESENTATION, PROFESSIONAL_DISCUSSION = "sbp_presentation", "professional_discussion"
METHODS = (SBP_PRESENTATION, PROFESSIONAL_DISCUSSION)
METHOD_LABELS = {
    SBP_PRESENTATION: "Strategic business proposal, presentation and questioning",
    PROFESSIONAL_DISCUSSION: "Professional discussion underpinned by the portfolio",
}
# Rule 2: what a repeat attempt can at most be awarded.
REPEAT_CAP = PASS
_ORDER = {FAIL: 0, PASS: 1, DISTINCTION: 2}


class Attempt(Protocol):
    method: str
    attempt: int
    kind: str
    grade: str


def capped(grade: str, kind: str) -> str:
    """The grade that counts for one attempt: a re-sit or re-take never counts above pass."""
    if grade not in _ORDER:
        raise ValueError(f"{grade!r} is not a grade")
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of attempt")
    if kind != FIRST and _ORDER[grade] > _ORDER[REPEAT_CAP]:
        return REPEAT_CAP
    return grade


def overall(sbp: str | None, discussion: str | None) -> str | None:
    """Rule 4, on the two methods' counted grades (None while a method has no grade)."""
    if sbp is None or discussion is None:
        return None
    for grade in (sbp, discussion):
        if grade not in _ORDER:
            raise ValueError(f"{grade!r} is not a grade")
    if FAIL in (sbp, discussion):
        return FAIL
    if sbp == DISTINCTION and discussion == DISTINCTION:
        return DISTINCTION
    return PASS


@dataclass(frozen=True)
class MethodOutcome:
    method: str
    latest: Attempt | None
    counted: str | None  # the latest attempt's grade after the cap
    attempts: int

    @property
    def label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def was_capped(self) -> bool:
        return self.latest is not None and self.counted != self.latest.grade

    @property
    def may_repeat(self) -> bool:
        """Rule 3: only a failed method may be re-sat or re-taken."""
        return self.counted == FAIL


@dataclass(frozen=True)
class Grading:
    methods: dict[str, MethodOutcome]
    overall: str | None

    @property
    def overall_label(self) -> str:
        return GRADE_LABELS[self.overall] if self.overall else "Not yet graded"

    @property
    def passed(self) -> bool:
        return self.overall in (PASS, DISTINCTION)


def grade(attempts: Iterable[Attempt]) -> Grading:
    """The counted grade of each method (its latest attempt, capped) and the overall grade."""
    latest: dict[str, Attempt] = {}
    counts: dict[str, int] = dict.fromkeys(METHODS, 0)
    for attempt in attempts:
        counts[attempt.method] = counts.get(attempt.method, 0) + 1
        current = latest.get(attempt.method)
        if current is None or attempt.attempt > current.attempt:
            latest[attempt.method] = attempt
    methods = {}
    for method in METHODS:
        last = latest.get(method)
        counted = capped(last.grade, last.kind) if last is not None else None
        methods[method] = MethodOutcome(method, last, counted, counts[method])
    return Grading(
        methods, overall(methods[SBP_PRESENTATION].counted, methods[PROFESSIONAL_DISCUSSION].counted)
    )


def repeat_refusal(attempts: Iterable[Attempt], *, method: str, kind: str) -> str | None:
    """Why this attempt may not be recorded (rule 3 and the order of attempts), or None if it may."""
    if method not in METHODS:
        return f"'{method}' is not an assessment method."
    if kind not in KINDS:
        return f"'{kind}' is not a kind of attempt."
    outcome = grade(attempts).methods[method]
    if kind == FIRST:
        if outcome.latest is not None:
            return f"The {outcome.label.lower()} already has a first attempt; record a re-sit or re-take."
        return None
    if outcome.latest is None:
        return f"The {outcome.label.lower()} has no first attempt yet; record that first."
    if not outcome.may_repeat:
        return (
            f"Only a failed method may be re-sat or re-taken; the {outcome.label.lower()} was graded "
            f"{GRADE_LABELS[outcome.counted or PASS].lower()}."
        )
    return None
