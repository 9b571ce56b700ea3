"""Background work for training plans (programmes.training_plans.tasks): signature requests, reminders, the
integrity check, and starting enrolments whose plan is signed. Celery runs eagerly in tests; sending a plan enqueues its
requests on commit, so those tests run the captured on-commit callbacks."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from programmes import services
from programmes.models import Enrolment
from programmes.training_plans import services as plan_services
from programmes.training_plans import tasks
from programmes.training_plans.models import TrainingPlan
from tests.factories import UserFactory
from tests.programmes.training_plans.test_training_plan_rules import save_draft, sign, sign_all

NOW = datetime(2025, 10, 1, 11, 0, tzinfo=UTC)
LINK = "/enrolments/{}/training-plan/"


@pytest.fixture(autouse=True)
def _standard_minimum(world):
    world.programme.standard.otj_minimum_hours = Decimal("460")
    world.programme.standard.save()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def send(django_capture_on_commit_callbacks, cast):
    """Send a draft as the director, running what is queued on commit (the signature requests)."""

    def send(draft):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            plan = plan_services.plan_send(plan=draft, by=cast.director)
        assert len(callbacks) == 1
        plan.refresh_from_db()
        return plan

    return send


@pytest.fixture
def sent(world, cast, clock, send):
    return send(save_draft(world.enrolment, cast.director))


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- signature requests -------------------------------------------------------------------------------------


def test_sending_emails_each_signer_once(world, cast, sent, settings):
    assert recipients() == ["apprentice@example.test", "director@example.test", "manager@example.test"]
    for message in mail.outbox:
        assert message.subject.endswith("please sign the training plan for Ada Apprentice")
        assert not message.subject.startswith("Reminder")
        assert settings.SITE_URL + LINK.format(world.enrolment.pk) in message.body
        assert "Senior Leader" in message.body
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "Hello Mina Manager" in by_address["manager@example.test"]
    assert "as the line manager" in by_address["manager@example.test"]
    assert "as the programme director" in by_address["director@example.test"]
    assert sent.requests_sent_at == NOW and sent.last_reminded_at == NOW

    assert tasks.send_plan_signature_requests(sent.pk) == 0
    assert len(mail.outbox) == 3


def test_every_director_is_asked_to_sign_for_the_provider(world, cast, clock, send):
    second = UserFactory(email="deputy@example.test", full_name="Dee Deputy", organisation=world.provider)
    world.programme.directors.add(second)
    send(save_draft(world.enrolment, cast.director))
    assert recipients() == [
        "apprentice@example.test",
        "deputy@example.test",
        "director@example.test",
        "manager@example.test",
    ]


def test_no_requests_for_a_plan_that_is_no_longer_awaiting(world, cast, clock):
    plan = plan_services.plan_send(plan=save_draft(world.enrolment, cast.director), by=cast.director)
    sign_all(plan, cast)
    assert tasks.send_plan_signature_requests(plan.pk) == 0
    assert tasks.send_plan_signature_requests(10_000) == 0
    assert mail.outbox == []


def test_a_revision_asks_everyone_again(world, cast, sent, send):
    sign_all(sent, cast)
    mail.outbox.clear()
    send(
        save_draft(
            world.enrolment, cast.director, change_summary="Hours", contracted_weekly_hours=Decimal(30)
        )
    )
    assert len(mail.outbox) == 3
    assert all("Version 2: Hours" in message.body for message in mail.outbox)


# --- reminders ---------------------------------------------------------------------------------------------


def test_reminders_go_every_reminder_period_to_those_who_have_not_signed(cast, sent, clock, settings):
    settings.PLAN_REMINDER_DAYS = 7
    mail.outbox.clear()
    assert tasks.remind_unsigned_plans() == 0  # just sent

    clock.move_to(NOW + timedelta(days=3))
    sign(sent, cast.apprentice)
    assert tasks.remind_unsigned_plans() == 0

    clock.move_to(NOW + timedelta(days=7) - timedelta(minutes=1))
    assert tasks.remind_unsigned_plans() == 0
    clock.move_to(NOW + timedelta(days=7))
    assert tasks.remind_unsigned_plans() == 2
    assert recipients() == ["director@example.test", "manager@example.test"]
    for message in mail.outbox:
        assert message.subject == "Reminder: please sign the training plan for Ada Apprentice"
        assert "A reminder" in message.body and "sent on 1 October 2025" in message.body
        assert "line manager (Mina Manager) and programme director (Dana Director)" in message.body
    sent.refresh_from_db()
    assert sent.last_reminded_at == NOW + timedelta(days=7)

    clock.move_to(NOW + timedelta(days=7, hours=6))  # the beat runs every six hours
    assert tasks.remind_unsigned_plans() == 0
    clock.move_to(NOW + timedelta(days=7, hours=23))
    assert tasks.remind_unsigned_plans() == 0
    assert len(mail.outbox) == 2

    sign(sent, cast.line_manager)
    clock.move_to(NOW + timedelta(days=14))
    assert tasks.remind_unsigned_plans() == 1
    assert [message.to for message in mail.outbox[2:]] == [["director@example.test"]]

    sign(sent, cast.director)
    clock.move_to(NOW + timedelta(days=30))
    assert tasks.remind_unsigned_plans() == 0
    assert len(mail.outbox) == 3


def test_the_reminder_period_is_a_setting(sent, clock, settings):
    settings.PLAN_REMINDER_DAYS = 2
    mail.outbox.clear()
    clock.move_to(NOW + timedelta(days=1))
    assert tasks.remind_unsigned_plans() == 0
    clock.move_to(NOW + timedelta(days=2))
    assert tasks.remind_unsigned_plans() == 3


def test_superseded_and_draft_plans_get_no_reminders(world, cast, sent, clock, send):
    send(save_draft(world.enrolment, cast.director, change_summary="Support", support="New support."))
    save_draft(world.enrolment, cast.director, change_summary="Hours", contracted_weekly_hours=Decimal(30))
    assert world.enrolment.training_plans.filter(status=TrainingPlan.Status.DRAFT).exists()
    mail.outbox.clear()
    clock.move_to(NOW + timedelta(days=7))
    assert tasks.remind_unsigned_plans() == 3  # version 2 only: not the superseded version 1, not the draft
    assert all("Version 2: Support" in message.body for message in mail.outbox)


# --- integrity ---------------------------------------------------------------------------------------------


def tamper(plan):
    content = TrainingPlan.objects.get(pk=plan.pk).content
    content["commitments"]["provider"] = "We will do our best."
    TrainingPlan.objects.filter(pk=plan.pk).update(content=content)


def test_the_directors_are_told_once_about_an_altered_plan(world, cast, sent, clock):
    sign_all(sent, cast)
    mail.outbox.clear()
    assert tasks.check_plan_integrity() == 0
    assert mail.outbox == []

    tamper(sent)
    assert tasks.check_plan_integrity() == 1
    [message] = mail.outbox
    assert message.to == ["director@example.test"]
    assert message.subject == "Action needed: the training plan for Ada Apprentice has been altered"
    assert "no longer matches the hash recorded when it was sent" in message.body
    assert LINK.format(world.enrolment.pk) in message.body
    sent.refresh_from_db()
    assert sent.tamper_reported_at == NOW

    clock.move_to(NOW + timedelta(days=1))
    assert tasks.check_plan_integrity() == 0
    assert len(mail.outbox) == 1


def test_an_altered_plan_awaiting_signatures_is_reported_too(cast, sent):
    sign(sent, cast.apprentice)
    mail.outbox.clear()
    tamper(sent)
    assert tasks.check_plan_integrity() == 1
    assert [message.to for message in mail.outbox] == [["director@example.test"]]


def test_an_altered_superseded_version_is_reported(world, cast, sent, send):
    """Every version and its signatures are kept as the record (domain.md §5); the task promises to report
    "any plan whose content no longer matches its signed hash", not only the current one."""
    sign_all(sent, cast)
    second = send(
        save_draft(world.enrolment, cast.director, change_summary="Hours", contracted_weekly_hours=30)
    )
    sign_all(second, cast)
    mail.outbox.clear()
    tamper(sent)  # version 1, now superseded
    sent.refresh_from_db()
    assert plan_services.integrity_problems(sent)
    assert tasks.check_plan_integrity() == 1
    assert recipients() == ["director@example.test"]


# --- starting enrolments -----------------------------------------------------------------------------------


def test_pending_enrolments_with_a_signed_plan_start_on_their_start_date(world, cast, clock):
    def enrol(name, start):
        apprentice = UserFactory(
            email=f"{name.lower()}@example.test", full_name=f"{name} Pending", organisation=world.employer
        )
        return services.enrolment_create(
            created_by=cast.director,
            apprentice=apprentice,
            cohort=world.cohort,
            employer=world.employer,
            line_manager=cast.line_manager,
            practice_tutor=cast.tutor,
            start_date=start,
            planned_end_date=start + timedelta(weeks=104),
            contracted_weekly_hours=Decimal("37"),
        )

    signed_later = enrol("Sam", date(2025, 10, 20))
    unsigned = enrol("Uma", date(2025, 10, 20))
    plan = plan_services.plan_send(plan=save_draft(signed_later, cast.director), by=cast.director)
    for user in (signed_later.apprentice, cast.line_manager, cast.director):
        sign(plan, user)
    unsigned_plan = plan_services.plan_send(plan=save_draft(unsigned, cast.director), by=cast.director)
    sign(unsigned_plan, unsigned.apprentice)

    assert tasks.activate_signed_enrolments() == 0
    clock.move_to(datetime(2025, 10, 20, 6, 0, tzinfo=UTC))
    assert tasks.activate_signed_enrolments() == 1
    assert tasks.activate_signed_enrolments() == 0  # nothing twice

    signed_later.refresh_from_db()
    unsigned.refresh_from_db()
    assert signed_later.status == Enrolment.Status.ACTIVE
    assert unsigned.status == Enrolment.Status.PENDING
    change = signed_later.status_changes.latest("pk")
    assert change.to_status == Enrolment.Status.ACTIVE and change.effective_on == date(2025, 10, 20)
    assert change.changed_by is None
