"""Pages for completion records: a record, its PDF and revocation, a cohort's bulk issue, and public verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.epa import completion
from assessments.epa.forms import (
    RevokeForm,
    VerifyUploadForm,
)
from assessments.epa.models import (
    CompletionBatch,
    CompletionRecord,
)
from assessments.epa.pdf import verify_url
from core.errors import DomainError
from core.ratelimit import over_limit
from core.uploads import download_response
from core.views import add_domain_error, render_form
from programmes import access


def verify_rate_limited(request) -> bool:
    """True once this client has made more than the allowed verification look-ups this minute."""
    return over_limit(request, scope="verify", per_minute=settings.VERIFY_RATE_LIMIT_PER_MINUTE)


# --- completion records -----------------------------------------------------------------------------------------


def _record(request, pk: int) -> CompletionRecord:
    record = (
        completion.records_visible_to(request.user)
        .select_related("enrolment__programme", "enrolment__apprentice", "issued_by", "revoked_by")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such completion record.")
    return record


@login_required
def completion_detail(request, pk: int):
    record = _record(request, pk)
    return render(
        request,
        "assessments/epa/completion_detail.html",
        {
            "record": record,
            "enrolment": record.enrolment,
            "verify_url": verify_url(record),
            "can_revoke": access.can_revoke_completion(request.user, record.enrolment)
            and record.status != CompletionRecord.Status.REVOKED,
        },
    )


@login_required
def completion_pdf(request, pk: int):
    record = _record(request, pk)
    if not record.has_pdf:
        raise Http404("The certificate is still being generated.")
    return download_response(
        record.pdf, filename=f"certificate-{record.certificate_number}.pdf", content_type="application/pdf"
    )


@login_required
def completion_revoke(request, pk: int):
    record = _record(request, pk)
    if not access.can_revoke_completion(request.user, record.enrolment):
        raise PermissionDenied("Only a director of this programme revokes completion records.")
    if record.status == CompletionRecord.Status.REVOKED:
        messages.info(request, "This record has already been revoked.")
        return redirect("completion_detail", pk=record.pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            completion.completion_revoke(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Completion record {record.certificate_number} is revoked.")
            return redirect("completion_detail", pk=record.pk)
    return render_form(request, "assessments/epa/completion_revoke.html", {"record": record, "form": form})


@login_required
def cohort_completion(request, pk: int):
    """A cohort's apprentices in EPA or completed: who is ready for a record, and bulk issue."""
    cohort = access.cohort_for(request.user, pk)
    can_issue = access.is_director_of(request.user, cohort.programme)
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied("Only a director of this programme issues completion records.")
        try:
            batch = completion.completion_bulk_start(cohort=cohort, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("cohort_completion", pk=cohort.pk)
        return redirect("completion_batch", pk=batch.pk)
    rows = completion.cohort_completion_rows(cohort, user=request.user)
    return render(
        request,
        "assessments/epa/cohort_completion.html",
        {
            "cohort": cohort,
            "rows": rows,
            "ready": sum(row.ready for row in rows),
            "can_issue": can_issue,
            "batches": list(CompletionBatch.objects.filter(cohort=cohort).select_related("started_by")[:5]),
        },
    )


@login_required
def completion_batch(request, pk: int):
    """A bulk issue's progress; the page polls ``?format=json`` until it has finished."""
    batch = get_object_or_404(
        CompletionBatch.objects.filter(cohort__in=access.cohorts_visible_to(request.user)).select_related(
            "cohort__programme", "started_by"
        ),
        pk=pk,
    )
    if not access.is_director_of(request.user, batch.cohort.programme):
        raise PermissionDenied("Only a director of this programme follows a bulk issue.")
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": batch.status,
                "done": batch.done,
                "total": batch.total,
                "percent": batch.percent,
                "failed": batch.failed,
            }
        )
    return render(request, "assessments/epa/completion_batch.html", {"batch": batch})


# --- public verification ----------------------------------------------------------------------------------------


def verify_certificate(request, code: str):
    """Anyone with the code (or the QR) sees whether a record is genuine and current; a PDF can be checked."""
    if verify_rate_limited(request):
        return render(request, "assessments/epa/verify_limited.html", status=429)
    record = completion.record_for_code(code)
    if record is None:
        raise Http404("No certificate has this verification code.")
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    match = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", "That file is far larger than any certificate; it is not the one issued.")
        else:
            match = completion.matches_issued_pdf(record, upload.chunks())
    return render_form(
        request,
        "assessments/epa/verify.html",
        {"record": record, "facts": completion.verification(record), "form": form, "match": match},
    )
