"""The learner record (funding return, domain.md §8): one row per enrolment, as the funder's return needs it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from portfolios.otj.selectors import otj_positions
from programmes.models import Enrolment, EnrolmentStatusChange
from reporting.selectors import BATCH

# --- the learner record (funding return, domain.md §8) ------------------------------------------------------------

COMPLETION_STATUS: dict[str, str] = {
    Enrolment.Status.ACTIVE: "1",
    Enrolment.Status.BREAK_IN_LEARNING: "6",
    Enrolment.Status.GATEWAY: "2",
    Enrolment.Status.EPA: "2",
    Enrolment.Status.COMPLETED: "2",
    Enrolment.Status.WITHDRAWN: "3",
}
OUTCOME: dict[str, str] = {
    Enrolment.Status.GATEWAY: "8",
    Enrolment.Status.EPA: "8",
    Enrolment.Status.COMPLETED: "1",
    Enrolment.Status.WITHDRAWN: "3",
}


@dataclass(frozen=True)
class LearnerRecord:
    enrolment: Enrolment
    start_date: date
    planned_end_date: date
    actual_end_date: date | None
    completion_status: str
    outcome: str
    achievement_date: date | None
    planned_otj_hours: Decimal | None
    actual_otj_hours: Decimal
    withdrawal_reason: str
    restart: bool


def learner_records(enrolments: QuerySet[Enrolment], *, today: date | None = None) -> Iterator[LearnerRecord]:
    """The learner-record fields per enrolment, in batches: a fixed number of queries per ``BATCH`` rows.

    Completion status: 1 continuing, 2 completed (the practical period is over: at gateway, in EPA or completed),
    3 withdrawn, 6 break in learning; blank while pending (not started). Outcome: 8 learning complete awaiting the
    EPA result, 1 achieved, 3 not achieved (withdrawn); blank while continuing. The actual end date is the day the
    practical period ended (the move to gateway) or the enrolment's recorded actual end date; the achievement date
    is the day it moved to completed (the EPA concluded).
    """
    today = today or timezone.localdate()
    ids = list(enrolments.order_by("cohort_id", "apprentice__full_name", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found = list(
            Enrolment.objects.filter(pk__in=chunk)
            .select_related("apprentice", "employer", "cohort", "programme__standard")
            .order_by("cohort_id", "apprentice__full_name", "pk")
        )
        otj = otj_positions(found, on=today)
        changes: dict[tuple[int, str], date] = {}
        restarts: set[int] = set()
        for enrolment_id, to_status, effective_on, is_restart in (
            EnrolmentStatusChange.objects.filter(enrolment_id__in=chunk)
            .filter(
                Q(to_status__in=[Enrolment.Status.GATEWAY, Enrolment.Status.COMPLETED]) | Q(is_restart=True)
            )
            .order_by("effective_on", "pk")
            .values_list("enrolment_id", "to_status", "effective_on", "is_restart")
        ):
            changes.setdefault((enrolment_id, to_status), effective_on)
            if is_restart:
                restarts.add(enrolment_id)
        for e in found:
            position = otj[e.pk]
            ended = changes.get((e.pk, Enrolment.Status.GATEWAY))
            yield LearnerRecord(
                enrolment=e,
                start_date=e.start_date,
                planned_end_date=e.planned_end_date,
                actual_end_date=e.actual_end_date or ended,
                completion_status=COMPLETION_STATUS.get(e.status, ""),
                outcome=OUTCOME.get(e.status, ""),
                achievement_date=changes.get((e.pk, Enrolment.Status.COMPLETED))
                if e.status == Enrolment.Status.COMPLETED
                else None,
                planned_otj_hours=position.requirement.hours,
                actual_otj_hours=position.confirmed_hours,
                withdrawal_reason=e.withdrawal_reason_code if e.status == Enrolment.Status.WITHDRAWN else "",
                restart=e.pk in restarts,
            )
