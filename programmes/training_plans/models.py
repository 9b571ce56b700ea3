"""The training plan (the programme's "tripartite commitment statement"): versions and their e-signatures.

Each version keeps its content as structured JSON and, once sent for signature, the SHA-256 of that content.
A signature records who signed, for which role, when, from where, and the hash of exactly what they signed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.signatures.models import Signature
from core.signatures.services import canonical_hash

DEFAULT_COMMITMENTS = {
    "apprentice": (
        "I will attend the online and campus sessions, complete the module assignments and portfolio, record my "
        "off-the-job training promptly and accurately, take part in termly progress reviews, and tell my "
        "employer and practice tutor early about anything that affects my learning."
    ),
    "employer": (
        "We will employ the apprentice for the duration of the apprenticeship, give the off-the-job training "
        "time within paid hours, confirm recorded hours promptly, provide work that lets the apprentice "
        "develop and evidence the knowledge, skills and behaviours, and take part in progress reviews."
    ),
    "provider": (
        "We will deliver the modules as scheduled, give assignment feedback within 15 days, provide a practice "
        "tutor who reviews progress with the apprentice and line manager every term, support the portfolio and "
        "the end-point assessment, and act promptly on any concern."
    ),
}
DEFAULT_SUPPORT = (
    "Your practice tutor is your first point of contact. The university's disability and wellbeing services, "
    "library and academic skills support are open to apprentices; tell your tutor about any additional "
    "learning need so that reasonable adjustments can be agreed and recorded here."
)
DEFAULT_COMPLAINTS = (
    "Raise a concern first with your practice tutor or the programme director. If it is not resolved, use the "
    "university's complaints procedure; if you remain dissatisfied, you may contact the apprenticeship "
    "helpline or the Office for Students."
)


class PlanTemplate(models.Model):
    """A programme's wording for new training plans: each party's commitments, support and complaints."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="plan_template"
    )
    apprentice_commitments = models.TextField(default=DEFAULT_COMMITMENTS["apprentice"])
    employer_commitments = models.TextField(default=DEFAULT_COMMITMENTS["employer"])
    provider_commitments = models.TextField(default=DEFAULT_COMMITMENTS["provider"])
    support = models.TextField("support arrangements", default=DEFAULT_SUPPORT)
    complaints = models.TextField("how to complain", default=DEFAULT_COMPLAINTS)
    epao_name = models.CharField(
        "end-point assessment organisation", max_length=200, blank=True, help_text="Used as the default."
    )
    history = HistoricalRecords(table_name="programmes_historicalplantemplate")

    class Meta:
        db_table = "programmes_plantemplate"

    def __str__(self) -> str:
        return f"Training plan template for {self.programme}"


def content_hash(content: dict) -> str:
    """SHA-256 of the content in a canonical JSON form (sorted keys, no spaces), so the same content hashes alike."""
    return canonical_hash(content)


class TrainingPlan(models.Model):
    """One version of an enrolment's training plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING = "awaiting_signatures", "Awaiting signatures"
        SIGNED = "signed", "Signed"
        SUPERSEDED = "superseded", "Superseded"

    class Revision(models.TextChoices):
        INITIAL = "initial", "First version"
        MAJOR = "major", "Revision needing signatures"
        MINOR = "minor", "Minor revision (no new signatures)"

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.CASCADE, related_name="training_plans"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    revision = models.CharField(max_length=10, choices=Revision.choices, default=Revision.INITIAL)
    change_summary = models.TextField(
        blank=True, help_text="What changed from the previous version, and why."
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    requests_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When signers were first emailed."
    )
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    tamper_reported_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["requests_sent_at", "last_reminded_at"],
        table_name="programmes_historicaltrainingplan",
    )

    class Meta:
        db_table = "programmes_trainingplan"
        ordering = ["enrolment", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status="draft"), name="plan_one_draft_per_enrolment"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["awaiting_signatures", "signed"]),
                name="plan_one_current_per_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return f"Training plan v{self.version} — {self.enrolment}"

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.AWAITING, self.Status.SIGNED)

    @property
    def needs_signatures(self) -> bool:
        return self.revision != self.Revision.MINOR

    def computed_hash(self) -> str:
        return content_hash(self.content)


class PlanSignature(Signature):
    """One party's signature on one version: who, for which role, when, from where, and what they signed."""

    class Role(models.TextChoices):
        APPRENTICE = "apprentice", "Apprentice"
        EMPLOYER = "employer", "Employer (line manager)"
        PROVIDER = "provider", "Provider (programme director)"

    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20, choices=Role.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_signatures"
    )

    class Meta:
        db_table = "programmes_plansignature"
        ordering = ["plan", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "role"], name="plan_signature_role_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.typed_name} at {self.signed_at:%d/%m/%Y %H:%M}"
