"""Enrolments in varied statuses (``CYCLE``) and the history the lifecycle services would have recorded: status
changes, breaks in learning, employment periods (including a change of employer), end-point assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from assessments.epa.models import EndPointAssessment
from benchmarks.seeding.programme import directors_by_programme
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from programmes.models import (
    BreakInLearning,
    EmploymentPeriod,
    Enrolment,
    EnrolmentStatusChange,
    WithdrawalReason,
)

Status = Enrolment.Status


@dataclass(frozen=True)
class Pattern:
    """An enrolment's life so far: status steps after enrolment (status, weeks after start, reason)."""

    steps: tuple[tuple[str, int, str], ...] = ()
    employer_change_week: int | None = None


PATTERNS = {
    "returned_from_break": Pattern(
        (
            (Status.ACTIVE, 1, ""),
            (Status.BREAK_IN_LEARNING, 26, "Extended sick leave."),
            (Status.ACTIVE, 40, "Returned to work; planned end extended."),
        ),
        employer_change_week=52,
    ),
    "pending": Pattern(),
    "active": Pattern(((Status.ACTIVE, 1, ""),)),
    "on_break": Pattern(((Status.ACTIVE, 1, ""), (Status.BREAK_IN_LEARNING, 52, "Parental leave."))),
    "gateway": Pattern(((Status.ACTIVE, 1, ""), (Status.GATEWAY, 100, ""))),
    "epa": Pattern(
        ((Status.ACTIVE, 1, ""), (Status.GATEWAY, 100, ""), (Status.EPA, 102, "Gateway signed off."))
    ),
    "completed": Pattern(
        (
            (Status.ACTIVE, 1, ""),
            (Status.GATEWAY, 100, ""),
            (Status.EPA, 102, "Gateway signed off."),
            (Status.COMPLETED, 110, "Passed with merit."),
        )
    ),
    "withdrawn": Pattern(((Status.ACTIVE, 1, ""), (Status.WITHDRAWN, 30, "Left the employer."))),
}
# Enrolment i follows CYCLE[i % 20]: 9 active, 2 pending, 2 at gateway, 2 in EPA, 2 withdrawn, 1 completed,
# 1 on a break, 1 returned from a break (with a change of employer). Enrolment 0 (the sample) has the most history.
CYCLE = (
    "returned_from_break",
    "active",
    "pending",
    "epa",
    "active",
    "gateway",
    "active",
    "withdrawn",
    "active",
    "on_break",
    "active",
    "completed",
    "active",
    "pending",
    "active",
    "epa",
    "active",
    "gateway",
    "active",
    "withdrawn",
)


def enrolments(w: World) -> None:
    s = w.sizing
    rows = []
    for i, apprentice in enumerate(w.apprentices):
        cohort = w.cohorts[i // s.per_cohort]
        pattern = PATTERNS[CYCLE[i % len(CYCLE)]]
        status, end = (pattern.steps[-1][0], pattern.steps[-1][1]) if pattern.steps else (Status.PENDING, 0)
        final = status in (Status.COMPLETED, Status.WITHDRAWN)
        rows.append(
            Enrolment(
                apprentice=apprentice,
                programme_id=cohort.programme_id,
                cohort=cohort,
                employer_id=apprentice.organisation_id,
                line_manager=w.line_managers[i // s.per_manager],
                practice_tutor=w.tutors[i // s.per_tutor],
                start_date=cohort.start_date,
                planned_end_date=cohort.start_date + timedelta(weeks=104),
                actual_end_date=cohort.start_date + timedelta(weeks=end) if final else None,
                contracted_weekly_hours=Decimal("37") if i % 5 else Decimal("22.5"),
                prior_learning_hours=Decimal("20") if i % 7 == 3 else Decimal("0"),
                prior_learning_notes="ILM Level 5 certificate in leadership (2021)." if i % 7 == 3 else "",
                status=status,
                withdrawal_reason=pattern.steps[-1][2] if status == Status.WITHDRAWN else "",
                withdrawal_reason_code=WithdrawalReason.PERSONAL if status == Status.WITHDRAWN else "",
            )
        )
    w.enrolments = create_rows(w, Enrolment, rows)


def enrolment_history(w: World) -> None:
    """What the lifecycle services would have recorded: status changes, breaks, employment periods."""
    directors = directors_by_programme(w)
    mpe = w.sizing.managers_per_employer
    changes, breaks, periods = [], [], []
    for i, enrolment in enumerate(w.enrolments):
        pattern = PATTERNS[CYCLE[i % len(CYCLE)]]
        director = directors[enrolment.programme_id]
        previous = ""
        for to_status, week, reason in ((Status.PENDING, 0, ""), *pattern.steps):
            effective_on = enrolment.start_date + timedelta(weeks=week)
            changes.append(
                EnrolmentStatusChange(
                    enrolment=enrolment,
                    from_status=previous,
                    to_status=to_status,
                    effective_on=effective_on,
                    reason=reason,
                    changed_by=director,
                )
            )
            if to_status == Status.BREAK_IN_LEARNING:
                breaks.append(BreakInLearning(enrolment=enrolment, start_date=effective_on, reason=reason))
            elif previous == Status.BREAK_IN_LEARNING:
                breaks[-1].end_date = effective_on
            previous = to_status
        current_from = enrolment.start_date
        if pattern.employer_change_week is not None:
            current_from = enrolment.start_date + timedelta(weeks=pattern.employer_change_week)
            e = (i // w.sizing.per_manager // mpe - 1) % len(w.employers)  # the employer before this one
            periods.append(
                EmploymentPeriod(
                    enrolment=enrolment,
                    employer=w.employers[e],
                    line_manager=w.line_managers[e * mpe],
                    start_date=enrolment.start_date,
                    end_date=current_from - timedelta(days=1),
                )
            )
        periods.append(
            EmploymentPeriod(
                enrolment=enrolment,
                employer_id=enrolment.employer_id,
                line_manager=enrolment.line_manager,
                start_date=current_from,
            )
        )
    create_rows(w, EnrolmentStatusChange, changes)
    create_rows(w, BreakInLearning, breaks)
    create_rows(w, EmploymentPeriod, periods)


def end_point_assessments(w: World) -> None:
    in_epa = [e for e in w.enrolments if e.status in (Status.EPA, Status.COMPLETED)]
    create_rows(
        w,
        EndPointAssessment,
        [
            EndPointAssessment(enrolment=e, assessor=w.assessors[n % len(w.assessors)], assigned_at=w.now)
            for n, e in enumerate(in_epa)
        ],
    )
