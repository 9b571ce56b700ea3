"""The off-the-job training ledger: activity types, entries, employer confirmation links and status alerts.

These models were first created in the ``portfolios`` app and keep its tables (``Meta.db_table``, the history
tables' names): moving them into this app changed no table.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class _HistoricalRecords(HistoricalRecords):
    """django-simple-history with a fixed table name for each many-to-many history model, too.

    ``table_name`` covers only the main history table; the m2m history tables would otherwise take this app's
    label, so they are named here, keyed by the history model's name.
    """

    def __init__(self, *args, m2m_table_names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.m2m_table_names = m2m_table_names

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = self.m2m_table_names[self.get_history_model_name(through_model)]
        return options


class OTJActivityType(models.Model):
    """A kind of activity; some (progress reviews, exams, English and maths) are recorded but never count."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    counts_towards_otj = models.BooleanField(default=True)
    guidance = models.CharField(max_length=300, blank=True, help_text="Shown on the form under the choice.")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "portfolios_otjactivitytype"
        ordering = ["order", "name"]
        verbose_name = "OTJ activity type"

    def __str__(self) -> str:
        return self.name if self.counts_towards_otj else f"{self.name} (does not count)"


class OffTheJobEntry(models.Model):
    """One off-the-job activity logged by an apprentice, and the employer's decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Queried"

    class Via(models.TextChoices):
        PAGE = "page", "Confirmation page"
        BULK = "bulk", "Confirmation page (several at once)"
        EMAIL_LINK = "email_link", "One-click link in the weekly email"
        API = "api", "API"

    EDITABLE_STATUSES = (Status.PENDING, Status.REJECTED)

    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.PROTECT, related_name="otj_entries"
    )
    date = models.DateField("date of the activity")
    hours = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    activity_type = models.ForeignKey(OTJActivityType, on_delete=models.PROTECT, related_name="entries")
    description = models.TextField(help_text="What you did and what you learned.")
    ksbs = models.ManyToManyField(
        "programmes.KSB", related_name="otj_entries", blank=True, verbose_name="KSBs"
    )
    module_run = models.ForeignKey(
        "programmes.ModuleRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="otj_entries"
    )
    evidence = models.ForeignKey(
        "portfolios.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="otj_entries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    logged_at = models.DateTimeField(default=timezone.now, help_text="When the apprentice recorded it.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_late = models.BooleanField(
        default=False, help_text="Logged more than OTJ_LATE_LOG_DAYS after the activity: flagged for audit."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_via = models.CharField(max_length=12, choices=Via.choices, blank=True)
    rejection_reason = models.TextField(blank=True)
    correction_reason = models.TextField(
        blank=True,
        help_text="Why the apprentice asked to correct a confirmed entry (it then needs confirming again).",
    )
    history = _HistoricalRecords(
        m2m_fields=[ksbs],
        table_name="portfolios_historicaloffthejobentry",
        m2m_table_names={"HistoricalOffTheJobEntry_ksbs": "portfolios_historicaloffthejobentry_ksbs"},
    )

    class Meta:
        db_table = "portfolios_offthejobentry"
        ordering = ["-date", "-pk"]
        verbose_name = "off-the-job entry"
        verbose_name_plural = "off-the-job entries"
        indexes = [
            models.Index(fields=["enrolment", "date"], name="otj_enrolment_date"),
            models.Index(fields=["enrolment", "status"], name="otj_enrolment_status"),
            models.Index(fields=["status", "enrolment"], name="otj_status_enrolment"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=12), name="otj_hours_0_to_12"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.date:%d %b %Y}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def days_to_log(self) -> int:
        return (timezone.localdate(self.logged_at) - self.date).days

    @staticmethod
    def late_for(activity_date, logged_at) -> bool:
        return (timezone.localdate(logged_at) - activity_date).days > settings.OTJ_LATE_LOG_DAYS


class ConfirmationLink(models.Model):
    """A one-click confirmation sent by email: single-use, expiring, bound to one manager and exact entries."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey("programmes.Enrolment", on_delete=models.CASCADE, related_name="+")
    entries = models.ManyToManyField(OffTheJobEntry, related_name="confirmation_links")
    entries_digest = models.CharField(max_length=64, help_text="SHA-256 of the sorted entry ids it covers.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portfolios_confirmationlink"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Confirmation link for {self.manager} ({self.created_at:%d %b %Y})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.OTJ_LINK_DAYS)


class OTJDigest(models.Model):
    """One weekly digest sent to a line manager: at most one per manager per week, so the job can run twice."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    entry_count = models.PositiveIntegerField()

    class Meta:
        db_table = "portfolios_otjdigest"
        constraints = [
            models.UniqueConstraint(fields=["manager", "week_starting"], name="one_otj_digest_per_week")
        ]

    def __str__(self) -> str:
        return f"OTJ digest for {self.manager}, week of {self.week_starting}"


class OTJStatusAlert(models.Model):
    """The last OTJ status each enrolment was alerted at, so an alert goes out once when status worsens."""

    enrolment = models.OneToOneField("programmes.Enrolment", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10)
    changed_at = models.DateTimeField(default=timezone.now)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portfolios_otjstatusalert"

    def __str__(self) -> str:
        return f"OTJ status {self.status} for enrolment {self.enrolment_id}"
