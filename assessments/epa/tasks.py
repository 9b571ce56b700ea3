"""Background work for the end-point assessment and completion records: thin tasks on primary keys.

Celery's autodiscovery finds them here (``assessments.epa.tasks``). Each is enqueued with
``transaction.on_commit`` and is safe to run twice: the certificate is generated once, a finished batch is left
alone, and the results email says only what is already released.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.epa import completion
from assessments.epa import services as epa_services
from assessments.epa.models import EndPointAssessment
from core.tasks import task


@task()
def generate_certificate(record_id: int) -> str:
    """Render and store a completion record's certificate PDF (once); returns its SHA-256."""
    record = completion.completion_generate_pdf(record_id=record_id)
    return record.pdf_sha256 if record is not None else ""


@task(time_limit=60 * 30, soft_time_limit=60 * 28)
def run_completion_batch(batch_id: int) -> int:
    """Issue a cohort's completion records one by one, storing progress for the page to poll."""
    batch = completion.completion_bulk_run(batch_id=batch_id)
    return batch.done if batch is not None else 0


@task()
def send_epa_results_released(epa_id: int) -> int:
    """Tell the apprentice, the line manager and the programme's directors, together, that results are out."""
    record = (
        EndPointAssessment.objects.select_related(
            "enrolment__apprentice", "enrolment__line_manager", "enrolment__programme"
        )
        .filter(pk=epa_id)
        .first()
    )
    if record is None:
        return 0
    enrolment = record.enrolment
    grading = epa_services.released_grading(enrolment)
    link = settings.SITE_URL + reverse("epa_detail", args=[enrolment.pk])
    people = [enrolment.apprentice, enrolment.line_manager, *enrolment.programme.directors.all()]
    body = render_to_string(
        "assessments/epa/email/results_released.txt",
        {"enrolment": enrolment, "grading": grading, "link": link},
    )
    subject = f"End-point assessment results for {enrolment.apprentice.full_name}"
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=sorted({person.email for person in people if person.email}),
    )
    return len(people)
