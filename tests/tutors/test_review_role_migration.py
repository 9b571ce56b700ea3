"""The data migration that gives reviews the one role vocabulary renames stored roles both ways."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime

import time_machine
from django.apps import apps

from tests.tutors.helpers import signed_review
from tutors import services
from tutors.models import ReviewDecline, ReviewSignature

migration = importlib.import_module("tutors.migrations.0002_review_roles_employer_provider")


def test_review_roles_become_employer_and_provider_and_back(world, cast):
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=UTC), tick=False):
        review = signed_review(world.enrolment, cast, held_on=date(2026, 3, 2))
    ReviewSignature.objects.filter(review=review, role="employer").update(role="line_manager")
    ReviewSignature.objects.filter(review=review, role="provider").update(role="tutor")
    ReviewDecline.objects.create(
        review=review, role="line_manager", declined_by=cast.line_manager, comment="x", content_hash="h"
    )

    migration.forward(apps, None)

    assert set(ReviewSignature.objects.values_list("role", flat=True)) == {
        "apprentice",
        "employer",
        "provider",
    }
    assert ReviewDecline.objects.get().role == "employer"
    assert services.outstanding_roles(review) == []

    migration.backward(apps, None)

    assert set(ReviewSignature.objects.values_list("role", flat=True)) == {
        "apprentice",
        "line_manager",
        "tutor",
    }
    assert ReviewDecline.objects.get().role == "line_manager"
