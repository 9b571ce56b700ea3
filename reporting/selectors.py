"""Where every apprentice stands: the cohort progress rows behind the dashboard, its exports and the API.

The rows are ``ProgressSnapshot``s (computed by ``reporting.progress``). ``progress_rows`` refreshes the stale
ones in its scope, then hands back a queryset, so the dashboard filters, sorts, counts and pages in the database:
a fresh page runs the same handful of queries for 20 rows or 200. The cross-programme summary is one aggregate
over the snapshots, and exports iterate them in chunks, so memory stays bounded by the chunk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Lower

from accounts.models import Organisation, User
from portfolios.otj.selectors import AT_RISK, BEHIND
from programmes import access
from programmes.models import Cohort, Enrolment
from reporting import progress, rag, services
from reporting.models import ProgressSnapshot

BATCH = 500
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
STARTED = progress.STARTED
RAG_ORDER = progress.RAG_ORDER


# --- who sees which rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The enrolments a person sees on a dashboard, as a filter on enrolments. ``rows_q`` is the same filter from
    the snapshots' side (``enrolment__cohort_id=…`` rather than ``enrolment IN (subquery)``): PostgreSQL plans the
    dashboard's seven-table page query in about a fifth of the time when the filter is written that way."""

    q: Q

    @property
    def enrolments(self) -> QuerySet[Enrolment]:
        return Enrolment.objects.filter(self.q)

    @property
    def rows_q(self) -> Q:
        return _prefixed(self.q, "enrolment__")


def _prefixed(q: Q, prefix: str) -> Q:
    """The same Q with every lookup starting from a related model (``cohort_id`` → ``enrolment__cohort_id``)."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = child  # type: ignore[misc]
            children.append((prefix + lookup, value))
    copy.children = children
    return copy


def dashboard_enrolments(user: Any, cohort: Cohort, *, director: bool | None = None) -> Scope | None:
    """The cohort's rows this person may see on the dashboard: every row for a director of its programme (or an
    administrator), the tutor's own caseload for a practice tutor; None for everyone else (a 404). ``director``:
    whether the person directs the programme, when the caller already knows."""
    if director is None:
        director = access.is_director_of(user, cohort.programme)
    if director:
        return Scope(Q(cohort_id=cohort.pk))
    if not getattr(user, "is_authenticated", False):
        return None
    tutored = Q(cohort_id=cohort.pk, practice_tutor_id=user.pk)
    return Scope(tutored) if Enrolment.objects.filter(tutored).exists() else None


def summary_enrolments(user: Any) -> Scope | None:
    """Across programmes: every enrolment on the programmes this person directs plus their own caseload."""
    if not getattr(user, "is_authenticated", False):
        return None
    directed = list(access.directed_programmes(user).values_list("pk", flat=True))
    if not (directed or Enrolment.objects.filter(practice_tutor=user).exists()):
        return None
    return Scope(Q(programme_id__in=directed) | Q(practice_tutor_id=user.pk))


# --- one row per enrolment ----------------------------------------------------------------------------------

ROW_RELATED = (
    "enrolment__apprentice",
    "enrolment__employer",
    "enrolment__practice_tutor",
    "enrolment__cohort",
    "override__by",
)
NAME = Lower("enrolment__apprentice__full_name")


def progress_rows(scope: Scope, *, today: date | None = None) -> QuerySet[ProgressSnapshot]:
    """The snapshot of each enrolment in scope (stale ones recomputed first), with what a row shows, by name."""
    services.progress_refresh(enrolments=scope.enrolments, today=today)
    return (
        ProgressSnapshot.objects.filter(scope.rows_q)
        .select_related(*ROW_RELATED)
        .order_by(NAME, "enrolment_id")
    )


# What the progress API reads of a row: loading only these (and the four related rows they need) halves the
# time of a 200-row page, most of which went on building model instances and decoding unused JSON.
API_COLUMNS = (
    "enrolment_id",
    "enrolment__status",
    "enrolment__apprentice__full_name",
    "otj_status",
    "otj_percent",
    "last_review_on",
    "next_review_due",
    "review_state",
    "modules_passed",
    "ksb_coverage",
    "gateway_ready",
    "rag",
    "computed_rag",
    "computed_reasons",
    "override__rag",
    "override__reason",
    "override__at",
    "override__by__full_name",
)


# What a dashboard row shows (reporting/dashboard_rows.py), the same idea for the page.
PAGE_COLUMNS = (
    *API_COLUMNS,
    "computed_at",
    "otj_confirmed_hours",
    "otj_required_hours",
    "confirmed_series",
    "awaiting",
    "gateway_unmet",
    "enrolment__employer__name",
    "enrolment__practice_tutor__full_name",
)


PAGE_ONLY = tuple(
    c for c in PAGE_COLUMNS if not c.startswith(("enrolment__employer", "enrolment__practice_tutor"))
) + ("enrolment__employer_id", "enrolment__practice_tutor_id")


def for_page(rows: QuerySet[ProgressSnapshot]) -> QuerySet[ProgressSnapshot]:
    """The rows with only what a dashboard page shows. Employers and tutors come in two small queries of their
    own: every join fewer makes PostgreSQL plan the page query faster, and every row has both, so the number of
    queries never depends on the rows shown."""
    return (
        rows.select_related(None)
        .select_related("enrolment__apprentice", "override__by")
        .prefetch_related(
            Prefetch("enrolment__employer", Organisation.objects.only("name")),
            Prefetch("enrolment__practice_tutor", User.objects.only("full_name")),
        )
        .only(*PAGE_ONLY)
    )


def for_api(rows: QuerySet[ProgressSnapshot]) -> QuerySet[ProgressSnapshot]:
    """The rows with only what ``/api/v1/cohorts/{id}/progress/`` serialises."""
    return (
        rows.select_related(None).select_related("enrolment__apprentice", "override__by").only(*API_COLUMNS)
    )


# --- filtering and sorting the dashboard (in the database) ------------------------------------------------------

JOURNEY_ORDER = Case(
    *(When(enrolment__status=status, then=Value(n)) for n, status in enumerate(JOURNEY)),
    default=Value(len(JOURNEY)),
    output_field=IntegerField(),
)
# sort name → the columns, each (expression, whether its empty values go last when ascending)
SORTS: dict[str, list[tuple[Any, bool]]] = {
    "rag": [(F("rag_order"), True)],
    "name": [],
    "otj": [(F("otj_percent"), True)],
    "review": [(F("next_review_due"), True)],
    "modules": [(F("modules_passed"), True)],
    "coverage": [(F("ksb_coverage"), True)],
    "status": [(JOURNEY_ORDER, True)],
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


def filter_and_sort(rows: QuerySet[ProgressSnapshot], filters: dict[str, str]) -> QuerySet[ProgressSnapshot]:
    """The dashboard's filters (employer, tutor, status, RAG, name or email) and sort, as one query; a sort
    starting with ``-`` reverses every column, the name included."""
    if filters.get("employer"):
        rows = rows.filter(enrolment__employer_id=int(filters["employer"]))
    if filters.get("tutor"):
        rows = rows.filter(enrolment__practice_tutor_id=int(filters["tutor"]))
    if filters.get("status"):
        rows = rows.filter(enrolment__status=filters["status"])
    if filters.get("rag"):
        rows = rows.filter(rag=filters["rag"])
    q = filters.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(enrolment__apprentice__full_name__icontains=q) | Q(enrolment__apprentice__email__icontains=q)
        )
    sort = filters.get("sort") or "rag"
    descending = sort.startswith("-")
    columns = [*SORTS.get(sort.lstrip("-"), SORTS["rag"]), (NAME, True), (F("enrolment_id"), True)]
    return rows.order_by(
        *(
            expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=last)
            for expression, last in columns
        )
    )


# --- charts -----------------------------------------------------------------------------------------------------


@dataclass
class Charts:
    """What the dashboard's inline SVG charts plot, and the filter choices (one query over every row)."""

    total: int
    otj_edges: list[date]
    otj_confirmed: list[Decimal]
    otj_expected: list[Decimal]
    reviews_overdue: int
    reviews_by_week: list[tuple[date, int]]
    journey: list[tuple[str, str, int]]
    rag_counts: dict[str, int]
    employers: list[tuple[int, str]]
    tutors: list[tuple[int, str]]


def charts(rows: QuerySet[ProgressSnapshot], *, cohort: Cohort, today: date) -> Charts:
    """Cohort OTJ delivered vs expected per 4-week bucket, reviews due over 12 weeks, the journey, RAG counts,
    and the employers and tutors to filter by, from one query that reads only the columns they need."""
    edges = progress.one_cohort_edges(cohort, today)
    # Plotted values: floats while summing (hours are in quarter steps, exact in binary), Decimal at the end.
    confirmed = [0.0] * len(edges)
    expected = [0.0] * len(edges)
    reached = [min(edge, today).toordinal() for edge in edges]
    buckets = range(len(edges))
    counts = [0] * 12
    overdue = 0
    statuses: Counter[str] = Counter()
    rags: Counter[str] = Counter()
    employers: dict[int, str] = {}
    tutors: dict[int, str] = {}
    total = 0
    plotted = (*STARTED, Enrolment.Status.COMPLETED)
    for (
        rating,
        status,
        due_on,
        series,
        required,
        start,
        planned_end,
        employer_id,
        employer,
        tutor_id,
        tutor,
    ) in rows.order_by().values_list(
        "rag",
        "enrolment__status",
        "next_review_due",
        "confirmed_series",
        "otj_required_hours",
        "enrolment__start_date",
        "enrolment__planned_end_date",
        "enrolment__employer_id",
        "enrolment__employer__name",
        "enrolment__practice_tutor_id",
        "enrolment__practice_tutor__full_name",
    ):
        total += 1
        rags[rating] += 1
        statuses[status] += 1
        employers[employer_id] = employer
        tutors[tutor_id] = tutor
        if due_on is not None:
            if due_on < today:
                overdue += 1
            elif (due_on - today).days < 84:
                counts[(due_on - today).days // 7] += 1
        if required is None or status not in plotted:
            continue
        span = max((planned_end - start).days, 1)
        per_day = float(required) / span
        first = start.toordinal()
        for n, day in enumerate(reached):
            elapsed = day - first
            if elapsed > 0:
                expected[n] += per_day * (elapsed if elapsed < span else span)
        if series:
            hours = [float(value) for value in series]
            last = len(hours) - 1
            for n in buckets:
                confirmed[n] += hours[n if n < last else last]
    labels = dict(Enrolment.Status.choices)
    return Charts(
        total=total,
        otj_edges=edges,
        otj_confirmed=[Decimal(f"{value:.2f}") for value in confirmed],
        otj_expected=[Decimal(f"{value:.1f}") for value in expected],
        reviews_overdue=overdue,
        reviews_by_week=[(today + timedelta(weeks=n), counts[n]) for n in range(12)],
        journey=[(status, labels[status], statuses.get(status, 0)) for status in JOURNEY],
        rag_counts={key: rags.get(key, 0) for key in RAG_ORDER},
        employers=sorted(employers.items(), key=lambda item: item[1]),
        tutors=sorted(tutors.items(), key=lambda item: item[1]),
    )


# --- across programmes -------------------------------------------------------------------------------------------


@dataclass
class CohortSummary:
    """One cohort on the cross-programme summary."""

    cohort: Cohort
    apprentices: int = 0
    live: int = 0
    rag_counts: Counter[str] = field(default_factory=Counter)
    otj_concerns: int = 0
    reviews_overdue: int = 0
    awaiting_signature: int = 0
    coverage_total: int = 0

    @property
    def coverage_average(self) -> int:
        return round(self.coverage_total / self.apprentices) if self.apprentices else 0


def cohort_summaries(scope: Scope, *, today: date | None = None) -> list[CohortSummary]:
    """Per cohort: apprentices, RAG counts, OTJ concerns, overdue reviews, documents awaiting signatures, average
    KSB coverage: one aggregate over the snapshots (stale ones are refreshed first, a batch at a time)."""
    services.progress_refresh(enrolments=scope.enrolments, today=today)
    cohorts = {
        c.pk: c
        for c in Cohort.objects.filter(pk__in=scope.enrolments.values("cohort_id")).select_related(
            "programme"
        )
    }
    totals = (
        ProgressSnapshot.objects.filter(scope.rows_q)
        .values("enrolment__cohort_id")
        .annotate(
            apprentices=Count("pk"),
            live=Count("pk", filter=Q(enrolment__status__in=Enrolment.LIVE_STATUSES)),
            red=Count("pk", filter=Q(rag=rag.RED)),
            amber=Count("pk", filter=Q(rag=rag.AMBER)),
            green=Count("pk", filter=Q(rag=rag.GREEN)),
            grey=Count("pk", filter=Q(rag=rag.GREY)),
            otj_concerns=Count("pk", filter=Q(otj_status__in=[BEHIND, AT_RISK])),
            reviews_overdue=Count("pk", filter=Q(review_state="overdue")),
            awaiting_signature=Count("pk", filter=Q(awaiting_count__gt=0)),
            coverage_total=Sum("ksb_coverage"),
        )
        .order_by()
    )
    summaries = []
    for row in totals:
        summaries.append(
            CohortSummary(
                cohort=cohorts[row["enrolment__cohort_id"]],
                apprentices=row["apprentices"],
                live=row["live"],
                rag_counts=Counter(
                    {
                        rag.RED: row["red"],
                        rag.AMBER: row["amber"],
                        rag.GREEN: row["green"],
                        rag.GREY: row["grey"],
                    }
                ),
                otj_concerns=row["otj_concerns"],
                reviews_overdue=row["reviews_overdue"],
                awaiting_signature=row["awaiting_signature"],
                coverage_total=row["coverage_total"] or 0,
            )
        )
    return sorted(
        summaries,
        key=lambda s: (s.cohort.programme.name, -s.cohort.start_date.toordinal(), s.cohort.name),
    )


def iter_progress_rows(scope: Scope, *, today: date | None = None) -> Iterator[ProgressSnapshot]:
    """Every row (refreshed), read from the database ``BATCH`` at a time: bounded memory for exports."""
    return progress_rows(scope, today=today).iterator(chunk_size=BATCH)
