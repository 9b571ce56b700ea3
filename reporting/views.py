"""Pages: the cohort dashboard, the cross-programme summary, exports, RAG overrides and audit packs.

Directors of a cohort's programme see every row; a practice tutor sees only their own caseload's rows; everyone
else gets a 404 (the cohort's existence is not revealed). Overrides and audit packs are the directors'.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from core.api import ID_RANGE
from core.errors import DomainError
from core.exports import streaming_csv
from core.uploads import download_response
from core.views import add_domain_error, paginate
from programmes import access
from programmes.models import Cohort, Enrolment
from reporting import dashboard_rows, exports, learner_records, selectors, services
from reporting.dashboard_charts import dashboard_charts
from reporting.forms import RAGOverrideForm
from reporting.models import RAG, AuditPackJob, RAGOverride

FILTERS = ("employer", "tutor", "status", "rag", "q", "sort")


def _cohort_scope(request, pk: int) -> tuple[Cohort, selectors.Scope, bool]:
    """The cohort, the rows this person sees on its dashboard, and whether they direct it; a 404 for others."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    director = access.is_director_of(request.user, cohort.programme)
    scope = selectors.dashboard_enrolments(request.user, cohort, director=director)
    if scope is None:
        raise Http404("No such cohort.")
    return cohort, scope, director


def _filters(request) -> dict[str, str]:
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    for key in ("employer", "tutor"):
        if not (filters[key].isascii() and filters[key].isdigit()) or int(filters[key]) > ID_RANGE[1]:
            filters[key] = ""
    if filters["status"] not in Enrolment.Status.values:
        filters["status"] = ""
    if filters["rag"] not in RAG.values:
        filters["rag"] = ""
    if filters["sort"].lstrip("-") not in selectors.SORTS:
        filters["sort"] = "rag"
    return filters


@login_required
def cohort_dashboard(request, pk: int):
    cohort, scope, is_director = _cohort_scope(request, pk)
    today = timezone.localdate()
    rows = selectors.progress_rows(scope, today=today)
    chart = selectors.charts(rows, cohort=cohort, today=today)
    filters = _filters(request)
    shown = selectors.for_page(selectors.filter_and_sort(rows, filters))
    filtered = any(filters[key] for key in ("employer", "tutor", "status", "rag", "q"))
    # Unfiltered, the rows shown are the rows the charts just counted: tell the paginator rather than count again.
    page = paginate(request, shown, per_page=50, count=None if filtered else chart.total)
    urls = dashboard_rows.url_formats()
    back = dashboard_rows.back_query(request.get_full_path())
    for row in page["page_obj"].object_list:
        row.html = dashboard_rows.render(row, urls=urls, back=back, director=is_director)  # type: ignore[attr-defined]
    return render(
        request,
        "reporting/cohort_dashboard.html",
        {
            "cohort": cohort,
            **page,
            "total": chart.total,
            "filters": filters,
            "filtered": filtered,
            "employers": chart.employers,
            "tutors": chart.tutors,
            "statuses": Enrolment.Status.choices,
            "rags": RAG.choices,
            "sorts": selectors.SORT_LABELS,
            "chart": chart,
            **dashboard_charts(chart),
            "is_director": is_director,
            "computed_at": max((row.computed_at for row in page["page_obj"].object_list), default=None),
            "today": today,
        },
    )


def _export_rows(request, scope: selectors.Scope):
    rows = selectors.filter_and_sort(selectors.progress_rows(scope), _filters(request))
    return rows.iterator(chunk_size=selectors.BATCH)


@login_required
def cohort_dashboard_csv(request, pk: int):
    cohort, scope, _director = _cohort_scope(request, pk)
    rows = _export_rows(request, scope)
    return streaming_csv(f"dashboard-{cohort.pk}.csv", exports.DASHBOARD_HEADER, exports.dashboard_rows(rows))


@login_required
def cohort_dashboard_xlsx(request, pk: int):
    cohort, scope, _director = _cohort_scope(request, pk)
    rows = _export_rows(request, scope)
    return exports.xlsx_response(
        f"dashboard-{cohort.pk}.xlsx", "Dashboard", exports.DASHBOARD_HEADER, exports.dashboard_rows(rows)
    )


@login_required
def cohort_learner_records(request, pk: int):
    cohort, scope, _director = _cohort_scope(request, pk)
    return streaming_csv(
        f"learner-records-{cohort.pk}.csv",
        exports.LEARNER_RECORD_HEADER,
        exports.learner_record_rows(learner_records.learner_records(scope.enrolments)),
    )


def _summary_scope(request) -> selectors.Scope:
    scope = selectors.summary_enrolments(request.user)
    if scope is None:
        raise PermissionDenied("The programme dashboard is for programme directors and practice tutors.")
    return scope


@login_required
def dashboard(request):
    summaries = selectors.cohort_summaries(_summary_scope(request))
    return render(
        request,
        "reporting/dashboard.html",
        {
            "summaries": summaries,
            "totals": {
                "apprentices": sum(s.apprentices for s in summaries),
                "red": sum(s.rag_counts["red"] for s in summaries),
                "amber": sum(s.rag_counts["amber"] for s in summaries),
                "green": sum(s.rag_counts["green"] for s in summaries),
            },
        },
    )


@login_required
def dashboard_learner_records(request):
    scope = _summary_scope(request)
    return streaming_csv(
        "learner-records.csv",
        exports.LEARNER_RECORD_HEADER,
        exports.learner_record_rows(learner_records.learner_records(scope.enrolments)),
    )


def _directed_enrolment(request, pk: int) -> Enrolment:
    enrolment = access.enrolment_for(request.user, pk)
    if not access.is_director_of(request.user, enrolment.programme):
        raise PermissionDenied("Only a director of the programme can do this.")
    return enrolment


def _back(request, enrolment: Enrolment) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return f"/cohorts/{enrolment.cohort_id}/dashboard/"


@login_required
@require_http_methods(["GET", "POST"])
def rag_override(request, pk: int):
    enrolment = _directed_enrolment(request, pk)
    (row,) = selectors.progress_rows(selectors.Scope(Q(pk=enrolment.pk)))
    form = RAGOverrideForm(request.POST or None, initial={"rag": row.override.rag if row.override else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.rag_override_set(
                enrolment=enrolment,
                by=request.user,
                rag=form.cleaned_data["rag"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"RAG rating for {enrolment.apprentice.full_name} saved with your reason."
            )
            return redirect(_back(request, enrolment))
    history = RAGOverride.objects.filter(enrolment=enrolment).select_related("by").order_by("-at", "-id")
    return render(
        request,
        "reporting/rag_override.html",
        {
            "enrolment": enrolment,
            "row": row,
            "form": form,
            "history": history,
            "next": _back(request, enrolment),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_pack_start(request, pk: int):
    enrolment = _directed_enrolment(request, pk)
    if request.method == "POST":
        job = services.audit_pack_start(enrolment=enrolment, by=request.user)
        return redirect("audit_pack_status", token=job.token)
    packs = AuditPackJob.objects.filter(enrolment=enrolment).select_related("requested_by")[:10]
    return render(request, "reporting/audit_pack_start.html", {"enrolment": enrolment, "packs": packs})


def _job(request, token) -> AuditPackJob:
    job = get_object_or_404(
        AuditPackJob.objects.select_related("enrolment__apprentice", "enrolment__programme"),
        token=token,
        enrolment__in=Enrolment.objects.visible_to(request.user),
    )
    if not access.is_director_of(request.user, job.enrolment.programme):
        raise PermissionDenied("Audit packs are for the programme's directors.")
    return job


@login_required
def audit_pack_status(request, token):
    job = _job(request, token)
    return render(request, "reporting/audit_pack_status.html", {"job": job, "enrolment": job.enrolment})


@login_required
def audit_pack_download(request, token):
    job = _job(request, token)
    if job.status != AuditPackJob.Status.DONE or not job.file:
        raise Http404("The audit pack is not ready.")
    return download_response(
        job.file, filename=job.file_name or "audit-pack.zip", content_type="application/zip"
    )
