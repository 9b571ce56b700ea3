"""Module assessment: submissions, marking, module runs; and their API."""

from __future__ import annotations

from benchmarks.targets.base import API, PAGE, Target

PAGES: list[Target] = [
    # Module assessment: the sample submission is module 1's first assignment, marked and released; the module
    # lead leads module 1 in every cohort, so their queue and overview grow with the world.
    Target(
        "modules: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/modules/"
    ),
    Target("modules: director", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/modules/"),
    Target(
        "timetable .ics", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/timetable.ics"
    ),
    Target(
        "assignment submit form",
        PAGE,
        "apprentice",
        lambda w: (
            f"/enrolments/{w.sample_enrolment.pk}/assignments/{w.sample_submission.assignment_id}/submit/"
        ),
    ),
    Target("submission: apprentice", PAGE, "apprentice", lambda w: f"/submissions/{w.sample_submission.pk}/"),
    Target("submission file", PAGE, "apprentice", lambda w: f"/submissions/{w.sample_submission.pk}/file/"),
    Target(
        "submission annotated copy",
        PAGE,
        "apprentice",
        lambda w: f"/submissions/{w.sample_submission.pk}/annotated/",
    ),
    Target(
        "submission mark form", PAGE, "module_lead", lambda w: f"/submissions/{w.sample_submission.pk}/mark/"
    ),
    Target("marking queue", PAGE, "module_lead", lambda w: "/marking/"),
    Target("marking overview: director", PAGE, "director", lambda w: "/modules/marking/"),
    Target("marking overview: module lead", PAGE, "module_lead", lambda w: "/modules/marking/"),
    Target(
        "module run: module lead", PAGE, "module_lead", lambda w: f"/module-runs/{w.sample_module_run.pk}/"
    ),
    Target("module run: director", PAGE, "director", lambda w: f"/module-runs/{w.sample_module_run.pk}/"),
    Target(
        "module run release", PAGE, "module_lead", lambda w: f"/module-runs/{w.sample_module_run.pk}/release/"
    ),
    Target(
        "module run setup",
        PAGE,
        "director",
        lambda w: f"/cohorts/{w.sample_cohort.pk}/modules/{w.sample_module_run.module_id}/run/",
    ),
]

API_CALLS: list[Target] = [
    Target("api submissions: director", API, "director", lambda w: "/api/v1/submissions/"),
    Target("api submissions: module lead", API, "module_lead", lambda w: "/api/v1/submissions/"),
    Target("api submissions: apprentice", API, "apprentice", lambda w: "/api/v1/submissions/"),
    Target("api submission", API, "apprentice", lambda w: f"/api/v1/submissions/{w.sample_submission.pk}/"),
    Target(
        "api submission file",
        API,
        "apprentice",
        lambda w: f"/api/v1/submissions/{w.sample_submission.pk}/file/",
    ),
    Target(
        "api cohort module runs",
        API,
        "director",
        lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/module-runs/",
    ),
]
