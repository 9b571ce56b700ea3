"""Standards and their KSBs, programmes, modules, cohorts, module runs, and enrolments with their lifecycle."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Standard(models.Model):
    """An apprenticeship standard at one version (ST0480 v1.2); KSBs never mix across versions."""

    code = models.CharField(max_length=10, help_text="Reference number, e.g. ST0480.")
    version = models.CharField(max_length=10, help_text="e.g. 1.2")
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(2), MaxValueValidator(7)])
    otj_minimum_hours = models.DecimalField(
        "published OTJ minimum (hours)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The fixed minimum for starts from 1 August 2025, where the rules publish one.",
    )
    ksb_source = models.CharField(
        "source of the KSB statements",
        max_length=200,
        blank=True,
        help_text="Where the KSB statements came from, e.g. the published file or 'Demo text'.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_code_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.title} (Level {self.level})"


class KSB(models.Model):
    """One knowledge, skill or behaviour statement of a standard version."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "K", "Knowledge"
        SKILL = "S", "Skill"
        BEHAVIOUR = "B", "Behaviour"

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="ksbs")
    code = models.CharField(max_length=10)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    statement = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["standard", "order", "code"]
        verbose_name = "KSB"
        verbose_name_plural = "KSBs"
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="ksb_code_unique_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.statement[:60]}"


class Programme(models.Model):
    """A provider's programme delivering one standard version, with its modules and the awards it leads to."""

    name = models.CharField(max_length=200)
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": "provider"},
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="programmes")
    directors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="directed_programmes", blank=True
    )
    professional_award = models.CharField(
        max_length=200, blank=True, help_text="e.g. Chartered Manager (CMI) eligibility."
    )
    academic_award = models.CharField(
        max_length=200, blank=True, help_text="e.g. Postgraduate Diploma in Public Management and Leadership."
    )
    history = HistoricalRecords(m2m_fields=[directors])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="programme_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def awards(self) -> list[str]:
        names = [f"Apprenticeship: {self.standard.title} (Level {self.standard.level})"]
        return names + [award for award in (self.professional_award, self.academic_award) if award]


class Module(models.Model):
    """One taught module of a programme (six for the Senior Leader programme)."""

    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(choices=[(1, "Year 1"), (2, "Year 2")])
    term = models.CharField(max_length=10, choices=Term.choices)
    weeks_online = models.PositiveSmallIntegerField(default=6)
    campus_days = models.PositiveSmallIntegerField(default=2)
    ksbs = models.ManyToManyField(KSB, related_name="modules", blank=True, verbose_name="KSBs covered")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [models.UniqueConstraint(fields=["programme", "order"], name="module_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Cohort(models.Model):
    """A group of apprentices who start a programme together."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=100)
    start_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-start_date"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")]

    def __str__(self) -> str:
        return f"{self.programme} — {self.name}"


class ModuleRun(models.Model):
    """A module's dates for one cohort: online weeks then campus days, and who leads (marks) it."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="runs")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="module_runs")
    online_start = models.DateField()
    campus_start = models.DateField(help_text="First campus day; the module's campus days run consecutively.")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_module_runs",
        verbose_name="module lead",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "online_start"]
        constraints = [
            models.UniqueConstraint(fields=["module", "cohort"], name="module_run_unique"),
            models.CheckConstraint(
                condition=Q(campus_start__gte=models.F("online_start")), name="campus_after_online"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} ({self.cohort.name})"

    @property
    def online_end(self) -> date:
        return self.online_start + timedelta(weeks=self.module.weeks_online) - timedelta(days=1)

    @property
    def campus_dates(self) -> list[date]:
        return [self.campus_start + timedelta(days=n) for n in range(self.module.campus_days)]


class WithdrawalReason(models.TextChoices):
    """The learner-record (ILR) withdrawal reasons a provider reports."""

    TRANSFERRED_PROVIDER = "2", "2 — Transferred to another provider"
    INJURY_ILLNESS = "3", "3 — Injury or illness"
    TRANSFERRED_INTERVENTION = "7", "7 — Transferred between providers by intervention"
    REDUNDANT = "29", "29 — Made redundant"
    NEW_AIM_SAME_PROVIDER = "40", "40 — Transferred to a new learning aim with the same provider"
    TRANSFERRED_STRATEGY = "41", "41 — Transferred to another provider for a government strategy"
    ACADEMIC_FAILURE = "42", "42 — Academic failure or not permitted to progress"
    FINANCIAL = "43", "43 — Financial reasons"
    PERSONAL = "44", "44 — Other personal reasons"
    LAPSE = "45", "45 — Written off after lapse of time"
    EXCLUSION = "46", "46 — Exclusion"
    OTHER = "97", "97 — Other"
    NOT_KNOWN = "98", "98 — Reason not known"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user) -> EnrolmentQuerySet:
        """Enrolments this user may see; every other object's visibility follows from this (programmes.access)."""
        from programmes.access import enrolment_visibility_filter

        return self.filter(enrolment_visibility_filter(user))


class Enrolment(models.Model):
    """An apprentice on a programme: the tripartite relationship with employer, line manager and practice tutor."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending training plan signatures"
        ACTIVE = "active", "Active"
        BREAK_IN_LEARNING = "break_in_learning", "Break in learning"
        GATEWAY = "gateway", "At gateway"
        EPA = "epa", "In end-point assessment"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The lifecycle, as data: which statuses each status may move to.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PENDING: (Status.ACTIVE, Status.WITHDRAWN),
        Status.ACTIVE: (Status.BREAK_IN_LEARNING, Status.GATEWAY, Status.WITHDRAWN),
        Status.BREAK_IN_LEARNING: (Status.ACTIVE, Status.WITHDRAWN),
        Status.GATEWAY: (Status.EPA, Status.WITHDRAWN),
        Status.EPA: (Status.COMPLETED, Status.WITHDRAWN),
        Status.COMPLETED: (),
        Status.WITHDRAWN: (),
    }
    LIVE_STATUSES = (Status.PENDING, Status.ACTIVE, Status.BREAK_IN_LEARNING, Status.GATEWAY, Status.EPA)

    apprentice = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="enrolments",
        editable=False,
        help_text="Always the cohort's programme; kept here so one apprentice cannot be enrolled twice.",
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="enrolments",
        limit_choices_to={"kind": "employer"},
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_enrolments"
    )
    practice_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tutored_enrolments"
    )
    start_date = models.DateField("learning start date")
    planned_end_date = models.DateField("planned end date of the practical period")
    actual_end_date = models.DateField(null=True, blank=True)
    contracted_weekly_hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("48"))],
    )
    prior_learning_hours = models.DecimalField(
        "recognised prior learning (hours)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    prior_learning_notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    withdrawal_reason = models.TextField(blank=True)
    withdrawal_reason_code = models.CharField(
        "withdrawal reason (learner record)", max_length=2, choices=WithdrawalReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "apprentice__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["apprentice", "programme"],
                condition=~Q(status="withdrawn"),
                name="one_live_enrolment_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__gt=models.F("start_date")), name="end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(contracted_weekly_hours__gte=1) & Q(contracted_weekly_hours__lte=48),
                name="contracted_hours_1_to_48",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.apprentice} — {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("enrolment_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    @property
    def planned_weeks(self) -> Decimal:
        """Planned duration of the practical period in weeks (start to planned end)."""
        return (Decimal((self.planned_end_date - self.start_date).days) / Decimal(7)).quantize(
            Decimal("0.01")
        )


class EnrolmentStatusChange(models.Model):
    """One step of an enrolment's lifecycle: from, to, when it took effect, why, and who made it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Enrolment.Status.choices)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    is_restart = models.BooleanField(
        default=False, help_text="A return from a break in learning: a new period, reported as a restart."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.effective_on}"


class EmploymentPeriod(models.Model):
    """A stretch of the apprenticeship with one employer and line manager; a change of employer opens a new one."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="employment_periods")
    employer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    line_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "start_date", "id"]

    def __str__(self) -> str:
        return f"{self.employer} from {self.start_date}"


class BreakInLearning(models.Model):
    """A pause in learning; the OTJ clock and review cadence stop while it is open."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="breaks")
    start_date = models.DateField()
    expected_return_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="The day learning restarted.")
    reason = models.TextField()

    class Meta:
        ordering = ["enrolment", "start_date"]
        verbose_name_plural = "breaks in learning"

    def __str__(self) -> str:
        return f"Break from {self.start_date}"
