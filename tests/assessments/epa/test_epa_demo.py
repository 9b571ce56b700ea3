"""The demo shows gateway, EPA and completion: one apprentice at each stage, one completed with a certificate."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.epa import gateway
from assessments.epa.models import CompletionRecord, EPAMethodResult, GatewaySignOff, LearnerOutcome
from programmes.models import Enrolment

pytestmark = pytest.mark.django_db


def enrolment(n: int) -> Enrolment:
    return Enrolment.objects.select_related("programme").get(apprentice__email=f"apprentice{n}@demo.test")


def test_apprentice1_is_completed_with_a_verifiable_certificate(demo):
    first = enrolment(1)
    record = CompletionRecord.objects.get(enrolment=first)

    assert first.status == Enrolment.Status.COMPLETED
    assert record.status == "issued" and record.overall_grade == "pass"
    assert hashlib.sha256(record.pdf.read()).hexdigest() == record.pdf_sha256
    outcome = LearnerOutcome.objects.get(enrolment=first)
    assert (outcome.completion_status, outcome.outcome) == (2, 1)
    assert set(GatewaySignOff.objects.filter(enrolment=first).values_list("role", flat=True)) == {
        "employer",
        "provider",
    }


def test_apprentice2_is_in_epa_with_one_method_graded(demo):
    second = enrolment(2)
    results = EPAMethodResult.objects.filter(epa__enrolment=second)

    assert second.status == Enrolment.Status.EPA
    assert [r.method for r in results] == ["professional_discussion"]


def test_apprentice3_is_at_gateway_with_the_checklist_partly_met(demo):
    state = gateway.readiness(enrolment(3))

    assert enrolment(3).status == Enrolment.Status.GATEWAY
    assert not state.ready
    assert 0 < len(state.unmet) < len(state.items)
    assert "sbp" in state.unmet


def test_seeding_twice_adds_no_gateway_epa_or_completion_rows(demo):
    before = {
        m: m.objects.count() for m in (CompletionRecord, EPAMethodResult, GatewaySignOff, LearnerOutcome)
    }

    call_command("seed_demo", stdout=StringIO())

    assert {m: m.objects.count() for m in before} == before
