"""Module assessment: assignments, submissions, marks and their release (the EPA lives in assessments.epa)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# ---- Module assessment: assignments, submissions, marks (issue 8) ------------------------------------------


class AssessmentScheme(models.Model):
    """How a module run is assessed: the pass mark and what happens to late submissions.

    A run without a scheme row uses the defaults (pass mark 50, late work allowed but flagged).
    """

    class LatePolicy(models.TextChoices):
        ALLOW_FLAG = "allow_flag", "Accept late work, flagged as late"
        BLOCK_AFTER_CUTOFF = "block_after_cutoff", "Accept late work until a cut-off date, then refuse it"

    DEFAULT_PASS_MARK = 50

    module_run = models.OneToOneField("programmes.ModuleRun", on_delete=models.CASCADE, related_name="scheme")
    pass_mark = models.PositiveSmallIntegerField(
        default=DEFAULT_PASS_MARK,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The weighted mark a module needs to pass (and the cap on a resubmitted assignment).",
    )
    late_policy = models.CharField(max_length=20, choices=LatePolicy.choices, default=LatePolicy.ALLOW_FLAG)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "module assessment scheme"

    def __str__(self) -> str:
        return f"Assessment of {self.module_run}"


class Assignment(models.Model):
    """One written assignment of a module run (two per module), with its deadline and weight."""

    module_run = models.ForeignKey(
        "programmes.ModuleRun", on_delete=models.CASCADE, related_name="assignments"
    )
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2)])
    title = models.CharField(max_length=200)
    due_on = models.DateField("deadline", help_text="Work is on time when submitted by the end of this day.")
    cutoff_on = models.DateField(
        "cut-off date",
        null=True,
        blank=True,
        help_text="With the 'refuse after a cut-off' policy, no first attempt is accepted after this day.",
    )
    weight = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Per cent of the module mark; a module's weights add up to 100.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["module_run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["module_run", "number"], name="assignment_number_unique"),
            models.CheckConstraint(
                condition=Q(cutoff_on__isnull=True) | Q(cutoff_on__gte=models.F("due_on")),
                name="cutoff_on_or_after_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"Assignment {self.number}: {self.title}"


def submission_upload_to(instance, filename: str) -> str:  # pragma: no cover - names come from the service
    return filename


class Submission(models.Model):
    """An apprentice's file for one assignment (attempt 1, or the one resubmission after a fail).

    Feedback is due ``ASSIGNMENT_FEEDBACK_DAYS`` after submission; the mark lives in ``Mark``.
    """

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="submissions"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    attempt = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)], help_text="2 for a resubmission."
    )
    file = models.FileField(upload_to=submission_upload_to, max_length=300)
    file_name = models.CharField(max_length=200, help_text="Sanitised; shown and used for downloads.")
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField(default=False, help_text="Submitted after the deadline.")
    feedback_due_on = models.DateField(db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assignment", "attempt"], name="one_submission_per_attempt"
            )
        ]

    def __str__(self) -> str:
        suffix = " (resubmission)" if self.is_resubmission else ""
        return f"{self.assignment}{suffix}"

    @property
    def is_resubmission(self) -> bool:
        return self.attempt > 1


class Mark(models.Model):
    """The module lead's mark (0–100) and feedback on a submission; the apprentice sees it once released.

    Audited: every change is kept in its history, and a change after release records the reason given.
    """

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="mark")
    mark = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    feedback = models.TextField("written feedback")
    annotated_file = models.FileField(upload_to=submission_upload_to, max_length=300, blank=True)
    annotated_file_name = models.CharField(max_length=200, blank=True)
    annotated_content_type = models.CharField(max_length=120, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mark__gte=0) & Q(mark__lte=100), name="mark_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.mark} for {self.submission}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class FeedbackDigestSent(models.Model):
    """That a person was sent the late-feedback digest on a day, so running the daily task twice sends one."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "sent_on"], name="one_feedback_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"Late-feedback digest to {self.recipient_id} on {self.sent_on}"
