"""Termly tripartite progress reviews: the record, KSB ratings, SMART actions, signatures, addenda, reminders.

A review is scheduled and recorded by the enrolment's practice tutor as a draft, submitted for signatures (its
content is then fixed as JSON with a SHA-256 fingerprint) and is complete only when the apprentice, the line
manager and the tutor have all signed that exact content. A signed review never changes: a correction is an
addendum, signed again by all three. The safeguarding concern is kept apart from the signed content: only the
tutor and the programme's directors may read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.signatures.models import Signature
from core.signatures.services import canonical_hash


class ReviewPolicy(models.Model):
    """A programme's own review cadence, within the statutory maximum (a programme may review more often, never less).

    ``statutory`` applies the rule for the apprentice's start date alone; ``termly`` also requires one review a
    term: the next review is due by the end of the term after the one the last review was held in.
    """

    class Rule(models.TextChoices):
        STATUTORY = "statutory", "The statutory maximum for the start date"
        TERMLY = "termly", "Once a term (never longer than the statutory maximum)"

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="review_policy"
    )
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.TERMLY)
    term_ends = models.CharField(
        "last day of each term",
        max_length=100,
        default="12-12,03-27,07-10",
        help_text="Month-day of the last day of each term, comma-separated, e.g. 12-12,03-27,07-10.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "review policies"

    def __str__(self) -> str:
        return f"Review policy for {self.programme}: {self.get_rule_display()}"

    def term_end_days(self) -> list[tuple[int, int]]:
        """The (month, day) of each term's last day; unreadable entries are ignored."""
        ends = []
        for part in self.term_ends.split(","):
            try:
                month, day = (int(n) for n in part.strip().split("-"))
            except ValueError:
                continue
            if 1 <= month <= 12 and 1 <= day <= 31:
                ends.append((month, day))
        return sorted(ends)


class ProgressReview(models.Model):
    """One termly review meeting of apprentice, line manager and practice tutor, and its signed record."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING = "awaiting_signatures", "Awaiting signatures"
        SIGNED = "signed", "Signed"

    OPEN_STATUSES = (Status.DRAFT, Status.AWAITING)

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="progress_reviews"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The meeting
    scheduled_for = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField("place", max_length=200, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    invite_sequence = models.PositiveIntegerField(
        default=0, help_text="Raised each time the invitation changes (the calendar's SEQUENCE)."
    )
    invite_sent_at = models.DateTimeField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    # The record, while a draft (fixed into ``content`` on submission)
    training_since = models.TextField("training since the last review", blank=True)
    otj_replan = models.TextField("off-the-job re-plan", blank=True)
    progress = models.TextField("progress against the training plan and KSBs", blank=True)
    modules = models.TextField("modules", blank=True)
    support_needs = models.TextField(blank=True)
    wellbeing = models.TextField(blank=True)
    circumstances = models.TextField("changes of circumstance", blank=True)
    next_review_on = models.DateField("next review date", null=True, blank=True)
    # Seen only by the tutor and the programme's directors; not part of the signed content.
    safeguarding_concern = models.TextField(blank=True)
    # What was submitted for signatures
    content = models.JSONField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="When a signer last declined it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrolment", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="review_number_unique"),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["draft", "awaiting_signatures"]),
                name="review_one_open_per_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress review {self.number} — {self.enrolment}"

    def get_absolute_url(self) -> str:
        return reverse("review_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def computed_hash(self) -> str:
        return canonical_hash(self.content) if self.content is not None else ""


class ReviewKSBRating(models.Model):
    """The tutor's rating of one KSB at a review, with a comment."""

    class Rating(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DEVELOPING = "developing", "Developing"
        COMPETENT = "competent", "Competent"

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="ratings")
    ksb = models.ForeignKey("programmes.KSB", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "ksb__order", "ksb__code"]
        constraints = [models.UniqueConstraint(fields=["review", "ksb"], name="review_rating_once_per_ksb")]

    def __str__(self) -> str:
        return f"{self.ksb_id}: {self.get_rating_display()}"


class ReviewAction(models.Model):
    """A SMART action agreed at a review, with its owner and due date; ticked off at a later review."""

    class Owner(models.TextChoices):
        APPRENTICE = "apprentice", "Apprentice"
        LINE_MANAGER = "line_manager", "Line manager"
        TUTOR = "tutor", "Practice tutor"

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=20, choices=Owner.choices)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    checked_at_review = models.ForeignKey(
        ProgressReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="checked_actions"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_owner_display()}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def is_late(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class ReviewAddendum(models.Model):
    """A correction to a signed review; the review itself never changes. Signed again by all three."""

    class Status(models.TextChoices):
        AWAITING = "awaiting_signatures", "Awaiting signatures"
        SIGNED = "signed", "Signed"

    review = models.ForeignKey(ProgressReview, on_delete=models.PROTECT, related_name="addenda")
    number = models.PositiveIntegerField()
    text = models.TextField("correction")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "number"]
        verbose_name_plural = "review addenda"
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="addendum_number_unique")]

    def __str__(self) -> str:
        return f"Addendum {self.number} to {self.review}"

    def content(self) -> dict:
        return {"review_content_hash": self.review.content_hash, "number": self.number, "text": self.text}


class ReviewSignature(Signature):
    """One party's signature on a review's content (or on an addendum): who, role, when, from where, what."""

    class Role(models.TextChoices):
        APPRENTICE = "apprentice", "Apprentice"
        EMPLOYER = "employer", "Employer (line manager)"
        PROVIDER = "provider", "Provider (practice tutor)"

    review = models.ForeignKey(ProgressReview, on_delete=models.PROTECT, related_name="signatures")
    addendum = models.ForeignKey(
        ReviewAddendum, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_signatures"
    )

    class Meta:
        ordering = ["review", "signed_at", "id"]
        constraints = [
            # Once per role for each content (a review returned and resubmitted is new content).
            models.UniqueConstraint(
                fields=["review", "role", "content_hash"],
                condition=Q(addendum__isnull=True),
                name="review_signature_once_per_content",
            ),
            models.UniqueConstraint(
                fields=["addendum", "role"],
                condition=Q(addendum__isnull=False),
                name="addendum_signature_once_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.typed_name} at {self.signed_at:%d/%m/%Y %H:%M}"


class ReviewDecline(models.Model):
    """A signer declined to sign and said why; the review went back to the tutor as a draft."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="declines")
    role = models.CharField(max_length=20, choices=ReviewSignature.Role.choices)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "-created_at"]

    def __str__(self) -> str:
        return f"Declined by {self.declined_by} ({self.role})"


class ReviewReminder(models.Model):
    """A reminder that was sent, keyed by its occasion, so the daily job sends each one once."""

    key = models.CharField(max_length=200, unique=True)
    enrolment = models.ForeignKey("programmes.Enrolment", on_delete=models.CASCADE, related_name="+")
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
