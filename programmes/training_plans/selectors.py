"""Reads for training plans: the plan as labelled rows (for pages and diffs) and the directors' waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from programmes import access
from programmes.models import Enrolment
from programmes.training_plans.models import PlanSignature, TrainingPlan


def _date(value: str) -> str:
    try:
        return f"{date.fromisoformat(value):%-d %B %Y}"
    except (TypeError, ValueError):
        return value or ""


def _person(person: dict) -> str:
    parts = [person.get("name", "")]
    if person.get("job_title"):
        parts.append(person["job_title"])
    if person.get("email"):
        parts.append(person["email"])
    return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Row:
    section: str
    label: str
    value: str


def content_rows(content: dict) -> list[Row]:
    """The plan's content as (section, label, value) rows, in reading order; diffs compare these."""
    parties = content["parties"]
    otj = content["otj"]
    rows = [
        Row("Programme", "Programme", content["programme"]["name"]),
        Row("Programme", "Standard", content["programme"]["standard"]),
        Row("Programme", "Cohort", content["programme"]["cohort"]),
        Row("Programme", "Awards", "; ".join(content["programme"]["awards"])),
        Row("Parties", "Apprentice", _person(parties["apprentice"])),
        Row("Parties", "Employer", parties["employer"]),
        Row("Parties", "Line manager", _person(parties["line_manager"])),
        Row("Parties", "Provider", parties["provider"]),
        Row("Parties", "Programme director(s)", ", ".join(parties["programme_directors"])),
        Row("Parties", "Practice tutor", _person(parties["practice_tutor"])),
        Row("Parties", "End-point assessment organisation", parties["epao"] or "Not yet named"),
        Row("Dates and hours", "Learning start date", _date(content["dates"]["start_date"])),
        Row("Dates and hours", "Planned end date", _date(content["dates"]["planned_end_date"])),
        Row("Dates and hours", "Contracted weekly hours", content["hours"]["contracted_weekly_hours"]),
        Row("Off-the-job training", "Rule applied", otj["rule_name"]),
        Row(
            "Off-the-job training",
            "Planned off-the-job hours",
            "Not set" if otj["planned_hours"] is None else f"{otj['planned_hours']} h",
        ),
        Row("Off-the-job training", "Working", otj["explanation"]),
    ]
    if otj.get("note"):
        rows.append(Row("Off-the-job training", "Note", otj["note"]))
    for session in content["schedule"]:
        campus = ", ".join(_date(d) for d in session["campus"])
        rows.append(
            Row(
                "Delivery schedule",
                session["module"],
                f"Online {session['online'].replace(' to ', ' to ')}; campus {campus}; {session['how']}; "
                f"led by {session['led_by']}",
            )
        )
    rows += [
        Row("Commitments", "The apprentice commits to", content["commitments"]["apprentice"]),
        Row("Commitments", "The employer commits to", content["commitments"]["employer"]),
        Row("Commitments", "The provider commits to", content["commitments"]["provider"]),
        Row("Prior learning", "Hours recognised", content["prior_learning"]["hours"]),
        Row("Prior learning", "Details", content["prior_learning"]["notes"] or "None"),
        Row("Support", "Support arrangements", content["support"]),
        Row("Complaints", "How to complain", content["complaints"]),
    ]
    return rows


@dataclass(frozen=True)
class DiffRow:
    section: str
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


def diff_rows(left: dict, right: dict) -> list[DiffRow]:
    """Side-by-side rows of two versions; a row missing on one side shows as empty there."""
    left_rows = {(r.section, r.label): r.value for r in content_rows(left)}
    right_rows = {(r.section, r.label): r.value for r in content_rows(right)}
    keys = list(left_rows)
    keys += [key for key in right_rows if key not in left_rows]
    return [
        DiffRow(s, label, left_rows.get((s, label), ""), right_rows.get((s, label), "")) for s, label in keys
    ]


def plan_versions(enrolment: Enrolment, *, include_drafts: bool) -> QuerySet[TrainingPlan]:
    plans = enrolment.training_plans.select_related("created_by").annotate(
        signature_count=Count("signatures")
    )
    if not include_drafts:
        plans = plans.exclude(status=TrainingPlan.Status.DRAFT)
    return plans.order_by("-version")


def with_signatures(plans: QuerySet[TrainingPlan]) -> QuerySet[TrainingPlan]:
    return plans.prefetch_related(
        Prefetch(
            "signatures", queryset=PlanSignature.objects.select_related("signed_by").order_by("signed_at")
        )
    )


SORTS = {"waiting": "sent_at", "-waiting": "-sent_at", "name": "enrolment__apprentice__full_name"}


def plans_awaiting(*, user, sort: str = "") -> QuerySet[TrainingPlan]:
    """Plans awaiting signatures on the programmes this person directs, longest waiting first."""
    programmes = access.directed_programmes(user)
    plans = (
        TrainingPlan.objects.filter(status=TrainingPlan.Status.AWAITING, enrolment__programme__in=programmes)
        .select_related(
            "enrolment__apprentice", "enrolment__line_manager", "enrolment__cohort", "enrolment__programme"
        )
        .prefetch_related("signatures", "enrolment__programme__directors")
    )
    return plans.order_by(SORTS.get(sort, "sent_at"), "pk")


def waiting_days(plan: TrainingPlan) -> int:
    return (timezone.now() - plan.sent_at).days if plan.sent_at else 0
