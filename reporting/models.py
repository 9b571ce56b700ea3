"""Reporting: a director's manual RAG override (every one kept), and the background build of an audit pack."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class RAG(models.TextChoices):
    """The cohort dashboard's rating: red, amber, green; grey for a closed enrolment (withdrawn), never rated."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    GREY = "grey", "Not rated"


class RAGOverride(models.Model):
    """A director's manual rating of one enrolment, with the reason; rows are only ever added, never changed.

    The latest row for an enrolment is in force; a row with an empty ``rag`` removes the override (the computed
    rating applies again) and keeps why. Earlier rows are the history an auditor can read.
    """

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="rag_overrides"
    )
    rag = models.CharField(
        "rating",
        max_length=5,
        choices=RAG.choices,
        blank=True,
        help_text="Empty: back to the computed rating.",
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "-at", "-id"]
        verbose_name = "RAG override"
        indexes = [models.Index(fields=["enrolment", "-at"], name="rag_override_latest")]

    def __str__(self) -> str:
        return f"{self.get_rag_display() or 'Cleared'} for {self.enrolment_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_clear(self) -> bool:
        return not self.rag


class AuditPackJob(models.Model):
    """One request for an apprentice's audit pack (a ZIP built in Celery), with its progress and the result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="audit_packs"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=200, blank=True, help_text="What is being added now.")
    file = models.FileField(upload_to="audit-packs/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "audit pack"

    def __str__(self) -> str:
        return f"Audit pack for {self.enrolment_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ProgressSnapshot(models.Model):
    """One apprentice's row on the cohort dashboard as computed on one day: each signal, the RAG rating in force
    with its reasons, and the cumulative confirmed hours behind the sparkline.

    A read model, never a source of truth: ``reporting.progress`` computes it from the ledgers, reviews, marks and
    portfolio, and the dashboard, its exports, the progress API and the cross-programme summary read it so that
    they can filter, sort, count and page in the database. A row is fresh while it was computed today, under the
    current rules, at the current ``generation``; every write that may change the row bumps ``generation``
    (``reporting.freshness``), so a stale row is recomputed on the next read (or by the nightly refresh).
    """

    enrolment = models.OneToOneField(
        "programmes.Enrolment", on_delete=models.CASCADE, primary_key=True, related_name="progress_snapshot"
    )
    generation = models.PositiveBigIntegerField(
        default=0, help_text="Bumped by every write that may change it."
    )
    computed_generation = models.BigIntegerField(default=-1)
    computed_on = models.DateField(null=True, blank=True, help_text="The day the signals were computed for.")
    computed_at = models.DateTimeField(null=True, blank=True)
    rules = models.CharField(max_length=16, blank=True, help_text="Fingerprint of the rules it was rated by.")
    otj_status = models.CharField(max_length=10, blank=True)
    otj_percent = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    otj_confirmed_hours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    otj_required_hours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    review_state = models.CharField(max_length=10, default="none")
    modules_passed = models.PositiveSmallIntegerField(default=0)
    modules_due = models.PositiveSmallIntegerField(default=0)
    ksb_coverage = models.PositiveSmallIntegerField(default=0)
    awaiting = models.JSONField(default=list, blank=True, help_text="Documents awaiting signatures.")
    awaiting_count = models.PositiveSmallIntegerField(default=0)
    gateway_ready = models.BooleanField(null=True, blank=True)
    gateway_unmet = models.JSONField(default=list, blank=True)
    computed_rag = models.CharField(max_length=5, choices=RAG.choices, default=RAG.GREY)
    computed_reasons = models.JSONField(default=list, blank=True)
    override = models.ForeignKey(
        RAGOverride, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rag = models.CharField(
        max_length=5, choices=RAG.choices, default=RAG.GREY, help_text="The rating in force."
    )
    rag_order = models.PositiveSmallIntegerField(default=3, help_text="0 red, 1 amber, 2 green, 3 not rated.")
    confirmed_series = models.JSONField(
        default=list, blank=True, help_text="Cumulative confirmed hours per 4 weeks from the cohort's start."
    )

    class Meta:
        verbose_name = "progress snapshot"

    def __str__(self) -> str:
        return f"Progress of {self.enrolment_id} on {self.computed_on}"

    # What the dashboard, the exports and the API ask of a row.

    @property
    def name(self) -> str:
        return self.enrolment.apprentice.full_name

    @property
    def rag_label(self) -> str:
        return RAG(self.rag).label

    @property
    def computed_label(self) -> str:
        return RAG(self.computed_rag).label

    @property
    def reasons(self) -> list[str]:
        """The override's reason first (with who and when), then the computed reasons."""
        if not self.override_id:
            return list(self.computed_reasons)
        o = self.override
        return [
            f"Set to {o.get_rag_display()} by {o.by.full_name} on {timezone.localtime(o.at):%-d %b %Y}: "
            f"{o.reason}",
            f"Computed rating {self.computed_label}: " + " ".join(self.computed_reasons),
        ]

    @property
    def otj_status_code(self) -> str | None:
        """The ledger's status (on_track, behind, at_risk, complete), or None when there is no position."""
        return self.otj_status or None

    @property
    def has_otj(self) -> bool:
        return bool(self.otj_status)

    @property
    def otj_status_label(self) -> str:
        from portfolios.otj.selectors import STATUS_LABELS

        return STATUS_LABELS.get(self.otj_status, "")

    @property
    def review_overdue(self) -> bool:
        return self.review_state == "overdue"

    @property
    def sparkline(self) -> list[Decimal]:
        return [Decimal(value) for value in self.confirmed_series]

    @property
    def gateway_label(self) -> str:
        if self.gateway_ready is None:
            return "—"
        return "Ready" if self.gateway_ready else "Not ready"
