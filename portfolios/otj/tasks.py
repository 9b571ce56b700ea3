"""Background work for the OTJ ledger: the line managers' weekly digest and status alerts. Thin and rerunnable."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.tasks import task
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry, OTJDigest, OTJStatusAlert
from programmes import off_the_job as otj_policy
from programmes.models import Enrolment

SEVERITY = {
    otj_selectors.COMPLETE: 0,
    otj_selectors.ON_TRACK: 0,
    otj_selectors.BEHIND: 1,
    otj_selectors.AT_RISK: 2,
}


def _week_starting(today):
    return today - timedelta(days=today.weekday())


@task()
def send_otj_digests() -> int:
    """Queue one digest per line manager with hours awaiting confirmation."""
    managers = (
        Enrolment.objects.filter(otj_entries__status=OffTheJobEntry.Status.PENDING)
        .exclude(status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED])
        .values_list("line_manager_id", flat=True)
        .distinct()
    )
    ids = sorted(set(managers))
    for manager_id in ids:
        send_otj_digest.delay_on_commit(manager_id)
    return len(ids)


@task(time_limit=300)
def send_otj_digest(manager_id: int) -> bool:
    """Email one manager their apprentices' pending entries with a one-click confirm link per apprentice.

    At most one digest per manager per week: a second run in the same week sends nothing.
    """
    manager = User.objects.filter(pk=manager_id, is_active=True).first()
    if manager is None:
        return False
    week = _week_starting(timezone.localdate())
    with transaction.atomic():
        entries = list(otj_selectors.confirmation_queue(manager))
        if not entries:
            return False
        try:
            with transaction.atomic():
                OTJDigest.objects.create(manager=manager, week_starting=week, entry_count=len(entries))
        except IntegrityError:
            return False
        by_enrolment: dict[int, list[OffTheJobEntry]] = defaultdict(list)
        for entry in entries:
            by_enrolment[entry.enrolment_id].append(entry)
        sections = []
        for group in by_enrolment.values():
            enrolment = group[0].enrolment
            token = otj_services.confirmation_link_create(manager=manager, enrolment=enrolment, entries=group)
            sections.append(
                {
                    "apprentice": enrolment.apprentice.full_name,
                    "entries": group,
                    "total": otj_policy.q(sum((entry.hours for entry in group), Decimal(0))),
                    "link": settings.SITE_URL + reverse("otj_confirm_link", args=[token]),
                }
            )
    # Sent once the digest and its links are committed, so a link in an email always exists.
    body = render_to_string(
        "portfolios/email/otj_digest.txt",
        {
            "manager": manager,
            "sections": sections,
            "count": len(entries),
            "queue": settings.SITE_URL + reverse("otj_queue"),
            "days": settings.OTJ_LINK_DAYS,
        },
    )
    people = len(sections)
    subject = (
        f"{len(entries)} off-the-job entries to confirm for {people} apprentice{'s' if people > 1 else ''}"
    )
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[manager.email])
    return True


@task(time_limit=600)
def check_otj_status() -> int:
    """Alert apprentice and tutor once when an apprentice's OTJ status worsens to behind or at risk."""
    alerted = 0
    live = (
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
        .select_related("apprentice", "practice_tutor")
        .order_by("pk")
    )
    known = dict(OTJStatusAlert.objects.values_list("enrolment_id", "status"))
    batch: list[Enrolment] = []
    for enrolment in live.iterator(chunk_size=500):
        batch.append(enrolment)
        if len(batch) == 500:
            alerted += _check_batch(batch, known)
            batch = []
    if batch:
        alerted += _check_batch(batch, known)
    return alerted


def _check_batch(enrolments: list[Enrolment], known: dict[int, str]) -> int:
    positions = otj_selectors.otj_positions(enrolments)
    alerted = 0
    for enrolment in enrolments:
        position = positions[enrolment.pk]
        before = known.get(enrolment.pk)
        if before == position.status or (before is None and SEVERITY[position.status] == 0):
            continue
        with transaction.atomic():
            OTJStatusAlert.objects.get_or_create(
                enrolment=enrolment, defaults={"status": otj_selectors.ON_TRACK}
            )
            record = OTJStatusAlert.objects.select_for_update().get(enrolment=enrolment)
            if record.status == position.status:
                continue  # another run got here first
            worse = SEVERITY[position.status] > SEVERITY.get(record.status, 0)
            record.status = position.status
            record.changed_at = timezone.now()
            if worse:
                record.alerted_at = record.changed_at
                _send_status_alert(enrolment, position)
                alerted += 1
            record.save()
    return alerted


def _send_status_alert(enrolment: Enrolment, position: otj_selectors.OTJPosition) -> None:
    link = settings.SITE_URL + reverse("otj_ledger", args=[enrolment.pk])
    for person, is_apprentice in ((enrolment.apprentice, True), (enrolment.practice_tutor, False)):
        body = render_to_string(
            "portfolios/email/otj_status.txt",
            {
                "person": person,
                "enrolment": enrolment,
                "p": position,
                "link": link,
                "is_apprentice": is_apprentice,
            },
        )
        who = "Your" if is_apprentice else f"{enrolment.apprentice.full_name}'s"
        subject = f"{who} off-the-job hours are {position.status_label.lower()}"
        transaction.on_commit(
            lambda body=body, subject=subject, to=person.email: send_mail(
                subject=subject, message=body, from_email=None, recipient_list=[to]
            )
        )
