"""Background work for people: thin tasks that take primary keys and call a service."""

from accounts import services
from core.tasks import task


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """Send an invitation's email once; running it again does nothing."""
    return services.invitation_email_send(invitation_id=invitation_id)
