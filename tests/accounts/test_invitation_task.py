"""The invitation email is sent by a Celery task enqueued on commit, and sending twice sends once."""

from django.core import mail

from accounts import services
from accounts.tasks import send_invitation_email


def test_invitation_email_is_sent_only_after_the_transaction_commits(
    cast, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="new.manager@example.test",
            full_name="New Manager",
            organisation=world.employer,
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body


def test_running_the_invitation_task_twice_sends_one_email(cast, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="twice@example.test",
            full_name="Twice Invited",
            organisation=world.employer,
        )
    assert send_invitation_email.delay(invitation.pk).get() is False
    assert send_invitation_email.apply(args=[invitation.pk]).get() is False
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_a_revoked_invitation_is_never_emailed(cast, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_send(
            invited_by=cast.director,
            email="revoked@example.test",
            full_name="Revoked Person",
            organisation=world.employer,
        )
    services.invitation_revoke(invitation=invitation, by=cast.director)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
