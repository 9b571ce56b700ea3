"""Reads for progress reviews: the tutor's caseload, due dates, overdue reviews, and what awaits each person.

Every function runs a fixed number of queries whatever the number of apprentices or reviews: rows are fetched
in bulk and joined in Python (the due date is a policy computed in code, see ``tutors.cadence``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from portfolios.models import Evidence, Feedback, KSBJudgement
from portfolios.otj.selectors import otj_positions
from programmes import access
from programmes.models import KSB, BreakInLearning, Enrolment
from programmes.training_plans.models import TrainingPlan
from tutors import cadence, services
from tutors.models import (
    ProgressReview,
    ReviewAction,
    ReviewAddendum,
    ReviewKSBRating,
    ReviewPolicy,
    ReviewSignature,
)

Status = ProgressReview.Status
CASELOAD_STATUSES = (
    Enrolment.Status.PENDING,
    Enrolment.Status.ACTIVE,
    Enrolment.Status.BREAK_IN_LEARNING,
    Enrolment.Status.GATEWAY,
    Enrolment.Status.EPA,
)
STATE_ORDER = {"overdue": 0, "due_soon": 1, "ok": 2, "paused": 3, "none": 4}


# --- due dates ------------------------------------------------------------------------------------------------


def breaks_by_enrolment(ids: list[int]) -> dict[int, list[cadence.Break]]:
    found: dict[int, list[cadence.Break]] = defaultdict(list)
    for row in BreakInLearning.objects.filter(enrolment_id__in=ids).values(
        "enrolment_id", "start_date", "end_date"
    ):
        found[row["enrolment_id"]].append(cadence.Break(row["start_date"], row["end_date"]))
    return found


def last_signed_review_dates(ids: list[int]) -> dict[int, date]:
    return dict(
        ProgressReview.objects.filter(enrolment_id__in=ids, status=Status.SIGNED)
        .values("enrolment_id")
        .annotate(last=Max("held_on"))
        .values_list("enrolment_id", "last")
    )


def term_end_days_by_programme(programme_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    return {
        policy.programme_id: policy.term_end_days()
        for policy in ReviewPolicy.objects.filter(
            programme_id__in=programme_ids, rule=ReviewPolicy.Rule.TERMLY
        )
    }


def due_for(enrolment: Enrolment, *, last: date | None, breaks, term_ends) -> cadence.ReviewDue:
    due = cadence.next_due(
        start_date=enrolment.start_date, last_review_on=last, breaks=breaks, term_ends=term_ends
    )
    if enrolment.status not in (Enrolment.Status.ACTIVE, Enrolment.Status.BREAK_IN_LEARNING):
        why = f"No reviews are due while the enrolment is {enrolment.get_status_display().lower()}."
        return cadence.ReviewDue(None, due.rule, due.counted_from, why)
    return due


def reviews_due(enrolments: Iterable[Enrolment]) -> dict[int, tuple[date | None, cadence.ReviewDue]]:
    """For each enrolment: the last signed review's date and when the next is due (three queries)."""
    enrolments = list(enrolments)
    ids = [e.pk for e in enrolments]
    if not ids:
        return {}
    last, breaks = last_signed_review_dates(ids), breaks_by_enrolment(ids)
    terms = term_end_days_by_programme({e.programme_id for e in enrolments})
    return {
        e.pk: (
            last.get(e.pk),
            due_for(e, last=last.get(e.pk), breaks=breaks[e.pk], term_ends=terms.get(e.programme_id)),
        )
        for e in enrolments
    }


def review_due(enrolment: Enrolment) -> tuple[date | None, cadence.ReviewDue]:
    return reviews_due([enrolment])[enrolment.pk]


# --- OTJ and KSB coverage ---------------------------------------------------------------------------------------


def otj_snapshot(enrolment: Enrolment, *, on: date | None = None) -> dict[str, Any]:
    """The OTJ position fixed into a review record: delivered vs expected, slippage, pace needed."""
    position = otj_positions([enrolment], on=on)[enrolment.pk]

    def hours(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"

    slippage = max(position.expected_hours_to_date - position.confirmed_hours, Decimal(0))
    return {
        "on": (on or timezone.localdate()).isoformat(),
        "required_hours": hours(position.required_hours),
        "confirmed_hours": hours(position.confirmed_hours),
        "pending_hours": hours(position.pending_hours),
        "expected_hours_to_date": hours(position.expected_hours_to_date),
        "slippage_hours": hours(slippage),
        "percent_of_expected": hours(position.percent_of_expected),
        "weekly_hours_needed": hours(position.weekly_hours_needed),
        "status": position.status,
        "status_label": position.status_label,
        "policy": position.policy,
        "explanation": position.explanation,
    }


def coverage_percents(enrolments: list[Enrolment]) -> dict[int, int]:
    """Accepted-KSB coverage per enrolment (the portfolio's rule: accepted evidence, current version, agreed KSB),
    in two queries for any number of enrolments."""
    ids = [e.pk for e in enrolments]
    if not ids:
        return {}
    accepted = (
        KSBJudgement.objects.filter(
            agreed=True,
            feedback__decision=Feedback.Decision.ACCEPTED,
            feedback__version__evidence__status=Evidence.Status.ACCEPTED,
            feedback__version__evidence__enrolment_id__in=ids,
        )
        .filter(feedback__version_id=F("feedback__version__evidence__current_id"))
        .values("feedback__version__evidence__enrolment_id")
        .annotate(n=Count("ksb_id", distinct=True))
        .values_list("feedback__version__evidence__enrolment_id", "n")
    )
    counts = dict(accepted)
    standards = {e.programme.standard_id for e in enrolments}
    totals = dict(
        KSB.objects.filter(standard_id__in=standards)
        .values("standard_id")
        .annotate(n=Count("pk"))
        .values_list("standard_id", "n")
    )
    return {
        e.pk: round(100 * counts.get(e.pk, 0) / totals[e.programme.standard_id])
        if totals.get(e.programme.standard_id)
        else 0
        for e in enrolments
    }


# --- the caseload ---------------------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    enrolment: Enrolment
    last_review_on: date | None
    due: cadence.ReviewDue
    state: str
    days_left: int | None
    otj_status: str | None
    otj_label: str
    otj_percent: Decimal | None
    coverage: int
    unsigned: list[str]
    open_actions: int
    open_review: ProgressReview | None

    @property
    def state_label(self) -> str:
        return cadence.STATE_LABELS[self.state]

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


SORTS = {
    "due": lambda r: (STATE_ORDER[r.state], r.due.due_on or date.max, r.enrolment.apprentice.full_name),
    "name": lambda r: r.enrolment.apprentice.full_name.casefold(),
    "last": lambda r: (r.last_review_on or date.min, r.enrolment.apprentice.full_name),
    "otj": lambda r: (
        r.otj_percent if r.otj_percent is not None else Decimal("1e9"),
        r.enrolment.apprentice.full_name,
    ),
    "coverage": lambda r: (r.coverage, r.enrolment.apprentice.full_name),
    "actions": lambda r: (-r.open_actions, r.enrolment.apprentice.full_name),
    "unsigned": lambda r: (-len(r.unsigned), r.enrolment.apprentice.full_name),
}
SORT_LABELS = {
    "due": "Next review due (overdue first)",
    "name": "Name",
    "last": "Last review",
    "otj": "OTJ (% of expected, lowest first)",
    "coverage": "KSB coverage (lowest first)",
    "actions": "Open actions (most first)",
    "unsigned": "Unsigned documents (most first)",
}


def caseload_rows(
    enrolments: QuerySet[Enrolment], *, today: date | None = None, sort: str = "due", state: str = ""
) -> list[CaseloadRow]:
    """One row per enrolment with everything the caseload shows; a fixed number of queries."""
    today = today or timezone.localdate()
    enrolments_list = list(
        enrolments.select_related("apprentice", "cohort", "programme", "line_manager", "employer")
    )
    ids = [e.pk for e in enrolments_list]
    due = reviews_due(enrolments_list)
    otj = otj_positions(enrolments_list, on=today) if enrolments_list else {}
    coverage = coverage_percents(enrolments_list)
    plans = set(
        TrainingPlan.objects.filter(enrolment_id__in=ids, status=TrainingPlan.Status.AWAITING).values_list(
            "enrolment_id", flat=True
        )
    )
    open_reviews = {
        review.enrolment_id: review
        for review in ProgressReview.objects.filter(
            enrolment_id__in=ids, status__in=ProgressReview.OPEN_STATUSES
        )
    }
    addenda = set(
        ReviewAddendum.objects.filter(
            review__enrolment_id__in=ids, status=ReviewAddendum.Status.AWAITING
        ).values_list("review__enrolment_id", flat=True)
    )
    actions = dict(
        ReviewAction.objects.filter(review__enrolment_id__in=ids, done_on__isnull=True)
        .exclude(review__status=Status.DRAFT)
        .values("review__enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("review__enrolment_id", "n")
    )
    rows = []
    for enrolment in enrolments_list:
        last, next_due = due[enrolment.pk]
        position = otj.get(enrolment.pk)
        review = open_reviews.get(enrolment.pk)
        unsigned = []
        if enrolment.pk in plans:
            unsigned.append("Training plan")
        if review is not None and review.status == Status.AWAITING:
            unsigned.append(f"Review {review.number}")
        if enrolment.pk in addenda:
            unsigned.append("Review addendum")
        rows.append(
            CaseloadRow(
                enrolment=enrolment,
                last_review_on=last,
                due=next_due,
                state=next_due.state(today),
                days_left=next_due.days_left(today),
                otj_status=position.status if position else None,
                otj_label=position.status_label if position else "—",
                otj_percent=position.percent_of_expected if position else None,
                coverage=coverage.get(enrolment.pk, 0),
                unsigned=unsigned,
                open_actions=actions.get(enrolment.pk, 0),
                open_review=review,
            )
        )
    if state:
        rows = [row for row in rows if row.state == state]
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["due"])
    return sorted(rows, key=key, reverse=descending)


def caseload_for(tutor, **options) -> list[CaseloadRow]:
    enrolments = Enrolment.objects.filter(practice_tutor=tutor, status__in=CASELOAD_STATUSES)
    cohort = options.pop("cohort", "")
    if cohort:
        enrolments = enrolments.filter(cohort_id=cohort)
    q = options.pop("q", "")
    if q:
        enrolments = enrolments.filter(
            Q(apprentice__full_name__icontains=q) | Q(apprentice__email__icontains=q)
        )
    return caseload_rows(enrolments, **options)


def overdue_reviews(user, *, today: date | None = None, programme: str = "") -> list[CaseloadRow]:
    """Reviews overdue on the programmes this person directs (every programme for an administrator)."""
    enrolments = Enrolment.objects.filter(
        programme__in=access.directed_programmes(user), status=Enrolment.Status.ACTIVE
    ).select_related("practice_tutor")
    if programme:
        enrolments = enrolments.filter(programme_id=programme)
    rows = caseload_rows(enrolments, today=today, state="overdue")
    return sorted(rows, key=lambda r: (r.due.due_on or date.max, r.enrolment.apprentice.full_name))


# --- reviews of one enrolment, and one review ---------------------------------------------------------------


def reviews_visible_to(user) -> QuerySet[ProgressReview]:
    """Reviews on enrolments the person may see; drafts only to the tutor and the programme's directors."""
    visible = ProgressReview.objects.filter(enrolment__in=access.enrolments_visible_to(user))
    if getattr(user, "is_superuser", False):
        return visible
    staff = Q(enrolment__practice_tutor=user) | Q(enrolment__programme__directors=user)
    return visible.filter(
        ~Q(status=Status.DRAFT) | Q(pk__in=ProgressReview.objects.filter(staff).values("pk"))
    )


def review_detail(user, pk: int) -> ProgressReview:
    queryset = (
        reviews_visible_to(user)
        .select_related(
            "enrolment__apprentice",
            "enrolment__line_manager",
            "enrolment__practice_tutor",
            "enrolment__programme__standard",
            "enrolment__cohort",
            "enrolment__employer",
        )
        .prefetch_related(
            Prefetch("signatures", queryset=ReviewSignature.objects.select_related("signed_by", "addendum")),
            Prefetch("addenda", queryset=ReviewAddendum.objects.order_by("number")),
            "declines__declined_by",
            Prefetch("ratings", queryset=ReviewKSBRating.objects.select_related("ksb")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("due_on", "pk")),
        )
    )
    return access.visible_or_404(queryset, pk, noun="review")


def reviews_for(enrolment: Enrolment, user) -> QuerySet[ProgressReview]:
    return (
        reviews_visible_to(user)
        .filter(enrolment=enrolment)
        .annotate(open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)))
        .order_by("-number")
    )


# --- what awaits each person (home pages) -------------------------------------------------------------------


def reviews_to_sign(user) -> list[ProgressReview]:
    """Reviews awaiting this person's signature (as apprentice, line manager or tutor); two queries."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidates = (
        ProgressReview.objects.filter(status=Status.AWAITING)
        .filter(
            Q(enrolment__apprentice=user)
            | Q(enrolment__line_manager=user)
            | Q(enrolment__practice_tutor=user)
        )
        .select_related("enrolment__apprentice")
        .prefetch_related("signatures")
        .order_by("submitted_at", "pk")
    )
    waiting = []
    for review in candidates:
        signed = {
            s.role
            for s in review.signatures.all()
            if s.addendum_id is None and s.content_hash == review.content_hash
        }
        e = review.enrolment
        if (
            (e.apprentice_id == user.pk and "apprentice" not in signed)
            or (e.line_manager_id == user.pk and "employer" not in signed)
            or (e.practice_tutor_id == user.pk and "provider" not in signed)
        ):
            waiting.append(review)
    return waiting[:50]


def open_actions_for(user) -> list[ReviewAction]:
    """Open actions this person owns: as the apprentice, or as the line manager, on submitted reviews of
    apprenticeships still under way (a withdrawn or completed apprentice's actions are no one's to do)."""
    if not getattr(user, "is_authenticated", False):
        return []
    owned = Q(owner=ReviewAction.Owner.APPRENTICE, review__enrolment__apprentice=user) | Q(
        owner=ReviewAction.Owner.LINE_MANAGER, review__enrolment__line_manager=user
    )
    return list(
        ReviewAction.objects.filter(owned, done_on__isnull=True)
        .exclude(review__status=Status.DRAFT)
        .exclude(review__enrolment__status__in=(Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED))
        .select_related("review__enrolment__apprentice")
        .order_by("due_on", "pk")[:50]
    )


def tutor_review_counts(user, *, today: date | None = None) -> dict[str, int]:
    """How many of the tutor's reviews are overdue and due within 14 days (for the home page)."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            practice_tutor=user, status__in=(Enrolment.Status.ACTIVE, Enrolment.Status.BREAK_IN_LEARNING)
        )
    )
    states = [due.state(today) for _last, due in reviews_due(enrolments).values()]
    return {"overdue": states.count("overdue"), "due_soon": states.count("due_soon")}


def director_overdue_count(user, *, today: date | None = None) -> int:
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(
            programme__in=access.directed_programmes(user), status=Enrolment.Status.ACTIVE
        )
    )
    return sum(due.state(today) == "overdue" for _last, due in reviews_due(enrolments).values())


@dataclass
class DraftState:
    """What the review form starts from: the draft's saved values, the earlier actions to tick off, the draft's
    own actions."""

    initial: dict
    previous_actions: list
    written_actions: list


def review_draft_state(enrolment: Enrolment, review: ProgressReview | None) -> DraftState:
    """The review form's starting point: a new review is held today; a draft resumes where the tutor left it."""
    previous = list(services.previous_open_actions(enrolment, before=review))
    if review is None:
        return DraftState({"held_on": timezone.localdate()}, previous, [])
    previous += list(review.checked_actions.select_related("review"))
    initial: dict = {
        name: getattr(review, name) for name in ("held_on", "next_review_on", *services.TEXT_FIELDS)
    }
    for rating in review.ratings.all():
        initial[f"rating_{rating.ksb_id}"] = rating.rating
        initial[f"comment_{rating.ksb_id}"] = rating.comment
    written = list(review.actions.order_by("due_on", "pk"))
    for n, action in enumerate(written):
        initial |= {
            f"action_{n}_description": action.description,
            f"action_{n}_owner": action.owner,
            f"action_{n}_due_on": action.due_on,
        }
    for action in previous:
        initial[f"previous_{action.pk}"] = action.done_on is not None
    return DraftState(initial, previous, written)
