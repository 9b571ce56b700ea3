"""Gateway, end-point assessment and completion records (domain.md §7 and §8).

The enrolment's ``EndPointAssessment`` names the independent assessor; everything else about gateway, the EPA
and its outcome lives in the models beside it: the two gateway sign-offs, English and maths evidence, the SBP
agreement and submission, the presentation and discussion dates, each method's graded attempts, the learner-record
outcome and the completion record (the certificate) with the bulk-issue progress for a cohort.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.signatures.models import Signature


def stored_upload_to(instance, filename: str) -> str:  # pragma: no cover - names come from the services
    return filename


class EndPointAssessment(models.Model):
    """An enrolment's end-point assessment and the independent assessor assigned to it."""

    enrolment = models.OneToOneField("programmes.Enrolment", on_delete=models.PROTECT, related_name="epa")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessed_epas",
        verbose_name="independent assessor",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="assessments_historicalendpointassessment")

    class Meta:
        db_table = "assessments_endpointassessment"
        verbose_name = "end-point assessment"

    def __str__(self) -> str:
        return f"EPA for {self.enrolment}"


class GatewaySignOff(Signature):
    """One party's gateway sign-off: the employer (line manager) decides, the provider (director) advises.

    Like every signature it records the typed name, how the signer proved it was them, from where, and the hash of
    what they read: the gateway checklist and the statements (see ``signing.GatewayDocument``); the checklist and
    the statement the signer confirmed are kept on the row as well.
    """

    class Role(models.TextChoices):
        EMPLOYER = "employer", "Employer (line manager)"
        PROVIDER = "provider", "Provider (programme director)"

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="gateway_signoffs"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    statement = models.TextField(help_text="What the signer confirmed.")
    checklist = models.JSONField(default=list, help_text="The gateway checklist when this party signed.")

    class Meta:
        db_table = "assessments_gatewaysignoff"
        ordering = ["enrolment", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "role"], name="one_gateway_signoff_per_role")
        ]

    def __str__(self) -> str:
        return f"Gateway sign-off ({self.get_role_display()}) by {self.typed_name}"


class EnglishMathsEvidence(models.Model):
    """English and maths at Level 2: the evidence held (certificates) or an exemption, with its reason."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Level 2 evidence held"
        EXEMPTION = "exemption", "Exemption recorded"

    enrolment = models.OneToOneField(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="english_maths"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    details = models.TextField(
        help_text="The qualifications and grades seen (e.g. GCSE English B, 2004), or why the rules exempt them."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(table_name="assessments_historicalenglishmathsevidence")

    class Meta:
        db_table = "assessments_englishmathsevidence"
        verbose_name = "English and maths evidence"
        verbose_name_plural = "English and maths evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.enrolment_id}"


class SBPAgreement(models.Model):
    """The strategic business proposal's title and scope (at most 500 words), agreed by employer and EPAO.

    Changing the title or scope clears both agreements: they were given to the earlier wording.
    """

    MAX_SCOPE_WORDS = 500

    enrolment = models.OneToOneField(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="sbp_agreement"
    )
    title = models.CharField(max_length=200)
    scope = models.TextField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    employer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_agreed_at = models.DateTimeField(null=True, blank=True)
    epao_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    epao_agreed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="assessments_historicalsbpagreement")

    class Meta:
        db_table = "assessments_sbpagreement"
        verbose_name = "SBP title and scope"

    def __str__(self) -> str:
        return self.title

    @property
    def scope_words(self) -> int:
        return len(self.scope.split())

    @property
    def is_agreed(self) -> bool:
        return self.employer_agreed_at is not None and self.epao_agreed_at is not None


class SBPSubmission(models.Model):
    """The apprentice's strategic business proposal: the file, its word count and the senior sign-off behind it.

    A later submission (before the presentation) replaces an earlier one; every one is kept.
    """

    epa = models.ForeignKey(
        "epa.EndPointAssessment", on_delete=models.PROTECT, related_name="sbp_submissions"
    )
    file = models.FileField(upload_to=stored_upload_to, max_length=300)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    word_count = models.PositiveIntegerField()
    senior_signoff = models.TextField(
        "evidence of senior sign-off",
        help_text="Who signed the proposal off (board or senior leader), their role, and when.",
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(default=False, help_text="Submitted after the due date.")

    class Meta:
        db_table = "assessments_sbpsubmission"
        ordering = ["-submitted_at", "-id"]
        verbose_name = "SBP submission"

    def __str__(self) -> str:
        return f"SBP: {self.file_name}"


class EPAEvent(models.Model):
    """When the presentation (at least 4 weeks' notice) or the professional discussion takes place."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", "SBP presentation and questioning"
        DISCUSSION = "discussion", "Professional discussion"

    epa = models.ForeignKey("epa.EndPointAssessment", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    scheduled_at = models.DateTimeField()
    location = models.CharField(
        max_length=200, blank=True, help_text="A room, or 'Online' with the link sent."
    )
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField(default=timezone.now, help_text="When notice was given.")
    history = HistoricalRecords(table_name="assessments_historicalepaevent")

    class Meta:
        db_table = "assessments_epaevent"
        ordering = ["scheduled_at"]
        verbose_name = "EPA event"
        constraints = [models.UniqueConstraint(fields=["epa", "kind"], name="one_epa_event_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.scheduled_at:%d/%m/%Y %H:%M}"


class EPAMethodResult(models.Model):
    """One graded attempt at one assessment method. Re-sits and re-takes are new rows (attempt 2, 3, …).

    Grades are seen only by the assessor until released; releasing shows them to the apprentice, the line
    manager and the director at the same moment.
    """

    class Method(models.TextChoices):
        SBP_PRESENTATION = "sbp_presentation", "Strategic business proposal, presentation and questioning"
        PROFESSIONAL_DISCUSSION = (
            "professional_discussion",
            "Professional discussion underpinned by the portfolio",
        )

    class Kind(models.TextChoices):
        FIRST = "first", "First attempt"
        RESIT = "resit", "Re-sit (no further learning)"
        RETAKE = "retake", "Re-take (after further learning)"

    class Grade(models.TextChoices):
        FAIL = "fail", "Fail"
        PASS = "pass", "Pass"
        DISTINCTION = "distinction", "Distinction"

    epa = models.ForeignKey("epa.EndPointAssessment", on_delete=models.PROTECT, related_name="method_results")
    method = models.CharField(max_length=30, choices=Method.choices)
    attempt = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIRST)
    grade = models.CharField(
        max_length=12, choices=Grade.choices, help_text="The grade the assessor awarded."
    )
    comments = models.TextField()
    assessed_on = models.DateField()
    employer_agreement = models.TextField(
        blank=True, help_text="For a re-sit or re-take: who at the employer agreed to it, and when."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="assessments_historicalepamethodresult")

    class Meta:
        db_table = "assessments_epamethodresult"
        ordering = ["epa", "method", "attempt"]
        verbose_name = "EPA method result"
        constraints = [
            models.UniqueConstraint(
                fields=["epa", "method", "attempt"], name="one_result_per_method_attempt"
            ),
            models.CheckConstraint(
                condition=Q(attempt=1, kind="first") | (Q(attempt__gt=1) & ~Q(kind="first")),
                name="first_attempt_is_attempt_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}, attempt {self.attempt}: {self.get_grade_display()}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def is_repeat(self) -> bool:
        return self.kind != self.Kind.FIRST

    @property
    def counted_grade(self) -> str:
        """The grade that counts: a re-sit or re-take is capped at pass."""
        from assessments.epa.grading import capped

        return capped(self.grade, self.kind)


class LearnerOutcome(models.Model):
    """The learner-record fields the funding return needs and Enrolment does not hold.

    Completion status: 1 continuing, 2 completed, 3 withdrawn, 6 break in learning. Outcome: 1 achieved,
    3 not achieved, 8 learning complete awaiting the EPA result. Achievement date: when the EPA concluded.
    """

    class CompletionStatus(models.IntegerChoices):
        CONTINUING = 1, "1 — Continuing"
        COMPLETED = 2, "2 — Completed"
        WITHDRAWN = 3, "3 — Withdrawn"
        BREAK = 6, "6 — Break in learning"

    class Outcome(models.IntegerChoices):
        ACHIEVED = 1, "1 — Achieved"
        NOT_ACHIEVED = 3, "3 — Not achieved"
        AWAITING_EPA = 8, "8 — Learning complete, awaiting the EPA result"

    enrolment = models.OneToOneField(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="learner_outcome"
    )
    completion_status = models.PositiveSmallIntegerField(choices=CompletionStatus.choices)
    outcome = models.PositiveSmallIntegerField(choices=Outcome.choices, null=True, blank=True)
    achievement_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(table_name="assessments_historicallearneroutcome")

    class Meta:
        db_table = "assessments_learneroutcome"

    def __str__(self) -> str:
        return f"Learner outcome for {self.enrolment_id}"


def new_verification_code() -> str:
    """192 random bits, URL-safe: unguessable, so a code proves someone was given the certificate."""
    return secrets.token_urlsafe(24)


class CompletionRecord(models.Model):
    """The completion record: a CMI-style certificate, verifiable by anyone through its code.

    The certificate's wording is fixed when it is issued (names, standard, grade, dates, awards), the PDF is
    generated once (in Celery) and its SHA-256 kept, so an uploaded copy can be checked byte for byte.
    """

    class Status(models.TextChoices):
        GENERATING = "generating", "Being generated"
        ISSUED = "issued", "Issued"
        REVOKED = "revoked", "Revoked"

    enrolment = models.OneToOneField(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="completion_record"
    )
    certificate_number = models.CharField(max_length=40, unique=True)
    verification_code = models.CharField(max_length=64, unique=True, default=new_verification_code)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.GENERATING, db_index=True)
    # What the certificate says, fixed at issue.
    apprentice_name = models.CharField(max_length=200)
    provider_name = models.CharField(max_length=200)
    employer_name = models.CharField(max_length=200)
    standard_title = models.CharField(max_length=200)
    standard_code = models.CharField(max_length=10)
    standard_version = models.CharField(max_length=10)
    standard_level = models.PositiveSmallIntegerField()
    overall_grade = models.CharField(max_length=12, choices=EPAMethodResult.Grade.choices)
    start_date = models.DateField()
    achievement_date = models.DateField()
    awards = models.JSONField(default=list)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    # The PDF, once generated.
    pdf = models.FileField(upload_to=stored_upload_to, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    # Revocation.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)
    history = HistoricalRecords(table_name="assessments_historicalcompletionrecord")

    class Meta:
        db_table = "assessments_completionrecord"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False), name="revoked_has_a_date"
            )
        ]

    def __str__(self) -> str:
        return f"Certificate {self.certificate_number}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf) and bool(self.pdf_sha256)

    @property
    def award(self) -> str:
        return f"Apprenticeship: {self.standard_title} (Level {self.standard_level})"

    @property
    def standard(self) -> str:
        return f"{self.standard_code} v{self.standard_version} {self.standard_title} (Level {self.standard_level})"

    def matches(self, content: bytes) -> bool:
        """Whether ``content`` is byte for byte the PDF that was issued."""
        return bool(self.pdf_sha256) and hashlib.sha256(content).hexdigest() == self.pdf_sha256


class CompletionBatch(models.Model):
    """A director's bulk issue of completion records for a cohort, with its progress (polled by the page)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    cohort = models.ForeignKey(
        "programmes.Cohort", on_delete=models.CASCADE, related_name="completion_batches"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    enrolment_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.JSONField(default=list, help_text="[{enrolment_id, name, reason}] for any not issued.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "assessments_completionbatch"
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "completion batches"

    def __str__(self) -> str:
        return f"Bulk issue for cohort {self.cohort_id} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100
