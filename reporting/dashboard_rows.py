"""The cohort dashboard's table rows, rendered in Python.

Why not the template: with fifty rows a page, each with some forty values, links and filters, the template
engine's per-variable work was most of the page's time (measured in ``benchmarks/``). Each row is built here from
fixed markup in which every value goes through ``_e`` (the same escaping as the template's: ``& < > " '``); only
this module's own fragments are marked safe. The markup mirrors the table's header in
``templates/reporting/cohort_dashboard.html``.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core import charts
from reporting.models import ProgressSnapshot

# One reverse() per URL name rather than four per row: a placeholder id is reversed once and swapped per row.
_PLACEHOLDER = 987654321
URL_NAMES = ("enrolment_detail", "otj_ledger", "rag_override", "audit_pack_start")

ROW = (
    '<tr class="rag-row-{rag}">'
    '<th scope="row" data-label="Apprentice"><a href="{detail_url}">{name}</a><br>'
    '<small>{employer} · {tutor}</small><br><span class="status status-{status}">{status_label}</span></th>'
    '<td data-label="RAG"><span class="rag rag-{rag}">{rag_label}</span>{overridden}'
    '<ul class="reasons">{reasons}</ul></td>'
    '<td data-label="OTJ">{otj}</td>'
    '<td data-label="Reviews">Last: {last_review}<br>Next: {next_review}</td>'
    '<td data-label="Modules passed">{modules_passed} of 6</td>'
    '<td data-label="KSB coverage">{ksb_coverage}%</td>'
    '<td data-label="Awaiting signature">{awaiting}</td>'
    '<td data-label="Gateway">{gateway}{gateway_unmet}</td>'
    "{actions}"
    "</tr>"
)
OTJ = '<a href="{ledger_url}">{label}<span class="visually-hidden"> for {name}</span></a>{percent}{spark}'
ACTIONS = (
    '<td data-label="Actions"><a href="{override_url}">Override RAG<span class="visually-hidden"> for {name}'
    '</span></a><br><a href="{audit_pack_url}">Audit pack<span class="visually-hidden"> for {name}</span></a></td>'
)


def url_formats() -> dict[str, str]:
    return {name: reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}") for name in URL_NAMES}


def back_query(next_url: str) -> str:
    """The override links' ``next=`` query string, so that saving returns to this page as it was."""
    return urlencode({"next": next_url})


def day(value: date | None) -> str:
    """As the template's ``date:"j M Y"``."""
    return f"{value.day} {value:%b %Y}" if value else ""


def whole(value: Decimal | None) -> str:
    """As the template's ``floatformat:0`` (half up)."""
    return "" if value is None else str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _e(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute, as Django's ``escape``."""
    return html.escape(str(value), quote=True)


def render(row: ProgressSnapshot, *, urls: dict[str, str], back: str, director: bool) -> SafeString:
    """One ``<tr>``: the apprentice, the rating with its reasons, OTJ with a sparkline, reviews, modules, KSB
    coverage, documents awaiting signature, gateway readiness and, for a director, the actions. ``back`` is the
    override link's query string (``next=…``), encoded once per page by ``back_query``."""
    e = row.enrolment
    name = _e(e.apprentice.full_name)
    otj = "—"
    if row.otj_status:
        hours = f"{whole(row.otj_confirmed_hours) or 0} of {whole(row.otj_required_hours) or 0}"
        spark = charts.sparkline(
            [float(value) for value in row.confirmed_series],
            ceiling=float(row.otj_required_hours or 0),
            label=f"Confirmed hours over time: {hours} h",
        )
        otj = OTJ.format(
            ledger_url=_e(urls["otj_ledger"].format(e.pk)),
            label=_e(row.otj_status_label),
            name=name,
            percent=f" <small>({_e(whole(row.otj_percent))}% of expected)</small>"
            if row.otj_percent is not None
            else "",
            spark=f"<br>{spark}" if spark else "",
        )
    next_review = "not due"
    if row.next_review_due:
        next_review = (
            f'<span class="overdue">{_e(day(row.next_review_due))} (overdue)</span>'
            if row.review_overdue
            else f"<span>{_e(day(row.next_review_due))}</span>"
        )
    actions = ""
    if director:
        actions = ACTIONS.format(
            override_url=_e(f"{urls['rag_override'].format(e.pk)}?{back}"),
            audit_pack_url=_e(urls["audit_pack_start"].format(e.pk)),
            name=name,
        )
    unmet = "; ".join(row.gateway_unmet)
    return mark_safe(  # noqa: S308 - every value above and below is escaped with _e
        ROW.format(
            rag=_e(row.rag),
            detail_url=_e(urls["enrolment_detail"].format(e.pk)),
            name=name,
            employer=_e(e.employer.name),
            tutor=_e(e.practice_tutor.full_name),
            status=_e(e.status),
            status_label=_e(e.get_status_display()),
            rag_label=_e(row.rag_label),
            overridden=" <small>(set by a director)</small>" if row.override_id else "",
            reasons="".join(f"<li>{_e(reason)}</li>" for reason in row.reasons),
            otj=otj,
            last_review=_e(day(row.last_review_on) or "none yet"),
            next_review=next_review,
            modules_passed=_e(row.modules_passed),
            ksb_coverage=_e(row.ksb_coverage),
            awaiting=_e(", ".join(row.awaiting) or "None"),
            gateway=_e(row.gateway_label),
            gateway_unmet=f"<br><small>{_e(unmet)}</small>" if unmet else "",
            actions=actions,
        )
    )
