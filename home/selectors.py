"""What each person's home page shows: their enrolments, caseload, programmes and what needs attention."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from accounts.models import Invitation
from assessments import selectors as assessment_selectors
from assessments.epa.models import EndPointAssessment
from portfolios.models import Evidence
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import services as otj_services
from programmes import access
from programmes.models import Cohort, Enrolment, ModuleRun
from programmes.training_plans.models import TrainingPlan
from tutors import selectors as review_selectors

_ENROLMENT_RELATED = ("apprentice", "programme", "cohort", "employer", "line_manager", "practice_tutor")


def home_for(user: Any) -> dict[str, Any]:
    """One section per role the user holds; each list is a single query."""
    roles = access.roles_for(user)
    sections: dict[str, Any] = {"roles": roles, "role_labels": [access.ROLE_LABELS[role] for role in roles]}
    base = Enrolment.objects.select_related(*_ENROLMENT_RELATED).order_by("apprentice__full_name")
    directs = access.ROLE_PROGRAMME_DIRECTOR in roles or access.ROLE_ADMIN in roles
    if access.ROLE_APPRENTICE in roles:
        sections.update(_apprentice(user, base))
    if access.ROLE_LINE_MANAGER in roles:
        sections["managed_enrolments"] = list(base.filter(line_manager=user).exclude(status="withdrawn"))
        sections["otj_to_confirm"] = otj_selectors.confirmation_queue(user).count()
    if access.ROLE_PRACTICE_TUTOR in roles:
        sections["evidence_to_review"] = Evidence.objects.filter(
            status=Evidence.Status.SUBMITTED, enrolment__practice_tutor=user
        ).count()
        sections["caseload"] = list(
            base.filter(practice_tutor=user).exclude(status__in=["withdrawn", "completed"])
        )
    if directs:
        sections.update(_director(user))
    if access.ROLE_MODULE_LEAD in roles:
        sections.update(_module_lead(user))
    if access.ROLE_ASSESSOR in roles:
        sections["epas"] = list(
            EndPointAssessment.objects.filter(assessor=user)
            .select_related("enrolment__apprentice", "enrolment__programme", "enrolment__employer")
            .order_by("enrolment__apprentice__full_name")
        )
    # Progress reviews: reviews to sign, open actions the person owns, reviews due (tutor) or overdue (director).
    sections["reviews_to_sign"] = review_selectors.reviews_to_sign(user)
    if access.ROLE_APPRENTICE in roles or access.ROLE_LINE_MANAGER in roles:
        sections["review_actions"] = review_selectors.open_actions_for(user)
    if access.ROLE_PRACTICE_TUTOR in roles:
        sections["review_counts"] = review_selectors.tutor_review_counts(user)
    if directs:
        sections["reviews_overdue_count"] = review_selectors.director_overdue_count(user)
    pending = [
        e
        for key in ("own_enrolments", "managed_enrolments", "caseload")
        for e in sections.get(key, [])
        if e.status == Enrolment.Status.PENDING
    ]
    sections["awaiting_signatures"] = list({e.pk: e for e in pending}.values())
    sections["plans_to_sign"] = plans_to_sign(user)
    return sections


def _apprentice(user: Any, base) -> dict[str, Any]:
    own = list(base.filter(apprentice=user))
    positions = otj_selectors.otj_positions(own)
    for enrolment in own:
        enrolment.otj = positions[enrolment.pk]
        enrolment.can_log_otj = otj_services.loggable_blocker(enrolment) is None
    return {"own_enrolments": own, "next_deadlines": assessment_selectors.next_deadlines(user)}


def _director(user: Any) -> dict[str, Any]:
    programmes = access.directed_programmes(user)
    status_counts = {
        status: Count("enrolments", filter=Q(enrolments__status=status))
        for status, _ in Enrolment.Status.choices
    }
    return {
        "programme_cohorts": list(
            Cohort.objects.filter(programme__in=programmes)
            .select_related("programme")
            .annotate(
                total=Count("enrolments"), **{f"n_{key}": value for key, value in status_counts.items()}
            )
            .order_by("programme__name", "-start_date")
        ),
        "plans_awaiting_count": TrainingPlan.objects.filter(
            status=TrainingPlan.Status.AWAITING, enrolment__programme__in=programmes
        ).count(),
        "altered_plans": list(
            TrainingPlan.objects.filter(enrolment__programme__in=programmes, tamper_reported_at__isnull=False)
            .exclude(status=TrainingPlan.Status.DRAFT)
            .select_related("enrolment__apprentice")
        ),
        "late_feedback_count": assessment_selectors.late_feedback(
            ModuleRun.objects.filter(cohort__programme__in=programmes)
        ).count(),
        "pending_invitations": Invitation.objects.filter(
            invited_by=user, accepted_at__isnull=True, revoked_at__isnull=True
        ).count(),
    }


def _module_lead(user: Any) -> dict[str, Any]:
    return {
        "marking_queue_count": assessment_selectors.marking_queue(user).count(),
        "lead_late_feedback_count": assessment_selectors.late_feedback(
            ModuleRun.objects.filter(lead=user)
        ).count(),
        "module_runs": list(
            ModuleRun.objects.filter(lead=user)
            .select_related("module", "cohort__programme")
            .order_by("online_start")
        ),
    }


def plans_to_sign(user: Any) -> list[TrainingPlan]:
    """Training plans waiting for this person's own signature (as apprentice, line manager or director).

    The person's awaiting plans are few, so they are narrowed first (indexed joins) and the signed roles are
    checked on the prefetched signatures: two queries, however many signatures the platform holds.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    directed = access.directed_programmes(user).filter(directors=user)
    candidates = (
        TrainingPlan.objects.filter(status=TrainingPlan.Status.AWAITING)
        .filter(
            Q(enrolment__apprentice=user)
            | Q(enrolment__line_manager=user)
            | Q(enrolment__programme__in=directed)
        )
        .select_related("enrolment__apprentice", "enrolment__programme")
        .prefetch_related("signatures")
        .order_by("sent_at", "pk")
        .distinct()
    )
    directed_ids = set(directed.values_list("pk", flat=True))
    waiting = []
    for plan in candidates:
        signed = {signature.role for signature in plan.signatures.all()}
        enrolment = plan.enrolment
        if (
            (enrolment.apprentice_id == user.pk and "apprentice" not in signed)
            or (enrolment.line_manager_id == user.pk and "employer" not in signed)
            or (enrolment.programme_id in directed_ids and "provider" not in signed)
        ):
            waiting.append(plan)
    return waiting[:50]
