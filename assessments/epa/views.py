"""Pages for gateway and the end-point assessment, up to issuing the completion record.

The completion record's own pages, bulk issue and public verification are in ``completion_views``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.epa import completion, gateway, signing
from assessments.epa import grading as epa
from assessments.epa import services as epa_services
from assessments.epa.forms import (
    AssessorForm,
    EnglishMathsForm,
    EPAEventForm,
    EPAResultForm,
    SBPAgreementForm,
    SBPSubmissionForm,
)
from assessments.epa.models import (
    CompletionRecord,
    EnglishMathsEvidence,
    EPAEvent,
    GatewaySignOff,
    LearnerOutcome,
    SBPAgreement,
    SBPSubmission,
)
from assessments.epa.signing import ROLE_LABELS, GatewayDocument
from core.errors import DomainError
from core.signatures import views as sign_page
from core.signatures.forms import SignForm
from core.uploads import download_response
from core.views import add_domain_error
from programmes import access
from programmes.models import Enrolment

# --- gateway ----------------------------------------------------------------------------------------------------


def _gateway_sign_form(request, document: GatewayDocument, data=None) -> SignForm | None:
    return sign_page.sign_form(request, document, ROLE_LABELS, data, open_only=False)


def _gateway_context(request, enrolment: Enrolment, state: gateway.Readiness | None = None) -> dict:
    signoffs = list(enrolment.gateway_signoffs.select_related("signed_by"))
    signed = {s.role for s in signoffs}
    roles = access.gateway_signing_roles(request.user, enrolment)
    return {
        "enrolment": enrolment,
        "readiness": state or gateway.readiness(enrolment),
        "checkable": enrolment.status in gateway.CHECKABLE_STATUSES,
        "signoffs": signoffs,
        "signed_roles": signed,
        "can_sign": bool([r for r in roles if r not in signed])
        and enrolment.status in gateway.CHECKABLE_STATUSES,
        "english_maths": EnglishMathsEvidence.objects.filter(enrolment=enrolment)
        .select_related("recorded_by")
        .first(),
        "sbp": SBPAgreement.objects.filter(enrolment=enrolment)
        .select_related("employer_agreed_by", "epao_agreed_by")
        .first(),
        "can_record_english_maths": access.can_record_english_maths(request.user, enrolment),
        "can_propose_sbp": access.can_propose_sbp(request.user, enrolment),
        "sbp_parties": access.can_agree_sbp_for(request.user, enrolment),
    }


@login_required
def gateway_page(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    return render(request, "assessments/epa/gateway.html", _gateway_context(request, enrolment))


@login_required
def gateway_english_maths(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_record_english_maths(request.user, enrolment):
        raise PermissionDenied("Only the practice tutor or a programme director records English and maths.")
    current = EnglishMathsEvidence.objects.filter(enrolment=enrolment).first()
    initial = {"kind": current.kind, "details": current.details} if current else {}
    form = EnglishMathsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            epa_services.english_maths_record(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "English and maths recorded.")
            return redirect("gateway", pk=enrolment.pk)
    return render(
        request,
        "assessments/epa/english_maths_form.html",
        {"enrolment": enrolment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def gateway_sbp(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_propose_sbp(request.user, enrolment):
        raise PermissionDenied("Only the apprentice proposes the SBP title and scope.")
    current = SBPAgreement.objects.filter(enrolment=enrolment).first()
    initial = {"title": current.title, "scope": current.scope} if current else {}
    form = SBPAgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            epa_services.sbp_agreement_propose(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Saved. Your line manager and the assessment organisation are asked to agree it."
            )
            return redirect("gateway", pk=enrolment.pk)
    return render(
        request,
        "assessments/epa/sbp_agreement_form.html",
        {"enrolment": enrolment, "form": form, "current": current, "max_words": SBPAgreement.MAX_SCOPE_WORDS},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def gateway_sbp_agree(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    party = request.POST.get("party", "")
    if not access.can_agree_sbp_for(request.user, enrolment):
        raise PermissionDenied("Only the line manager, the assessor or a director agrees the SBP.")
    try:
        epa_services.sbp_agreement_agree(enrolment=enrolment, by=request.user, party=party)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        who = "the employer" if party == "employer" else "the assessment organisation"
        messages.success(request, f"SBP title and scope agreed for {who}.")
    return redirect("gateway", pk=enrolment.pk)


@login_required
def gateway_sign(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.gateway_signing_roles(request.user, enrolment):
        raise PermissionDenied(
            "Only the line manager (for the employer) and a programme director (for the provider) sign off gateway."
        )
    document = GatewayDocument(enrolment)
    form = _gateway_sign_form(request, document, request.POST if request.method == "POST" else None)
    if form is None:
        messages.info(request, "You have already signed off gateway.")
        return redirect("gateway", pk=enrolment.pk)
    status = 200
    if request.method == "POST":
        signoff, status = sign_page.post_signature(
            request,
            form,
            lambda proof, origin: epa_services.gateway_sign(
                enrolment=enrolment,
                by=request.user,
                proof=proof,
                ip_address=origin.ip_address,
                user_agent=origin.user_agent,
            ),
        )
        if signoff is not None:
            return _signed_off(request, enrolment, signoff)
        enrolment.refresh_from_db()
        document = GatewayDocument(enrolment)
    context = _gateway_context(request, enrolment, document.state) | {
        "form": form,
        "statements": {
            role: signing.gateway_statement(enrolment, role)
            for role in access.gateway_signing_roles(request.user, enrolment)
        },
        "blocker": signing.gateway_blocker(enrolment, document.state),
    }
    return render(request, "assessments/epa/gateway_sign.html", context, status=status)


def _signed_off(request, enrolment: Enrolment, signoff: GatewaySignOff):
    enrolment.refresh_from_db()
    if enrolment.status == Enrolment.Status.EPA:
        messages.success(
            request, "Gateway is signed off by the employer and the provider: the EPA period has started."
        )
        return redirect("epa_detail", pk=enrolment.pk)
    messages.success(
        request, f"You signed off gateway for the {signoff.get_role_display().split(' (')[0].lower()}."
    )
    return redirect("gateway", pk=enrolment.pk)


@login_required
def cohort_gateway(request, pk: int):
    """Every visible apprentice's gateway readiness across a cohort (a director's overview)."""
    cohort = access.cohort_for(request.user, pk)
    enrolments = list(
        access.enrolments_visible_to(request.user)
        .filter(cohort=cohort, status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.GATEWAY])
        .select_related("apprentice", "programme")
        .order_by("apprentice__full_name")
    )
    states = gateway.gateway_readiness(enrolments)
    show = request.GET.get("show", "")
    rows = [(e, states[e.pk]) for e in enrolments]
    if show == "ready":
        rows = [row for row in rows if row[1].ready]
    elif show == "not_ready":
        rows = [row for row in rows if not row[1].ready]
    return render(
        request,
        "assessments/epa/cohort_gateway.html",
        {
            "cohort": cohort,
            "rows": rows,
            "items": gateway.ITEMS,
            "show": show,
            "ready_count": sum(s.ready for s in states.values()),
            "total": len(enrolments),
        },
    )


# --- the EPA ----------------------------------------------------------------------------------------------------


def _epa_context(request, enrolment: Enrolment) -> dict:
    record = epa_services.epa_for(enrolment)
    started = epa_services.epa_started_on(enrolment)
    due = epa_services.sbp_due_on(started)
    today = timezone.localdate()
    results = epa_services.visible_results(enrolment, request.user) if record else []
    submissions = list(SBPSubmission.objects.filter(epa=record)) if record else []
    events = list(EPAEvent.objects.filter(epa=record)) if record else []
    can_assess = access.can_assess(request.user, enrolment)
    completion_record = CompletionRecord.objects.filter(enrolment=enrolment).first()
    return {
        "enrolment": enrolment,
        "epa": record,
        "started_on": started,
        "sbp_due_on": due,
        "days_to_sbp": (due - today).days if due else None,
        "sbp": SBPAgreement.objects.filter(enrolment=enrolment).first(),
        "submissions": submissions,
        "events": events,
        "results": results,
        "grading": epa.grade(results),
        "unreleased": sum(r.released_at is None for r in results),
        "can_assess": can_assess,
        "can_assign": access.can_assign_assessor(request.user, enrolment)
        and enrolment.status in (Enrolment.Status.GATEWAY, Enrolment.Status.EPA),
        "can_submit": access.can_submit_sbp(request.user, enrolment)
        and enrolment.status == Enrolment.Status.EPA,
        "can_issue": access.can_issue_completion(request.user, enrolment),
        "issue_blocker": completion.completion_blocker(enrolment),
        "completion_record": completion_record,
        "learner_outcome": LearnerOutcome.objects.filter(enrolment=enrolment).first(),
        "today": today,
    }


@login_required
def epa_detail(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    return render(request, "assessments/epa/epa_detail.html", _epa_context(request, enrolment))


@login_required
def epa_assign(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_assign_assessor(request.user, enrolment):
        raise PermissionDenied("Only a director of this programme assigns the independent assessor.")
    record = epa_services.epa_for(enrolment)
    form = AssessorForm(
        request.POST or None,
        candidates=epa_services.assessor_candidates(),
        initial={"assessor": record.assessor_id} if record else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            epa_services.epa_assign_assessor(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['assessor'].full_name} is the independent assessor."
            )
            return redirect("epa_detail", pk=enrolment.pk)
    return render(
        request,
        "assessments/epa/assessor_form.html",
        {"enrolment": enrolment, "form": form, "epa": record},
        status=400 if form.errors else 200,
    )


@login_required
def epa_sbp_submit(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_submit_sbp(request.user, enrolment):
        raise PermissionDenied("Only the apprentice submits their strategic business proposal.")
    form = SBPSubmissionForm(request.POST or None, request.FILES or None, max_bytes=settings.UPLOAD_MAX_BYTES)
    if request.method == "POST" and form.is_valid():
        try:
            submission = epa_services.sbp_submit(
                enrolment=enrolment,
                by=request.user,
                upload=form.cleaned_data["file"],
                word_count=form.cleaned_data["word_count"],
                senior_signoff=form.cleaned_data["senior_signoff"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            late = " It was after the due date, so it is flagged as late." if submission.is_late else ""
            messages.success(request, f"Your strategic business proposal is submitted.{late}")
            return redirect("epa_detail", pk=enrolment.pk)
    started = epa_services.epa_started_on(enrolment)
    return render(
        request,
        "assessments/epa/sbp_submit.html",
        {"enrolment": enrolment, "form": form, "sbp_due_on": epa_services.sbp_due_on(started)},
        status=400 if form.errors else 200,
    )


@login_required
def epa_sbp_file(request, pk: int, submission_id: int):
    enrolment = access.enrolment_for(request.user, pk)
    submission = get_object_or_404(SBPSubmission, pk=submission_id, epa__enrolment=enrolment)
    return download_response(
        submission.file, filename=submission.file_name, content_type=submission.content_type
    )


@login_required
def epa_schedule(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_assess(request.user, enrolment):
        raise PermissionDenied("Only the assigned independent assessor schedules the assessment.")
    form = EPAEventForm(
        request.POST or None, initial={"kind": request.GET.get("kind", EPAEvent.Kind.PRESENTATION)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = epa_services.epa_event_schedule(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{event.get_kind_display()} scheduled.")
            return redirect("epa_detail", pk=enrolment.pk)
    return render(
        request,
        "assessments/epa/schedule_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "earliest": timezone.localdate() + epa_services.PRESENTATION_NOTICE,
        },
        status=400 if form.errors else 200,
    )


@login_required
def epa_grade(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_assess(request.user, enrolment):
        raise PermissionDenied("Only the assigned independent assessor records end-point assessment grades.")
    initial = {"assessed_on": timezone.localdate(), "method": request.GET.get("method", epa.SBP_PRESENTATION)}
    if request.GET.get("kind") in epa.KINDS:
        initial["kind"] = request.GET["kind"]
    form = EPAResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = epa_services.epa_record_result(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            capped = (
                " It counts as a pass: a re-sit or re-take is capped."
                if result.counted_grade != result.grade
                else ""
            )
            messages.success(
                request,
                f"{result.get_grade_display()} recorded for the {result.get_method_display().lower()}.{capped} "
                "Release the results when you are ready: everyone sees them at once.",
            )
            return redirect("epa_detail", pk=enrolment.pk)
    context = _epa_context(request, enrolment) | {"form": form}
    return render(request, "assessments/epa/grade_form.html", context, status=400 if form.errors else 200)


@login_required
def epa_release(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_assess(request.user, enrolment):
        raise PermissionDenied("Only the assigned independent assessor releases the results.")
    if request.method == "POST":
        try:
            count = epa_services.epa_release_results(enrolment=enrolment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"{count} grade{'s' if count != 1 else ''} released to the apprentice, line manager and director.",
            )
        return redirect("epa_detail", pk=enrolment.pk)
    return render(request, "assessments/epa/release_confirm.html", _epa_context(request, enrolment))


# --- completion records -----------------------------------------------------------------------------------------


@login_required
def completion_issue(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_issue_completion(request.user, enrolment):
        raise PermissionDenied("Only a director of this programme issues completion records.")
    existing = CompletionRecord.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return redirect("completion_detail", pk=existing.pk)
    if request.method == "POST":
        try:
            record = completion.completion_issue(enrolment=enrolment, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("epa_detail", pk=enrolment.pk)
        messages.success(
            request, f"Completion record {record.certificate_number} issued; the certificate is ready."
        )
        return redirect("completion_detail", pk=record.pk)
    return render(
        request,
        "assessments/epa/completion_issue.html",
        _epa_context(request, enrolment) | {"awards": completion.awards_for(enrolment)},
    )
