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


def otj_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/otj/"


def mark_stale(**scope) -> int:
    from reporting.services import progress_mark_stale

    return progress_mark_stale(**scope)


def cohort_dashboard_url(w: World) -> str:
    return f"/cohorts/{w.sample_cohort.pk}/dashboard/"


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
    memory: bool = False  # also report the request's peak Python memory (tracemalloc): exports must stream
    before: Callable[[World], object] | None = None  # run before every request, untimed and uncounted


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
    # Progress reviews: the sample enrolment has about a dozen signed reviews (about monthly; the last twenty weeks
    # ago, so it is overdue) and the next awaiting the apprentice's and line manager's signatures; the tutor's
    # second apprentice (enrolment 1) has no open review.
    Target("caseload", PAGE, "tutor", lambda w: "/caseload/"),
    Target(
        "caseload: overdue by coverage", PAGE, "tutor", lambda w: "/caseload/?state=overdue&sort=-coverage"
    ),
    Target("reviews overdue", PAGE, "director", lambda w: "/reviews/overdue/"),
    Target(
        "reviews: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/reviews/"
    ),
    Target(
        "review schedule form", PAGE, "tutor", lambda w: f"/enrolments/{w.enrolments[1].pk}/reviews/schedule/"
    ),
    Target(
        "review record form", PAGE, "tutor", lambda w: f"/enrolments/{w.enrolments[1].pk}/reviews/record/"
    ),
    Target(
        "review record: awaiting",
        PAGE,
        "tutor",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/reviews/record/",
    ),
    Target(
        "review: apprentice, to sign",
        PAGE,
        "apprentice",
        lambda w: f"/reviews/{w.sample_awaiting_review.pk}/",
    ),
    Target("review: tutor, signed", PAGE, "tutor", lambda w: f"/reviews/{w.sample_review.pk}/"),
    Target(
        "review sign form", PAGE, "line_manager", lambda w: f"/reviews/{w.sample_awaiting_review.pk}/sign/"
    ),
    Target(
        "review decline form",
        PAGE,
        "apprentice",
        lambda w: f"/reviews/{w.sample_awaiting_review.pk}/decline/",
    ),
    Target("review addendum form", PAGE, "tutor", lambda w: f"/reviews/{w.sample_review.pk}/addendum/"),
    Target("review PDF", PAGE, "apprentice", lambda w: f"/reviews/{w.sample_review.pk}/pdf/"),
    Target("api reviews: tutor", API, "tutor", lambda w: "/api/v1/reviews/"),
    Target("api reviews: director, 200", API, "director", lambda w: "/api/v1/reviews/?page_size=200"),
    Target("api review", API, "apprentice", lambda w: f"/api/v1/reviews/{w.sample_review.pk}/"),
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
    Target(
        "api KSB coverage",
        API,
        "director",
        lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/ksb-coverage/",
    ),
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
    # Gateway, EPA and completion (benchmarks/seed_epa.py): the sample enrolment is active; the sample EPA
    # enrolment is assessed by the first assessor; the administrator acts for the provider on other programmes.
    Target("gateway: director", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/"),
    Target(
        "gateway: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/"
    ),
    Target(
        "gateway English and maths form",
        PAGE,
        "director",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/english-maths/",
    ),
    Target(
        "gateway SBP form", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/sbp/"
    ),
    Target(
        "gateway sign form",
        PAGE,
        "line_manager",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/sign/",
    ),
    Target("cohort gateway", PAGE, "director", lambda w: f"/cohorts/{w.sample_cohort.pk}/gateway/"),
    Target("EPA: assessor", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target("EPA: admin", PAGE, "admin", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target(
        "EPA assessor form", PAGE, "admin", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/assessor/"
    ),
    Target("EPA SBP form", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/epa/sbp/"),
    Target(
        "EPA SBP file",
        PAGE,
        "assessor",
        lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/sbp/{w.sample_sbp_submission.pk}/file/",
    ),
    Target(
        "EPA schedule form",
        PAGE,
        "assessor",
        lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/schedule/",
    ),
    Target(
        "EPA grade form", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/grade/"
    ),
    Target(
        "EPA release", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/release/"
    ),
    Target(
        "completion issue", PAGE, "admin", lambda w: f"/enrolments/{w.sample_enrolment.pk}/completion/issue/"
    ),
    Target("completion record", PAGE, "admin", lambda w: f"/completion-records/{w.sample_completion.pk}/"),
    Target("completion PDF", PAGE, "admin", lambda w: f"/completion-records/{w.sample_completion.pk}/pdf/"),
    Target(
        "completion revoke form",
        PAGE,
        "admin",
        lambda w: f"/completion-records/{w.sample_completion.pk}/revoke/",
    ),
    Target("cohort completion", PAGE, "director", lambda w: f"/cohorts/{w.sample_cohort.pk}/completion/"),
    Target(
        "completion batch", PAGE, "director", lambda w: f"/completion-batches/{w.sample_completion_batch.pk}/"
    ),
    Target("verify page", PAGE, None, lambda w: f"/verify/{w.sample_completion.verification_code}/"),
    Target("api gateway", API, "director", lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/gateway/"),
    Target("api EPA", API, "assessor", lambda w: f"/api/v1/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target("api completion records: admin", API, "admin", lambda w: "/api/v1/completion-records/"),
    Target(
        "api completion record",
        API,
        "admin",
        lambda w: f"/api/v1/completion-records/{w.sample_completion.pk}/",
    ),
    Target(
        "api completion PDF",
        API,
        "admin",
        lambda w: f"/api/v1/completion-records/{w.sample_completion.pk}/pdf/",
    ),
    Target("api verify", API, None, lambda w: f"/api/v1/verify/{w.sample_completion.verification_code}/"),
]

# Project URL names with no target, and why. Every other project URL must have a target (a test checks).
EXCLUDED: dict[str, str] = {
    "gateway_sbp_agree": "POST only (the employer or assessment organisation agrees the SBP scope).",
    "api-gateway-sign": "POST only (signing checks the signer's password; hashing dominates by design).",
    "review-sign": "POST only (signing checks the signer's password; hashing dominates by design).",
    "invitation_revoke": "POST only (revokes an invitation).",
    "api-token": "POST only (exchanges a password for a token; password hashing dominates by design).",
    "api-training-plan-sign": "POST only (signing checks the signer's password; hashing dominates by design).",
    "evidence_submit": "POST only (submits a draft for review).",
    "portfolio_share_revoke": "POST only (withdraws a share link).",
    "evidence-feedback": "POST only (the tutor's decision on evidence; the page's form is a target).",
    "submission-mark": "POST only (the module lead's mark; the page's form is a target).",
    "otj_entry_confirm": "POST only (confirms one entry; the queue and ledger that offer it are targets).",
    "otj-entry-confirm": "POST only (the line manager confirms one entry).",
    "otj-entry-reject": "POST only (the line manager queries one entry with a reason).",
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
