"""Portfolio: the sample enrolment's evidence in every status, KSB coverage, the ZIP and share links."""

from __future__ import annotations

from benchmarks.seed import World
from benchmarks.targets.base import API, PAGE, Target


def portfolio_url(w: World) -> str:
    return f"/enrolments/{w.sample_enrolment.pk}/portfolio/"


def evidence_url(w: World, which: str = "sample_evidence") -> str:
    return f"/evidence/{getattr(w, which).pk}/"


PAGES: list[Target] = [
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
]

API_CALLS: list[Target] = [
    Target("api evidence: apprentice", API, "apprentice", lambda w: "/api/v1/evidence/"),
    Target("api evidence: tutor", API, "tutor", lambda w: "/api/v1/evidence/"),
    Target(
        "api evidence: director, accepted", API, "director", lambda w: "/api/v1/evidence/?status=accepted"
    ),
    Target("api evidence item", API, "apprentice", lambda w: f"/api/v1{evidence_url(w)}"),
    Target("api evidence file", API, "apprentice", lambda w: f"/api/v1{evidence_url(w)}file/"),
]

COVERAGE_API_CALLS: list[Target] = [
    Target(
        "api KSB coverage",
        API,
        "director",
        lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/ksb-coverage/",
    ),
]
