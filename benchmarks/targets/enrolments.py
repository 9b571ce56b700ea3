"""Enrolments and programmes: lists, the sample enrolment and its forms; and their API."""

from __future__ import annotations

from benchmarks.targets.base import API, PAGE, Target

PAGES: list[Target] = [
    # Enrolments.
    Target("enrolments: director", PAGE, "director", lambda w: "/enrolments/"),
    Target("enrolments: practice tutor", PAGE, "tutor", lambda w: "/enrolments/"),
    Target("enrolments: line manager", PAGE, "line_manager", lambda w: "/enrolments/"),
    Target("enrolments: admin", PAGE, "admin", lambda w: "/enrolments/"),
    Target(
        "enrolments: director, by status",
        PAGE,
        "director",
        lambda w: "/enrolments/?status=active&sort=-start",
    ),
    Target("enrolment: director", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/"),
    Target("enrolment: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/"),
    Target("enrol form", PAGE, "director", lambda w: "/enrolments/new/"),
    Target("status form", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/status/"),
    Target("employer form", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/employer/"),
    # Programmes.
    Target("programme: director", PAGE, "director", lambda w: f"/programmes/{w.sample_programme.pk}/"),
    Target("programme: apprentice", PAGE, "apprentice", lambda w: f"/programmes/{w.sample_programme.pk}/"),
]

API_CALLS: list[Target] = [
    Target("api programmes", API, "director", lambda w: "/api/v1/programmes/"),
    Target("api programme", API, "director", lambda w: f"/api/v1/programmes/{w.sample_programme.pk}/"),
    Target("api cohorts", API, "director", lambda w: "/api/v1/cohorts/"),
    Target("api cohort", API, "director", lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/"),
    Target("api enrolments: director", API, "director", lambda w: "/api/v1/enrolments/"),
    Target("api enrolments: director, 200", API, "director", lambda w: "/api/v1/enrolments/?page_size=200"),
    Target("api enrolments: tutor", API, "tutor", lambda w: "/api/v1/enrolments/"),
    Target("api enrolment", API, "director", lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/"),
]
