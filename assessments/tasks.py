"""Background work for module assessment: the daily late-feedback digest and emails to apprentices about marks.

Thin tasks on primary keys, enqueued on commit by the services; each is safe to run twice.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments import selectors
from assessments.models import FeedbackDigestSent, Mark
from core.tasks import task
from programmes.models import ModuleRun, Programme


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


@task()
def send_late_feedback_digest() -> int:
    """Once a day: each module lead hears of their submissions past the feedback due date, each programme director
    of every late one on their programmes. A person already sent today's digest is skipped."""
    today = timezone.localdate()
    late = list(selectors.late_feedback(ModuleRun.objects.all(), today=today))
    if not late:
        return 0
    by_person: dict[int, list] = defaultdict(list)
    roles: dict[int, str] = {}
    directors = defaultdict(list)
    for programme_id, user_id in Programme.directors.through.objects.values_list("programme_id", "user_id"):
        directors[programme_id].append(user_id)
    for submission in late:
        run = submission.assignment.module_run
        if run.lead_id:
            by_person[run.lead_id].append(submission)
            roles.setdefault(run.lead_id, "lead")
        for director_id in directors[run.cohort.programme_id]:
            if submission not in by_person[director_id]:
                by_person[director_id].append(submission)
            roles[director_id] = "director"
    people = User.objects.in_bulk(list(by_person))
    sent = 0
    for person_id, submissions in by_person.items():
        person = people[person_id]
        if not person.is_active:
            continue
        try:
            with transaction.atomic():
                FeedbackDigestSent.objects.create(recipient=person, sent_on=today)
                is_director = roles[person_id] == "director"
                body = render_to_string(
                    "assessments/email/late_feedback_digest.txt",
                    {
                        "person": person,
                        "submissions": submissions,
                        "today": today,
                        "is_director": is_director,
                        "link": _link("marking_overview" if is_director else "marking_queue"),
                        "window": settings.ASSIGNMENT_FEEDBACK_DAYS,
                    },
                )
                count = len(submissions)
                send_mail(
                    subject=f"Action needed: feedback on {count} assignment{'s' if count != 1 else ''} is late",
                    message=body,
                    from_email=None,
                    recipient_list=[person.email],
                )
        except IntegrityError:
            continue  # already sent today
        sent += 1
    return sent


@task()
def send_marks_released(mark_ids: list[int]) -> int:
    """Tell each apprentice that marks and feedback for a module are ready to read (one email per apprentice)."""
    marks = (
        Mark.objects.filter(pk__in=mark_ids, released_at__isnull=False)
        .select_related("submission__enrolment__apprentice", "submission__assignment__module_run__module")
        .order_by("submission__enrolment_id", "submission__assignment__number")
    )
    grouped: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        grouped[mark.submission.enrolment_id].append(mark)
    for enrolment_id, rows in grouped.items():
        apprentice = rows[0].submission.enrolment.apprentice
        module = rows[0].submission.assignment.module_run.module
        body = render_to_string(
            "assessments/email/marks_released.txt",
            {
                "person": apprentice,
                "module": module,
                "marks": rows,
                "link": _link("enrolment_modules", enrolment_id),
            },
        )
        send_mail(
            subject=f"Your marks and feedback for {module.title} are ready",
            message=body,
            from_email=None,
            recipient_list=[apprentice.email],
        )
    return len(grouped)


@task()
def send_mark_changed(mark_id: int, previous: int, reason: str) -> int:
    """Tell the apprentice that a released mark was changed, from what to what, and why."""
    mark = (
        Mark.objects.select_related(
            "submission__enrolment__apprentice", "submission__assignment__module_run__module"
        )
        .filter(pk=mark_id)
        .first()
    )
    if mark is None:
        return 0
    apprentice = mark.submission.enrolment.apprentice
    body = render_to_string(
        "assessments/email/mark_changed.txt",
        {
            "person": apprentice,
            "mark": mark,
            "previous": previous if previous >= 0 else None,
            "reason": reason,
            "link": _link("submission_detail", mark.submission_id),
        },
    )
    send_mail(
        subject=f"Your mark for {mark.submission.assignment.module_run.module.title} has changed",
        message=body,
        from_email=None,
        recipient_list=[apprentice.email],
    )
    return 1
