"""Reads that aggregate or prefetch: lists for pages and the API, with a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from programmes import access
from programmes.models import KSB, Cohort, Enrolment, Module, Programme

ENROLMENT_SORTS = {
    "name": "apprentice__full_name",
    "-name": "-apprentice__full_name",
    "start": "start_date",
    "-start": "-start_date",
    "end": "planned_end_date",
    "-end": "-planned_end_date",
    "status": "status",
    "-status": "-status",
    "employer": "employer__name",
    "-employer": "-employer__name",
}


def enrolment_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Enrolment]:
    """Enrolments visible to the user, with the people and places every list shows (no N+1)."""
    filters = filters or {}
    qs = Enrolment.objects.visible_to(user).select_related(
        "apprentice", "programme", "cohort", "employer", "line_manager", "practice_tutor"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("cohort"):
        qs = qs.filter(cohort_id=filters["cohort"])
    if filters.get("programme"):
        qs = qs.filter(programme_id=filters["programme"])
    if filters.get("employer"):
        qs = qs.filter(employer_id=filters["employer"])
    if filters.get("q"):
        term = filters["q"].strip()
        qs = qs.filter(Q(apprentice__full_name__icontains=term) | Q(apprentice__email__icontains=term))
    sort = ENROLMENT_SORTS.get(filters.get("sort") or "", "apprentice__full_name")
    return qs.order_by(sort, "pk")


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return (
        access.programmes_visible_to(user)
        .select_related("standard", "provider")
        .prefetch_related(
            Prefetch("modules", queryset=Module.objects.order_by("order").prefetch_related("ksbs")),
            Prefetch("standard__ksbs", queryset=KSB.objects.order_by("order", "code")),
        )
        .order_by("name")
    )


def cohort_list(*, user: Any) -> QuerySet[Cohort]:
    return (
        access.cohorts_visible_to(user)
        .select_related("programme")
        .annotate(enrolment_count=Count("enrolments", distinct=True))
        .order_by("programme__name", "-start_date")
    )
