"""The training plan as a signed document (``core.signatures``): one version, signed by three parties.

- noun "the plan"; ``version`` the plan's version number; ``content_hash`` the SHA-256 recorded when it was sent;
- roles: ``apprentice``, ``employer`` (the line manager), ``provider`` (a programme director in person);
- open for signature only while awaiting signatures (a draft, a superseded or a fully signed version is closed);
- the last signature makes the version signed (``plan_sign`` then applies it to the enrolment).
"""

from __future__ import annotations

from typing import Any

from core.errors import ConflictError
from programmes import access
from programmes.training_plans.models import PlanSignature, TrainingPlan

Status = TrainingPlan.Status
ROLE_LABELS: dict[str, str] = dict(PlanSignature.Role.choices)
ROLE_WORDS: dict[str, str] = {
    "apprentice": "the apprentice",
    "employer": "the line manager",
    "provider": "the programme director",
}


class PlanDocument:
    """One version of a training plan, as the signing mechanism sees it."""

    noun = "the plan"
    role_words = ROLE_WORDS
    role_labels = ROLE_LABELS
    who_signs = "Only the apprentice, their line manager and a programme director sign this plan."

    def __init__(self, plan: TrainingPlan) -> None:
        self.plan = plan

    @property
    def version(self) -> int:
        return self.plan.version

    @property
    def content_hash(self) -> str:
        return self.plan.content_hash

    def lock(self) -> None:
        self.plan = (
            TrainingPlan.objects.select_for_update()
            .select_related("enrolment__programme", "enrolment__apprentice", "enrolment__line_manager")
            .get(pk=self.plan.pk)
        )

    def refuse_if_closed(self) -> None:
        plan = self.plan
        if plan.status == Status.SUPERSEDED:
            raise ConflictError(
                f"Version {plan.version} has been superseded; sign the current version instead."
            )
        if plan.status == Status.DRAFT:
            raise ConflictError("This plan has not been sent for signature yet.")
        if plan.status == Status.SIGNED:
            raise ConflictError("This plan is already signed by all three parties.")

    def roles_held_by(self, user: Any) -> list[str]:
        return access.plan_signing_roles(user, self.plan.enrolment)

    def signed_roles(self) -> set[str]:
        return set(PlanSignature.objects.filter(plan=self.plan).values_list("role", flat=True))

    def content_matches(self) -> bool:
        return self.plan.computed_hash() == self.plan.content_hash

    def record(self, **fields: Any) -> PlanSignature:
        return PlanSignature.objects.create(plan=self.plan, **fields)

    def after_signature(self, signature: Any, *, outstanding: list[str]) -> None:
        if not outstanding:
            self.plan.status = Status.SIGNED
            self.plan.signed_at = signature.signed_at
            self.plan.save(update_fields=["status", "signed_at"])
