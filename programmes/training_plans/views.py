"""Pages for the tripartite commitment statement (training plan): read, draft, send, sign, versions, diff, PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError
from core.exports import attachment
from core.signatures import views as sign_page
from core.signatures.forms import SignForm
from core.views import add_domain_error, paginate
from programmes import access
from programmes.training_plans import selectors as plan_selectors
from programmes.training_plans import services as plan_services
from programmes.training_plans.forms import TrainingPlanForm
from programmes.training_plans.models import TrainingPlan
from programmes.training_plans.pdf import TrainingPlanPDF
from programmes.training_plans.signing import ROLE_LABELS, PlanDocument


def _sign_form(request, plan: TrainingPlan | None, data=None) -> SignForm | None:
    if plan is None:
        return None
    return sign_page.sign_form(request, PlanDocument(plan), ROLE_LABELS, data)


def _plan_context(request, enrolment, plan: TrainingPlan | None) -> dict:
    can_manage = access.can_manage_enrolment(request.user, enrolment)
    context = {
        "enrolment": enrolment,
        "plan": plan,
        "can_manage": can_manage,
        "draft": plan_services.draft_plan(enrolment) if can_manage else None,
    }
    if plan is not None:
        base = plan_services.signing_version(plan)
        context |= {
            "rows": plan_selectors.content_rows(plan.content),
            "signatures": base.signatures.select_related("signed_by"),
            "signatures_from": base if base.pk != plan.pk else None,
            "outstanding": plan_services.describe_outstanding(plan),
            "problems": plan_services.integrity_problems(plan),
            "version_count": enrolment.training_plans.exclude(status=TrainingPlan.Status.DRAFT).count(),
            "sign_button": f"Sign version {plan.version}",
            "sign_intro": f"By signing you confirm you have read version {plan.version} above and commit to your "
            "part of it.",
        }
    return context


@login_required
def training_plan(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    plan = plan_services.current_plan(enrolment)
    context = _plan_context(request, enrolment, plan)
    context["sign_form"] = _sign_form(request, plan)
    return render(request, "programmes/training_plan.html", context)


@login_required
def training_plan_sign(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    plan = plan_services.current_plan(enrolment)
    if plan is None:
        raise Http404("No training plan has been sent for signature.")
    if not access.plan_signing_roles(request.user, enrolment):
        raise PermissionDenied(
            "Only the apprentice, their line manager and a programme director sign this plan."
        )
    form = _sign_form(request, plan, request.POST if request.method == "POST" else None)
    if form is None:
        messages.info(request, "There is nothing for you to sign on this plan.")
        return redirect("training_plan", pk=enrolment.pk)
    status = 200
    if request.method == "POST":
        signature, status = sign_page.post_signature(
            request,
            form,
            lambda proof, origin: plan_services.plan_sign(
                plan=plan,
                by=request.user,
                proof=proof,
                ip_address=origin.ip_address,
                user_agent=origin.user_agent,
            ),
        )
        if signature is not None:
            plan.refresh_from_db()
            if plan.status == TrainingPlan.Status.SIGNED:
                messages.success(
                    request, "You signed. All three parties have now signed: the plan is in force."
                )
            else:
                messages.success(
                    request,
                    f"You signed as the {signature.get_role_display().lower()}. Still to sign: "
                    f"{plan_services.describe_outstanding(plan)}.",
                )
            return redirect("training_plan", pk=enrolment.pk)
        plan = plan_services.current_plan(enrolment) or plan
    context = _plan_context(request, enrolment, plan) | {"sign_form": form}
    return render(request, "programmes/training_plan.html", context, status=status)


def _managed_enrolment(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_manage_enrolment(request.user, enrolment):
        raise PermissionDenied("Only a director of this programme can prepare the training plan.")
    return enrolment


@login_required
def training_plan_edit(request, pk: int):
    enrolment = _managed_enrolment(request, pk)
    draft = plan_services.draft_plan(enrolment)
    current = plan_services.current_plan(enrolment)
    source = draft or current
    values = (
        plan_services.fields_from_content(source.content)
        if source
        else plan_services.fields_from_records(enrolment)
    )
    initial = plan_services.plan_fields_dict(values) | {
        "change_summary": draft.change_summary if draft else ""
    }
    form = TrainingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        summary = data.pop("change_summary")
        try:
            plan_services.plan_save_draft(
                enrolment=enrolment,
                by=request.user,
                values=plan_services.PlanFields(**data),
                change_summary=summary,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Draft saved. Check it, then send it for signature.")
            return redirect(
                "training_plan_version", pk=enrolment.pk, version=plan_services.draft_plan(enrolment).version
            )
    return render(
        request,
        "programmes/training_plan_form.html",
        {"enrolment": enrolment, "form": form, "draft": draft, "current": current},
        status=400 if form.errors else 200,
    )


@login_required
def training_plan_send(request, pk: int):
    enrolment = _managed_enrolment(request, pk)
    draft = plan_services.draft_plan(enrolment)
    if draft is None:
        messages.info(request, "There is no draft to send.")
        return redirect("training_plan", pk=enrolment.pk)
    current = plan_services.current_plan(enrolment)
    kind = plan_services.classify_change(current.content, draft.content) if current else "initial"
    error = None
    if request.method == "POST":
        try:
            plan = plan_services.plan_send(plan=draft, by=request.user)
        except DomainError as problem:
            error = problem.message
        else:
            if plan.status == TrainingPlan.Status.SIGNED:
                messages.success(request, f"Version {plan.version} is a minor revision and is in force now.")
            else:
                messages.success(
                    request,
                    f"Version {plan.version} is sent. Everyone who needs to sign has been emailed a link.",
                )
            return redirect("training_plan", pk=enrolment.pk)
    return render(
        request,
        "programmes/training_plan_send.html",
        {"enrolment": enrolment, "draft": draft, "current": current, "kind": kind, "error": error},
        status=400 if error else 200,
    )


@login_required
def training_plan_discard(request, pk: int):
    enrolment = _managed_enrolment(request, pk)
    draft = plan_services.draft_plan(enrolment)
    if draft is None:
        raise Http404("There is no draft.")
    if request.method == "POST":
        plan_services.plan_discard_draft(plan=draft, by=request.user)
        messages.success(request, f"Draft version {draft.version} discarded.")
        return redirect("training_plan", pk=enrolment.pk)
    return render(request, "programmes/training_plan_discard.html", {"enrolment": enrolment, "draft": draft})


def _version(request, enrolment, version: int) -> TrainingPlan:
    plans = enrolment.training_plans.all()
    if not access.can_manage_enrolment(request.user, enrolment):
        plans = plans.exclude(status=TrainingPlan.Status.DRAFT)
    return get_object_or_404(plans, version=version)


@login_required
def training_plan_versions(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    include_drafts = access.can_manage_enrolment(request.user, enrolment)
    versions = plan_selectors.plan_versions(enrolment, include_drafts=include_drafts)
    return render(
        request,
        "programmes/training_plan_versions.html",
        {"enrolment": enrolment, **paginate(request, versions, per_page=20)},
    )


@login_required
def training_plan_version(request, pk: int, version: int):
    enrolment = access.enrolment_for(request.user, pk)
    plan = _version(request, enrolment, version)
    context = _plan_context(request, enrolment, plan) | {"viewing_version": True}
    return render(request, "programmes/training_plan.html", context)


@login_required
def training_plan_pdf(request, pk: int, version: int):
    enrolment = access.enrolment_for(request.user, pk)
    plan = _version(request, enrolment, version)
    filename, content_type, content = TrainingPlanPDF(plan).render()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def training_plan_diff(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    versions = list(
        plan_selectors.plan_versions(
            enrolment, include_drafts=access.can_manage_enrolment(request.user, enrolment)
        )
    )
    if len(versions) < 2:
        messages.info(request, "There is only one version, so there is nothing to compare yet.")
        return redirect("training_plan", pk=enrolment.pk)
    by_number = {plan.version: plan for plan in versions}

    def pick(name: str, default: int) -> TrainingPlan:
        raw = request.GET.get(name, "")
        if raw and (not raw.isdigit() or int(raw) not in by_number):
            raise Http404("No such version.")
        return by_number[int(raw)] if raw else by_number[default]

    right = pick("to", versions[0].version)
    left = pick("from", versions[1].version if right.version == versions[0].version else versions[0].version)
    rows = plan_selectors.diff_rows(left.content, right.content)
    return render(
        request,
        "programmes/training_plan_diff.html",
        {
            "enrolment": enrolment,
            "left": left,
            "right": right,
            "rows": rows,
            "changed": sum(row.changed for row in rows),
            "versions": versions,
            "only_changes": request.GET.get("only") == "changes",
        },
    )


@login_required
def plans_awaiting(request):
    if not access.directed_programmes(request.user).exists():
        raise PermissionDenied("Only programme directors see the plans awaiting signatures.")
    sort = request.GET.get("sort", "")
    plans = plan_selectors.plans_awaiting(user=request.user, sort=sort)
    context = paginate(request, plans)
    for plan in context["page_obj"]:
        plan.waiting_days = plan_selectors.waiting_days(plan)
        plan.outstanding = plan_services.describe_outstanding(plan)
    return render(request, "programmes/plans_awaiting.html", context | {"sort": sort})
