"""The off-the-job ledger, its forms and exports, the line manager's confirmations; and its API."""

from __future__ import annotations

from benchmarks.seed import World
from benchmarks.targets.base import API, PAGE, Target


def otj_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/otj/"


TARGETS: list[Target] = [
    # Off-the-job ledger: the sample enrolment has 2,000 entries; the line manager has 40 apprentices.
    Target("OTJ ledger: apprentice", PAGE, "apprentice", lambda w: otj_url(w)),
    Target(
        "OTJ ledger: tutor, September",
        PAGE,
        "tutor",
        lambda w: f"{otj_url(w)}?month=2026-09&status=confirmed",
    ),
    Target("OTJ log form", PAGE, "apprentice", lambda w: f"{otj_url(w)}new/"),
    Target("OTJ ledger CSV", PAGE, "director", lambda w: f"{otj_url(w)}export.csv"),
    Target("OTJ ledger PDF", PAGE, "director", lambda w: f"{otj_url(w)}export.pdf"),
    Target("OTJ entry", PAGE, "apprentice", lambda w: f"/otj/{w.sample_otj_entry.pk}/"),
    Target("OTJ entry edit form", PAGE, "apprentice", lambda w: f"/otj/{w.sample_otj_entry.pk}/edit/"),
    Target("OTJ entry delete", PAGE, "apprentice", lambda w: f"/otj/{w.sample_otj_entry.pk}/delete/"),
    Target("OTJ correction form", PAGE, "apprentice", lambda w: f"/otj/{w.sample_otj_entry.pk}/correction/"),
    Target("OTJ query form", PAGE, "line_manager", lambda w: f"/otj/{w.sample_otj_entry.pk}/query/"),
    Target("OTJ hours to confirm", PAGE, "line_manager", lambda w: "/otj/confirm/"),
    Target("OTJ one-click link", PAGE, None, lambda w: f"/otj/confirm/link/{w.sample_otj_token}/"),
    Target(
        "API OTJ summary", API, "apprentice", lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/otj/"
    ),
    Target("API OTJ entries: apprentice", API, "apprentice", lambda w: "/api/v1/otj-entries/"),
    Target(
        "API OTJ entries: manager, pending",
        API,
        "line_manager",
        lambda w: "/api/v1/otj-entries/?status=pending",
    ),
    Target("API OTJ entry", API, "apprentice", lambda w: f"/api/v1/otj-entries/{w.sample_otj_entry.pk}/"),
    Target("API OTJ activity types", API, "apprentice", lambda w: "/api/v1/otj-activity-types/"),
]
