"""Training plans: draft from the programme template, send, sign (three parties), revise, check integrity.

Every state change is one function here; pages, the API, the admin, tasks and the demo loader call them.
The plan's content (the director's fields, building it from the records, classifying a change) is in
``content.py``; its names are re-exported here so callers keep using ``services.<name>``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.signatures import services as signing
from core.signatures.services import Origin, Proof
from programmes import access
from programmes.models import Enrolment
from programmes.training_plans.content import (
    PlanFields,
    build_content,
    classify_change,
    fields_from_content,
    fields_from_records,  # noqa: F401 - re-exported: callers use services.fields_from_records
    plan_fields_dict,  # noqa: F401 - re-exported
    template_for,  # noqa: F401 - re-exported
    validate_fields,
)
from programmes.training_plans.models import PlanSignature, TrainingPlan
from programmes.training_plans.signing import PlanDocument

Status = TrainingPlan.Status
Role = PlanSignature.Role
ROLE_ORDER = (Role.APPRENTICE, Role.EMPLOYER, Role.PROVIDER)
EPAO_NOTICE = timedelta(days=183)  # the EPAO must be named at least 6 months before the planned end date


def _require_manager(by: User, enrolment: Enrolment) -> None:
    if not access.can_manage_enrolment(by, enrolment):
        raise ActionNotAllowed("Only a director of this programme can prepare or change the training plan.")


def current_plan(enrolment: Enrolment) -> TrainingPlan | None:
    """The version in force or awaiting signatures (not a draft, not superseded)."""
    return enrolment.training_plans.filter(status__in=[Status.AWAITING, Status.SIGNED]).first()


def draft_plan(enrolment: Enrolment) -> TrainingPlan | None:
    return enrolment.training_plans.filter(status=Status.DRAFT).first()


@transaction.atomic
def plan_save_draft(
    *, enrolment: Enrolment, by: User, values: PlanFields, change_summary: str = ""
) -> TrainingPlan:
    """Create or update the enrolment's draft: the first version, or a revision of the current one."""
    enrolment = (
        Enrolment.objects.select_for_update().select_related("programme__standard").get(pk=enrolment.pk)
    )
    _require_manager(by, enrolment)
    if not enrolment.is_live:
        raise DomainError("The enrolment has ended; its training plan can no longer change.")
    values = validate_fields(values, enrolment)
    content = build_content(enrolment, values)
    change_summary = change_summary.strip()
    current = current_plan(enrolment)
    draft = draft_plan(enrolment)
    if current is not None and classify_change(current.content, content) == "none":
        raise DomainError("Nothing has changed from the current version.")
    if current is not None and not change_summary:
        raise DomainError(
            "Say what changed and why; it is kept with the new version.", field="change_summary"
        )
    if draft is None:
        latest = enrolment.training_plans.order_by("-version").first()
        draft = TrainingPlan(
            enrolment=enrolment,
            version=(latest.version + 1) if latest else 1,
            revision=TrainingPlan.Revision.MAJOR if current else TrainingPlan.Revision.INITIAL,
            previous=current,
            created_by=by,
        )
    draft.content = content
    draft.change_summary = change_summary
    draft.save()
    return draft


@transaction.atomic
def plan_discard_draft(*, plan: TrainingPlan, by: User) -> None:
    _require_manager(by, plan.enrolment)
    if plan.status != Status.DRAFT:
        raise ConflictError("Only a draft can be discarded; sent versions are kept for ever.")
    plan.delete()


def outstanding_roles(plan: TrainingPlan) -> list[str]:
    if not plan.needs_signatures:
        return []
    signed = {s.role for s in plan.signatures.all()}
    return [role for role in ROLE_ORDER if role not in signed]


def signers_for(plan: TrainingPlan, role: str) -> list[User]:
    enrolment = plan.enrolment
    if role == Role.APPRENTICE:
        return [enrolment.apprentice]
    if role == Role.EMPLOYER:
        return [enrolment.line_manager]
    return list(enrolment.programme.directors.all())


ROLE_WORDS: dict[str, str] = {
    Role.APPRENTICE: "apprentice",
    Role.EMPLOYER: "line manager",
    Role.PROVIDER: "programme director",
}


def describe_outstanding(plan: TrainingPlan) -> str:
    """'line manager (Mina Manager) and programme director (Dana Director)'."""
    parts = []
    for role in outstanding_roles(plan):
        names = ", ".join(u.full_name for u in signers_for(plan, role)) or "nobody assigned"
        parts.append(f"{ROLE_WORDS[role]} ({names})")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@transaction.atomic
def plan_send(*, plan: TrainingPlan, by: User) -> TrainingPlan:
    """Send a draft for signature; a minor revision takes effect at once, a major one supersedes the old version."""
    plan = TrainingPlan.objects.select_for_update().select_related("enrolment__programme").get(pk=plan.pk)
    enrolment = plan.enrolment
    _require_manager(by, enrolment)
    if plan.status != Status.DRAFT:
        raise ConflictError(f"Version {plan.version} has already been sent.")
    if plan.content["otj"]["planned_hours"] is None:
        raise DomainError(plan.content["otj"]["explanation"])
    planned_end = date.fromisoformat(plan.content["dates"]["planned_end_date"])
    if not plan.content["parties"]["epao"] and planned_end - timezone.localdate() <= EPAO_NOTICE:
        raise DomainError(
            "Name the end-point assessment organisation: it must be named at least 6 months before the planned "
            "end date.",
            field="epao_name",
        )
    if not enrolment.programme.directors.exists():
        raise DomainError("The programme has no director to sign for the provider; add one first.")
    now = timezone.now()
    current = current_plan(enrolment)
    kind = classify_change(current.content, plan.content) if current is not None else "initial"
    if current is not None:
        if kind == "none":
            raise DomainError("Nothing has changed from the current version; discard the draft instead.")
        if kind == "minor" and current.status != Status.SIGNED:
            kind = "major"  # a plan still being signed is replaced outright
        current.status = Status.SUPERSEDED
        current.superseded_at = now
        current.save(update_fields=["status", "superseded_at"])
    plan.revision = {"initial": TrainingPlan.Revision.INITIAL, "minor": TrainingPlan.Revision.MINOR}.get(
        kind, TrainingPlan.Revision.MAJOR
    )
    plan.content_hash = plan.computed_hash()
    plan.sent_at = now
    if plan.revision == TrainingPlan.Revision.MINOR:
        plan.status = Status.SIGNED
        plan.signed_at = now
        plan.save()
        _apply_to_enrolment(plan)
        return plan
    plan.status = Status.AWAITING
    plan.save()
    from programmes.training_plans.tasks import send_plan_signature_requests

    send_plan_signature_requests.delay_on_commit(plan.pk)
    return plan


@transaction.atomic
def plan_sign(
    *,
    plan: TrainingPlan,
    by: User,
    proof: Proof | None = None,
    full_name: str = "",
    password: str = "",
    code: str = "",
    role: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> PlanSignature:
    """Sign a plan version for one of the signer's roles; all three signatures make it signed.

    ``proof`` is what the signer read (version and content hash) and how they prove it is them; without it the
    other keywords make one that names no version, which is refused ("say which version you read")."""
    document = PlanDocument(plan)
    signature = signing.sign(
        document,
        by=by,
        proof=proof or Proof(None, "", full_name, password, code, role),
        origin=Origin(ip_address, user_agent),
    )
    if document.plan.status == Status.SIGNED:
        _apply_to_enrolment(document.plan)
    return signature


def _apply_to_enrolment(plan: TrainingPlan) -> None:
    """A signed plan is the source of truth: the enrolment's dates and hours follow it, and learning can start."""
    enrolment = Enrolment.objects.select_for_update().get(pk=plan.enrolment_id)
    values = fields_from_content(plan.content)
    changed = []
    for name in (
        "planned_end_date",
        "contracted_weekly_hours",
        "prior_learning_hours",
        "prior_learning_notes",
    ):
        if getattr(enrolment, name) != getattr(values, name):
            setattr(enrolment, name, getattr(values, name))
            changed.append(name)
    if changed:
        enrolment.save(update_fields=changed)
    activate_if_due(enrolment)


def activate_if_due(enrolment: Enrolment) -> bool:
    """A pending enrolment with a signed plan becomes active on (or after) its start date."""
    from programmes.services import enrolment_change_status

    if enrolment.status != Enrolment.Status.PENDING or enrolment.start_date > timezone.localdate():
        return False
    plan = current_plan(enrolment)
    if plan is None or plan.status != Status.SIGNED:
        return False
    signed_on = timezone.localdate(plan.signed_at) if plan.signed_at else enrolment.start_date
    enrolment_change_status(
        enrolment=enrolment,
        to_status=Enrolment.Status.ACTIVE,
        by=None,
        effective_on=min(max(enrolment.start_date, signed_on), timezone.localdate()),
        reason=f"Training plan version {plan.version} signed by all three parties.",
        check_permission=False,
    )
    return True


# --- reading a plan -----------------------------------------------------------------------------------------


def signing_version(plan: TrainingPlan) -> TrainingPlan:
    """The version whose signatures stand behind this one (a minor revision rests on the last signed version)."""
    for _ in range(100):
        if plan.revision != TrainingPlan.Revision.MINOR or plan.previous is None:
            break
        plan = plan.previous
    return plan


def integrity_problems(plan: TrainingPlan) -> list[str]:
    """Why a sent plan can no longer be trusted: its content or a signature does not match the recorded hash."""
    if plan.status == Status.DRAFT:
        return []
    problems = []
    if plan.computed_hash() != plan.content_hash:
        problems.append(
            f"Version {plan.version}'s stored content no longer matches the hash recorded when it was sent."
        )
    for signature in plan.signatures.all():
        if signature.content_hash != plan.content_hash:
            problems.append(
                f"The {signature.get_role_display().lower()}'s signature was for different content."
            )
    base = signing_version(plan)
    if base.pk != plan.pk:
        problems += integrity_problems(base)
    return problems


def training_blocker(enrolment: Enrolment) -> str | None:
    """Why training-dependent actions (logging OTJ) are refused, or None once a plan has been signed by all three.

    A revision awaiting signatures does not stop training that the previous signed version already started.
    """
    plan = current_plan(enrolment)
    if plan is None:
        return "The training plan has not been sent for signature yet; training starts once all three parties sign it."
    if integrity_problems(plan):
        return "The training plan's signed content has been altered; the programme director must re-issue it."
    if plan.status == Status.AWAITING:
        ever_signed = enrolment.training_plans.filter(signed_at__isnull=False).exists()
        if not ever_signed:
            return f"The training plan is awaiting signatures from the {describe_outstanding(plan)}."
    return None


def reminder_due(plan: TrainingPlan, now=None) -> bool:
    now = now or timezone.now()
    last = plan.last_reminded_at or plan.sent_at
    return last is None or now - last >= timedelta(days=settings.PLAN_REMINDER_DAYS)
