"""Pages for the OTJ ledger: log from a phone, the ledger with chart and forecast, the manager's confirmation
queue, the one-click link from the weekly email, and exports for an auditor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import charts
from core.errors import DomainError
from core.exports import attachment, streaming_csv
from core.views import add_domain_error, paginate
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import services as otj_services
from portfolios.otj.forms import EntryForm, LedgerFilterForm, ReasonForm
from portfolios.otj.models import ConfirmationLink, OffTheJobEntry
from portfolios.otj.pdf import OTJLedgerPDF
from programmes import access
from programmes import off_the_job as otj_policy


def _entry(request, pk: int) -> OffTheJobEntry:
    visible = otj_selectors.entries_visible_to(request.user).select_related(
        "enrolment__apprentice", "enrolment__programme", "enrolment__line_manager", "activity_type"
    )
    return access.visible_or_404(visible, pk, noun="entry")


def _fields(data) -> otj_services.EntryFields:
    return otj_services.EntryFields(
        date=data["date"],
        hours=data["hours"],
        activity_type_id=data["activity_type"].pk,
        description=data["description"],
        ksb_ids=[k.pk for k in data["ksbs"]],
        module_run_id=data["module_run"].pk if data.get("module_run") else None,
        evidence_id=data["evidence"].pk if data.get("evidence") else None,
    )


def progress_chart(
    enrolment, position: otj_selectors.OTJPosition, series: list[dict[str, Any]]
) -> SafeString:
    """Cumulative confirmed and pending hours by week against the expected line and the minimum."""
    weeks = max(len(series) - 1, 1)
    required = position.required_hours
    top = max([required] + [p["with_pending"] or Decimal(0) for p in series]) * Decimal("1.05") or Decimal(1)
    step = max(int(top / 4 / 50) * 50, 50)
    return charts.line_chart(
        chart_id="otj-progress",
        title="Off-the-job hours by week",
        description=(
            f"Cumulative hours by week: {otj_policy.q(position.confirmed_hours)} confirmed and "
            f"{otj_policy.q(position.pending_hours)} pending against {otj_policy.q(position.expected_hours_to_date)} "
            f"expected by now and a minimum of {otj_policy.display(required)} by "
            f"{date_format(enrolment.planned_end_date, 'j F Y')}."
        ),
        series=[
            charts.Series(css, [(p["week"], p[key]) for p in series])
            for key, css in (
                ("expected", "expected"),
                ("with_pending", "with-pending"),
                ("confirmed", "confirmed"),
            )
        ],
        references=[charts.Series("minimum", [(0, required)])],
        y_ticks=[charts.Tick(value, str(value)) for value in range(0, int(top) + 1, step)],
        x_ticks=[charts.Tick(week, f"Week {week}") for week in range(0, weeks + 1, 26)],
        x_max=weeks,
        y_max=top,
        frame=charts.Frame(width=640, height=260, left=48, right=12, top=12, bottom=28),
    )


@login_required
def otj_ledger(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    filters = LedgerFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    entries = otj_selectors.entries_for(
        enrolment,
        month=cleaned.get("month", ""),
        status=cleaned.get("status", ""),
        activity_type=cleaned.get("activity_type", ""),
    )
    position = otj_selectors.otj_position(enrolment)
    series = otj_selectors.weekly_series(enrolment, position)
    can_log = access.can_log_otj(request.user, enrolment)
    return render(
        request,
        "portfolios/otj_ledger.html",
        {
            "enrolment": enrolment,
            "p": position,
            "chart": progress_chart(enrolment, position, series),
            "filters": filters,
            "filtered": any(cleaned.values()),
            "totals": otj_selectors.entry_totals(entries),
            **paginate(request, entries, per_page=50),
            "can_log": can_log,
            "blocker": otj_services.loggable_blocker(enrolment) if can_log else None,
            "can_confirm": access.can_confirm_otj(request.user, enrolment),
            "late_days": settings.OTJ_LATE_LOG_DAYS,
        },
    )


@login_required
def otj_entry_create(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    if not access.can_log_otj(request.user, enrolment):
        raise PermissionDenied("Only the apprentice logs their own off-the-job hours.")
    blocker = otj_services.loggable_blocker(enrolment)
    form = EntryForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and blocker is None and form.is_valid():
        try:
            entry = otj_services.otj_entry_create(
                enrolment=enrolment, by=request.user, fields=_fields(form.cleaned_data)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            note = (
                ""
                if entry.activity_type.counts_towards_otj
                else " It is recorded but does not count towards OTJ."
            )
            messages.success(
                request,
                f"Logged {entry.hours} hours on {entry.date:%-d %B}; it now awaits your line manager.{note}",
            )
            if "another" in request.POST:
                return redirect("otj_entry_create", pk=enrolment.pk)
            return redirect("otj_ledger", pk=enrolment.pk)
    return render(
        request, "portfolios/otj_entry_form.html", {"form": form, "enrolment": enrolment, "blocker": blocker}
    )


@login_required
def otj_entry_detail(request, pk: int):
    entry = _entry(request, pk)
    history = entry.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    return render(
        request,
        "portfolios/otj_entry_detail.html",
        {
            "entry": entry,
            "enrolment": entry.enrolment,
            "history": history,
            "can_log": access.can_log_otj(request.user, entry.enrolment),
            "can_confirm": access.can_confirm_otj(request.user, entry.enrolment),
        },
    )


@login_required
def otj_entry_edit(request, pk: int):
    entry = _entry(request, pk)
    if not access.can_log_otj(request.user, entry.enrolment):
        raise PermissionDenied("Only the apprentice changes their own entries.")
    if not entry.is_editable:
        messages.error(request, "A confirmed entry cannot be edited; ask for a correction instead.")
        return redirect("otj_entry_detail", pk=entry.pk)
    initial = {
        "date": entry.date,
        "hours": entry.hours,
        "activity_type": entry.activity_type,
        "description": entry.description,
        "ksbs": list(entry.ksbs.all()),
        "module_run": entry.module_run,
        "evidence": entry.evidence,
    }
    form = EntryForm(request.POST or None, initial=initial, enrolment=entry.enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            otj_services.otj_entry_update(entry=entry, by=request.user, fields=_fields(form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Entry updated; it awaits your line manager's confirmation.")
            return redirect("otj_ledger", pk=entry.enrolment_id)
    return render(
        request,
        "portfolios/otj_entry_form.html",
        {"form": form, "enrolment": entry.enrolment, "entry": entry},
    )


@login_required
def otj_entry_delete(request, pk: int):
    entry = _entry(request, pk)
    if not access.can_log_otj(request.user, entry.enrolment):
        raise PermissionDenied("Only the apprentice deletes their own entries.")
    if request.method == "POST":
        try:
            otj_services.otj_entry_delete(entry=entry, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("otj_entry_detail", pk=entry.pk)
        messages.success(request, f"Deleted the entry for {entry.date:%-d %B %Y}.")
        return redirect("otj_ledger", pk=entry.enrolment_id)
    return render(request, "portfolios/otj_entry_delete.html", {"entry": entry, "enrolment": entry.enrolment})


@login_required
def otj_entry_correction(request, pk: int):
    entry = _entry(request, pk)
    if not access.can_log_otj(request.user, entry.enrolment):
        raise PermissionDenied("Only the apprentice asks for a correction to their own entries.")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "What needs correcting?"
    if request.method == "POST" and form.is_valid():
        try:
            otj_services.otj_entry_request_correction(
                entry=entry, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "The entry is open for correction. Change it; your line manager confirms it again."
            )
            return redirect("otj_entry_edit", pk=entry.pk)
    return render(request, "portfolios/otj_entry_correction.html", {"entry": entry, "form": form})


@login_required
@require_POST
def otj_entry_confirm(request, pk: int):
    entry = _entry(request, pk)
    if not access.can_confirm_otj(request.user, entry.enrolment):
        raise PermissionDenied("Only the apprentice's line manager confirms their hours.")
    try:
        otj_services.otj_entry_confirm(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Confirmed {entry.hours} hours for {entry.enrolment.apprentice.full_name}."
        )
    if request.POST.get("next") == "ledger":
        return redirect("otj_ledger", pk=entry.enrolment_id)
    return redirect("otj_queue")


@login_required
def otj_entry_reject(request, pk: int):
    entry = _entry(request, pk)
    if not access.can_confirm_otj(request.user, entry.enrolment):
        raise PermissionDenied("Only the apprentice's line manager queries their hours.")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "What should the apprentice change?"
    if request.method == "POST" and form.is_valid():
        try:
            otj_services.otj_entry_reject(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Queried the entry; {entry.enrolment.apprentice.full_name} will see your reason."
            )
            return redirect("otj_queue")
    return render(request, "portfolios/otj_entry_reject.html", {"entry": entry, "form": form})


@login_required
def otj_queue(request):
    """The line manager's pending entries, with confirm or query for one or many at once."""
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("entries") if value.isdigit()]
        confirm = request.POST.get("action") != "reject"
        try:
            result = otj_services.otj_entries_decide(
                entry_ids=ids, by=request.user, confirm=confirm, reason=request.POST.get("reason", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            verb = "Confirmed" if confirm else "Queried"
            note = (
                f" {result.skipped} were no longer waiting and were left as they were."
                if result.skipped
                else ""
            )
            messages.success(
                request, f"{verb} {result.done} {'entry' if result.done == 1 else 'entries'}.{note}"
            )
        return redirect("otj_queue")
    entries = otj_selectors.confirmation_queue(request.user)
    page = paginate(request, entries, per_page=100)
    groups: dict[int, dict] = {}
    for entry in page["page_obj"]:
        groups.setdefault(entry.enrolment_id, {"enrolment": entry.enrolment, "entries": []})[
            "entries"
        ].append(entry)
    positions = otj_selectors.otj_positions(group["enrolment"] for group in groups.values())
    for key, group in groups.items():
        group["p"] = positions[key]
    return render(request, "portfolios/otj_queue.html", {**page, "groups": list(groups.values())})


@never_cache
def otj_confirm_link(request, token: str):
    """The one-click link from the weekly email: GET shows the entries, one POST confirms them. No sign-in."""
    try:
        link = otj_services.confirmation_link_load(token)
    except ConfirmationLink.DoesNotExist:
        raise Http404("This confirmation link is not valid.") from None
    except otj_services.LinkUnusable as error:
        return render(request, "portfolios/otj_confirm_link.html", {"problem": error.message}, status=410)
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        try:
            result = otj_services.confirmation_link_use(token=token, signed_in_as=user)
        except otj_services.LinkUnusable as error:
            return render(request, "portfolios/otj_confirm_link.html", {"problem": error.message}, status=410)
        except DomainError as error:
            return render(
                request,
                "portfolios/otj_confirm_link.html",
                {"problem": error.message},
                status=error.status_code,
            )
        return render(
            request, "portfolios/otj_confirm_link.html", {"link": link, "result": result, "done": True}
        )
    entries = list(
        link.entries.select_related("activity_type").prefetch_related("ksbs").order_by("date", "pk")
    )
    return render(
        request,
        "portfolios/otj_confirm_link.html",
        {
            "link": link,
            "entries": entries,
            "pending": [e for e in entries if e.status == OffTheJobEntry.Status.PENDING],
        },
    )


def ledger_rows(enrolment):
    entries = (
        otj_selectors.entries_for(enrolment)
        .select_related("logged_by")
        .order_by("date", "pk")
        .iterator(chunk_size=500)
    )
    for e in entries:
        yield [
            e.pk,
            e.date.isoformat(),
            f"{e.hours:.2f}",
            e.activity_type.name,
            "yes" if e.activity_type.counts_towards_otj else "no",
            e.description,
            " ".join(k.code for k in e.ksbs.all()),
            e.module_run.module.title if e.module_run else "",
            timezone.localtime(e.logged_at).isoformat(timespec="minutes"),
            "yes" if e.is_late else "no",
            e.get_status_display(),
            e.decided_by.full_name if e.decided_by else "",
            timezone.localtime(e.decided_at).isoformat(timespec="minutes") if e.decided_at else "",
            e.get_decided_via_display() if e.decided_via else "",
            e.rejection_reason,
            e.correction_reason,
        ]


LEDGER_HEADER = [
    "id",
    "date",
    "hours",
    "activity",
    "counts towards OTJ",
    "description",
    "KSBs",
    "module",
    "logged at",
    "logged late",
    "status",
    "decided by",
    "decided at",
    "decided via",
    "query reason",
    "correction reason",
]


@login_required
def otj_export_csv(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    name = f"otj-ledger-{enrolment.apprentice.full_name.lower().replace(' ', '-')}.csv"
    return streaming_csv(name, LEDGER_HEADER, ledger_rows(enrolment))


@login_required
def otj_export_pdf(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    entries = otj_selectors.entries_for(enrolment).select_related("decided_by").order_by("date", "pk")
    filename, content_type, content = OTJLedgerPDF(
        enrolment, otj_selectors.otj_position(enrolment), entries
    ).render()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(filename)
    response["Cache-Control"] = "private, no-store"
    return response
