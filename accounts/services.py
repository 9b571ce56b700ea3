"""Writes for people: inviting someone, accepting an invitation, revoking one."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Invitation, Organisation, User
from core.errors import ActionNotAllowed, DomainError
from core.validators import CONTROL_MESSAGE, has_control_characters


def invitation_email_send(*, invitation_id: int) -> bool:
    """Email the invitation link unless it was already sent or the invitation is no longer usable.

    Safe to run twice: the row is locked and ``email_sent_at`` recorded, so a repeat sends nothing.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.email_sent_at is not None or not invitation.is_usable:
            return False
        link = settings.SITE_URL + reverse("invitation_accept", args=[invitation.token])
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"invitation": invitation, "link": link, "INSTITUTION_NAME": settings.INSTITUTION_NAME},
        )
        send_mail(
            subject=f"{settings.INSTITUTION_NAME}: you are invited to the apprenticeship platform",
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
    return True


@transaction.atomic
def invitation_send(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    job_title: str = "",
) -> Invitation:
    """Invite a person by email; creates their account (no password yet) and emails a link to set one."""
    if not roles.can_invite(invited_by):
        raise ActionNotAllowed("Only programme directors and administrators can invite people.")
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    if not email:
        raise DomainError("Enter the person's email address.", field="email")
    if not full_name:
        raise DomainError("Enter the person's full name.", field="full_name")
    for field, value in (("full_name", full_name), ("job_title", job_title)):
        if has_control_characters(value):
            raise DomainError(CONTROL_MESSAGE, field=field)

    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.has_usable_password():
        raise DomainError(
            f"{email} already has an account; they can sign in or reset their password.", field="email"
        )
    if user is None:
        user = User.objects.create_user(
            email=email, full_name=full_name, organisation=organisation, job_title=job_title
        )
    else:
        user.full_name, user.organisation, user.job_title = full_name, organisation, job_title
        user.save(update_fields=["full_name", "organisation", "job_title"])
    # A new invitation replaces any earlier one that was never used.
    Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        organisation=organisation,
        job_title=job_title,
        invited_by=invited_by,
        user=user,
        expires_at=Invitation.default_expiry(),
    )
    from accounts.tasks import send_invitation_email

    send_invitation_email.delay_on_commit(invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Accept an invitation: set the password and mark the email address verified."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise DomainError(
            f"This invitation is {invitation.state}. Ask your programme director to send a new one."
        )
    user = invitation.user
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation that has not been used."""
    if not roles.can_invite(by):
        raise ActionNotAllowed("Only programme directors and administrators can revoke invitations.")
    if invitation.accepted_at:
        raise DomainError("This invitation has already been accepted.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation
