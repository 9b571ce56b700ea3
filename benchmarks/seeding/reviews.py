"""Progress reviews for every apprentice who has started: up to fifteen, four to twelve weeks apart from the start
date to a week ago (a newer cohort is reviewed about monthly, an older one every twelve weeks until its fifteen are
used up), signed by the three parties, each with KSB ratings and two SMART actions (done before the next review;
the latest review's still open). Every third apprentice stopped being reviewed twenty weeks ago (overdue). The
sample enrolment's next review awaits signatures. Inserted as tuples (``insert_rows``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from benchmarks.seeding.programme import ksb_pks
from benchmarks.seeding.rows import insert_rows
from benchmarks.seeding.world import World
from programmes.models import Enrolment
from programmes.training_plans.models import content_hash as digest
from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature

REVIEWS_PER_APPRENTICE = 15  # at most, for an apprentice who has started (about 12 per apprentice on average)
REVIEW_DAYS = (28, 84)  # the fewest and most days between reviews: monthly at most, and the 12-week rule
REVIEW_RATINGS = 5
Status = Enrolment.Status
Review = ProgressReview.Status
# A planned review: (enrolment, number, held on, next review on, status).
Planned = tuple[Enrolment, int, date, date, str]
REVIEW_FIELDS = (
    "enrolment_id",
    "number",
    "status",
    "scheduled_for",
    "location",
    "held_on",
    "training_since",
    "progress",
    "next_review_on",
    "content",
    "content_hash",
    "created_by_id",
    "created_at",
    "submitted_at",
    "signed_at",
)
SIGNATURE_FIELDS = (
    "review_id",
    "role",
    "signed_by_id",
    "typed_name",
    "signed_at",
    "ip_address",
    "user_agent",
    "content_hash",
)


def _review_days(start: date, last_day: date) -> tuple[list[date], int]:
    """Up to ``REVIEWS_PER_APPRENTICE`` review days from ``start`` to ``last_day``, evenly spaced (4 to 12
    weeks apart), each moved back to a weekday; and the spacing in days."""
    fewest, most = REVIEW_DAYS
    span = (last_day - start).days
    count = min(REVIEWS_PER_APPRENTICE, span // fewest) if span > 0 else 0
    if not count:
        return [], most
    every = min(span // count, most)
    days = [start + timedelta(days=every * k) for k in range(1, count + 1)]
    return [day - timedelta(days=max(0, day.weekday() - 4)) for day in days], every


def planned_reviews(w: World) -> list[Planned]:
    """Every started enrolment's signed reviews, and the sample's next one awaiting signatures."""
    today = w.now.date()
    planned: list[Planned] = []
    for i, enrolment in enumerate(w.enrolments):
        if enrolment.status == Status.PENDING:
            continue
        ends = [d for d in (today, enrolment.actual_end_date) if d is not None]
        last_day = min(ends) - timedelta(days=7 if i % 3 else 140)
        held, every = _review_days(enrolment.start_date, last_day)
        for number, day in enumerate(held, 1):
            planned.append((enrolment, number, day, day + timedelta(days=every), Review.SIGNED))
        if enrolment.pk == w.sample_enrolment.pk:
            day = today - timedelta(days=2)
            planned.append((enrolment, len(held) + 1, day, day + timedelta(weeks=11), Review.AWAITING))
    return planned


def review_content(enrolment: Enrolment, number: int, day: date, next_on: date) -> dict:
    return {
        "title": "Tripartite progress review",
        "number": number,
        "held_on": day.isoformat(),
        "training_since": "Module online weeks and campus days; portfolio evidence.",
        "progress": "On track against the plan.",
        "otj_replan": "",
        "modules": "Module assignments submitted on time.",
        "support_needs": "",
        "wellbeing": "",
        "circumstances": "",
        "actions": [],
        "ksb_ratings": [],
        "previous_actions": [],
        "otj": {},
        "next_review_on": next_on.isoformat(),
        "time_note": "Time spent in progress reviews is not off-the-job training.",
        "apprentice": {"name": enrolment.apprentice.full_name, "email": enrolment.apprentice.email},
        "line_manager": {"name": "", "email": ""},
        "practice_tutor": {"name": "", "email": ""},
        "employer": "",
        "programme": "",
        "cohort": "",
    }


def insert_reviews(w: World, planned: list[Planned]) -> tuple[range, list[tuple[datetime, str]]]:
    """The reviews, with explicit primary keys; returns them and each review's submission time and content hash."""

    def at(day: date, hours: int = 10) -> datetime:
        return min(
            timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hours), w.now
        )

    rows, stored = [], []
    for enrolment, number, day, next_on, status in planned:
        body = review_content(enrolment, number, day, next_on)
        submitted, body_hash = at(day, 16), digest(body)
        stored.append((submitted, body_hash))
        rows.append(
            (
                enrolment.pk,
                number,
                status,
                at(day),
                "The employer's office",
                day,
                body["training_since"],
                body["progress"],
                next_on,
                body,
                body_hash,
                enrolment.practice_tutor_id,
                at(day, 9),
                submitted,
                at(day, 20) if status == Review.SIGNED else None,
            )
        )
    reviews = insert_rows(w, ProgressReview, REVIEW_FIELDS, rows, pks=True)
    assert reviews is not None  # insert_rows returns the keys it chose (pks=True)
    return reviews, stored


def signatures_ratings_actions(
    planned: list[Planned], reviews: range, stored: Sequence[tuple[datetime, str]], ksbs: list[int]
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Each review's signatures (the tutor's only while it awaits the others), KSB ratings and two actions."""
    signatures, ratings, actions = [], [], []
    for n, (pk, (enrolment, number, _day, next_on, status), (submitted, body_hash)) in enumerate(
        zip(reviews, planned, stored, strict=True)
    ):
        signers = [
            ("provider", enrolment.practice_tutor),
            ("apprentice", enrolment.apprentice),
            ("employer", enrolment.line_manager),
        ]
        if status != Review.SIGNED:
            signers = signers[:1]  # the tutor signed on the day; the apprentice and manager have not yet
        signatures += [
            (
                pk,
                role,
                user.pk,
                user.full_name,
                submitted + timedelta(minutes=k + 1),
                "192.0.2.20",
                "Mozilla/5.0 (benchmark)",
                body_hash,
            )
            for k, (role, user) in enumerate(signers)
        ]
        ratings += [(pk, ksbs[(n + j) % len(ksbs)], "developing", "") for j in range(REVIEW_RATINGS)]
        last = n + 1 == len(planned) or planned[n + 1][0] is not enrolment
        done = None if last else next_on - timedelta(days=7)
        owners = ("apprentice", "line_manager")
        actions += [
            (pk, f"Action {k + 1} agreed at review {number}.", owners[k], next_on, done) for k in range(2)
        ]
    return signatures, ratings, actions


def progress_reviews(w: World) -> None:
    """The reviews and what hangs off them (see the module's docstring); the world keeps the sample enrolment's
    last signed review and its next one, awaiting signatures."""
    ksbs = ksb_pks(w)
    planned = planned_reviews(w)
    reviews, stored = insert_reviews(w, planned)
    signatures, ratings, actions = signatures_ratings_actions(planned, reviews, stored, ksbs)
    insert_rows(w, ReviewSignature, SIGNATURE_FIELDS, signatures)
    insert_rows(w, ReviewKSBRating, ("review_id", "ksb_id", "rating", "comment"), ratings)
    insert_rows(w, ReviewAction, ("review_id", "description", "owner", "due_on", "done_on"), actions)
    mine = list(ProgressReview.objects.filter(enrolment=w.sample_enrolment).order_by("number"))
    w.sample_review = next(r for r in reversed(mine) if r.status == Review.SIGNED)
    w.sample_awaiting_review = mine[-1]
