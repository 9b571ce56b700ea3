"""The cohort dashboard's RAG rating: a pure function from an enrolment's signals to (rating, reasons).

Never a rating without its reasons: every rating, green included, comes with the sentences that explain it. The
thresholds are settings (``RAG_*`` in ``config/settings.py``); OTJ status thresholds are the ledger's own.

1. A closed enrolment is not rated: withdrawn is grey, completed is green.
2. Each signal that is a concern adds a reason with its severity:
   - OTJ **at risk** → red; **behind** → amber (the ledger's status, from confirmed hours against expected);
   - a progress review **overdue** by more than ``RAG_REVIEW_OVERDUE_RED_DAYS`` → red; overdue at all → amber;
   - modules that should have a result by now and are not passed: ``RAG_MODULES_BEHIND_RED`` or more → red,
     one → amber;
   - KSB coverage more than ``RAG_KSB_COVERAGE_LAG_PERCENT`` points behind the share of the practical period
     elapsed → amber;
   - documents (training plan, review, addendum) awaiting signatures for more than ``RAG_UNSIGNED_DAYS`` → amber;
   - at gateway but not ready → amber (with what is unmet); the planned end date passed while still in learning
     → red; a break in learning → amber (the clocks are paused: someone should keep in touch).
3. The rating is the most severe reason's; with no concern it is green, and the reasons say what is on track.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings

RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
SEVERITY = {RED: 2, AMBER: 1, GREEN: 0, GREY: -1}
LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", GREY: "Not rated"}

LEARNING = ("active", "break_in_learning", "pending")


@dataclass(frozen=True)
class Signals:
    """What the dashboard knows about one enrolment on one day."""

    today: date
    status: str
    start_date: date
    planned_end_date: date
    otj_status: str | None = None  # on_track, behind, at_risk, complete
    otj_percent: Decimal | None = None
    review_state: str = "none"  # overdue, due_soon, ok, paused, none (tutors.cadence)
    review_due_on: date | None = None
    modules_passed: int = 0
    modules_due: int = 0  # modules whose result should be known by now
    ksb_coverage: int = 0
    awaiting_signature: tuple[tuple[str, int], ...] = ()  # (document, days waiting)
    gateway_ready: bool | None = None
    gateway_unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rating:
    rag: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.rag]


def _elapsed_percent(s: Signals) -> int:
    total = (s.planned_end_date - s.start_date).days
    if total <= 0:
        return 100
    done = (min(s.today, s.planned_end_date) - s.start_date).days
    return max(0, min(100, round(100 * done / total)))


def _otj(s: Signals) -> tuple[str, str] | None:
    percent = f" ({s.otj_percent:.0f}% of expected)" if s.otj_percent is not None else ""
    if s.otj_status == "at_risk":
        return RED, f"Off-the-job training at risk: confirmed hours{percent} are well below expected."
    if s.otj_status == "behind":
        return AMBER, f"Off-the-job training behind: confirmed hours{percent} are below expected."
    return None


def _review(s: Signals) -> tuple[str, str] | None:
    if s.review_state != "overdue" or s.review_due_on is None:
        return None
    late = (s.today - s.review_due_on).days
    text = (
        f"Progress review overdue by {late} day{'s' if late != 1 else ''} (due {s.review_due_on:%-d %b %Y})."
    )
    return (RED if late > settings.RAG_REVIEW_OVERDUE_RED_DAYS else AMBER), text


def _modules(s: Signals) -> tuple[str, str] | None:
    behind = s.modules_due - s.modules_passed
    if behind <= 0:
        return None
    text = f"{behind} module{'s' if behind != 1 else ''} not passed that should have a result by now."
    return (RED if behind >= settings.RAG_MODULES_BEHIND_RED else AMBER), text


def _coverage(s: Signals) -> tuple[str, str] | None:
    if s.status not in ("active", "gateway"):
        return None
    expected = _elapsed_percent(s) - settings.RAG_KSB_COVERAGE_LAG_PERCENT
    if s.ksb_coverage >= expected:
        return None
    return AMBER, (
        f"KSB coverage {s.ksb_coverage}% is behind: {_elapsed_percent(s)}% of the practical period has passed."
    )


def _signatures(s: Signals) -> list[tuple[str, str]]:
    return [
        (AMBER, f"{document} awaiting signatures for {days} days.")
        for document, days in s.awaiting_signature
        if days > settings.RAG_UNSIGNED_DAYS
    ]


def _stage(s: Signals) -> list[tuple[str, str]]:
    found = []
    if s.status == "gateway" and s.gateway_ready is False:
        unmet = "; ".join(s.gateway_unmet) or "see the gateway checklist"
        found.append((AMBER, f"At gateway but not ready: {unmet}."))
    if s.status in ("active", "pending") and s.today > s.planned_end_date:
        found.append(
            (
                RED,
                f"The planned end date ({s.planned_end_date:%-d %b %Y}) has passed while still in learning.",
            )
        )
    if s.status == "break_in_learning":
        found.append((AMBER, "On a break in learning: the OTJ and review clocks are paused; keep in touch."))
    return found


def rate(s: Signals) -> Rating:
    """The rating and its reasons (most severe first); see the module docstring for the rule."""
    if s.status == "withdrawn":
        return Rating(GREY, ["Withdrawn: no longer rated."])
    if s.status == "completed":
        return Rating(GREEN, ["Completed the apprenticeship."])
    concerns = [c for c in (_otj(s), _review(s), _modules(s), _coverage(s)) if c is not None]
    concerns += _signatures(s) + _stage(s)
    if concerns:
        concerns.sort(key=lambda c: -SEVERITY[c[0]])
        return Rating(concerns[0][0], [text for _, text in concerns])
    return Rating(GREEN, _all_clear(s))


def _all_clear(s: Signals) -> list[str]:
    """Green still says why: what was checked and found on track."""
    reasons = []
    if s.otj_status == "complete":
        reasons.append("Off-the-job minimum reached.")
    elif s.otj_status is not None:
        percent = f" ({s.otj_percent:.0f}% of expected)" if s.otj_percent is not None else ""
        reasons.append(f"Off-the-job training on track{percent}.")
    if s.review_state in ("ok", "due_soon"):
        reasons.append(f"Progress reviews up to date (next due {s.review_due_on:%-d %b %Y}).")
    else:
        reasons.append("No progress review due at this stage.")
    reasons.append(f"{s.modules_passed} of {s.modules_due} modules due so far passed.")
    reasons.append(f"KSB coverage {s.ksb_coverage}%.")
    if s.gateway_ready:
        reasons.append("Ready for gateway.")
    return reasons
