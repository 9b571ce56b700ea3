"""The nightly progress refresh on a real worker: the beat task fans out one message per cohort, each carrying
only a primary key, and the worker computes that cohort's dashboard rows in the shared PostgreSQL database."""

import pytest
from django.db import connection

from programmes.models import Enrolment
from reporting import tasks
from reporting.models import ProgressSnapshot
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nightly_refresh_computes_every_cohort_on_the_worker(worker, world, cast):
    worker.start()
    assert ProgressSnapshot.objects.count() == 0

    queued = tasks.refresh_all_progress.delay().get(timeout=60)

    assert queued == 2  # the cast's cohort and the other programme's, one message each
    everyone = Enrolment.objects.count()

    def computed():
        """every enrolment's snapshot"""
        return ProgressSnapshot.objects.filter(computed_on__isnull=False).count() == everyone or None

    wait_for(computed, timeout=60)
    row = ProgressSnapshot.objects.get(pk=world.enrolment.pk)
    assert row.computed_reasons, "a rating without reasons"
    assert row.computed_generation == row.generation
    assert connection.vendor == "postgresql"


def test_refreshing_a_cohort_twice_on_the_worker_computes_nothing_the_second_time(worker, world, cast):
    worker.start()

    first = tasks.refresh_cohort_progress.delay(world.cohort.pk).get(timeout=60)
    second = tasks.refresh_cohort_progress.delay(world.cohort.pk).get(timeout=60)

    assert first == Enrolment.objects.filter(cohort=world.cohort).count()
    assert second == 0
