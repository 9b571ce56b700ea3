"""Real user actions enqueue real Celery messages after commit; a real worker runs them, and running twice is safe."""

import base64
import json

import pytest
import redis
from django.conf import settings
from django.db import transaction

from accounts import services
from accounts.models import Invitation, OutboxEmail
from accounts.tasks import send_invitation_email
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "celery"


def queued_messages() -> list[dict]:
    """The messages waiting on the broker's default queue (Redis list), decoded."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(raw) for raw in client.lrange(QUEUE, 0, -1)]


def outbox_for(email: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to=email))


def test_inviting_someone_enqueues_after_commit_and_the_worker_sends_the_email(worker, client, world, cast):
    """The director invites through the page; nothing is published until commit; the worker sends the email."""
    with transaction.atomic():
        services.invitation_send(
            invited_by=cast.director,
            email="rolled.back@example.test",
            full_name="Never Invited",
            organisation=world.employer,
        )
        assert queued_messages() == [], "a task was published before the transaction committed"
        transaction.set_rollback(True)
    assert queued_messages() == [], "a rolled-back invitation still published its task"

    client.force_login(cast.director)
    response = client.post(
        "/people/invite/",
        {
            "email": "new.manager@example.test",
            "full_name": "Nadia Newmanager",
            "organisation": world.employer.pk,
            "job_title": "Head of Service",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get(email="new.manager@example.test")

    messages = queued_messages()
    assert len(messages) == 1
    assert messages[0]["headers"]["task"] == "accounts.tasks.send_invitation_email"
    # The message body is plain JSON carrying only the primary key: serialisable, and the worker reloads the row.
    args, kwargs, _embed = json.loads(base64.b64decode(messages[0]["body"]))
    assert (args, kwargs) == ([invitation.pk], {})
    assert invitation.email_sent_at is None and outbox_for("new.manager@example.test") == []

    worker.start()

    def sent():
        """the worker to record the invitation email as sent"""
        invitation.refresh_from_db()
        return invitation.email_sent_at

    wait_for(sent)
    emails = outbox_for("new.manager@example.test")
    assert len(emails) == 1
    assert invitation.token in emails[0].body
    assert OutboxEmail.objects.filter(to="rolled.back@example.test").count() == 0


def test_running_the_task_twice_on_the_worker_sends_one_email(worker, world, cast):
    worker.start()
    invitation = services.invitation_send(
        invited_by=cast.director,
        email="twice@example.test",
        full_name="Tess Twice",
        organisation=world.employer,
    )

    def sent():
        """the first run's email"""
        invitation.refresh_from_db()
        return invitation.email_sent_at

    first_sent_at = wait_for(sent)
    again = [send_invitation_email.delay(invitation.pk), send_invitation_email.delay(invitation.pk)]
    assert [result.get(timeout=30) for result in again] == [False, False]
    assert len(outbox_for("twice@example.test")) == 1
    invitation.refresh_from_db()
    assert invitation.email_sent_at == first_sent_at


def test_a_revoked_invitation_is_not_emailed_by_the_worker(worker, world, cast):
    """The task reloads the row when it runs, so a revocation between enqueue and run is respected."""
    with transaction.atomic():
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="revoked@example.test",
            full_name="Rory Revoked",
            organisation=world.employer,
        )
        services.invitation_revoke(invitation=invitation, by=cast.director)
    worker.start()
    assert send_invitation_email.delay(invitation.pk).get(timeout=30) is False
    assert outbox_for("revoked@example.test") == []
