"""Computing where each apprentice stands: every dashboard signal and its RAG rating, as ``ProgressSnapshot`` rows.

``compute`` is the one place the signals are put together. It reuses each signal's own bulk selector
(``otj_positions``, ``reviews_due``, ``modules_passed_counts``, ``coverage_percents``, ``gateway_readiness``), so
it runs a fixed number of queries per batch however many rows there are, and returns unsaved snapshots;
``reporting.services.progress_refresh`` stores them. Readers (``reporting.selectors``) only ever read snapshots.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, IntegerField, Max, Sum, Value, When
from django.utils import timezone

from assessments.epa.gateway import gateway_readiness
from assessments.selectors import modules_passed_counts
from portfolios.otj.models import OffTheJobEntry
from portfolios.otj.selectors import OTJPosition, otj_positions, two_places
from programmes.models import Cohort, Enrolment, ModuleRun
from programmes.training_plans.models import TrainingPlan
from reporting import rag
from reporting.models import ProgressSnapshot, RAGOverride
from tutors.models import ProgressReview, ReviewAddendum
from tutors.selectors import coverage_percents, reviews_due

# Bump when the computation below changes, so that every stored row is recomputed on its next read.
RULES_VERSION = 1
# Gateway readiness is checked while in learning and at gateway; later stages are past it, earlier not started.
GATEWAY_CHECKED = (Enrolment.Status.ACTIVE, Enrolment.Status.GATEWAY)
STARTED = (
    Enrolment.Status.ACTIVE,
    Enrolment.Status.BREAK_IN_LEARNING,
    Enrolment.Status.GATEWAY,
    Enrolment.Status.EPA,
)
RAG_ORDER = {rag.RED: 0, rag.AMBER: 1, rag.GREEN: 2, rag.GREY: 3}
BUCKET_WEEKS = 4
MAX_BUCKETS = 40


def rules_fingerprint() -> str:
    """A short hash of everything a rating depends on besides the data: the code's version and the thresholds
    (``RAG_*``, ``OTJ_*``, the feedback window). Change a setting and every row is recomputed."""
    names = sorted(n for n in dir(settings) if n.startswith(("RAG_", "OTJ_")))
    values = [RULES_VERSION, settings.ASSIGNMENT_FEEDBACK_DAYS, *((n, getattr(settings, n)) for n in names)]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


# --- the sparkline's 4-week buckets -----------------------------------------------------------------------------


def bucket_edges(start: date, end: date) -> list[date]:
    """The ends of the 4-week buckets from ``start`` up to ``end`` (at most MAX_BUCKETS, the last ones kept)."""
    count = max(1, math.ceil(((end - start).days + 1) / (7 * BUCKET_WEEKS)))
    edges = [start + timedelta(weeks=BUCKET_WEEKS * (n + 1)) for n in range(count)]
    return edges[-MAX_BUCKETS:]


def cohort_edges(cohort_ids: set[int], today: date) -> dict[int, list[date]]:
    """Each cohort's buckets: from its start to today or its last planned end, whichever is first (one query)."""
    edges = {}
    for cohort_id, start, last_end in (
        Enrolment.objects.filter(cohort_id__in=cohort_ids)
        .values("cohort_id")
        .annotate(last_end=Max("planned_end_date"))
        .values_list("cohort_id", "cohort__start_date", "last_end")
    ):
        edges[cohort_id] = bucket_edges(start, max(min(today, last_end), start))
    return edges


def one_cohort_edges(cohort: Cohort, today: date) -> list[date]:
    """``cohort_edges`` for one cohort already loaded (a plain aggregate, no join)."""
    last_end = Enrolment.objects.filter(cohort_id=cohort.pk).aggregate(last=Max("planned_end_date"))["last"]
    if last_end is None:
        return []
    return bucket_edges(cohort.start_date, max(min(today, last_end), cohort.start_date))


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


# --- the other signals that are not another app's selector ------------------------------------------------------


def latest_overrides(ids: list[int]) -> dict[int, RAGOverride]:
    """The override in force per enrolment (the latest row, unless it removed the override)."""
    latest: dict[int, RAGOverride] = {}
    for override in (
        RAGOverride.objects.filter(enrolment_id__in=ids)
        .select_related("by")
        .order_by("enrolment_id", "-at", "-id")
    ):
        latest.setdefault(override.enrolment_id, override)
    return {pk: o for pk, o in latest.items() if not o.is_clear}


def modules_due(cohort_ids: set[int], today: date) -> dict[int, int]:
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


def awaiting_signatures(ids: list[int], today: date) -> dict[int, list[tuple[str, int]]]:
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


def gateway_signals(
    enrolments: list[Enrolment], *, today: date, positions: dict[int, OTJPosition], passed: dict[int, int]
) -> dict[int, tuple[bool | None, list[str]]]:
    """Gateway readiness (``assessments.epa.gateway``) with the unmet items' labels, for those in learning or at
    gateway; the rest are past it or not started (None). Reuses the OTJ positions and module counts."""
    checkable = [e for e in enrolments if e.status in GATEWAY_CHECKED]
    found: dict[int, tuple[bool | None, list[str]]] = {}
    for pk, state in gateway_readiness(checkable, on=today, positions=positions, passed=passed).items():
        found[pk] = (state.ready, [item.label for item in state.items if not item.met])
    return found


# --- one snapshot per enrolment ---------------------------------------------------------------------------------


def _confirmed_series(enrolments: list[Enrolment], edges: dict, today: date) -> dict[int, list[Decimal]]:
    """Each enrolment's confirmed hours per chart bucket, bucketed on its cohort's edges."""
    series: dict[int, list[Decimal]] = {}
    by_cohort: dict[int, list[int]] = defaultdict(list)
    for e in enrolments:
        by_cohort[e.cohort_id].append(e.pk)
    for cohort_id, members in by_cohort.items():
        series.update(confirmed_by_bucket(members, edges.get(cohort_id, []), today))
    return series


def compute(enrolments: list[Enrolment], *, today: date) -> list[ProgressSnapshot]:
    """Every signal and the RAG rating of each enrolment on ``today``, as unsaved snapshots (a fixed number of
    queries for any number of enrolments). The enrolments need ``programme__standard`` and ``cohort`` loaded."""
    if not enrolments:
        return []
    ids = [e.pk for e in enrolments]
    cohort_ids = {e.cohort_id for e in enrolments}
    otj = otj_positions(enrolments, on=today)
    due = reviews_due(enrolments)
    passed = modules_passed_counts(ids)
    coverage = coverage_percents(enrolments)
    awaiting = awaiting_signatures(ids, today)
    due_modules = modules_due(cohort_ids, today)
    overrides = latest_overrides(ids)
    gateway = gateway_signals(enrolments, today=today, positions=otj, passed=passed)
    edges = cohort_edges(cohort_ids, today)
    series = _confirmed_series(enrolments, edges, today)
    fingerprint = rules_fingerprint()
    now = timezone.now()
    snapshots = []
    for e in enrolments:
        last, next_due = due[e.pk]
        position = otj.get(e.pk)
        ready, unmet = gateway.get(e.pk, (None, []))
        started = e.status in STARTED
        waiting = awaiting.get(e.pk, [])
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
            modules_due=due_modules.get(e.cohort_id, 0) if started else 0,
            ksb_coverage=coverage.get(e.pk, 0),
            awaiting_signature=tuple(waiting),
            gateway_ready=ready,
            gateway_unmet=tuple(unmet),
        )
        rating = rag.rate(signals)
        override = overrides.get(e.pk)
        in_force = override.rag if override else rating.rag
        snapshots.append(
            ProgressSnapshot(
                enrolment=e,
                computed_on=today,
                computed_at=now,
                rules=fingerprint,
                otj_status=position.status if position else "",
                otj_percent=two_places(position.percent_of_expected)
                if position and position.percent_of_expected is not None
                else None,
                otj_confirmed_hours=two_places(position.confirmed_hours) if position else None,
                otj_required_hours=two_places(position.required_hours) if position else None,
                last_review_on=last,
                next_review_due=next_due.due_on,
                review_state=signals.review_state,
                modules_passed=signals.modules_passed,
                modules_due=signals.modules_due,
                ksb_coverage=signals.ksb_coverage,
                awaiting=[document for document, _days in waiting],
                awaiting_count=len(waiting),
                gateway_ready=ready,
                gateway_unmet=list(unmet),
                computed_rag=rating.rag,
                computed_reasons=list(rating.reasons),
                override=override,
                rag=in_force,
                rag_order=RAG_ORDER[in_force],
                confirmed_series=[str(value) for value in series.get(e.pk, [])],
            )
        )
    return snapshots
