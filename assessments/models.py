"""End-point assessment. The foundation records only which independent assessor holds which EPA."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = "end-point assessment"

    def __str__(self) -> str:
        return f"EPA for {self.enrolment}"
