"""Who may act on gateway, the end-point assessment and completion records.

Visibility is ``accounts.access`` (anything on an enrolment follows the enrolment); these are the action checks,
kept beside the feature because accounts/access.py belongs to the foundation.
"""

from __future__ import annotations

from typing import Any

from accounts import access
from programmes.models import Enrolment


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_apprentice(user: Any, enrolment: Enrolment) -> bool:
    return _signed_in(user) and enrolment.apprentice_id == user.pk


def is_line_manager(user: Any, enrolment: Enrolment) -> bool:
    return _signed_in(user) and enrolment.line_manager_id == user.pk


def is_director(user: Any, enrolment: Enrolment) -> bool:
    """A director of the enrolment's programme (an administrator counts: they act for the provider)."""
    return access.is_director_of(user, enrolment.programme)


def is_personal_director(user: Any, enrolment: Enrolment) -> bool:
    """A director in person: sign-offs are personal commitments, so an administrator does not give them."""
    return _signed_in(user) and enrolment.programme.directors.filter(pk=user.pk).exists()


def assessor_id(enrolment: Enrolment) -> int | None:
    from assessments.epa.models import EndPointAssessment

    try:
        return enrolment.epa.assessor_id
    except EndPointAssessment.DoesNotExist:
        return None


def is_assessor(user: Any, enrolment: Enrolment) -> bool:
    return _signed_in(user) and assessor_id(enrolment) == user.pk


def gateway_signing_roles(user: Any, enrolment: Enrolment) -> list[str]:
    """The gateway sign-offs this person gives: employer (the line manager), provider (a director in person)."""
    roles = []
    if is_line_manager(user, enrolment):
        roles.append("employer")
    if is_personal_director(user, enrolment):
        roles.append("provider")
    return roles


def can_record_english_maths(user: Any, enrolment: Enrolment) -> bool:
    """Record Level 2 evidence or an exemption: the practice tutor or a director."""
    return (_signed_in(user) and enrolment.practice_tutor_id == user.pk) or is_director(user, enrolment)


def can_propose_sbp(user: Any, enrolment: Enrolment) -> bool:
    """Propose the SBP title and scope: the apprentice."""
    return is_apprentice(user, enrolment)


def can_agree_sbp_for(user: Any, enrolment: Enrolment) -> list[str]:
    """Agree the SBP title and scope: the line manager for the employer; the assessor (or, before one is
    assigned, a director recording the organisation's agreement) for the assessment organisation."""
    parties = []
    if is_line_manager(user, enrolment):
        parties.append("employer")
    if is_assessor(user, enrolment) or is_director(user, enrolment):
        parties.append("epao")
    return parties


def can_assign_assessor(user: Any, enrolment: Enrolment) -> bool:
    return is_director(user, enrolment)


def can_submit_sbp(user: Any, enrolment: Enrolment) -> bool:
    return is_apprentice(user, enrolment)


def can_assess(user: Any, enrolment: Enrolment) -> bool:
    """Schedule the EPA, record grades and release them: the assigned independent assessor only."""
    return is_assessor(user, enrolment)


def can_see_unreleased_results(user: Any, enrolment: Enrolment) -> bool:
    """Grades are the assessor's until released to apprentice, manager and director together."""
    return is_assessor(user, enrolment)


def can_issue_completion(user: Any, enrolment: Enrolment) -> bool:
    return is_director(user, enrolment)


def can_revoke_completion(user: Any, enrolment: Enrolment) -> bool:
    return is_director(user, enrolment)
