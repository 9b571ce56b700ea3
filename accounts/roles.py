"""The role vocabulary, and the two questions about a person that accounts itself needs answered.

Roles are derived from relationships kept by the domain apps (who is whose apprentice, line manager, tutor,
director, module lead or assessor); ``programmes.access.roles_for`` derives them. ``accounts`` imports no domain
app, so what it needs here is asked through the user's reverse relations, by name.
"""

from __future__ import annotations

from typing import Any

ROLE_APPRENTICE = "apprentice"
ROLE_LINE_MANAGER = "line_manager"
ROLE_PRACTICE_TUTOR = "practice_tutor"
ROLE_PROGRAMME_DIRECTOR = "programme_director"
ROLE_MODULE_LEAD = "module_lead"
ROLE_ASSESSOR = "assessor"
ROLE_ADMIN = "admin"
ALL_ROLES = (
    ROLE_APPRENTICE,
    ROLE_LINE_MANAGER,
    ROLE_PRACTICE_TUTOR,
    ROLE_PROGRAMME_DIRECTOR,
    ROLE_MODULE_LEAD,
    ROLE_ASSESSOR,
    ROLE_ADMIN,
)
ROLE_LABELS = {
    ROLE_APPRENTICE: "Apprentice",
    ROLE_LINE_MANAGER: "Line manager",
    ROLE_PRACTICE_TUTOR: "Practice tutor",
    ROLE_PROGRAMME_DIRECTOR: "Programme director",
    ROLE_MODULE_LEAD: "Module lead",
    ROLE_ASSESSOR: "Independent assessor",
    ROLE_ADMIN: "Administrator",
}
STAFF_ROLES = {ROLE_PRACTICE_TUTOR, ROLE_PROGRAMME_DIRECTOR, ROLE_MODULE_LEAD, ROLE_ASSESSOR, ROLE_ADMIN}


def signed_in(user: Any) -> bool:
    """An authenticated, active account (anything else may see and do nothing)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_invite(user: Any) -> bool:
    """Invite people: programme directors and administrators."""
    if not signed_in(user):
        return False
    return bool(user.is_superuser or user.directed_programmes.exists())
