"""Each enrolment's training plan: signed by the three parties, or awaiting signatures while it is pending.

The sample enrolment has the longest story: version 1 signed and then superseded by a major revision, version 2,
which the apprentice has signed and the line manager and director have not; and a draft version 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from accounts.models import User
from benchmarks.seeding.programme import directors_by_programme
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from programmes.models import Enrolment
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan, content_hash

Status = Enrolment.Status
SUPPORT = "Fortnightly check-ins with the practice tutor after the break in learning."


def person(user: User) -> dict:
    return {"name": user.full_name, "email": user.email, "job_title": user.job_title}


class PlanMaker:
    """Plan content from the plan service, built once per cohort and terms, then given each enrolment's people;
    and plan versions made from it, as the plan services would have left them."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.directors = directors_by_programme(w)
        self.employers = {employer.pk: employer for employer in w.employers}
        self.built: dict[tuple, dict] = {}

    def content(self, enrolment: Enrolment, **changes) -> dict:
        key = (enrolment.cohort_id, enrolment.contracted_weekly_hours, enrolment.prior_learning_hours)
        if key not in self.built:
            self.built[key] = plan_services.build_content(
                enrolment, plan_services.fields_from_records(enrolment)
            )
        parties = self.built[key]["parties"] | {
            "apprentice": person(enrolment.apprentice),
            "employer": self.employers[enrolment.employer_id].name,
            "line_manager": person(enrolment.line_manager),
            "practice_tutor": person(enrolment.practice_tutor),
        }
        return self.built[key] | {"parties": parties} | changes

    def plan(self, enrolment: Enrolment, version: int, status: str, days_ago: int, **fields) -> TrainingPlan:
        now = self.w.now
        body = fields.pop("content", None) or self.content(enrolment)
        sent = None if status == TrainingPlan.Status.DRAFT else now - timedelta(days=days_ago)
        signed = status in (TrainingPlan.Status.SIGNED, TrainingPlan.Status.SUPERSEDED)
        return TrainingPlan(
            enrolment=enrolment,
            version=version,
            status=status,
            content=body,
            content_hash="" if sent is None else content_hash(body),
            created_by=self.directors[enrolment.programme_id],
            created_at=now - timedelta(days=days_ago + 1),
            sent_at=sent,
            requests_sent_at=sent,
            signed_at=sent + timedelta(days=3) if signed and sent else None,
            **fields,
        )


def first_versions(w: World, plans: PlanMaker) -> list[TrainingPlan]:
    """Version 1 of every enrolment's plan: awaiting signatures while pending, else signed (the sample's is
    superseded)."""
    first = [
        plans.plan(e, 1, TrainingPlan.Status.AWAITING, days_ago=5 + n % 20)
        if e.status == Status.PENDING
        else plans.plan(e, 1, TrainingPlan.Status.SIGNED, days_ago=400)
        for n, e in enumerate(w.enrolments)
    ]
    first[0].status, first[0].superseded_at = TrainingPlan.Status.SUPERSEDED, w.now - timedelta(days=30)
    return create_rows(w, TrainingPlan, first)


def sample_revisions(w: World, plans: PlanMaker, superseded: TrainingPlan) -> TrainingPlan:
    """The sample's version 2 (a major revision awaiting signatures) and draft version 3; returns version 2."""
    sample = w.sample_enrolment
    revised = plans.content(sample, support=SUPPORT)
    major = TrainingPlan.Revision.MAJOR
    (second,) = create_rows(
        w,
        TrainingPlan,
        [
            plans.plan(
                sample,
                2,
                TrainingPlan.Status.AWAITING,
                days_ago=30,
                revision=major,
                previous=superseded,
                change_summary="Support arrangements after the break in learning.",
                content=revised,
            )
        ],
    )
    epao = revised | {"parties": revised["parties"] | {"epao": "Independent Assessment Ltd"}}
    draft = plans.plan(
        sample,
        3,
        TrainingPlan.Status.DRAFT,
        days_ago=1,
        revision=major,
        previous=second,
        change_summary="Names the end-point assessment organisation.",
        content=epao,
    )
    create_rows(w, TrainingPlan, [draft])
    return second


def plan_signatures(directors: dict[int, User], versions: Sequence[TrainingPlan]) -> list[PlanSignature]:
    """All three parties on a signed plan; on one awaiting signatures, the apprentice (half the pending
    apprentices have not signed their first version yet)."""
    signatures = []
    for n, version in enumerate(versions):
        enrolment = version.enrolment
        signers = [(PlanSignature.Role.APPRENTICE, enrolment.apprentice)]
        if version.status != TrainingPlan.Status.AWAITING:
            signers += [
                (PlanSignature.Role.EMPLOYER, enrolment.line_manager),
                (PlanSignature.Role.PROVIDER, directors[enrolment.programme_id]),
            ]
        elif version.version == 1 and n % 2:
            continue  # half the pending apprentices have not signed yet either
        signatures += [
            PlanSignature(
                plan=version,
                role=role,
                signed_by=user,
                typed_name=user.full_name,
                signed_at=version.sent_at + timedelta(days=day + 1),
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (benchmark)",
                content_hash=version.content_hash,
            )
            for day, (role, user) in enumerate(signers)
        ]
    return signatures


def training_plans(w: World) -> None:
    """Every enrolment's plan, the sample's revisions, and the signatures on them (see the module's docstring)."""
    plans = PlanMaker(w)
    first = first_versions(w, plans)
    second = sample_revisions(w, plans, first[0])
    create_rows(w, PlanSignature, plan_signatures(plans.directors, [*first, second]))
