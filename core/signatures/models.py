"""The columns every signature has. Each signed document keeps its own table (a concrete subclass) so a signature
is protected by a real foreign key to what was signed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Method(models.TextChoices):
    PASSWORD = "password", "Password"
    MFA = "mfa", "Authenticator code"


class Signature(models.Model):
    """One party's signature: who, for which role, when, from where, how they proved it, and what they read."""

    role = models.CharField(max_length=20)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.PASSWORD)

    class Meta:
        abstract = True

    @property
    def method_label(self) -> str:
        return Method(self.method).label if self.method in Method.values else self.method
