"""THE table of what the benchmarks measure. A new page or endpoint is one more line in ``TARGETS``.

Each target names who requests it (an attribute of the seeded ``World``: ``director``, ``tutor`` with a full
caseload, ``line_manager`` with a full team, ``apprentice``, ``module_lead``, ``assessor``, ``admin``; ``None``
for a signed-out visitor) and how to build its URL from the world. Pages sign in with a session, API calls
send a token, as browsers and integrations do.

``tests/test_query_scaling.py`` requests every target at N and 10×N apprentices and fails when the query count
grows, and fails when a project URL has neither a target nor an entry in ``EXCLUDED`` saying why.

The floor is ``/account/`` for the apprentice: the most trivial authenticated page (the person's own details and
roles, one EXISTS query for the roles and one for MFA; nothing that grows with the data), rendered through the
same middleware and base template as every other page. Each target's median is reported as a ratio to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.test import Client

from benchmarks.seed import World


def plan_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/training-plan/"


def portfolio_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/portfolio/"


def evidence_url(w: World, which: str = "sample_evidence") -> str:
    return f"/evidence/{getattr(w, which).pk}/"


PAGE = "page"
API = "api"


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # PAGE (session) or API (token)
    user: str | None  # a World attribute; None = signed out
    url: Callable[[World], str]
    floor: bool = False


TARGETS: list[Target] = [
    # The floor: the most trivial authenticated page.
    Target("account", PAGE, "apprentice", lambda w: "/account/", floor=True),
    # Home, for each role.
    Target("home: apprentice", PAGE, "apprentice", lambda w: "/"),
    Target("home: line manager", PAGE, "line_manager", lambda w: "/"),
    Target("home: practice tutor", PAGE, "tutor", lambda w: "/"),
    Target("home: director", PAGE, "director", lambda w: "/"),
    Target("home: module lead", PAGE, "module_lead", lambda w: "/"),
    Target("home: assessor", PAGE, "assessor", lambda w: "/"),
    Target("home: admin", PAGE, "admin", lambda w: "/"),
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
    # The training plan (tripartite commitment statement): the sample's v2 awaits signatures, v3 is a draft.
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
    # Portfolio: the sample enrolment has 18 pieces of evidence in every status; the sample evidence was
    # accepted after more work (two versions, feedback on each, a stored file).
    Target("portfolio: apprentice", PAGE, "apprentice", portfolio_url),
    Target("portfolio: practice tutor", PAGE, "tutor", portfolio_url),
    Target(
        "portfolio: director, accepted", PAGE, "director", lambda w: f"{portfolio_url(w)}?status=accepted"
    ),
    Target("evidence form", PAGE, "apprentice", lambda w: f"{portfolio_url(w)}new/"),
    Target("evidence: apprentice", PAGE, "apprentice", evidence_url),
    Target(
        "evidence: tutor, to review", PAGE, "tutor", lambda w: evidence_url(w, "sample_submitted_evidence")
    ),
    Target(
        "evidence edit form", PAGE, "apprentice", lambda w: f"{evidence_url(w, 'sample_draft_evidence')}edit/"
    ),
    Target("evidence revise", PAGE, "apprentice", lambda w: f"{evidence_url(w)}revise/"),
    Target(
        "evidence delete", PAGE, "apprentice", lambda w: f"{evidence_url(w, 'sample_draft_evidence')}delete/"
    ),
    Target(
        "evidence feedback form",
        PAGE,
        "tutor",
        lambda w: f"{evidence_url(w, 'sample_submitted_evidence')}feedback/",
    ),
    Target("evidence file", PAGE, "apprentice", lambda w: f"{evidence_url(w)}files/{w.sample_file.pk}/"),
    Target("evidence to review", PAGE, "tutor", lambda w: "/portfolio/review/"),
    Target(
        "KSB coverage", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/ksb-coverage/"
    ),
    Target(
        "KSB heatmap: director", PAGE, "director", lambda w: f"/cohorts/{w.sample_cohort.pk}/ksb-heatmap/"
    ),
    Target("portfolio ZIP", PAGE, "apprentice", lambda w: f"{portfolio_url(w)}export/"),
    Target("portfolio share links", PAGE, "tutor", lambda w: f"{portfolio_url(w)}share/"),
    Target("shared portfolio", PAGE, None, lambda w: f"/shared/portfolio/{w.sample_share.token}/"),
    Target(
        "shared portfolio ZIP", PAGE, None, lambda w: f"/shared/portfolio/{w.sample_share.token}/download/"
    ),
    # People.
    Target("invitations", PAGE, "director", lambda w: "/people/invitations/"),
    Target("invite form", PAGE, "director", lambda w: "/people/invite/"),
    Target("accept invitation", PAGE, None, lambda w: f"/invitations/{w.sample_invitation.token}/"),
    # API.
    Target("api me", API, "apprentice", lambda w: "/api/v1/me/"),
    Target("api programmes", API, "director", lambda w: "/api/v1/programmes/"),
    Target("api programme", API, "director", lambda w: f"/api/v1/programmes/{w.sample_programme.pk}/"),
    Target("api cohorts", API, "director", lambda w: "/api/v1/cohorts/"),
    Target("api cohort", API, "director", lambda w: f"/api/v1/cohorts/{w.sample_cohort.pk}/"),
    Target("api enrolments: director", API, "director", lambda w: "/api/v1/enrolments/"),
    Target("api enrolments: director, 200", API, "director", lambda w: "/api/v1/enrolments/?page_size=200"),
    Target("api enrolments: tutor", API, "tutor", lambda w: "/api/v1/enrolments/"),
    Target("api enrolment", API, "director", lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/"),
    Target("api plan", API, "apprentice", lambda w: f"/api/v1{plan_url(w)}"),
    Target("api plan versions", API, "director", lambda w: f"/api/v1{plan_url(w)}versions/"),
    Target("api plan version 1", API, "line_manager", lambda w: f"/api/v1{plan_url(w)}versions/1/"),
    Target("api plan PDF", API, "apprentice", lambda w: f"/api/v1{plan_url(w)}versions/1/pdf/"),
    Target("api evidence: apprentice", API, "apprentice", lambda w: "/api/v1/evidence/"),
    Target("api evidence: tutor", API, "tutor", lambda w: "/api/v1/evidence/"),
    Target(
        "api evidence: director, accepted", API, "director", lambda w: "/api/v1/evidence/?status=accepted"
    ),
    Target("api evidence item", API, "apprentice", lambda w: f"/api/v1{evidence_url(w)}"),
    Target("api evidence file", API, "apprentice", lambda w: f"/api/v1{evidence_url(w)}file/"),
    Target(
        "api KSB coverage",
        API,
        "director",
        lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/ksb-coverage/",
    ),
]

# Project URL names with no target, and why. Every other project URL must have a target (a test checks).
EXCLUDED: dict[str, str] = {
    "invitation_revoke": "POST only (revokes an invitation).",
    "api-token": "POST only (exchanges a password for a token; password hashing dominates by design).",
    "api-training-plan-sign": "POST only (signing checks the signer's password; hashing dominates by design).",
    "evidence_submit": "POST only (submits a draft for review).",
    "portfolio_share_revoke": "POST only (withdraws a share link).",
    "evidence-feedback": "POST only (the tutor's decision on evidence; the page's form is a target).",
}


def floor_target() -> Target:
    (floor,) = [t for t in TARGETS if t.floor]
    return floor


class DownloadingClient(Client):
    """The test client, reading streamed responses (file downloads, the portfolio ZIP) to the end as a browser
    would: the time includes sending the bytes, the file is closed, and ``response.content`` works."""

    def request(self, **request):
        response = super().request(**request)
        if not response.streaming:
            return response
        # Reading to the end closes the response inside the test client's wrapper, which keeps the database
        # connection open; closing it again here would fire request_finished and close the connection.
        body = b"".join(response.streaming_content)
        whole = HttpResponse(body, status=response.status_code)
        for header, value in response.items():
            whole[header] = value
        for attribute in ("client", "request", "wsgi_request", "resolver_match", "templates", "context"):
            setattr(whole, attribute, getattr(response, attribute, None))
        return whole


def client_for(world: World, target: Target) -> Client:
    """A client signed in as the target's person: a session for pages, a token for the API."""
    user = world.user(target.user)
    if target.kind == API:
        from rest_framework.authtoken.models import Token

        headers = {"accept": "application/json"}
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            headers["authorization"] = f"Token {token.key}"
        return DownloadingClient(headers=headers)
    client = DownloadingClient()
    if user is not None:
        client.force_login(user)
    return client
