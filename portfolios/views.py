"""Pages for portfolio evidence, tutor review, KSB coverage, the cohort heatmap, exports and share links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.uploads import download_response
from core.views import add_domain_error, paginate, render_form
from portfolios import selectors, services
from portfolios.forms import EvidenceForm, FeedbackForm, ShareForm
from portfolios.models import Evidence, EvidenceFile, PortfolioShare
from programmes import access


def _fields(data) -> services.EvidenceFields:
    return services.EvidenceFields(
        title=data["title"],
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        reflection=data["reflection"],
        ksb_ids=[k.pk for k in data["ksbs"]],
    )


def _evidence(request, pk: int) -> Evidence:
    return selectors.evidence_detail(request.user, pk)


@login_required
def portfolio(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    status = request.GET.get("status", "")
    is_apprentice = access.can_add_evidence(request.user, enrolment)
    evidence = selectors.evidence_for(enrolment, status=status, include_drafts=is_apprentice)
    coverage = selectors.ksb_coverage(enrolment)
    return render(
        request,
        "portfolios/portfolio.html",
        {
            "enrolment": enrolment,
            **paginate(request, evidence),
            "status": status,
            "statuses": Evidence.Status.choices,
            "can_add": is_apprentice and enrolment.is_live,
            "can_share": access.can_share_portfolio(request.user, enrolment),
            "coverage_percent": selectors.coverage_percent(coverage),
            "gaps": sum(row.status == "none" for row in coverage),
        },
    )


@login_required
def evidence_create(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_add_evidence(request.user, enrolment):
        raise PermissionDenied("Only the apprentice adds evidence to their portfolio.")
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        standard=enrolment.programme.standard,
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_create(
                enrolment=enrolment,
                by=request.user,
                fields=_fields(form.cleaned_data),
                files=form.cleaned_data["files"],
                submit="submit" in request.POST,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if evidence.status == Evidence.Status.SUBMITTED:
                messages.success(request, "Submitted. Your practice tutor has been asked to review it.")
            else:
                messages.success(request, "Saved as a draft. Submit it for review when it is ready.")
            return redirect("evidence_detail", pk=evidence.pk)
    return render_form(request, "portfolios/evidence_form.html", {"form": form, "enrolment": enrolment})


@login_required
def evidence_detail(request, pk: int):
    evidence = _evidence(request, pk)
    enrolment = evidence.enrolment
    is_apprentice = access.can_add_evidence(request.user, enrolment)
    feedback_form = None
    if evidence.status == Evidence.Status.SUBMITTED and access.can_review_evidence(request.user, enrolment):
        feedback_form = FeedbackForm(ksbs=evidence.current.ksbs.all())
    return render(
        request,
        "portfolios/evidence_detail.html",
        {
            "evidence": evidence,
            "enrolment": enrolment,
            "is_apprentice": is_apprentice,
            "feedback_form": feedback_form,
        },
    )


@login_required
def evidence_edit(request, pk: int):
    evidence = _evidence(request, pk)
    enrolment = evidence.enrolment
    if not access.can_add_evidence(request.user, enrolment):
        raise PermissionDenied("Only the apprentice changes their evidence.")
    if not evidence.is_editable:
        messages.info(request, "This evidence cannot be changed now.")
        return redirect("evidence_detail", pk=evidence.pk)
    current = evidence.current
    initial = {
        "title": current.title,
        "kind": current.kind,
        "occurred_on": current.occurred_on,
        "reflection": current.reflection,
        "ksbs": list(current.ksbs.all()),
    }
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        standard=enrolment.programme.standard,
        existing_files=list(current.files.all()),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # save and submit together, or neither
                services.evidence_update(
                    evidence=evidence,
                    by=request.user,
                    fields=_fields(form.cleaned_data),
                    add_files=form.cleaned_data["files"],
                    remove_file_ids=[int(pk) for pk in form.cleaned_data.get("remove_files", [])],
                )
                if "submit" in request.POST:
                    services.evidence_submit(evidence=evidence, by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Submitted for review." if "submit" in request.POST else "Changes saved."
            )
            return redirect("evidence_detail", pk=evidence.pk)
    return render_form(
        request, "portfolios/evidence_form.html", {"form": form, "enrolment": enrolment, "evidence": evidence}
    )


@login_required
@require_POST
def evidence_submit(request, pk: int):
    evidence = _evidence(request, pk)
    if not access.can_add_evidence(request.user, evidence.enrolment):
        raise PermissionDenied("Only the apprentice submits their evidence.")
    try:
        services.evidence_submit(evidence=evidence, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Submitted. Your practice tutor has been asked to review it.")
    return redirect("evidence_detail", pk=evidence.pk)


@login_required
def evidence_revise(request, pk: int):
    evidence = _evidence(request, pk)
    if not access.can_add_evidence(request.user, evidence.enrolment):
        raise PermissionDenied("Only the apprentice revises their evidence.")
    if request.method == "POST":
        try:
            services.evidence_revise(evidence=evidence, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("evidence_detail", pk=evidence.pk)
        messages.success(
            request, "A new version is ready to edit; submit it when done to return it to review."
        )
        return redirect("evidence_edit", pk=evidence.pk)
    return render(request, "portfolios/evidence_confirm.html", {"evidence": evidence, "action": "revise"})


@login_required
def evidence_delete(request, pk: int):
    evidence = _evidence(request, pk)
    enrolment = evidence.enrolment
    if not access.can_add_evidence(request.user, enrolment):
        raise PermissionDenied("Only the apprentice deletes their drafts.")
    if request.method == "POST":
        try:
            services.evidence_delete(evidence=evidence, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("evidence_detail", pk=evidence.pk)
        messages.success(request, "Draft deleted.")
        return redirect("portfolio", pk=enrolment.pk)
    return render(request, "portfolios/evidence_confirm.html", {"evidence": evidence, "action": "delete"})


@login_required
def evidence_feedback(request, pk: int):
    evidence = _evidence(request, pk)
    enrolment = evidence.enrolment
    if not access.can_review_evidence(request.user, enrolment):
        raise PermissionDenied("Only the apprentice's practice tutor reviews their evidence.")
    if evidence.status != Evidence.Status.SUBMITTED:
        messages.info(request, "This evidence is not awaiting review.")
        return redirect("evidence_detail", pk=evidence.pk)
    ksbs = list(evidence.current.ksbs.all())
    form = FeedbackForm(request.POST or None, ksbs=ksbs)
    if request.method == "POST" and form.is_valid():
        # An unanswered KSB is left to the service's default (agreed on acceptance, not when sending back).
        judgements = [
            services.Judgement(
                ksb.pk,
                agreed=form.cleaned_data[f"agree_{ksb.pk}"] == "yes",
                comment=form.cleaned_data[f"comment_{ksb.pk}"],
            )
            for ksb in ksbs
            if form.cleaned_data[f"agree_{ksb.pk}"]
        ]
        try:
            services.evidence_feedback(
                evidence=evidence,
                by=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                judgements=judgements,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Feedback recorded; the apprentice can see it now.")
            return redirect("review_queue")
    return render(
        request,
        "portfolios/evidence_detail.html",
        {"evidence": evidence, "enrolment": enrolment, "feedback_form": form},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_file(request, pk: int, file_id: int):
    visible = selectors.evidence_visible_to(request.user).filter(pk=pk)
    stored = get_object_or_404(EvidenceFile, pk=file_id, version__evidence__in=visible)
    return download_response(stored.file, filename=stored.name, content_type=stored.content_type)


@login_required
def review_queue(request):
    queue = selectors.review_queue(request.user)
    if not access.enrolments_visible_to(request.user).filter(practice_tutor=request.user).exists():
        raise PermissionDenied("The review queue is for practice tutors.")
    return render(request, "portfolios/review_queue.html", paginate(request, queue))


@login_required
def ksb_coverage(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    rows = selectors.ksb_coverage(enrolment)
    return render(
        request,
        "portfolios/ksb_coverage.html",
        {"enrolment": enrolment, "rows": rows, "percent": selectors.coverage_percent(rows)},
    )


@login_required
def cohort_heatmap(request, pk: int):
    cohort = access.cohort_for(request.user, pk)
    heatmap = selectors.cohort_heatmap(cohort, user=request.user)
    return render(request, "portfolios/cohort_heatmap.html", {"cohort": cohort, "heatmap": heatmap})


@login_required
def portfolio_export(request, pk: int):
    from portfolios.export import portfolio_zip_response

    enrolment = access.enrolment_for(request.user, pk)
    return portfolio_zip_response(enrolment)


@login_required
def portfolio_shares(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_share_portfolio(request.user, enrolment):
        raise PermissionDenied("Only the practice tutor or a programme director shares a portfolio.")
    form = ShareForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.share_create(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Link created for {created.recipient}. Copy it now and send it to them."
            )
            form = ShareForm()
    shares = enrolment.portfolio_shares.select_related("created_by")
    return render_form(
        request,
        "portfolios/shares.html",
        {"enrolment": enrolment, "form": form, "shares": shares, "created": created},
    )


@login_required
@require_POST
def portfolio_share_revoke(request, pk: int, share_id: int):
    enrolment = access.enrolment_for(request.user, pk)
    share = get_object_or_404(PortfolioShare, pk=share_id, enrolment=enrolment)
    try:
        services.share_revoke(share=share, by=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, f"The link for {share.recipient} no longer works.")
    return redirect("portfolio_shares", pk=enrolment.pk)


def _share(token: str) -> PortfolioShare:
    share = PortfolioShare.objects.select_related("enrolment__apprentice", "enrolment__programme").filter(
        token=token
    )
    found = share.first()
    if found is None or not found.is_usable:
        raise Http404("This link has expired or been withdrawn.")
    PortfolioShare.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def shared_portfolio(request, token: str):
    """The read-only portfolio an outside assessor opens from a link; no account needed, nothing can change."""
    share = _share(token)
    enrolment = share.enrolment
    evidence = selectors.evidence_for(enrolment, include_drafts=False)
    rows = selectors.ksb_coverage(enrolment)
    response = render(
        request,
        "portfolios/shared_portfolio.html",
        {"share": share, "enrolment": enrolment, "evidence": evidence, "rows": rows},
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_portfolio_download(request, token: str):
    from portfolios.export import portfolio_zip_response

    share = _share(token)
    return portfolio_zip_response(share.enrolment)
