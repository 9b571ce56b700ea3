"""The single access policy: what a user may see, and what they may do.

Visibility starts from enrolments: a user sees an enrolment when they are its apprentice, its line manager,
its practice tutor, a director of its programme, the lead of one of its cohort's module runs, or the assessor
of its end-point assessment. Every other object's visibility follows through its enrolment. Objects a user may
not see are 404; visible objects with a forbidden action are 403 (see ``ActionNotAllowed``).
Roles are derived from these relationships, never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from accounts.models import User

if TYPE_CHECKING:
    from programmes.models import Cohort, Enrolment, ModuleRun, Programme

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

NOTHING = Q(pk__in=[])


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def enrolment_visibility_filter(user: Any) -> Q:
    """A filter on Enrolment for the rows this user may see (subqueries, so no duplicate rows)."""
    from assessments.epa.models import EndPointAssessment
    from programmes.models import ModuleRun, Programme

    if not _signed_in(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    return (
        Q(apprentice=user)
        | Q(line_manager=user)
        | Q(practice_tutor=user)
        | Q(programme_id__in=Programme.objects.filter(directors=user).values("pk"))
        | Q(cohort_id__in=ModuleRun.objects.filter(lead=user).values("cohort_id"))
        | Q(pk__in=EndPointAssessment.objects.filter(assessor=user).values("enrolment_id"))
    )


def enrolments_visible_to(user: Any) -> QuerySet[Enrolment]:
    from programmes.models import Enrolment

    return Enrolment.objects.visible_to(user)


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """Programmes the user directs, or on which they can see an enrolment or lead a module run."""
    from programmes.models import ModuleRun, Programme

    if not _signed_in(user):
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(pk__in=Programme.objects.filter(directors=user).values("pk"))
        | Q(pk__in=enrolments_visible_to(user).values("programme_id"))
        | Q(pk__in=ModuleRun.objects.filter(lead=user).values("cohort__programme_id"))
    )


def cohorts_visible_to(user: Any) -> QuerySet[Cohort]:
    """Cohorts for staff roles: directors of the programme, and tutors, module leads and assessors working in it."""
    from assessments.epa.models import EndPointAssessment
    from programmes.models import Cohort, Enrolment, ModuleRun, Programme

    if not _signed_in(user):
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(
        Q(programme_id__in=Programme.objects.filter(directors=user).values("pk"))
        | Q(pk__in=Enrolment.objects.filter(practice_tutor=user).values("cohort_id"))
        | Q(pk__in=ModuleRun.objects.filter(lead=user).values("cohort_id"))
        | Q(pk__in=EndPointAssessment.objects.filter(assessor=user).values("enrolment__cohort_id"))
    )


def roles_for(user: Any) -> list[str]:
    """The roles a user holds, derived from their relationships (one query)."""
    from assessments.epa.models import EndPointAssessment
    from programmes.models import Enrolment, ModuleRun, Programme

    if not _signed_in(user):
        return []
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            r_apprentice=Exists(Enrolment.objects.filter(apprentice=OuterRef("pk"))),
            r_line_manager=Exists(Enrolment.objects.filter(line_manager=OuterRef("pk"))),
            r_practice_tutor=Exists(Enrolment.objects.filter(practice_tutor=OuterRef("pk"))),
            r_programme_director=Exists(Programme.objects.filter(directors=OuterRef("pk"))),
            r_module_lead=Exists(ModuleRun.objects.filter(lead=OuterRef("pk"))),
            r_assessor=Exists(EndPointAssessment.objects.filter(assessor=OuterRef("pk"))),
            r_admin=Value(user.is_superuser),
        )
        .values(*(f"r_{role}" for role in ALL_ROLES))
        .get()
    )
    return [role for role in ALL_ROLES if flags[f"r_{role}"]]


def is_director_of(user: Any, programme: Programme) -> bool:
    if not _signed_in(user):
        return False
    return bool(user.is_superuser or programme.directors.filter(pk=user.pk).exists())


def can_manage_enrolment(user: Any, enrolment: Enrolment) -> bool:
    """Change an enrolment's lifecycle or employment: a director of its programme (or an administrator)."""
    return is_director_of(user, enrolment.programme)


def plan_signing_roles(user: Any, enrolment: Enrolment) -> list[str]:
    """The training-plan roles this person signs for: apprentice, employer (line manager), provider (director).

    An administrator does not sign for the provider unless they are one of the programme's directors: a signature
    is a personal commitment.
    """
    if not _signed_in(user):
        return []
    roles = []
    if enrolment.apprentice_id == user.pk:
        roles.append("apprentice")
    if enrolment.line_manager_id == user.pk:
        roles.append("employer")
    if enrolment.programme.directors.filter(pk=user.pk).exists():
        roles.append("provider")
    return roles


def can_add_evidence(user: Any, enrolment: Enrolment) -> bool:
    """Add or revise portfolio evidence: the apprentice themself."""
    return _signed_in(user) and enrolment.apprentice_id == user.pk


def can_review_evidence(user: Any, enrolment: Enrolment) -> bool:
    """Accept evidence or ask for more work: the enrolment's practice tutor."""
    return _signed_in(user) and enrolment.practice_tutor_id == user.pk


def can_share_portfolio(user: Any, enrolment: Enrolment) -> bool:
    """Create expiring read-only links for an outside assessor: the practice tutor or a programme director."""
    return can_review_evidence(user, enrolment) or is_director_of(user, enrolment.programme)


def can_log_otj(user: Any, enrolment: Enrolment) -> bool:
    """Log, edit or delete off-the-job hours, or ask for a correction: the apprentice themself."""
    return _signed_in(user) and enrolment.apprentice_id == user.pk


def can_confirm_otj(user: Any, enrolment: Enrolment) -> bool:
    """Confirm or query off-the-job hours: the enrolment's current line manager (the employer's decision)."""
    return _signed_in(user) and enrolment.line_manager_id == user.pk


def can_invite(user: Any) -> bool:
    """Invite people: programme directors and administrators."""
    if not _signed_in(user):
        return False
    return bool(user.is_superuser or user.directed_programmes.exists())


def directed_programmes(user: Any) -> QuerySet[Programme]:
    from programmes.models import Programme

    if not _signed_in(user):
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(directors=user)


# ---- Module assessment (assignments, submissions, marks) ---------------------------------------------------


def can_submit_assignment(user: Any, enrolment: Enrolment) -> bool:
    """Submit an assignment: the apprentice themself."""
    return _signed_in(user) and enrolment.apprentice_id == user.pk


def can_mark_submission(user: Any, module_run: ModuleRun) -> bool:
    """Mark submissions and release a module run's marks: that run's module lead."""
    return _signed_in(user) and module_run.lead_id is not None and module_run.lead_id == user.pk


def can_manage_module_runs(user: Any, cohort: Cohort) -> bool:
    """Set up a cohort's module runs (dates, deadlines, lead, policy): a director of its programme."""
    return is_director_of(user, cohort.programme)


def can_see_unreleased_marks(user: Any, module_run: ModuleRun) -> bool:
    """See marks before they are released: the run's module lead and the programme's directors."""
    return can_mark_submission(user, module_run) or is_director_of(user, module_run.cohort.programme)


def module_runs_overseen_by(user: Any) -> QuerySet[ModuleRun]:
    """Module runs whose marking status this person oversees: those they lead, and their programmes' runs."""
    from programmes.models import ModuleRun, Programme

    if not _signed_in(user):
        return ModuleRun.objects.none()
    if user.is_superuser:
        return ModuleRun.objects.all()
    directed = Programme.objects.filter(directors=user).values("pk")
    return ModuleRun.objects.filter(Q(lead=user) | Q(cohort__programme_id__in=directed))


# --- progress reviews (tutors) --------------------------------------------------------------------------------


def can_record_review(user: Any, enrolment: Enrolment) -> bool:
    """Schedule, record and correct progress reviews: the enrolment's practice tutor."""
    return _signed_in(user) and enrolment.practice_tutor_id == user.pk


def review_signing_roles(user: Any, enrolment: Enrolment) -> list[str]:
    """The review roles this person signs for: apprentice, line manager, practice tutor (a signature is personal,
    so an administrator or director signs only if they hold one of these roles)."""
    if not _signed_in(user):
        return []
    roles = []
    if enrolment.apprentice_id == user.pk:
        roles.append("apprentice")
    if enrolment.line_manager_id == user.pk:
        roles.append("line_manager")
    if enrolment.practice_tutor_id == user.pk:
        roles.append("tutor")
    return roles


def can_see_safeguarding(user: Any, enrolment: Enrolment) -> bool:
    """A safeguarding concern is read only by the practice tutor and the programme's directors (and administrators);
    never by the apprentice or the line manager."""
    return can_record_review(user, enrolment) or is_director_of(user, enrolment.programme)


def can_see_overdue_reviews(user: Any) -> bool:
    """The overdue-reviews page across programmes: programme directors and administrators."""
    return directed_programmes(user).exists()
