"""Pages: enrolments (list, detail, create, lifecycle, change of employer) and programmes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.views import add_domain_error, paginate, render_form
from programmes import access, selectors, services
from programmes.forms import EmployerChangeForm, EnrolmentForm, StatusChangeForm
from programmes.models import Cohort, Enrolment


@login_required
def enrolment_list(request):
    filters = {key: request.GET.get(key, "") for key in ("status", "cohort", "employer", "q", "sort")}
    for key in ("cohort", "employer"):
        if not filters[key].isdigit():
            filters[key] = ""
    enrolments = selectors.enrolment_list(user=request.user, filters=filters)
    context = {
        **paginate(request, enrolments),
        "filters": filters,
        "statuses": Enrolment.Status.choices,
        "cohorts": access.cohorts_visible_to(request.user).select_related("programme"),
        "can_enrol": access.directed_programmes(request.user).exists(),
        "sort_options": [
            ("name", "Name"),
            ("start", "Start date"),
            ("end", "Planned end"),
            ("status", "Status"),
            ("employer", "Employer"),
        ],
    }
    return render(request, "programmes/enrolment_list.html", context)


@login_required
def enrolment_detail(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    # The training plan's card is drawn by its own template tag (programmes/training_plans/templatetags).
    return render(
        request,
        "programmes/enrolment_detail.html",
        {"enrolment": enrolment, "can_manage": access.can_manage_enrolment(request.user, enrolment)},
    )


@login_required
def enrolment_create(request):
    cohorts = Cohort.objects.filter(programme__in=access.directed_programmes(request.user)).select_related(
        "programme"
    )
    if not cohorts.exists():
        raise PermissionDenied("Only programme directors can enrol apprentices.")
    form = EnrolmentForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{enrolment.apprentice} is enrolled. Next: draft and send the training plan for signature.",
            )
            return redirect("enrolment_detail", pk=enrolment.pk)
    return render(
        request, "programmes/enrolment_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _managed_enrolment(request, pk: int) -> Enrolment:
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_manage_enrolment(request.user, enrolment):
        raise PermissionDenied("Only a director of this programme can change this enrolment.")
    return enrolment


@login_required
def enrolment_status_change(request, pk: int):
    enrolment = _managed_enrolment(request, pk)
    if not enrolment.allowed_transitions():
        messages.error(
            request, f"This enrolment is {enrolment.get_status_display().lower()}; its status is final."
        )
        return redirect("enrolment_detail", pk=pk)
    form = StatusChangeForm(
        request.POST or None, enrolment=enrolment, initial={"effective_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_change_status(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            label = Enrolment.Status(form.cleaned_data["to_status"]).label.lower()
            messages.success(request, f"{enrolment.apprentice}'s enrolment is now {label}.")
            return redirect("enrolment_detail", pk=pk)
    return render_form(
        request, "programmes/enrolment_status_form.html", {"form": form, "enrolment": enrolment}
    )


@login_required
def enrolment_employer_change(request, pk: int):
    enrolment = _managed_enrolment(request, pk)
    form = EmployerChangeForm(request.POST or None, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_change_employer(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Change of employer recorded: {form.cleaned_data['employer']} from "
                f"{form.cleaned_data['effective_on']:%d/%m/%Y}.",
            )
            return redirect("enrolment_detail", pk=pk)
    return render_form(
        request, "programmes/enrolment_employer_form.html", {"form": form, "enrolment": enrolment}
    )


@login_required
def programme_detail(request, pk: int):
    programme = selectors.programme_list(user=request.user).filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    # Staff see the cohorts they work with; apprentices and line managers see their own cohort's timetable.
    own_cohorts = access.enrolments_visible_to(request.user).values("cohort_id")
    cohorts = (
        Cohort.objects.filter(programme=programme)
        .filter(Q(pk__in=access.cohorts_visible_to(request.user).values("pk")) | Q(pk__in=own_cohorts))
        .prefetch_related("module_runs__module", "module_runs__lead")
    )
    return render(request, "programmes/programme_detail.html", {"programme": programme, "cohorts": cohorts})
