"""An enrolment's lifecycle (enrolment_change_status) and changes of employer (enrolment_change_employer)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from core.errors import ActionNotAllowed, DomainError
from programmes import services
from programmes.models import BreakInLearning, EmploymentPeriod, Enrolment, EnrolmentStatusChange
from tests.factories import UserFactory

Status = Enrolment.Status
TODAY = date(2026, 1, 10)
START = date(2025, 9, 15)

ALLOWED = [
    (str(source), str(target)) for source, targets in Enrolment.TRANSITIONS.items() for target in targets
]
INVALID = [
    (source, target)
    for source in Status.values
    for target in Status.values
    if target not in Enrolment.TRANSITIONS[source]
]
# How to reach each status from pending through the service (each step a week apart from 1 October 2025).
ROUTE = {
    Status.PENDING: [],
    Status.ACTIVE: [Status.ACTIVE],
    Status.BREAK_IN_LEARNING: [Status.ACTIVE, Status.BREAK_IN_LEARNING],
    Status.GATEWAY: [Status.ACTIVE, Status.GATEWAY],
    Status.EPA: [Status.ACTIVE, Status.GATEWAY, Status.EPA],
    Status.COMPLETED: [Status.ACTIVE, Status.GATEWAY, Status.EPA, Status.COMPLETED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def enrolment(world, cast):
    """A pending enrolment made through the service, so it has its first status change and employment period."""
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
        start_date=START,
        planned_end_date=date(2027, 9, 13),
        contracted_weekly_hours=Decimal("37"),
    )


def _walk(enrolment, by, statuses) -> Enrolment:
    for step, status in enumerate(statuses):
        enrolment = services.enrolment_change_status(
            enrolment=enrolment,
            to_status=status,
            by=by,
            effective_on=date(2025, 10, 1) + timedelta(weeks=step),
            reason=f"Step {step}",
        )
    return enrolment


def _last_change(enrolment) -> EnrolmentStatusChange:
    return EnrolmentStatusChange.objects.filter(enrolment=enrolment).order_by("-id").first()


# --- Allowed moves -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_each_allowed_transition_moves_the_enrolment_and_records_the_step(enrolment, cast, source, target):
    enrolment = _walk(enrolment, cast.director, ROUTE[source])
    assert enrolment.status == source

    services.enrolment_change_status(
        enrolment=enrolment,
        to_status=target,
        by=cast.director,
        effective_on=date(2025, 12, 1),
        reason="Agreed at the termly review",
    )

    enrolment.refresh_from_db()
    assert enrolment.status == target
    change = _last_change(enrolment)
    assert (change.from_status, change.to_status, change.effective_on, change.reason, change.changed_by) == (
        source,
        target,
        date(2025, 12, 1),
        "Agreed at the termly review",
        cast.director,
    )


def test_the_whole_journey_to_completion_is_recorded_step_by_step(enrolment, cast):
    journey = [
        Status.ACTIVE,
        Status.BREAK_IN_LEARNING,
        Status.ACTIVE,
        Status.GATEWAY,
        Status.EPA,
        Status.COMPLETED,
    ]

    enrolment = _walk(enrolment, cast.director, journey)

    steps = list(enrolment.status_changes.order_by("id").values_list("from_status", "to_status"))
    assert steps == [
        ("", "pending"),
        ("pending", "active"),
        ("active", "break_in_learning"),
        ("break_in_learning", "active"),
        ("active", "gateway"),
        ("gateway", "epa"),
        ("epa", "completed"),
    ]
    assert enrolment.status_changes.exclude(changed_by=cast.director).count() == 0


def test_an_administrator_may_change_the_status(enrolment, cast):
    services.enrolment_change_status(
        enrolment=enrolment, to_status=Status.ACTIVE, by=cast.admin, effective_on=date(2025, 10, 1)
    )

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_the_effective_date_defaults_to_today(enrolment, cast):
    services.enrolment_change_status(enrolment=enrolment, to_status=Status.ACTIVE, by=cast.director)

    assert _last_change(enrolment).effective_on == TODAY


def test_a_change_may_take_effect_today(enrolment, cast):
    services.enrolment_change_status(
        enrolment=enrolment, to_status=Status.ACTIVE, by=cast.director, effective_on=TODAY
    )

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_a_change_may_take_effect_on_the_start_date(enrolment, cast):
    services.enrolment_change_status(
        enrolment=enrolment, to_status=Status.ACTIVE, by=cast.director, effective_on=START
    )

    assert _last_change(enrolment).effective_on == START


# --- Refused moves -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), INVALID, ids=[f"{s}->{t}" for s, t in INVALID])
def test_a_move_the_lifecycle_does_not_allow_is_refused_naming_what_is_allowed(world, cast, source, target):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=source)
    changes_before = EnrolmentStatusChange.objects.count()

    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=target,
            by=cast.director,
            effective_on=date(2025, 12, 1),
            reason="Trying anyway",
        )

    assert caught.value.field == "to_status"
    message = caught.value.message
    allowed = Enrolment.TRANSITIONS[source]
    if allowed:
        assert "can move to:" in message
        named = message.split("can move to:", 1)[1]
        for status in Status:
            assert (status.label in named) == (status in allowed), f"{status.label!r} wrongly (not) named"
    else:
        assert "final" in message
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == source
    assert EnrolmentStatusChange.objects.count() == changes_before


def test_an_unknown_status_is_refused(enrolment, cast):
    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=enrolment, to_status="graduated", by=cast.director, effective_on=date(2025, 10, 1)
        )

    assert "'graduated' is not an enrolment status" in caught.value.message
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING


@pytest.mark.parametrize("final", [Status.COMPLETED, Status.WITHDRAWN])
def test_completed_and_withdrawn_are_final(enrolment, cast, final):
    enrolment = _walk(enrolment, cast.director, ROUTE[final])
    assert enrolment.allowed_transitions() == ()

    for target in Status.values:
        with pytest.raises(DomainError, match="final"):
            services.enrolment_change_status(
                enrolment=enrolment,
                to_status=target,
                by=cast.director,
                effective_on=date(2025, 12, 1),
                reason="Reopen",
            )

    enrolment.refresh_from_db()
    assert enrolment.status == final


@pytest.mark.parametrize("target", [Status.WITHDRAWN, Status.BREAK_IN_LEARNING])
@pytest.mark.parametrize("reason", ["", "   \n "], ids=["empty", "blank"])
def test_a_withdrawal_or_a_break_needs_a_reason(world, cast, target, reason):
    changes_before = EnrolmentStatusChange.objects.count()

    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=target,
            by=cast.director,
            effective_on=date(2025, 12, 1),
            reason=reason,
        )

    assert caught.value.field == "reason"
    assert "Give a reason" in caught.value.message
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert world.enrolment.withdrawal_reason == ""
    assert world.enrolment.actual_end_date is None
    assert EnrolmentStatusChange.objects.count() == changes_before
    assert not BreakInLearning.objects.exists()


@pytest.mark.parametrize(
    "effective_on", [date(2025, 9, 14), date(2024, 1, 1)], ids=["day-before", "year-before"]
)
def test_a_change_cannot_take_effect_before_the_learning_start_date(world, cast, effective_on):
    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=Status.WITHDRAWN,
            by=cast.director,
            effective_on=effective_on,
            reason="Left",
        )

    assert caught.value.field == "effective_on"
    assert "before the learning start date" in caught.value.message
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE


@pytest.mark.parametrize("effective_on", [date(2026, 1, 11), date(2027, 1, 1)], ids=["tomorrow", "next-year"])
def test_a_change_cannot_take_effect_in_the_future(world, cast, effective_on):
    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=Status.WITHDRAWN,
            by=cast.director,
            effective_on=effective_on,
            reason="Leaving next month",
        )

    assert caught.value.field == "effective_on"
    assert "in the future" in caught.value.message
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert world.enrolment.actual_end_date is None


@pytest.mark.parametrize(
    "who", ["tutor", "line_manager", "apprentice", "other_director", "module_lead", "assessor", "other_tutor"]
)
def test_someone_who_does_not_direct_the_programme_cannot_change_the_status(world, cast, who):
    with pytest.raises(ActionNotAllowed):
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=Status.WITHDRAWN,
            by=getattr(cast, who),
            effective_on=date(2025, 12, 1),
            reason="Left",
        )

    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert not EnrolmentStatusChange.objects.filter(enrolment=world.enrolment).exists()


def test_nobody_signed_in_cannot_change_the_status(world):
    with pytest.raises(ActionNotAllowed):
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=Status.WITHDRAWN,
            by=None,
            effective_on=date(2025, 12, 1),
            reason="Left",
        )


# --- What each move does besides changing the status --------------------------------------------------------


def test_a_withdrawal_keeps_the_reason_and_sets_the_actual_end_date(world, cast):
    services.enrolment_change_status(
        enrolment=world.enrolment,
        to_status=Status.WITHDRAWN,
        by=cast.director,
        effective_on=date(2025, 12, 19),
        reason="  Moved to a job abroad  ",
    )

    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.WITHDRAWN
    assert world.enrolment.withdrawal_reason == "Moved to a job abroad"
    assert world.enrolment.actual_end_date == date(2025, 12, 19)
    assert _last_change(world.enrolment).reason == "Moved to a job abroad"


def test_going_to_gateway_sets_the_actual_end_date_of_the_practical_period(world, cast):
    services.enrolment_change_status(
        enrolment=world.enrolment, to_status=Status.GATEWAY, by=cast.director, effective_on=date(2026, 1, 5)
    )

    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.GATEWAY
    assert world.enrolment.actual_end_date == date(2026, 1, 5)


def test_becoming_active_does_not_set_an_actual_end_date(enrolment, cast):
    enrolment = _walk(enrolment, cast.director, [Status.ACTIVE])

    assert enrolment.actual_end_date is None


def test_a_break_opens_a_break_in_learning_and_returning_closes_it(world, cast):
    services.enrolment_change_status(
        enrolment=world.enrolment,
        to_status=Status.BREAK_IN_LEARNING,
        by=cast.director,
        effective_on=date(2025, 11, 3),
        reason="Maternity leave",
    )

    [gap] = BreakInLearning.objects.filter(enrolment=world.enrolment)
    assert (gap.start_date, gap.end_date, gap.reason) == (date(2025, 11, 3), None, "Maternity leave")

    services.enrolment_change_status(
        enrolment=world.enrolment, to_status=Status.ACTIVE, by=cast.director, effective_on=date(2026, 1, 5)
    )

    gap.refresh_from_db()
    assert gap.end_date == date(2026, 1, 5)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.ACTIVE
    assert BreakInLearning.objects.filter(enrolment=world.enrolment).count() == 1


def test_a_second_break_opens_a_new_break_and_closes_only_that_one(world, cast):
    steps = [
        (Status.BREAK_IN_LEARNING, date(2025, 10, 6), "Illness"),
        (Status.ACTIVE, date(2025, 10, 27), ""),
        (Status.BREAK_IN_LEARNING, date(2025, 12, 1), "Caring responsibilities"),
        (Status.ACTIVE, date(2026, 1, 5), ""),
    ]
    for status, effective_on, reason in steps:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=status,
            by=cast.director,
            effective_on=effective_on,
            reason=reason,
        )

    breaks = list(
        world.enrolment.breaks.order_by("start_date").values_list("start_date", "end_date", "reason")
    )
    assert breaks == [
        (date(2025, 10, 6), date(2025, 10, 27), "Illness"),
        (date(2025, 12, 1), date(2026, 1, 5), "Caring responsibilities"),
    ]


def test_learning_cannot_restart_before_the_break_began(world, cast):
    services.enrolment_change_status(
        enrolment=world.enrolment,
        to_status=Status.BREAK_IN_LEARNING,
        by=cast.director,
        effective_on=date(2025, 11, 3),
        reason="Illness",
    )

    with pytest.raises(DomainError) as caught:
        services.enrolment_change_status(
            enrolment=world.enrolment,
            to_status=Status.ACTIVE,
            by=cast.director,
            effective_on=date(2025, 11, 2),
        )

    assert caught.value.field == "effective_on"
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Status.BREAK_IN_LEARNING
    assert world.enrolment.breaks.get().end_date is None


def test_simple_history_keeps_a_version_for_every_change(enrolment, cast):
    counts = [enrolment.history.count()]
    for step, status in enumerate([Status.ACTIVE, Status.BREAK_IN_LEARNING, Status.ACTIVE, Status.WITHDRAWN]):
        services.enrolment_change_status(
            enrolment=enrolment,
            to_status=status,
            by=cast.director,
            effective_on=date(2025, 10, 1) + timedelta(weeks=step),
            reason="Because",
        )
        counts.append(enrolment.history.count())

    assert counts == [counts[0] + n for n in range(5)]
    statuses = list(enrolment.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses[-5:] == ["pending", "active", "break_in_learning", "active", "withdrawn"]


# --- Change of employer ----------------------------------------------------------------------------------------


@pytest.fixture
def new_manager(world):
    return UserFactory(
        email="new.manager@example.test", full_name="Nell Newmanager", organisation=world.other_employer
    )


def _period_rows(enrolment):
    return list(
        enrolment.employment_periods.order_by("start_date", "id").values_list(
            "employer__name", "line_manager__full_name", "start_date", "end_date"
        )
    )


def test_a_change_of_employer_closes_the_current_period_the_day_before_and_opens_a_new_one(
    enrolment, world, cast, new_manager
):
    period = services.enrolment_change_employer(
        enrolment=enrolment,
        employer=world.other_employer,
        line_manager=new_manager,
        effective_on=date(2025, 12, 1),
        by=cast.director,
    )

    assert (period.employer, period.line_manager, period.start_date, period.end_date) == (
        world.other_employer,
        new_manager,
        date(2025, 12, 1),
        None,
    )
    assert _period_rows(enrolment) == [
        ("Northshire County Council", "Mina Manager", START, date(2025, 11, 30)),
        ("Riverside NHS Trust", "Nell Newmanager", date(2025, 12, 1), None),
    ]
    enrolment.refresh_from_db()
    assert enrolment.employer == world.other_employer
    assert enrolment.line_manager == new_manager
    assert enrolment.apprentice.organisation == world.other_employer
    assert enrolment.status == Status.PENDING, "the learning continues; the status does not change"


def test_a_second_change_of_employer_closes_the_second_period(enrolment, world, cast, new_manager):
    services.enrolment_change_employer(
        enrolment=enrolment,
        employer=world.other_employer,
        line_manager=new_manager,
        effective_on=date(2025, 12, 1),
        by=cast.director,
    )
    services.enrolment_change_employer(
        enrolment=enrolment,
        employer=world.employer,
        line_manager=cast.line_manager,
        effective_on=date(2026, 1, 5),
        by=cast.director,
    )

    assert _period_rows(enrolment) == [
        ("Northshire County Council", "Mina Manager", START, date(2025, 11, 30)),
        ("Riverside NHS Trust", "Nell Newmanager", date(2025, 12, 1), date(2026, 1, 4)),
        ("Northshire County Council", "Mina Manager", date(2026, 1, 5), None),
    ]
    enrolment.refresh_from_db()
    assert enrolment.apprentice.organisation == world.employer


def test_a_new_line_manager_at_the_same_employer_opens_a_new_period(enrolment, world, cast):
    successor = UserFactory(full_name="Sid Successor", organisation=world.employer)

    services.enrolment_change_employer(
        enrolment=enrolment,
        employer=world.employer,
        line_manager=successor,
        effective_on=date(2025, 12, 1),
        by=cast.director,
    )

    assert [row[1] for row in _period_rows(enrolment)] == ["Mina Manager", "Sid Successor"]
    enrolment.refresh_from_db()
    assert enrolment.line_manager == successor


def test_a_line_manager_not_from_the_new_employer_is_refused(enrolment, world, cast):
    before = _period_rows(enrolment)

    with pytest.raises(DomainError) as caught:
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.other_employer,
            line_manager=cast.line_manager,
            effective_on=date(2025, 12, 1),
            by=cast.director,
        )

    assert caught.value.field == "line_manager"
    assert "Mina Manager works for Northshire County Council, not Riverside NHS Trust" in caught.value.message
    assert _period_rows(enrolment) == before
    enrolment.refresh_from_db()
    assert (enrolment.employer, enrolment.line_manager) == (world.employer, cast.line_manager)
    assert enrolment.apprentice.organisation == world.employer


@pytest.mark.parametrize("effective_on", [START, date(2025, 9, 1)], ids=["same-day", "before"])
def test_the_change_must_take_effect_after_the_current_period_began(
    enrolment, world, cast, new_manager, effective_on
):
    before = _period_rows(enrolment)

    with pytest.raises(DomainError) as caught:
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.other_employer,
            line_manager=new_manager,
            effective_on=effective_on,
            by=cast.director,
        )

    assert caught.value.field == "effective_on"
    assert "15/09/2025" in caught.value.message
    assert _period_rows(enrolment) == before
    enrolment.refresh_from_db()
    assert enrolment.employer == world.employer


def test_the_same_employer_and_line_manager_is_refused(enrolment, world, cast):
    with pytest.raises(DomainError, match="already the apprentice's employer"):
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.employer,
            line_manager=cast.line_manager,
            effective_on=date(2025, 12, 1),
            by=cast.director,
        )

    assert EmploymentPeriod.objects.filter(enrolment=enrolment).count() == 1


@pytest.mark.parametrize("final", [Status.WITHDRAWN, Status.COMPLETED])
def test_the_employer_cannot_change_once_the_enrolment_has_ended(enrolment, world, cast, new_manager, final):
    enrolment = _walk(enrolment, cast.director, ROUTE[final])
    before = _period_rows(enrolment)

    with pytest.raises(DomainError, match="has ended"):
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.other_employer,
            line_manager=new_manager,
            effective_on=date(2025, 12, 1),
            by=cast.director,
        )

    assert _period_rows(enrolment) == before
    enrolment.refresh_from_db()
    assert enrolment.employer == world.employer


@pytest.mark.parametrize("who", ["tutor", "line_manager", "apprentice", "other_director", "module_lead"])
def test_someone_who_does_not_direct_the_programme_cannot_record_a_change_of_employer(
    enrolment, world, cast, new_manager, who
):
    before = _period_rows(enrolment)

    with pytest.raises(ActionNotAllowed):
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.other_employer,
            line_manager=new_manager,
            effective_on=date(2025, 12, 1),
            by=getattr(cast, who),
        )

    assert _period_rows(enrolment) == before
    enrolment.refresh_from_db()
    assert enrolment.employer == world.employer


def test_the_apprentice_cannot_become_their_own_line_manager_on_a_change_of_employer(enrolment, world, cast):
    """enrolment_create refuses an apprentice as their own line manager; a change of employer must too."""
    with pytest.raises(DomainError):
        services.enrolment_change_employer(
            enrolment=enrolment,
            employer=world.employer,
            line_manager=enrolment.apprentice,
            effective_on=date(2025, 12, 1),
            by=cast.director,
        )

    enrolment.refresh_from_db()
    assert enrolment.line_manager == cast.line_manager
