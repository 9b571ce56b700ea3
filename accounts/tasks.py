"""Background work for people: thin tasks that take primary keys and call a service."""

from celery import shared_task

from accounts import services


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def send_invitation_email(invitation_id: int) -> bool:
    """Send an invitation's email once; running it again does nothing."""
    return services.invitation_email_send(invitation_id=invitation_id)
