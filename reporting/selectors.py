"""Where every apprentice stands: the cohort progress rows behind the dashboard, its exports and the API.

``progress_rows`` is THE selector: the page, the CSV and XLSX exports and ``/api/v1/cohorts/{id}/progress/`` all
call it, and it runs a fixed number of queries however many rows there are (it reuses each signal's own bulk
selector: ``otj_positions``, ``reviews_due``, ``modules_passed_counts``, ``coverage_percents``).
``iter_progress_rows`` feeds exports and the cross-programme summary in batches, so memory stays bounded by the
batch, not by the number of apprentices.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from accounts import access
from assessments.gateway import gateway_readiness
from assessments.selectors import modules_passed_counts
from portfolios.otj_models import OffTheJobEntry
from portfolios.otj_selectors import OTJPosition, otj_positions
from programmes.models import Cohort, Enrolment, EnrolmentStatusChange, ModuleRun
from programmes.plan_models import TrainingPlan
from reporting import rag
from reporting.models import RAGOverride
from tutors import cadence
from tutors.models import ProgressReview, ReviewAddendum
from tutors.selectors import coverage_percents, reviews_due

BATCH = 500
# Gateway readiness is checked while in learning and at gateway; later stages are past it, earlier not started.
GATEWAY_CHECKED = (Enrolment.Status.ACTIVE, Enrolment.Status.GATEWAY)
BUCKET_WEEKS = 4
MAX_BUCKETS = 40
MODULES_IN_PROGRAMME = 6
JOURNEY = [
    Enrolment.Status.PENDING,
    Enrolment.Status.ACTIVE,
    Enrolment.Status.BREAK_IN_LEARNING,
    Enrolment.Status.GATEWAY,
    Enrolment.Status.EPA,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.WITHDRAWN,
]
STARTED = (
    Enrolment.Status.ACTIVE,
    Enrolment.Status.BREAK_IN_LEARNING,
    Enrolment.Status.GATEWAY,
    Enrolment.Status.EPA,
)


# --- who sees which rows ------------------------------------------------------------------------------------


def dashboard_enrolments(user: Any, cohort: Cohort) -> QuerySet[Enrolment] | None:
    """The cohort's rows this person may see on the dashboard: every row for a director of its programme (or an
    administrator), the tutor's own caseload for a practice tutor; None for everyone else (a 404)."""
    if access.is_director_of(user, cohort.programme):
        return Enrolment.objects.filter(cohort=cohort)
    if not getattr(user, "is_authenticated", False):
        return None
    tutored = Enrolment.objects.filter(cohort=cohort, practice_tutor=user)
    return tutored if tutored.exists() else None


def summary_enrolments(user: Any) -> QuerySet[Enrolment] | None:
    """Across programmes: every enrolment on the programmes this person directs plus their own caseload."""
    if not getattr(user, "is_authenticated", False):
        return None
    directed = access.directed_programmes(user)
    scope = Q(programme__in=directed) | Q(practice_tutor=user)
    if not (directed.exists() or Enrolment.objects.filter(practice_tutor=user).exists()):
        return None
    return Enrolment.objects.filter(scope)


# --- one row per enrolment ----------------------------------------------------------------------------------


@dataclass
class ProgressRow:
    """One apprentice on the dashboard: each signal, the computed rating with reasons, and any override."""

    enrolment: Enrolment
    otj: OTJPosition | None
    last_review_on: date | None
    due: cadence.ReviewDue
    review_state: str
    modules_passed: int
    modules_due: int
    ksb_coverage: int
    awaiting: list[str]
    gateway_ready: bool | None
    gateway_unmet: list[str]
    computed: rag.Rating
    override: RAGOverride | None = None
    sparkline: list[Decimal] = field(default_factory=list)

    @property
    def rag(self) -> str:
        return self.override.rag if self.override else self.computed.rag

    @property
    def rag_label(self) -> str:
        return rag.LABELS[self.rag]

    @property
    def reasons(self) -> list[str]:
        """The override's reason first (with who and when), then the computed reasons."""
        if not self.override:
            return list(self.computed.reasons)
        o = self.override
        return [
            f"Set to {o.get_rag_display()} by {o.by.full_name} on {timezone.localtime(o.at):%-d %b %Y}: "
            f"{o.reason}",
            f"Computed rating {self.computed.label}: " + " ".join(self.computed.reasons),
        ]

    @property
    def review_overdue(self) -> bool:
        return self.review_state == "overdue"

    @property
    def otj_status(self) -> str | None:
        return self.otj.status if self.otj else None

    @property
    def otj_percent(self) -> Decimal | None:
        return self.otj.percent_of_expected if self.otj else None

    @property
    def name(self) -> str:
        return self.enrolment.apprentice.full_name

    @property
    def gateway_label(self) -> str:
        if self.gateway_ready is None:
            return "—"
        return "Ready" if self.gateway_ready else "Not ready"


def _latest_overrides(ids: list[int]) -> dict[int, RAGOverride]:
    latest: dict[int, RAGOverride] = {}
    for override in (
        RAGOverride.objects.filter(enrolment_id__in=ids)
        .select_related("by")
        .order_by("enrolment_id", "-at", "-id")
    ):
        latest.setdefault(override.enrolment_id, override)
    return {pk: o for pk, o in latest.items() if not o.is_clear}


def _modules_due(cohort_ids: set[int], today: date) -> dict[int, int]:
    """Per cohort, how many module runs should have a result by now: their last deadline plus the feedback window
    plus a grace period has passed (one query)."""
    grace = timedelta(days=settings.ASSIGNMENT_FEEDBACK_DAYS + settings.RAG_MODULE_RESULT_GRACE_DAYS)
    due: Counter[int] = Counter()
    for cohort_id, campus_start, last_deadline in (
        ModuleRun.objects.filter(cohort_id__in=cohort_ids)
        .annotate(last=Max("assignments__due_on"))
        .values_list("cohort_id", "campus_start", "last")
    ):
        if (last_deadline or campus_start) + grace < today:
            due[cohort_id] += 1
    return due


def _awaiting(ids: list[int], today: date) -> dict[int, list[tuple[str, int]]]:
    """Documents awaiting signatures per enrolment, with how many days they have waited (three queries)."""
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)

    def days(moment) -> int:
        return (today - timezone.localtime(moment).date()).days if moment else 0

    for enrolment_id, version, sent_at in TrainingPlan.objects.filter(
        enrolment_id__in=ids, status=TrainingPlan.Status.AWAITING
    ).values_list("enrolment_id", "version", "sent_at"):
        found[enrolment_id].append((f"Training plan v{version}", days(sent_at)))
    for enrolment_id, number, submitted_at in ProgressReview.objects.filter(
        enrolment_id__in=ids, status=ProgressReview.Status.AWAITING
    ).values_list("enrolment_id", "number", "submitted_at"):
        found[enrolment_id].append((f"Review {number}", days(submitted_at)))
    for enrolment_id, number, review_number, created_at in ReviewAddendum.objects.filter(
        review__enrolment_id__in=ids, status=ReviewAddendum.Status.AWAITING
    ).values_list("review__enrolment_id", "number", "review__number", "created_at"):
        found[enrolment_id].append((f"Review {review_number} addendum {number}", days(created_at)))
    return found


def gateway_signals(enrolments: list[Enrolment]) -> dict[int, tuple[bool | None, list[str]]]:
    """Gateway readiness (``assessments.gateway``) with the unmet items' labels, for those in learning or at
    gateway; the rest are past it or not started (None)."""
    checkable = [e for e in enrolments if e.status in GATEWAY_CHECKED]
    found: dict[int, tuple[bool | None, list[str]]] = {}
    for pk, state in gateway_readiness(checkable).items():
        found[pk] = (state.ready, [item.label for item in state.items if not item.met])
    return found


def bucket_edges(start: date, end: date) -> list[date]:
    """The ends of the 4-week buckets from ``start`` up to ``end`` (at most MAX_BUCKETS, the last ones kept)."""
    count = max(1, math.ceil(((end - start).days + 1) / (7 * BUCKET_WEEKS)))
    edges = [start + timedelta(weeks=BUCKET_WEEKS * (n + 1)) for n in range(count)]
    return edges[-MAX_BUCKETS:]


def confirmed_by_bucket(ids: list[int], edges: list[date], today: date) -> dict[int, list[Decimal]]:
    """Confirmed counting OTJ hours per enrolment per 4-week bucket, cumulative (one query, grouped in the DB)."""
    if not ids or not edges:
        return {}
    last = len(edges) - 1
    bucket = Case(
        *(When(date__lt=edge, then=Value(n)) for n, edge in enumerate(edges)),
        default=Value(last),
        output_field=IntegerField(),
    )
    rows = (
        OffTheJobEntry.objects.filter(
            enrolment_id__in=ids,
            status=OffTheJobEntry.Status.CONFIRMED,
            activity_type__counts_towards_otj=True,
            date__lte=today,
        )
        .annotate(bucket=bucket)
        .values("enrolment_id", "bucket")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    per: dict[int, list[Decimal]] = {pk: [Decimal(0)] * len(edges) for pk in ids}
    for row in rows:
        per[row["enrolment_id"]][row["bucket"]] += row["total"] or 0
    for series in per.values():
        for n in range(1, len(series)):
            series[n] += series[n - 1]
    return per


def progress_rows(
    enrolments: QuerySet[Enrolment] | Iterable[int],
    *,
    today: date | None = None,
    sparkline_from: date | None = None,
) -> list[ProgressRow]:
    """One row per enrolment with every signal and its RAG rating, in a fixed number of queries.

    ``enrolments`` is a queryset (or ids); ``sparkline_from`` anchors the 4-week buckets of the sparklines (the
    cohort's start) and leaves them out when None.
    """
    today = today or timezone.localdate()
    queryset = (
        enrolments if isinstance(enrolments, QuerySet) else Enrolment.objects.filter(pk__in=list(enrolments))
    )
    found = list(
        queryset.select_related(
            "apprentice", "employer", "practice_tutor", "line_manager", "cohort", "programme__standard"
        ).order_by("apprentice__full_name", "pk")
    )
    if not found:
        return []
    ids = [e.pk for e in found]
    otj = otj_positions(found, on=today)
    due = reviews_due(found)
    passed = modules_passed_counts(ids)
    coverage = coverage_percents(found)
    awaiting = _awaiting(ids, today)
    modules_due = _modules_due({e.cohort_id for e in found}, today)
    overrides = _latest_overrides(ids)
    gateway = gateway_signals(found)
    sparks: dict[int, list[Decimal]] = {}
    if sparkline_from is not None:
        end = min(today, max(e.planned_end_date for e in found))
        sparks = confirmed_by_bucket(ids, bucket_edges(sparkline_from, max(end, sparkline_from)), today)
    rows = []
    for e in found:
        last, next_due = due[e.pk]
        position = otj.get(e.pk)
        ready, unmet = gateway.get(e.pk, (None, []))
        started = e.status in STARTED
        signals = rag.Signals(
            today=today,
            status=e.status,
            start_date=e.start_date,
            planned_end_date=e.planned_end_date,
            otj_status=position.status if position and started else None,
            otj_percent=position.percent_of_expected if position else None,
            review_state=next_due.state(today),
            review_due_on=next_due.due_on,
            modules_passed=passed.get(e.pk, 0),
            modules_due=modules_due.get(e.cohort_id, 0) if started else 0,
            ksb_coverage=coverage.get(e.pk, 0),
            awaiting_signature=tuple(awaiting.get(e.pk, [])),
            gateway_ready=ready,
            gateway_unmet=tuple(unmet),
        )
        rows.append(
            ProgressRow(
                enrolment=e,
                otj=position,
                last_review_on=last,
                due=next_due,
                review_state=signals.review_state,
                modules_passed=signals.modules_passed,
                modules_due=signals.modules_due,
                ksb_coverage=signals.ksb_coverage,
                awaiting=[document for document, _days in awaiting.get(e.pk, [])],
                gateway_ready=ready,
                gateway_unmet=unmet,
                computed=rag.rate(signals),
                override=overrides.get(e.pk),
                sparkline=sparks.get(e.pk, []),
            )
        )
    return rows


def iter_progress_rows(
    enrolments: QuerySet[Enrolment], *, today: date | None = None
) -> Iterator[ProgressRow]:
    """Every row, ``BATCH`` enrolments at a time (ordered by cohort and name): bounded memory for exports."""
    ids = list(enrolments.order_by("cohort_id", "apprentice__full_name", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        order = {pk: n for n, pk in enumerate(chunk)}
        rows = progress_rows(chunk, today=today)
        yield from sorted(rows, key=lambda r: order[r.enrolment.pk])


# --- filtering and sorting the dashboard ----------------------------------------------------------------------

RAG_ORDER = {rag.RED: 0, rag.AMBER: 1, rag.GREEN: 2, rag.GREY: 3}
SORTS = {
    "rag": lambda r: (RAG_ORDER[r.rag], r.name.casefold()),
    "name": lambda r: r.name.casefold(),
    "otj": lambda r: (r.otj_percent if r.otj_percent is not None else Decimal("1e9"), r.name.casefold()),
    "review": lambda r: (r.due.due_on or date.max, r.name.casefold()),
    "modules": lambda r: (r.modules_passed, r.name.casefold()),
    "coverage": lambda r: (r.ksb_coverage, r.name.casefold()),
    "status": lambda r: (JOURNEY.index(r.enrolment.status), r.name.casefold()),
}
SORT_LABELS = {
    "rag": "RAG (red first)",
    "name": "Name",
    "otj": "OTJ (% of expected, lowest first)",
    "review": "Next review due (soonest first)",
    "modules": "Modules passed (fewest first)",
    "coverage": "KSB coverage (lowest first)",
    "status": "Status (journey order)",
}


def filter_and_sort(rows: list[ProgressRow], filters: dict[str, str]) -> list[ProgressRow]:
    """The dashboard's filters (employer, tutor, status, RAG, name) and sort, on computed rows."""
    q = filters.get("q", "").strip().casefold()
    found = [
        r
        for r in rows
        if (not filters.get("employer") or str(r.enrolment.employer_id) == filters["employer"])
        and (not filters.get("tutor") or str(r.enrolment.practice_tutor_id) == filters["tutor"])
        and (not filters.get("status") or r.enrolment.status == filters["status"])
        and (not filters.get("rag") or r.rag == filters["rag"])
        and (not q or q in r.name.casefold() or q in r.enrolment.apprentice.email.casefold())
    ]
    sort = filters.get("sort") or "rag"
    key = SORTS.get(sort.lstrip("-"), SORTS["rag"])
    return sorted(found, key=key, reverse=sort.startswith("-"))


# --- charts -----------------------------------------------------------------------------------------------------


@dataclass
class Charts:
    """What the dashboard's inline SVG charts plot (computed from the rows, no further queries)."""

    otj_edges: list[date]
    otj_confirmed: list[Decimal]
    otj_expected: list[Decimal]
    reviews_overdue: int
    reviews_by_week: list[tuple[date, int]]
    journey: list[tuple[str, str, int]]
    rag_counts: dict[str, int]


def charts(rows: list[ProgressRow], *, start: date, today: date) -> Charts:
    """Cohort OTJ delivered vs expected per 4-week bucket, reviews due over 12 weeks, the journey, RAG counts."""
    end = min(today, max((r.enrolment.planned_end_date for r in rows), default=today))
    edges = bucket_edges(start, max(end, start))
    confirmed = [Decimal(0)] * len(edges)
    expected = [Decimal(0)] * len(edges)
    for row in rows:
        if row.otj is None or row.enrolment.status not in (*STARTED, Enrolment.Status.COMPLETED):
            continue
        e = row.enrolment
        total = max((e.planned_end_date - e.start_date).days, 1)
        for n, edge in enumerate(edges):
            if row.sparkline:
                confirmed[n] += row.sparkline[n]
            share = Decimal(max(0, min((min(edge, today) - e.start_date).days, total))) / total
            expected[n] += row.otj.required_hours * share
    weeks = [(today + timedelta(weeks=n), 0) for n in range(12)]
    counts = [0] * 12
    overdue = 0
    for row in rows:
        due_on = row.due.due_on
        if due_on is None:
            continue
        if due_on < today:
            overdue += 1
        elif (due_on - today).days < 84:
            counts[(due_on - today).days // 7] += 1
    statuses = Counter(r.enrolment.status for r in rows)
    labels = dict(Enrolment.Status.choices)
    return Charts(
        otj_edges=edges,
        otj_confirmed=confirmed,
        otj_expected=[value.quantize(Decimal("0.1")) for value in expected],
        reviews_overdue=overdue,
        reviews_by_week=[(week, counts[n]) for n, (week, _) in enumerate(weeks)],
        journey=[(status, labels[status], statuses.get(status, 0)) for status in JOURNEY],
        rag_counts={key: sum(r.rag == key for r in rows) for key in RAG_ORDER},
    )


# --- across programmes -------------------------------------------------------------------------------------------


@dataclass
class CohortSummary:
    """One cohort on the cross-programme summary."""

    cohort: Cohort
    apprentices: int = 0
    rag_counts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    otj_concerns: int = 0
    reviews_overdue: int = 0
    awaiting_signature: int = 0
    coverage_total: int = 0

    @property
    def coverage_average(self) -> int:
        return round(self.coverage_total / self.apprentices) if self.apprentices else 0

    @property
    def live(self) -> int:
        return sum(self.statuses[s] for s in Enrolment.LIVE_STATUSES)


def cohort_summaries(enrolments: QuerySet[Enrolment], *, today: date | None = None) -> list[CohortSummary]:
    """Per cohort: apprentices, RAG counts, OTJ concerns, overdue reviews, documents awaiting signatures, average
    KSB coverage. Reads the rows in batches (``iter_progress_rows``), keeping only the running totals."""
    cohorts = {
        c.pk: CohortSummary(c)
        for c in Cohort.objects.filter(pk__in=enrolments.values("cohort_id")).select_related("programme")
    }
    for row in iter_progress_rows(enrolments, today=today):
        summary = cohorts[row.enrolment.cohort_id]
        summary.apprentices += 1
        summary.rag_counts[row.rag] += 1
        summary.statuses[row.enrolment.status] += 1
        summary.otj_concerns += row.otj_status in ("behind", "at_risk")
        summary.reviews_overdue += row.review_overdue
        summary.awaiting_signature += bool(row.awaiting)
        summary.coverage_total += row.ksb_coverage
    return sorted(
        cohorts.values(),
        key=lambda s: (s.cohort.programme.name, -s.cohort.start_date.toordinal(), s.cohort.name),
    )


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
