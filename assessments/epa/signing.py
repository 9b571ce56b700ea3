"""Gateway sign-off as a signed document (``core.signatures``): the employer decides, then the provider advises.

- noun "the gateway checklist"; what a signer reads is the checklist (every item, met or not, with its reason) and
  the two statements the parties confirm, as the gateway page shows them;
- ``content_hash``: the SHA-256 of that content in canonical JSON (``content()``), worked out from the records
  when the page is shown and again when the signature arrives: if any item or its reason changed in between, the
  hashes differ and the signature is refused as a stale read;
- ``version``: always 1. The checklist is computed, not stored, so there is no count of its changes; the hash
  alone decides staleness, and the 409 says the checklist changed;
- roles: ``employer`` (the line manager, first) and ``provider`` (a programme director in person, second);
- open while the enrolment is active or at gateway and every item is met; both sign-offs start the EPA period.
"""

from __future__ import annotations

from typing import Any

from assessments.epa import gateway
from assessments.epa.models import EndPointAssessment, GatewaySignOff, LearnerOutcome
from core.errors import ConflictError
from core.signatures.services import canonical_hash
from programmes import access
from programmes.models import Enrolment
from programmes.services import enrolment_change_status

Status = Enrolment.Status
EMPLOYER, PROVIDER = GatewaySignOff.Role.EMPLOYER, GatewaySignOff.Role.PROVIDER
ROLE_LABELS: dict[str, str] = dict(GatewaySignOff.Role.choices)
ROLE_WORDS: dict[str, str] = {EMPLOYER: "the line manager", PROVIDER: "the programme director"}


def gateway_statement(enrolment: Enrolment, role: str) -> str:
    name, standard = enrolment.apprentice.full_name, enrolment.programme.standard
    if role == EMPLOYER:
        return (
            f"For the employer, I confirm that {name} works at or above the level of the {standard.title} "
            f"standard ({standard.code}) and is ready for end-point assessment."
        )
    return (
        f"For the provider, I confirm that {name} has completed the training and meets the gateway "
        f"requirements for the {standard.title} standard ({standard.code})."
    )


def gateway_blocker(enrolment: Enrolment, state: gateway.Readiness | None = None) -> str | None:
    """Why gateway cannot be signed off now (status or checklist), or None."""
    if enrolment.status not in gateway.CHECKABLE_STATUSES:
        status = enrolment.get_status_display().lower()
        return f"The enrolment is {status}; gateway is signed off while it is active or at gateway."
    state = state or gateway.readiness(enrolment)
    if not state.ready:
        return "Not every gateway item is met: " + "; ".join(
            f"{item.label.lower()} ({item.detail})" for item in state.items if not item.met
        )
    return None


def gateway_content(enrolment: Enrolment, checklist: list[dict]) -> dict:
    """What a gateway signer reads: the checklist (``Readiness.snapshot()``) and both parties' statements."""
    return {
        "checklist": checklist,
        "statements": {role: gateway_statement(enrolment, role) for role in (EMPLOYER, PROVIDER)},
    }


class GatewayDocument:
    """An enrolment's gateway sign-off, as the signing mechanism sees it."""

    noun = "the gateway checklist"
    version = 1
    role_words = ROLE_WORDS
    role_labels = ROLE_LABELS
    who_signs = "Only the line manager (for the employer) and a programme director (for the provider) sign off gateway."

    def __init__(self, enrolment: Enrolment) -> None:
        self.enrolment = enrolment
        self._read()

    def _read(self) -> None:
        self.state = gateway.readiness(self.enrolment)
        self.checklist = self.state.snapshot()
        self.content_hash = canonical_hash(self.content())

    def content(self) -> dict:
        return gateway_content(self.enrolment, self.checklist)

    def lock(self) -> None:
        self.enrolment = (
            Enrolment.objects.select_for_update()
            .select_related("programme__standard", "apprentice")
            .get(pk=self.enrolment.pk)
        )
        self._read()

    def refuse_if_closed(self) -> None:
        blocker = gateway_blocker(self.enrolment, self.state)
        if blocker:
            raise ConflictError(blocker)

    def roles_held_by(self, user: Any) -> list[str]:
        return access.gateway_signing_roles(user, self.enrolment)

    def signed_roles(self) -> set[str]:
        return set(GatewaySignOff.objects.filter(enrolment=self.enrolment).values_list("role", flat=True))

    def refuse_out_of_turn(self, role: str) -> None:
        if role == PROVIDER and EMPLOYER not in self.signed_roles():
            raise ConflictError("The employer decides: the line manager signs off gateway first.")

    def content_matches(self) -> bool:
        return True  # the content is worked out from the records, never stored apart from them

    def record(self, **fields: Any) -> GatewaySignOff:
        return GatewaySignOff.objects.create(
            enrolment=self.enrolment,
            statement=gateway_statement(self.enrolment, fields["role"]),
            checklist=self.checklist,
            **fields,
        )

    def after_signature(self, signature: Any, *, outstanding: list[str]) -> None:
        """The first sign-off moves an active enrolment to gateway; both start the EPA period (the learner record
        says learning is complete awaiting the EPA result, outcome 8)."""
        by = signature.signed_by
        if self.enrolment.status == Status.ACTIVE:
            self.enrolment = enrolment_change_status(
                enrolment=self.enrolment,
                to_status=Status.GATEWAY,
                by=by,
                reason="Gateway checklist met; sign-off begun.",
                check_permission=False,
            )
        if outstanding:
            return
        enrolment_change_status(
            enrolment=self.enrolment,
            to_status=Status.EPA,
            by=by,
            reason="Gateway signed off by the employer and the provider; the EPA period starts.",
            check_permission=False,
        )
        EndPointAssessment.objects.get_or_create(enrolment=self.enrolment)
        LearnerOutcome.objects.update_or_create(
            enrolment=self.enrolment,
            defaults={
                "completion_status": LearnerOutcome.CompletionStatus.CONTINUING,
                "outcome": LearnerOutcome.Outcome.AWAITING_EPA,
            },
        )
