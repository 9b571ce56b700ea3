"""An email backend that keeps every message in the database outbox instead of sending it."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage, EmailMultiAlternatives


class OutboxEmailBackend(BaseEmailBackend):
    """Store messages as OutboxEmail rows so a demo can read them in the admin and follow their links."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        from accounts.models import OutboxEmail

        rows = []
        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
            rows.append(
                OutboxEmail(
                    to=", ".join(message.recipients()),
                    from_email=message.from_email or "",
                    subject=message.subject,
                    body=str(message.body),
                    html_body=str(html),
                )
            )
        OutboxEmail.objects.bulk_create(rows)
        return len(rows)
