"""People, the organisations they belong to, invitations and the stored email outbox."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.validators import no_control_characters


class UserManager(BaseUserManager["User"]):
    """Creates users identified by email address."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class Organisation(models.Model):
    """The provider (the university), an employer (a council, an NHS trust…) or an end-point assessment organisation."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", "Training provider"
        EMPLOYER = "employer", "Employer"
        EPAO = "epao", "End-point assessment organisation"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, help_text="UK provider reference number.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_employer(self) -> bool:
        return self.kind == self.Kind.EMPLOYER


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. What they may do follows from relationships, not a role field."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, validators=[no_control_characters])
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The employer (for apprentices and line managers) or the provider (for staff).",
    )
    job_title = models.CharField(max_length=200, blank=True, validators=[no_control_characters])
    is_staff = models.BooleanField("admin site access", default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to join the platform; the only way in (there is no public sign-up)."""

    email = models.EmailField()
    full_name = models.CharField(max_length=200, validators=[no_control_characters])
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    job_title = models.CharField(max_length=200, blank=True, validators=[no_control_characters])
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class OutboxEmail(models.Model):
    """An email kept instead of sent (the embedded default), readable by an administrator in the admin."""

    to = models.TextField(help_text="Recipients, comma-separated.")
    from_email = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbox email"
        verbose_name_plural = "outbox"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
