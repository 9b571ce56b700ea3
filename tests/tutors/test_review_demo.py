"""The demo's progress reviews: done, due soon, overdue, awaiting signatures and scheduled, in both cohorts."""

from django.utils import timezone

from programmes.models import Enrolment
from tutors import selectors
from tutors.models import ProgressReview


def state_of(email: str) -> str:
    enrolment = Enrolment.objects.get(apprentice__email=email)
    return selectors.review_due(enrolment)[1].state(timezone.localdate())


def test_the_demo_has_reviews_done_due_overdue_and_awaiting_signatures_across_both_cohorts(demo):
    signed = ProgressReview.objects.filter(status="signed")
    assert set(signed.values_list("enrolment__cohort__name", flat=True)) == {"2024 cohort", "2025 cohort"}
    assert all(review.computed_hash() == review.content_hash for review in signed)
    assert state_of("apprentice4@demo.test") == "due_soon"  # 12-week rule, reviewed 75 days ago
    assert state_of("apprentice8@demo.test") == "overdue"
    assert state_of("apprentice5@demo.test") == "paused"  # on a break in learning
    assert state_of("apprentice7@demo.test") == "ok"
    awaiting = ProgressReview.objects.get(status="awaiting_signatures")
    assert awaiting.enrolment.apprentice.email == "apprentice9@demo.test"
    assert set(awaiting.signatures.values_list("role", flat=True)) == {"provider", "apprentice"}
    scheduled = ProgressReview.objects.get(status="draft")
    assert scheduled.enrolment.apprentice.email == "apprentice10@demo.test" and scheduled.scheduled_for
    assert ProgressReview.objects.exclude(safeguarding_concern="").count() == 1
