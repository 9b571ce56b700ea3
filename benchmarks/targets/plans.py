"""The training plan (tripartite commitment statement): the sample's v2 awaits signatures, v3 is a draft."""

from __future__ import annotations

from benchmarks.seed import World
from benchmarks.targets.base import API, PAGE, Target


def plan_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/training-plan/"


PAGES: list[Target] = [
    Target("plan: apprentice", PAGE, "apprentice", lambda w: plan_url(w)),
    Target("plan: director", PAGE, "director", lambda w: plan_url(w)),
    Target("plan sign form", PAGE, "director", lambda w: f"{plan_url(w)}sign/"),
    Target("plan draft form", PAGE, "director", lambda w: f"{plan_url(w)}draft/"),
    Target("plan send", PAGE, "director", lambda w: f"{plan_url(w)}send/"),
    Target("plan discard", PAGE, "director", lambda w: f"{plan_url(w)}discard/"),
    Target("plan versions", PAGE, "director", lambda w: f"{plan_url(w)}versions/"),
    Target("plan version 1", PAGE, "apprentice", lambda w: f"{plan_url(w)}versions/1/"),
    Target("plan PDF", PAGE, "apprentice", lambda w: f"{plan_url(w)}versions/1/pdf/"),
    Target("plan compare", PAGE, "director", lambda w: f"{plan_url(w)}compare/"),
    Target("plans awaiting", PAGE, "director", lambda w: "/training-plans/awaiting/"),
]

API_CALLS: list[Target] = [
    Target("api plan", API, "apprentice", lambda w: f"/api/v1{plan_url(w)}"),
    Target("api plan versions", API, "director", lambda w: f"/api/v1{plan_url(w)}versions/"),
    Target("api plan version 1", API, "line_manager", lambda w: f"/api/v1{plan_url(w)}versions/1/"),
    Target("api plan PDF", API, "apprentice", lambda w: f"/api/v1{plan_url(w)}versions/1/pdf/"),
]
