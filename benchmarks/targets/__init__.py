"""THE table of what the benchmarks measure. A new page or endpoint is one more line in its area's module here.

Each target names who requests it (an attribute of the seeded ``World``: ``director``, ``tutor`` with a full
caseload, ``line_manager`` with a full team, ``apprentice``, ``module_lead``, ``assessor``, ``admin``; ``None``
for a signed-out visitor) and how to build its URL from the world. Pages sign in with a session, API calls
send a token, as browsers and integrations do.

``tests/test_query_scaling.py`` requests every target at N and 10×N apprentices and fails when the query count
grows, and fails when a project URL has neither a target nor an entry in ``EXCLUDED`` saying why.

The floor is ``/account/`` for the apprentice: the most trivial authenticated page (the person's own details and
roles, one EXISTS query for the roles and one for MFA; nothing that grows with the data), rendered through the
same middleware and base template as every other page. Each target's median is reported as a ratio to it.

The table is split by area (``home.py``, ``enrolments.py``, ``plans.py``, ``portfolios.py``, ``modules.py``,
``otj.py``, ``reviews.py``, ``reporting.py``, ``epa.py``); ``TARGETS`` joins them in the order they are measured
and reported. ``base.py`` says what a target is; ``clients.py`` makes the client that requests it.
"""

from __future__ import annotations

from benchmarks.targets import enrolments, epa, home, modules, otj, plans, portfolios, reporting, reviews
from benchmarks.targets.base import API, PAGE, Target
from benchmarks.targets.clients import DownloadingClient, client_for

__all__ = ["API", "EXCLUDED", "PAGE", "TARGETS", "DownloadingClient", "Target", "client_for", "floor_target"]

TARGETS: list[Target] = [
    *home.FLOOR_AND_HOME,
    *enrolments.PAGES,
    *plans.PAGES,
    *portfolios.PAGES,
    *modules.PAGES,
    *otj.TARGETS,
    *reviews.TARGETS,
    *home.PEOPLE,
    # The API of the areas above (OTJ and reviews list theirs with their pages).
    *home.API_CALLS,
    *enrolments.API_CALLS,
    *plans.API_CALLS,
    *portfolios.API_CALLS,
    *modules.API_CALLS,
    *portfolios.COVERAGE_API_CALLS,
    *reporting.TARGETS,
    *epa.TARGETS,
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
