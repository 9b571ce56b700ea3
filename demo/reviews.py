"""Demo progress reviews (called once from ``seed_demo``): done and signed, due soon, overdue, awaiting signatures,
scheduled — across both cohorts, relative to today so the demo always shows each state. Idempotent: an
enrolment that already has reviews is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from programmes.models import Enrolment
from programmes.training_plans.models import content_hash
from tutors import services
from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature
from tutors.selectors import otj_snapshot

STEP = timedelta(weeks=10)  # reviews every ten weeks: inside both the 12-week and the 3-month rule
STATUS_END = {"gateway", "epa", "completed", "withdrawn"}

TRAINING = [
    "Module online weeks completed, with both campus days; read the set papers and took part in the discussion board.",
    "Shadowed the director at two scrutiny committees; completed the second module assignment.",
    "Led the service-redesign workshop with partners; wrote a reflective account of it for the portfolio.",
]
PROGRESS = [
    "Progress is in line with the training plan. Portfolio evidence is building well for the knowledge statements; "
    "skills evidence needs a stronger example of leading change.",
    "Good progress: module assignments passed; two pieces of evidence accepted since the last review.",
]
ACTIONS = [
    ("Submit the reflective account on the restructure to the portfolio.", "apprentice", 28),
    ("Arrange for the apprentice to present the recovery plan at the leadership team.", "line_manager", 42),
    ("Give feedback on the draft stakeholder map.", "tutor", 14),
]
RATINGS = ["developing", "developing", "competent", "not_started"]


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _breaks(enrolment: Enrolment) -> list[tuple[date, date]]:
    today = timezone.localdate()
    return [(b.start_date, b.end_date or today + timedelta(days=1)) for b in enrolment.breaks.all()]


def _left_learning(enrolment: Enrolment) -> date | None:
    change = enrolment.status_changes.filter(to_status__in=STATUS_END).order_by("effective_on").first()
    return change.effective_on if change else None


def _held_dates(enrolment: Enrolment, *, until: date) -> list[date]:
    """Review dates every ten weeks from the start, skipping over breaks in learning."""
    days, day = [], enrolment.start_date + STEP
    for _ in range(40):
        if day > until:
            break
        pause = next(((start, end) for start, end in _breaks(enrolment) if start <= day < end), None)
        if pause is not None:
            day = pause[1] + timedelta(weeks=4)
            continue
        days.append(day)
        day += STEP
    return days


def _review(
    enrolment: Enrolment, number: int, held_on: date, *, k: int, safeguarding: str = ""
) -> ProgressReview:
    ksbs = list(enrolment.programme.standard.ksbs.order_by("order", "code")[:4])
    review = ProgressReview.objects.create(
        enrolment=enrolment,
        number=number,
        scheduled_for=_aware(held_on, 10),
        location="The employer's offices" if number % 2 else "",
        video_link="" if number % 2 else "https://meet.example.test/tripartite-review",
        invite_sequence=1,
        invite_sent_at=_aware(held_on - timedelta(days=21), 9),
        held_on=held_on,
        training_since=TRAINING[k % len(TRAINING)],
        otj_replan="Protected study time on Friday afternoons until the hours are back on track.",
        progress=PROGRESS[k % len(PROGRESS)],
        modules="Assignments submitted on time; feedback received within 15 days.",
        support_needs="None beyond the usual; the apprentice knows how to reach the wellbeing service.",
        wellbeing="Workload is heavy this quarter but manageable with the protected study time.",
        circumstances="No changes.",
        safeguarding_concern=safeguarding,
        next_review_on=held_on + STEP,
        created_by=enrolment.practice_tutor,
        created_at=_aware(held_on - timedelta(days=21), 9),
    )
    ReviewKSBRating.objects.bulk_create(
        [
            ReviewKSBRating(review=review, ksb=ksb, rating=RATINGS[(k + j) % len(RATINGS)], comment="")
            for j, ksb in enumerate(ksbs)
        ]
    )
    ReviewAction.objects.bulk_create(
        [
            ReviewAction(review=review, description=text, owner=owner, due_on=held_on + timedelta(days=days))
            for text, owner, days in ACTIONS
        ]
    )
    return review


def _submit(review: ProgressReview, signers: list[str]) -> None:
    """Fix the content as the submit service does (with the OTJ snapshot on the day) and record signatures."""
    enrolment = review.enrolment
    review.content = services.build_content(review, otj_snapshot(enrolment, on=review.held_on))
    review.content_hash = content_hash(review.content)
    review.submitted_at = _aware(review.held_on, 16)
    review.status = ProgressReview.Status.AWAITING
    for n, role in enumerate(signers):
        user = services.signer_for(enrolment, role)
        ReviewSignature.objects.create(
            review=review,
            role=role,
            signed_by=user,
            typed_name=user.full_name,
            signed_at=_aware(review.held_on, 17) + timedelta(days=n),
            ip_address="192.0.2.10",
            user_agent="Demo data",
            content_hash=review.content_hash,
        )
    if len(signers) == len(services.ROLE_ORDER):
        review.status = ProgressReview.Status.SIGNED
        review.signed_at = _aware(review.held_on, 17) + timedelta(days=len(signers) - 1)
    review.save()


def _tick_previous(review: ProgressReview) -> None:
    ReviewAction.objects.filter(review__enrolment=review.enrolment, done_on__isnull=True).exclude(
        review=review
    ).update(done_on=review.held_on, checked_at_review=review)


ALL = ["provider", "apprentice", "employer"]  # the tutor, the apprentice, the line manager


def seed_reviews(apprentices: dict[int, object]) -> int:
    """Reviews for the demo apprentices (by number); returns how many rows were created."""
    today = timezone.localdate()
    created = 0
    for n, apprentice in sorted(apprentices.items()):
        enrolment = (
            Enrolment.objects.filter(apprentice=apprentice)
            .select_related(
                "programme__standard", "apprentice", "line_manager", "practice_tutor", "employer", "cohort"
            )
            .first()
        )
        if (
            enrolment is None
            or enrolment.status == Enrolment.Status.PENDING
            or enrolment.progress_reviews.exists()
        ):
            continue
        until = min(d for d in (_left_learning(enrolment), today - timedelta(days=5)) if d is not None)
        held = _held_dates(enrolment, until=until)
        if n == 4:  # 12-week rule: the last review 75 days ago, so the next is due in 9 days
            held = [d for d in held if d < today - timedelta(days=75)] + [today - timedelta(days=75)]
        if n == 8:  # overdue: reviewed regularly until five months ago
            held = [d for d in held if d <= today - timedelta(days=150)]
        if n in (9, 10):  # the last signed review about two months ago
            held = [d for d in held if d <= today - timedelta(days=60)]
        plan = [(day, ALL) for day in held]
        if (
            n == 9
        ):  # the latest, held three days ago: the tutor and apprentice have signed, the manager has not
            plan.append((today - timedelta(days=3), ["provider", "apprentice"]))
        for number, (day, signers) in enumerate(plan, 1):
            safeguarding = (
                "Mentioned worrying behaviour by a colleague towards a service user; the tutor advised raising it "
                "with the employer's safeguarding lead and informed the programme director."
                if n == 7 and number == len(plan)
                else ""
            )
            review = _review(enrolment, number, day, k=n + number, safeguarding=safeguarding)
            _tick_previous(review)
            _submit(review, signers)
            created += 1 + 4 + len(ACTIONS) + len(signers)
        if n == 10:  # the next review is scheduled for later this week, by video
            draft = ProgressReview.objects.create(
                enrolment=enrolment,
                number=len(plan) + 1,
                scheduled_for=_aware(today + timedelta(days=4), 10),
                video_link="https://meet.example.test/tripartite-review",
                invite_sequence=1,
                invite_sent_at=timezone.now() - timedelta(days=7),
                created_by=enrolment.practice_tutor,
            )
            created += bool(draft.pk)
    return created
