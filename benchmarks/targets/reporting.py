"""Reporting: cohort and programme dashboards, exports (peak memory measured), RAG overrides, audit packs."""

from __future__ import annotations

from benchmarks.seed import World
from benchmarks.targets.base import API, PAGE, Target


def mark_stale(**scope) -> int:
    from reporting.services import progress_mark_stale

    return progress_mark_stale(**scope)


def cohort_dashboard_url(w: World) -> str:
    return f"/cohorts/{w.sample_cohort.pk}/dashboard/"


TARGETS: list[Target] = [
    # Reporting: the sample cohort has 200 apprentices at scale (2 in the query-scaling test); the director's
    # summary and learner-record export read every apprentice of their programme in batches (peak memory measured).
    Target("cohort dashboard: director", PAGE, "director", lambda w: cohort_dashboard_url(w)),
    Target(
        "cohort dashboard: director, red by OTJ",
        PAGE,
        "director",
        lambda w: f"{cohort_dashboard_url(w)}?rag=red&sort=otj",
    ),
    # The rows are snapshots (reporting.progress): the targets above read fresh ones, as every view does once
    # a day's rows are worked out; these two measure the work a write or a new day leaves for the next view.
    Target(
        "cohort dashboard: director, one row recomputed",
        PAGE,
        "director",
        lambda w: cohort_dashboard_url(w),
        before=lambda w: mark_stale(enrolment_ids=[w.sample_enrolment.pk]),
    ),
    Target(
        "cohort dashboard: director, every row recomputed",
        PAGE,
        "director",
        lambda w: cohort_dashboard_url(w),
        before=lambda w: mark_stale(cohort_ids=[w.sample_cohort.pk]),
    ),
    Target("cohort dashboard: tutor", PAGE, "tutor", lambda w: cohort_dashboard_url(w)),
    Target(
        "cohort dashboard CSV",
        PAGE,
        "director",
        lambda w: f"/cohorts/{w.sample_cohort.pk}/dashboard.csv",
        memory=True,
    ),
    Target(
        "cohort dashboard XLSX",
        PAGE,
        "director",
        lambda w: f"/cohorts/{w.sample_cohort.pk}/dashboard.xlsx",
        memory=True,
    ),
    Target(
        "cohort learner records CSV",
        PAGE,
        "director",
        lambda w: f"/cohorts/{w.sample_cohort.pk}/learner-records.csv",
        memory=True,
    ),
    Target("programme dashboard: director", PAGE, "director", lambda w: "/dashboard/", memory=True),
    Target(
        "learner records CSV: director",
        PAGE,
        "director",
        lambda w: "/dashboard/learner-records.csv",
        memory=True,
    ),
    Target("RAG override form", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/rag/"),
    Target("audit pack page", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/audit-pack/"),
    Target("audit pack status", PAGE, "director", lambda w: f"/audit-packs/{w.sample_audit_pack.token}/"),
    Target(
        "audit pack download",
        PAGE,
        "director",
        lambda w: f"/audit-packs/{w.sample_audit_pack.token}/download/",
    ),
    Target(
        "api cohort progress: director",
        API,
        "director",
        lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/progress/",
    ),
    Target(
        "api cohort progress: director, 200",
        API,
        "director",
        lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/progress/?page_size=200",
    ),
    Target(
        "api cohort progress: director, 200, every row recomputed",
        API,
        "director",
        lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/progress/?page_size=200",
        before=lambda w: mark_stale(cohort_ids=[w.sample_cohort.pk]),
    ),
    Target(
        "api cohort progress: tutor",
        API,
        "tutor",
        lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/progress/",
    ),
]
