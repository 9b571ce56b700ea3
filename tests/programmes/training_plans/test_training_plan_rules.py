"""The training plan's rules (plan_services): drafting, validation, sending, the three signatures, revisions
(major and minor), the EPAO notice, and tamper detection."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from core.errors import ActionNotAllowed, ConflictError, DomainError
from programmes import services
from programmes.models import Enrolment, EnrolmentStatusChange
from programmes.training_plans import services as plan_services
from programmes.training_plans import tasks
from programmes.training_plans.models import DEFAULT_COMMITMENTS, PlanSignature, PlanTemplate, TrainingPlan
from tests.factories import UserFactory
from tests.signing import plan_proof

Status = TrainingPlan.Status
Role = PlanSignature.Role
NOW = datetime(2025, 10, 1, 11, 0, tzinfo=UTC)  # 12:00 in London; the world's enrolment started 15 Sep 2025
STANDARD_MINIMUM = Decimal("460")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _standard_minimum(world):
    """Starts from 1 Aug 2025 use the standard's published minimum; without it a plan cannot be sent."""
    standard = world.programme.standard
    standard.otj_minimum_hours = STANDARD_MINIMUM
    standard.save()


def values_for(enrolment, **changes):
    return replace(plan_services.fields_from_records(enrolment), **changes)


def save_draft(enrolment, by, change_summary="", **changes):
    return plan_services.plan_save_draft(
        enrolment=enrolment, by=by, values=values_for(enrolment, **changes), change_summary=change_summary
    )


def send_first_version(enrolment, director, **changes):
    return plan_services.plan_send(plan=save_draft(enrolment, director, **changes), by=director)


def sign(plan, user, ip_address=None, user_agent="", **read):
    """Sign ``plan`` as ``user``, having read it (``read`` overrides the proof: password, code, full_name...)."""
    return plan_services.plan_sign(
        plan=plan, by=user, proof=plan_proof(plan, user, **read), ip_address=ip_address, user_agent=user_agent
    )


def sign_all(plan, cast):
    for user in (cast.apprentice, cast.line_manager, cast.director):
        sign(plan, user)
    plan.refresh_from_db()
    return plan


def signed_plan(world, cast):
    return sign_all(send_first_version(world.enrolment, cast.director), cast)


@pytest.fixture
def pending_enrolment(world, cast):
    """An enrolment made through the service: pending until its training plan is signed."""
    apprentice = UserFactory(
        email="pat.pending@example.test", full_name="Pat Pending", organisation=world.employer
    )
    return services.enrolment_create(
        created_by=cast.director,
        apprentice=apprentice,
        cohort=world.cohort,
        employer=world.employer,
        line_manager=cast.line_manager,
        practice_tutor=cast.tutor,
        start_date=date(2025, 9, 15),
        planned_end_date=date(2027, 9, 13),
        contracted_weekly_hours=Decimal("37"),
    )


# --- drafting ----------------------------------------------------------------------------------------------


def test_the_first_draft_comes_from_the_programme_template_and_the_enrolment(world, cast):
    template = plan_services.template_for(world.enrolment)
    template.epao_name = "Assessors Ltd"
    template.save()

    values = plan_services.fields_from_records(world.enrolment)
    assert values.epao_name == "Assessors Ltd"
    assert values.planned_end_date == world.enrolment.planned_end_date
    assert values.contracted_weekly_hours == world.enrolment.contracted_weekly_hours
    assert values.apprentice_commitments == DEFAULT_COMMITMENTS["apprentice"]

    plan = plan_services.plan_save_draft(enrolment=world.enrolment, by=cast.director, values=values)
    assert (plan.version, plan.status, plan.revision) == (1, Status.DRAFT, TrainingPlan.Revision.INITIAL)
    assert plan.content_hash == "" and plan.sent_at is None
    content = plan.content
    assert content["title"] == "Tripartite commitment statement (training plan)"
    assert content["parties"]["apprentice"]["name"] == "Ada Apprentice"
    assert content["parties"]["line_manager"]["name"] == "Mina Manager"
    assert content["parties"]["employer"] == "Northshire County Council"
    assert content["parties"]["programme_directors"] == ["Dana Director"]
    assert content["parties"]["practice_tutor"]["name"] == "Tara Tutor"
    assert content["parties"]["epao"] == "Assessors Ltd"
    assert content["dates"] == {"start_date": "2025-09-15", "planned_end_date": "2027-09-13"}
    assert content["hours"] == {"contracted_weekly_hours": "37.00"}
    assert content["otj"]["rule"] == "2025" and content["otj"]["planned_hours"] == "460.00"
    assert content["commitments"]["employer"] == DEFAULT_COMMITMENTS["employer"]
    [module] = content["schedule"]
    assert module["module"] == "1. Leadership" and module["led_by"] == "Lee Lead"
    assert module["online"] == "2025-09-22 to 2025-11-02"
    assert module["campus"] == ["2025-11-03", "2025-11-04"]

    # Saving again updates the one draft rather than making another version.
    again = save_draft(world.enrolment, cast.director, support="Ask your tutor.")
    assert again.pk == plan.pk and again.content["support"] == "Ask your tutor."
    assert TrainingPlan.objects.filter(enrolment=world.enrolment).count() == 1


@pytest.mark.parametrize(
    "member",
    ["apprentice", "line_manager", "tutor", "other_director", "module_lead", "assessor", "other_manager"],
)
def test_only_a_director_of_the_programme_drafts_or_sends_the_plan(world, cast, member):
    with pytest.raises(ActionNotAllowed):
        save_draft(world.enrolment, getattr(cast, member))
    assert not TrainingPlan.objects.exists()

    draft = save_draft(world.enrolment, cast.director)
    with pytest.raises(ActionNotAllowed):
        plan_services.plan_send(plan=draft, by=getattr(cast, member))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"apprentice_commitments": "   "}, "apprentice_commitments", "Write the apprentice commitments"),
        ({"employer_commitments": ""}, "employer_commitments", "Write the employer commitments"),
        ({"provider_commitments": "\n"}, "provider_commitments", "Write the provider commitments"),
        ({"support": " "}, "support", "Write the support"),
        ({"complaints": ""}, "complaints", "Write the complaints"),
        ({"planned_end_date": date(2025, 9, 1)}, "planned_end_date", "must be after the learning start date"),
        (
            {"planned_end_date": date(2025, 9, 15)},
            "planned_end_date",
            "must be after the learning start date",
        ),
        ({"contracted_weekly_hours": Decimal("0.5")}, "contracted_weekly_hours", "between 1 and 48"),
        ({"contracted_weekly_hours": Decimal("48.5")}, "contracted_weekly_hours", "between 1 and 48"),
        ({"contracted_weekly_hours": "lots"}, "contracted_weekly_hours", "Enter hours as a number"),
        ({"prior_learning_hours": Decimal("-1")}, "prior_learning_hours", "cannot be negative"),
        (
            {"prior_learning_hours": Decimal("40"), "prior_learning_notes": "  "},
            "prior_learning_notes",
            "Describe the prior learning",
        ),
    ],
)
def test_a_draft_with_a_mistake_is_refused_and_nothing_is_saved(world, cast, changes, field, message):
    with pytest.raises(DomainError) as error:
        save_draft(world.enrolment, cast.director, **changes)
    assert type(error.value) is DomainError
    assert error.value.field == field
    assert message in error.value.message
    assert not TrainingPlan.objects.exists()
    assert not TrainingPlan.history.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contracted_weekly_hours": Decimal("NaN")}, "contracted_weekly_hours"),
        ({"prior_learning_hours": Decimal("NaN"), "prior_learning_notes": "APL"}, "prior_learning_hours"),
        # The plan form's prior-learning field has no upper bound, so this reaches the service.
        ({"prior_learning_hours": Decimal("1E+30"), "prior_learning_notes": "APL"}, "prior_learning_hours"),
    ],
    ids=["nan-weekly-hours", "nan-prior-learning", "huge-prior-learning"],
)
def test_hours_that_are_not_usable_numbers_are_refused_with_a_message(world, cast, changes, field):
    with pytest.raises(DomainError) as error:
        save_draft(world.enrolment, cast.director, **changes)
    assert error.value.field in (field, "contracted_weekly_hours")
    assert not TrainingPlan.objects.exists()


def test_the_limits_of_the_contracted_hours_are_accepted(world, cast):
    draft = save_draft(world.enrolment, cast.director, contracted_weekly_hours=Decimal("48"))
    assert draft.content["hours"]["contracted_weekly_hours"] == "48.00"
    draft = save_draft(world.enrolment, cast.director, contracted_weekly_hours=Decimal("1"))
    assert draft.content["hours"]["contracted_weekly_hours"] == "1.00"


def test_prior_learning_with_notes_reduces_the_planned_hours(world, cast):
    draft = save_draft(
        world.enrolment,
        cast.director,
        prior_learning_hours=Decimal("60"),
        prior_learning_notes="  ILM Level 5  ",
    )
    assert draft.content["prior_learning"] == {"hours": "60.00", "notes": "ILM Level 5"}
    assert draft.content["otj"]["planned_hours"] == "400.00"


# --- sending ---------------------------------------------------------------------------------------------


def test_sending_fixes_the_content_with_its_sha256(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    assert plan.status == Status.AWAITING and plan.revision == TrainingPlan.Revision.INITIAL
    assert plan.sent_at == NOW
    stored = TrainingPlan.objects.get(pk=plan.pk)
    canonical = json.dumps(stored.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.content_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert len(stored.content_hash) == 64
    assert plan_services.current_plan(world.enrolment) == stored
    assert plan_services.outstanding_roles(stored) == [Role.APPRENTICE, Role.EMPLOYER, Role.PROVIDER]

    with pytest.raises(ConflictError):
        plan_services.plan_send(plan=stored, by=cast.director)


def test_a_plan_without_the_standards_minimum_cannot_be_sent(world, cast):
    standard = world.programme.standard
    standard.otj_minimum_hours = None
    standard.save()
    draft = save_draft(world.enrolment, cast.director)
    assert draft.content["otj"]["planned_hours"] is None
    with pytest.raises(DomainError, match="published OTJ minimum is not recorded"):
        plan_services.plan_send(plan=draft, by=cast.director)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.content_hash == ""


# --- signing ---------------------------------------------------------------------------------------------


def test_the_signature_records_who_for_which_role_when_from_where_and_what(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    signature = sign(
        plan, cast.line_manager, ip_address="203.0.113.9", user_agent="Mozilla/5.0 " + "x" * 2000
    )
    stored = PlanSignature.objects.get()
    assert stored == signature
    assert stored.plan == plan and stored.role == Role.EMPLOYER and stored.signed_by == cast.line_manager
    assert stored.typed_name == "Mina Manager"
    assert stored.signed_at == NOW
    assert stored.ip_address == "203.0.113.9"
    assert stored.user_agent.startswith("Mozilla/5.0") and len(stored.user_agent) == 1000
    assert stored.content_hash == plan.content_hash and stored.method == "password"
    plan.refresh_from_db()
    assert plan.status == Status.AWAITING
    assert plan_services.outstanding_roles(plan) == [Role.APPRENTICE, Role.PROVIDER]


@pytest.mark.parametrize("member", ["tutor", "other_manager", "other_apprentice", "other_director", "admin"])
def test_only_the_three_parties_sign(world, cast, member):
    plan = send_first_version(world.enrolment, cast.director)
    with pytest.raises(ActionNotAllowed):
        sign(plan, getattr(cast, member))
    assert not PlanSignature.objects.exists()


def test_a_party_cannot_sign_for_another_role(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    with pytest.raises(ActionNotAllowed):
        sign(plan, cast.apprentice, role=Role.PROVIDER)
    with pytest.raises(ActionNotAllowed):
        sign(plan, cast.director, role=Role.EMPLOYER)
    with pytest.raises(DomainError, match="not a signing role"):
        sign(plan, cast.apprentice, role="witness")
    assert not PlanSignature.objects.exists()


def test_a_draft_and_a_superseded_version_cannot_be_signed(world, cast):
    draft = save_draft(world.enrolment, cast.director)
    with pytest.raises(ConflictError):
        sign(draft, cast.apprentice)

    first = plan_services.plan_send(plan=draft, by=cast.director)
    second = save_draft(
        world.enrolment, cast.director, change_summary="Hours", contracted_weekly_hours=Decimal(30)
    )
    plan_services.plan_send(plan=second, by=cast.director)
    with pytest.raises(ConflictError, match="superseded"):
        sign(first, cast.apprentice)
    assert not PlanSignature.objects.exists()


def test_three_signatures_sign_the_plan_and_start_a_pending_enrolment(pending_enrolment, cast):
    plan = send_first_version(pending_enrolment, cast.director)
    assert "Pat Pending" in plan_services.training_blocker(pending_enrolment)
    apprentice = pending_enrolment.apprentice
    sign(plan, apprentice)
    sign(plan, cast.line_manager)
    pending_enrolment.refresh_from_db()
    assert pending_enrolment.status == Enrolment.Status.PENDING
    assert plan_services.training_blocker(pending_enrolment) is not None

    sign(plan, cast.director)
    plan.refresh_from_db()
    assert plan.status == Status.SIGNED and plan.signed_at == NOW
    assert plan_services.outstanding_roles(plan) == []
    assert {s.signed_by for s in plan.signatures.all()} == {apprentice, cast.line_manager, cast.director}
    pending_enrolment.refresh_from_db()
    assert pending_enrolment.status == Enrolment.Status.ACTIVE
    change = pending_enrolment.status_changes.latest("pk")
    assert (change.from_status, change.to_status) == (Enrolment.Status.PENDING, Enrolment.Status.ACTIVE)
    assert change.effective_on == date(2025, 10, 1) and change.changed_by is None
    assert "version 1" in change.reason
    assert plan_services.training_blocker(pending_enrolment) is None

    with pytest.raises(ConflictError):
        sign(plan, cast.director)


def test_an_enrolment_starting_later_stays_pending_until_its_start_date(world, cast):
    apprentice = UserFactory(
        email="fran.future@example.test", full_name="Fran Future", organisation=world.employer
    )
    enrolment = services.enrolment_create(
        created_by=cast.director,
        apprentice=apprentice,
        cohort=world.cohort,
        employer=world.employer,
        line_manager=cast.line_manager,
        practice_tutor=cast.tutor,
        start_date=date(2025, 11, 3),
        planned_end_date=date(2027, 11, 1),
        contracted_weekly_hours=Decimal("37"),
    )
    plan = send_first_version(enrolment, cast.director)
    for user in (apprentice, cast.line_manager, cast.director):
        sign(plan, user)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PENDING
    assert tasks.activate_signed_enrolments() == 0

    with time_machine.travel(datetime(2025, 11, 2, 23, 0, tzinfo=UTC), tick=False):  # 2 Nov in London
        assert tasks.activate_signed_enrolments() == 0
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PENDING

    with time_machine.travel(datetime(2025, 11, 3, 9, 0, tzinfo=UTC), tick=False):
        assert tasks.activate_signed_enrolments() == 1
        assert tasks.activate_signed_enrolments() == 0
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    change = EnrolmentStatusChange.objects.filter(enrolment=enrolment).latest("pk")
    assert change.to_status == Enrolment.Status.ACTIVE and change.effective_on == date(2025, 11, 3)


def test_the_training_blocker_names_whose_signature_is_missing(world, cast):
    assert "not been sent" in plan_services.training_blocker(world.enrolment)
    plan = send_first_version(world.enrolment, cast.director)
    blocker = plan_services.training_blocker(world.enrolment)
    for name in ("Ada Apprentice", "Mina Manager", "Dana Director"):
        assert name in blocker
    sign(plan, cast.apprentice)
    sign(plan, cast.director)
    blocker = plan_services.training_blocker(world.enrolment)
    assert "line manager (Mina Manager)" in blocker
    assert "Ada Apprentice" not in blocker and "Dana Director" not in blocker
    sign(plan, cast.line_manager)
    assert plan_services.training_blocker(world.enrolment) is None


# --- revising -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"planned_end_date": date(2027, 12, 13)},
        {"contracted_weekly_hours": Decimal("30")},
        {"apprentice_commitments": "I will attend every session and keep my OTJ log up to date."},
        {"epao_name": "Assessors Ltd"},
        {"prior_learning_hours": Decimal("20"), "prior_learning_notes": "CMI Level 5 certificate"},
    ],
)
def test_a_major_change_needs_all_three_signatures_again(world, cast, changes):
    first = signed_plan(world, cast)
    draft = save_draft(world.enrolment, cast.director, change_summary="Agreed at the review", **changes)
    assert (draft.version, draft.status, draft.previous) == (2, Status.DRAFT, first)
    # Until the new version is sent, the signed one stays in force.
    assert plan_services.current_plan(world.enrolment) == first

    second = plan_services.plan_send(plan=draft, by=cast.director)
    assert second.status == Status.AWAITING and second.revision == TrainingPlan.Revision.MAJOR
    assert second.change_summary == "Agreed at the review"
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.superseded_at == NOW
    assert first.signatures.count() == 3  # the old signatures are kept with the old version
    assert plan_services.integrity_problems(first) == []
    assert plan_services.current_plan(world.enrolment) == second
    assert plan_services.outstanding_roles(second) == [Role.APPRENTICE, Role.EMPLOYER, Role.PROVIDER]
    # Training that the signed first version started carries on while the revision is being signed.
    assert plan_services.training_blocker(world.enrolment) is None
    sign_all(second, cast)
    assert second.status == Status.SIGNED
    assert [p.version for p in world.enrolment.training_plans.all()] == [2, 1]


def test_the_enrolment_follows_the_new_end_date_only_once_the_new_version_is_signed(world, cast):
    signed_plan(world, cast)
    new_end = date(2027, 12, 13)
    second = plan_services.plan_send(
        plan=save_draft(world.enrolment, cast.director, change_summary="Extension", planned_end_date=new_end),
        by=cast.director,
    )
    sign(second, cast.apprentice)
    sign(second, cast.line_manager)
    world.enrolment.refresh_from_db()
    assert world.enrolment.planned_end_date == date(2027, 9, 13)
    sign(second, cast.director)
    world.enrolment.refresh_from_db()
    assert world.enrolment.planned_end_date == new_end


def test_a_revision_needs_a_change_summary_and_a_change(world, cast):
    signed_plan(world, cast)
    with pytest.raises(DomainError) as error:
        save_draft(world.enrolment, cast.director, contracted_weekly_hours=Decimal("30"))
    assert error.value.field == "change_summary"
    with pytest.raises(DomainError, match="Nothing has changed"):
        save_draft(world.enrolment, cast.director, change_summary="No change really")
    assert world.enrolment.training_plans.count() == 1


def test_rescheduling_a_session_is_a_minor_revision_without_new_signatures(world, cast):
    first = signed_plan(world, cast)
    run = world.module_run
    run.online_start += timedelta(weeks=1)
    run.campus_start += timedelta(weeks=1)
    run.save()

    draft = save_draft(
        world.enrolment, cast.director, change_summary="Campus days moved a week (room flooded)"
    )
    second = plan_services.plan_send(plan=draft, by=cast.director)
    assert second.status == Status.SIGNED and second.revision == TrainingPlan.Revision.MINOR
    assert second.signed_at == NOW and not second.signatures.exists()
    assert second.content["schedule"][0]["campus"] == ["2025-11-10", "2025-11-11"]
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert plan_services.current_plan(world.enrolment) == second
    assert plan_services.signing_version(second) == first
    assert plan_services.outstanding_roles(second) == []
    assert plan_services.integrity_problems(second) == []
    assert plan_services.training_blocker(world.enrolment) is None
    assert PlanSignature.objects.count() == 3


def test_rescheduling_a_plan_still_being_signed_replaces_it_with_a_version_to_sign(world, cast):
    first = send_first_version(world.enrolment, cast.director)
    sign(first, cast.apprentice)
    world.module_run.campus_start += timedelta(days=7)
    world.module_run.save()
    second = plan_services.plan_send(
        plan=save_draft(world.enrolment, cast.director, change_summary="Campus moved"), by=cast.director
    )
    assert second.status == Status.AWAITING and second.revision == TrainingPlan.Revision.MAJOR
    assert plan_services.outstanding_roles(second) == [Role.APPRENTICE, Role.EMPLOYER, Role.PROVIDER]


def test_a_draft_can_be_discarded_but_a_sent_version_cannot(world, cast):
    first = signed_plan(world, cast)
    draft = save_draft(
        world.enrolment, cast.director, change_summary="Hours", contracted_weekly_hours=Decimal(30)
    )
    with pytest.raises(ActionNotAllowed):
        plan_services.plan_discard_draft(plan=draft, by=cast.apprentice)
    plan_services.plan_discard_draft(plan=draft, by=cast.director)
    assert list(world.enrolment.training_plans.all()) == [first]
    with pytest.raises(ConflictError):
        plan_services.plan_discard_draft(plan=first, by=cast.director)
    first.refresh_from_db()
    assert first.status == Status.SIGNED


def test_the_epao_must_be_named_within_six_months_of_the_planned_end(world, cast):
    PlanTemplate.objects.filter(programme=world.programme).delete()
    # More than six months before the planned end (13 Sep 2027) the EPAO may still be open.
    assert send_first_version(world.enrolment, cast.director).content["parties"]["epao"] == ""

    TrainingPlan.objects.all().delete()
    with time_machine.travel(datetime(2027, 5, 1, 9, 0, tzinfo=UTC), tick=False):
        draft = save_draft(world.enrolment, cast.director)
        with pytest.raises(DomainError) as error:
            plan_services.plan_send(plan=draft, by=cast.director)
        assert error.value.field == "epao_name"
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        draft = save_draft(world.enrolment, cast.director, epao_name="Assessors Ltd")
        assert plan_services.plan_send(plan=draft, by=cast.director).status == Status.AWAITING


# --- integrity -----------------------------------------------------------------------------------------------


def tamper(plan):
    content = TrainingPlan.objects.get(pk=plan.pk).content
    content["commitments"]["employer"] = "We promise nothing."
    TrainingPlan.objects.filter(pk=plan.pk).update(content=content)
    plan.refresh_from_db()
    return plan


def test_content_altered_after_signing_is_detected(world, cast):
    plan = signed_plan(world, cast)
    assert plan_services.integrity_problems(plan) == []
    tamper(plan)
    problems = plan_services.integrity_problems(plan)
    assert problems and "no longer matches" in problems[0]
    assert "altered" in plan_services.training_blocker(world.enrolment)


def test_a_signature_for_different_content_is_detected(world, cast):
    plan = signed_plan(world, cast)
    PlanSignature.objects.filter(plan=plan, role=Role.EMPLOYER).update(content_hash="0" * 64)
    problems = plan_services.integrity_problems(plan)
    assert problems == ["The employer (line manager)'s signature was for different content."]


def test_an_altered_plan_cannot_be_signed(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    sign(plan, cast.apprentice)
    tamper(plan)
    with pytest.raises(ConflictError, match="no longer matches"):
        sign(plan, cast.line_manager)
    assert PlanSignature.objects.count() == 1


def test_a_minor_revision_is_invalid_when_the_version_it_rests_on_is_altered(world, cast):
    first = signed_plan(world, cast)
    world.module_run.campus_start += timedelta(days=7)
    world.module_run.save()
    second = plan_services.plan_send(
        plan=save_draft(world.enrolment, cast.director, change_summary="Campus moved"), by=cast.director
    )
    assert second.revision == TrainingPlan.Revision.MINOR
    tamper(first)
    assert plan_services.integrity_problems(second)
    assert "altered" in plan_services.training_blocker(world.enrolment)
