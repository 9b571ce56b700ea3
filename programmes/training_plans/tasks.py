"""Background work for training plans: thin tasks that take primary keys and call services or send email."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.tasks import task
from programmes.models import Enrolment
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import TrainingPlan


def _email_outstanding_signers(plan: TrainingPlan, *, reminder: bool) -> int:
    enrolment = plan.enrolment
    link = settings.SITE_URL + reverse("training_plan", args=[enrolment.pk])
    outstanding = plan_services.describe_outstanding(plan)
    sent = 0
    for role in plan_services.outstanding_roles(plan):
        for person in plan_services.signers_for(plan, role):
            body = render_to_string(
                "programmes/email/plan_signature.txt",
                {
                    "person": person,
                    "plan": plan,
                    "apprentice": enrolment.apprentice.full_name,
                    "programme": enrolment.programme.name,
                    "role_words": plan_services.ROLE_WORDS[role],
                    "link": link,
                    "outstanding": outstanding,
                    "reminder": reminder,
                },
            )
            subject = "Reminder: " if reminder else ""
            subject += f"please sign the training plan for {enrolment.apprentice.full_name}"
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[person.email])
            sent += 1
    return sent


@task()
def send_plan_signature_requests(plan_id: int) -> int:
    """Ask everyone whose signature is outstanding to sign; does nothing once the version is no longer awaiting."""
    with transaction.atomic():
        plan = (
            TrainingPlan.objects.select_for_update()
            .select_related("enrolment__apprentice", "enrolment__programme", "enrolment__line_manager")
            .filter(pk=plan_id, status=TrainingPlan.Status.AWAITING)
            .first()
        )
        if plan is None or plan.requests_sent_at is not None:
            return 0
        sent = _email_outstanding_signers(plan, reminder=False)
        plan.requests_sent_at = plan.last_reminded_at = timezone.now()
        plan.save(update_fields=["requests_sent_at", "last_reminded_at"])
    return sent


@task()
def remind_unsigned_plans() -> int:
    """Weekly (PLAN_REMINDER_DAYS) reminder to each outstanding signer; running it twice in a day sends nothing."""
    reminded = 0
    for plan_id in TrainingPlan.objects.filter(status=TrainingPlan.Status.AWAITING).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            plan = TrainingPlan.objects.select_for_update().get(pk=plan_id)
            if plan.status != TrainingPlan.Status.AWAITING or not plan_services.reminder_due(plan):
                continue
            reminded += _email_outstanding_signers(plan, reminder=True)
            plan.last_reminded_at = timezone.now()
            plan.save(update_fields=["last_reminded_at"])
    return reminded


@task()
def check_plan_integrity() -> int:
    """Tell the programme directors, once, about any plan whose content no longer matches its signed hash."""
    reported = 0
    # Every sent version is part of the record (superseded ones too), so every one is checked.
    current = (
        TrainingPlan.objects.exclude(status=TrainingPlan.Status.DRAFT)
        .filter(tamper_reported_at__isnull=True)
        .select_related("enrolment__programme", "enrolment__apprentice")
    )
    for plan in current.iterator():
        problems = plan_services.integrity_problems(plan)
        if not problems:
            continue
        enrolment = plan.enrolment
        link = settings.SITE_URL + reverse("training_plan", args=[enrolment.pk])
        for director in enrolment.programme.directors.all():
            body = render_to_string(
                "programmes/email/plan_tampered.txt",
                {
                    "person": director,
                    "apprentice": enrolment.apprentice.full_name,
                    "programme": enrolment.programme.name,
                    "problems": problems,
                    "link": link,
                },
            )
            send_mail(
                subject=f"Action needed: the training plan for {enrolment.apprentice.full_name} has been altered",
                message=body,
                from_email=None,
                recipient_list=[director.email],
            )
        TrainingPlan.objects.filter(pk=plan.pk).update(tamper_reported_at=timezone.now())
        reported += 1
    return reported


@task()
def activate_signed_enrolments() -> int:
    """Pending enrolments whose plan is signed become active on their start date.

    It lives with the plans, not with the enrolments, because programmes never imports the training plan.
    """
    activated = 0
    pending = Enrolment.objects.filter(
        status=Enrolment.Status.PENDING,
        start_date__lte=timezone.localdate(),
        training_plans__status=TrainingPlan.Status.SIGNED,
    ).values_list("pk", flat=True)
    for pk in pending:
        with transaction.atomic():
            enrolment = Enrolment.objects.select_for_update().get(pk=pk)
            activated += plan_services.activate_if_due(enrolment)
    return activated
