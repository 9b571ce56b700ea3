"""The gateway checklist item by item, the sign-offs that move an enrolment into EPA, and the queries it takes."""

from datetime import date

import pytest
import time_machine

from assessments.epa import gateway
from assessments.epa import services as epa_services
from assessments.epa.models import GatewaySignOff, LearnerOutcome, SBPAgreement
from core.errors import ActionNotAllowed, ConflictError, DomainError
from programmes.models import Enrolment
from tests.assessments.epa.epa_helpers import NOW, make_ready, sign_gateway
from tests.signing import gateway_proof

pytestmark = pytest.mark.django_db

REASONS = {
    "modules": "0 of 1 modules passed; 1 still to pass.",
    "otj": "0 h confirmed of the 460 h minimum: 460 h short",
    "portfolio": "No accepted evidence yet",
    "english_maths": "No Level 2 English and maths evidence or exemption recorded.",
    "sbp": "No SBP title and scope proposed yet.",
    "training_plan": "No training plan has been sent for signature.",
    "reviews": "No signed review yet; the next was due by 31 December 2025 and is overdue.",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_enrolment_meeting_every_item_is_ready(world, cast):
    make_ready(world, cast)

    state = gateway.readiness(world.enrolment)

    assert state.ready, state.snapshot()
    assert [item.code for item in state.items] == list(gateway.ITEMS)
    assert state.item("portfolio").detail.startswith("1 piece of accepted evidence cover all 4 KSBs")
    assert "all its KSBs count as mapped to the professional discussion" in state.item("portfolio").detail


@pytest.mark.parametrize("code", list(gateway.ITEMS))
def test_each_item_failing_alone_blocks_gateway_with_its_reason(world, cast, code):
    make_ready(world, cast, skip=(code,))

    state = gateway.readiness(world.enrolment)

    assert state.unmet == [code]
    assert not state.ready
    assert REASONS[code] in state.item(code).detail
    with pytest.raises(ConflictError, match="Not every gateway item is met"):
        epa_services.gateway_sign(
            enrolment=world.enrolment,
            by=cast.line_manager,
            proof=gateway_proof(world.enrolment, cast.line_manager),
        )
    assert not GatewaySignOff.objects.exists()


def test_a_ksb_without_accepted_evidence_is_named(world, cast):
    make_ready(world, cast, skip=("portfolio",))
    from tests.assessments.epa.epa_helpers import cover_ksbs

    cover_ksbs(world, cast, codes=("K1", "K2", "B1"))

    detail = gateway.readiness(world.enrolment).item("portfolio").detail
    assert "not yet covered by accepted evidence: S1" in detail


def test_a_scope_over_500_words_is_refused_and_an_edit_clears_the_agreements(world, cast):
    make_ready(world, cast)
    with pytest.raises(DomainError, match="501 words; it can be at most 500"):
        epa_services.sbp_agreement_propose(
            enrolment=world.enrolment, by=cast.apprentice, title="Too long", scope="word " * 501
        )

    epa_services.sbp_agreement_propose(
        enrolment=world.enrolment, by=cast.apprentice, title="A new title", scope="A shorter scope."
    )

    agreement = SBPAgreement.objects.get()
    assert agreement.employer_agreed_at is None and agreement.epao_agreed_at is None
    assert (
        "awaits agreement by the employer and the assessment organisation"
        in gateway.readiness(world.enrolment).item("sbp").detail
    )


def test_an_unagreed_scope_is_not_met(world, cast):
    make_ready(world, cast, skip=("sbp",))
    epa_services.sbp_agreement_propose(
        enrolment=world.enrolment, by=cast.apprentice, title="T", scope="Scope."
    )
    epa_services.sbp_agreement_agree(enrolment=world.enrolment, by=cast.line_manager, party="employer")

    item = gateway.readiness(world.enrolment).item("sbp")

    assert not item.met and "awaits agreement by the assessment organisation" in item.detail


def test_only_the_line_manager_agrees_for_the_employer(world, cast):
    epa_services.sbp_agreement_propose(
        enrolment=world.enrolment, by=cast.apprentice, title="T", scope="Scope."
    )
    with pytest.raises(ActionNotAllowed):
        epa_services.sbp_agreement_agree(enrolment=world.enrolment, by=cast.apprentice, party="employer")
    with pytest.raises(ActionNotAllowed):
        epa_services.sbp_agreement_agree(enrolment=world.enrolment, by=cast.line_manager, party="epao")


def test_the_employer_signs_first_then_the_provider_and_the_epa_period_starts(world, cast):
    make_ready(world, cast)
    with pytest.raises(ConflictError, match="line manager signs off gateway first"):
        epa_services.gateway_sign(
            enrolment=world.enrolment, by=cast.director, proof=gateway_proof(world.enrolment, cast.director)
        )

    epa_services.gateway_sign(
        enrolment=world.enrolment,
        by=cast.line_manager,
        proof=gateway_proof(world.enrolment, cast.line_manager),
    )
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.GATEWAY
    assert world.enrolment.actual_end_date == date(2026, 3, 10)

    epa_services.gateway_sign(
        enrolment=world.enrolment, by=cast.director, proof=gateway_proof(world.enrolment, cast.director)
    )
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.EPA
    assert epa_services.epa_started_on(world.enrolment) == date(2026, 3, 10)
    assert epa_services.sbp_due_on(date(2026, 3, 10)) == date(2026, 6, 2)  # 12 weeks after gateway
    outcome = LearnerOutcome.objects.get(enrolment=world.enrolment)
    assert (outcome.completion_status, outcome.outcome) == (1, 8)
    employer = GatewaySignOff.objects.get(role="employer")
    assert "works at or above the level" in employer.statement
    assert all(item["met"] for item in employer.checklist)


@pytest.mark.parametrize("member", ["apprentice", "tutor", "assessor", "other_manager", "admin"])
def test_only_the_line_manager_and_a_director_sign_off(world, cast, member):
    make_ready(world, cast)
    person = getattr(cast, member)

    with pytest.raises(ActionNotAllowed):
        epa_services.gateway_sign(
            enrolment=world.enrolment, by=person, proof=gateway_proof(world.enrolment, person)
        )


def test_a_completed_gateway_is_not_signed_again(world, cast):
    make_ready(world, cast)
    sign_gateway(world, cast)

    assert world.enrolment.status == Enrolment.Status.EPA
    assert epa_services.gateway_blocker(world.enrolment).startswith(
        "The enrolment is in end-point assessment"
    )


def test_readiness_for_a_cohort_takes_the_same_queries_for_one_or_many(
    world, cast, django_assert_num_queries
):
    from tests.factories import EnrolmentFactory

    make_ready(world, cast)
    one = list(Enrolment.objects.filter(pk=world.enrolment.pk))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as single:
        gateway.gateway_readiness(one)
    for _ in range(5):
        EnrolmentFactory(cohort=world.cohort, employer=world.employer)
    many = list(Enrolment.objects.filter(cohort=world.cohort))

    with django_assert_num_queries(len(single.captured_queries)):
        states = gateway.gateway_readiness(many)

    assert len(states) == 6
    assert states[world.enrolment.pk].ready
    assert sum(state.ready for state in states.values()) == 1
