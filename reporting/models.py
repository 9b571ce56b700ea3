"""Reporting: a director's manual RAG override (every one kept), and the background build of an audit pack."""

from __future__ import annotations

import uuid

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
