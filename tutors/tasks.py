"""Background work for progress reviews: invitations, signature requests and reminders.

Thin tasks on primary keys. Every email is recorded under the key of its occasion (``ReviewReminder``) in the
same transaction that sends it, so running a task twice — or two workers at once — sends each one once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import ics
from core.tasks import task
from programmes.models import Enrolment
from tutors import selectors, services
from tutors.models import ProgressReview, ReviewAddendum, ReviewDecline, ReviewReminder

TUTOR_REMINDER_DAYS = (14, 3)
_RELATED = (
    "enrolment__apprentice",
    "enrolment__line_manager",
    "enrolment__practice_tutor",
    "enrolment__programme",
)


def _send_once(key: str, enrolment: Enrolment, person: User, subject: str, body: str, attachment=None) -> int:
    """Send one email unless one was already sent for this occasion; 1 if sent."""
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(key=key[:200], enrolment=enrolment, sent_to=person.email)
            message = EmailMessage(subject=subject, body=body, to=[person.email])
            if attachment is not None:
                message.attach(*attachment)
            message.send()
    except IntegrityError:
        return 0
    return 1


def _link(path: str) -> str:
    return settings.SITE_URL + path


INVITATION_PRODID = "-//Tripartite//Progress reviews//EN"


def invitation_ics(review: ProgressReview, *, now: datetime | None = None, method: str = "REQUEST") -> bytes:
    """The .ics for the review's scheduled meeting, organised by the tutor, the apprentice and manager invited."""
    if review.scheduled_for is None:
        raise ValueError("The review has not been scheduled.")
    enrolment = review.enrolment
    tutor, apprentice, manager = enrolment.practice_tutor, enrolment.apprentice, enrolment.line_manager
    description = (
        f"Termly tripartite progress review {review.number} for {apprentice.full_name} "
        f"({enrolment.programme.name}) with {manager.full_name} (line manager) and {tutor.full_name} "
        f"(practice tutor)."
    )
    if review.video_link:
        description += f"\nJoin online: {review.video_link}"
    description += (
        f"\nThe review record: {_link(review.get_absolute_url())}"
        "\nTime in progress reviews is not off-the-job training."
    )
    event = ics.Event(
        uid=ics.uid(f"progress-review-{review.pk}"),
        summary=f"Progress review: {apprentice.full_name}",
        description=description,
        start=review.scheduled_for,
        end=review.scheduled_for + timedelta(minutes=review.duration_minutes),
        location=review.location or review.video_link,
        url=review.video_link,
        organiser=ics.Person(tutor.full_name, tutor.email),
        attendees=[ics.Person(p.full_name, p.email) for p in (apprentice, manager)],
        sequence=review.invite_sequence,
    )
    return ics.calendar([event], prodid=INVITATION_PRODID, now=now or timezone.now(), method=method)


def invitation_filename(review: ProgressReview) -> str:
    return f"progress-review-{review.number}.ics"


@task()
def send_review_invitation(review_id: int, sequence: int) -> int:
    """Email the apprentice and line manager (and the tutor) the meeting details with an .ics invitation."""
    review = ProgressReview.objects.select_related(*_RELATED).filter(pk=review_id).first()
    if review is None or review.scheduled_for is None or review.invite_sequence != sequence:
        return 0  # gone, or moved again since: the newer invitation is on its way
    enrolment = review.enrolment
    calendar = invitation_ics(review)
    when = timezone.localtime(review.scheduled_for).strftime("%A %-d %B %Y at %H:%M")
    sent = 0
    for person in (enrolment.apprentice, enrolment.line_manager, enrolment.practice_tutor):
        body = render_to_string(
            "tutors/email/invitation.txt",
            {
                "person": person,
                "review": review,
                "when": when,
                "apprentice": enrolment.apprentice.full_name,
                "tutor": enrolment.practice_tutor.full_name,
                "programme": enrolment.programme.name,
                "link": _link(reverse("enrolment_reviews", args=[enrolment.pk])),
            },
        )
        verb = "moved" if sequence > 1 else "invitation"
        sent += _send_once(
            f"invite:{review.pk}:{sequence}:{person.pk}",
            enrolment,
            person,
            f"Progress review {verb}: {enrolment.apprentice.full_name}, {when}",
            body,
            (invitation_filename(review), calendar, "text/calendar; method=REQUEST; charset=utf-8"),
        )
    ProgressReview.objects.filter(pk=review.pk).update(invite_sent_at=timezone.now())
    return sent


def _ask_to_sign(review: ProgressReview, addendum: ReviewAddendum | None, *, week: int) -> int:
    enrolment = review.enrolment
    what = (
        f"addendum {addendum.number} to progress review {review.number}"
        if addendum
        else f"progress review {review.number}"
    )
    content = addendum.content_hash if addendum else review.content_hash
    outstanding = services.describe_outstanding(review, addendum)
    submitted = addendum.created_at if addendum else review.submitted_at
    sent = 0
    for role in services.outstanding_roles(review, addendum):
        person = services.signer_for(enrolment, role)
        body = render_to_string(
            "tutors/email/sign.txt",
            {
                "person": person,
                "what": what,
                "apprentice": enrolment.apprentice.full_name,
                "programme": enrolment.programme.name,
                "role_words": services.ROLE_WORDS[services.Role(role)],
                "reminder": week > 0,
                "submitted_on": submitted,
                "link": _link(reverse("review_detail", args=[review.pk])),
                "outstanding": outstanding,
            },
        )
        subject = (
            "Reminder: " if week else ""
        ) + f"please sign the {what} for {enrolment.apprentice.full_name}"
        sent += _send_once(f"sign:{review.pk}:{content[:16]}:{role}:{week}", enrolment, person, subject, body)
    return sent


@task()
def send_review_signature_requests(review_id: int, addendum_id: int | None = None) -> int:
    """Ask each party who has not signed the submitted review (or addendum) to sign it."""
    review = ProgressReview.objects.select_related(*_RELATED).filter(pk=review_id).first()
    if review is None:
        return 0
    addendum = review.addenda.filter(pk=addendum_id).first() if addendum_id else None
    if addendum is None and (addendum_id or review.status != ProgressReview.Status.AWAITING):
        return 0
    return _ask_to_sign(review, addendum, week=0)


@task()
def remind_unsigned_reviews() -> int:
    """Once a week after submission, remind each party who has still not signed (each week's reminder once)."""
    now, sent = timezone.now(), 0
    for review in ProgressReview.objects.filter(status=ProgressReview.Status.AWAITING).select_related(
        *_RELATED
    ):
        week = services.reminder_week(review.submitted_at or now, now)
        if week:
            sent += _ask_to_sign(review, None, week=week)
    for addendum in ReviewAddendum.objects.filter(status=ReviewAddendum.Status.AWAITING).select_related(
        *(f"review__{name}" for name in _RELATED)
    ):
        week = services.reminder_week(addendum.created_at, now)
        if week:
            sent += _ask_to_sign(addendum.review, addendum, week=week)
    return sent


@task()
def send_review_declined(decline_id: int) -> int:
    """Tell the tutor a signer declined, with their comment."""
    decline = (
        ReviewDecline.objects.select_related("declined_by", *(f"review__{name}" for name in _RELATED))
        .filter(pk=decline_id)
        .first()
    )
    if decline is None:
        return 0
    review = decline.review
    enrolment = review.enrolment
    tutor = enrolment.practice_tutor
    body = render_to_string(
        "tutors/email/declined.txt",
        {
            "person": tutor,
            "decline": decline,
            "review": review,
            "apprentice": enrolment.apprentice.full_name,
            "role_words": services.ROLE_WORDS[services.Role(decline.role)],
            "link": _link(reverse("review_record", args=[enrolment.pk])),
        },
    )
    subject = f"Progress review {review.number} for {enrolment.apprentice.full_name} was declined"
    return _send_once(f"declined:{decline.pk}", enrolment, tutor, subject, body)


@task()
def remind_reviews_due() -> int:
    """Tell each tutor 14 and 3 days before a review is due, and once when it is overdue (daily; each once)."""
    today, sent = timezone.localdate(), 0
    enrolments = list(
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).select_related(
            "apprentice", "practice_tutor", "programme"
        )
    )
    due_dates = selectors.reviews_due(enrolments)
    scheduled = dict(
        ProgressReview.objects.filter(
            status=ProgressReview.Status.DRAFT, scheduled_for__isnull=False
        ).values_list("enrolment_id", "scheduled_for")
    )
    for enrolment in enrolments:
        _last, due = due_dates[enrolment.pk]
        if due.due_on is None:
            continue
        days = (due.due_on - today).days
        if days < 0:
            kind = "overdue"
        else:
            kind = next((f"due{limit}" for limit in sorted(TUTOR_REMINDER_DAYS) if days <= limit), "")
        if not kind:
            continue
        tutor = enrolment.practice_tutor
        body = render_to_string(
            "tutors/email/due.txt",
            {
                "person": tutor,
                "kind": kind,
                "apprentice": enrolment.apprentice.full_name,
                "due_on": due.due_on,
                "days": days,
                "explanation": due.explanation,
                "scheduled": scheduled.get(enrolment.pk),
                "link": _link(reverse("enrolment_reviews", args=[enrolment.pk])),
            },
        )
        subject = (
            f"Overdue: the progress review for {enrolment.apprentice.full_name}"
            if kind == "overdue"
            else f"Progress review due in {days} day{'s' if days != 1 else ''}: {enrolment.apprentice.full_name}"
        )
        sent += _send_once(f"{kind}:{enrolment.pk}:{due.due_on.isoformat()}", enrolment, tutor, subject, body)
    return sent
