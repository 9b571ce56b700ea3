"""Demo reporting data: a director's RAG override, so the dashboard shows one with its kept reason.

apprentice7 (2025 cohort, on track by the numbers) is set to amber by the director: the employer has announced a
restructure of the team, which the computed signals cannot see yet. Idempotent: nothing is added twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from programmes.models import Enrolment
from reporting.models import RAG, RAGOverride

REASON = (
    "Employer announced a restructure of the apprentice's team; checking in fortnightly until it settles."
)


def seed_reporting() -> int:
    """Add the demo override once; returns how many rows were created."""
    enrolment = Enrolment.objects.filter(apprentice__email="apprentice7@demo.test").first()
    director = User.objects.filter(email="director@demo.test").first()
    if enrolment is None or director is None or RAGOverride.objects.filter(enrolment=enrolment).exists():
        return 0
    RAGOverride.objects.create(
        enrolment=enrolment, rag=RAG.AMBER, reason=REASON, by=director, at=timezone.now() - timedelta(days=6)
    )
    return 1
