"""The single access policy: what a user may see, and what they may do.

Visibility starts from enrolments: a user sees an enrolment when they are its apprentice, its line manager,
its practice tutor, a director of its programme, the lead of one of its cohort's module runs, or the assessor
of its end-point assessment. Every other object's visibility follows through its enrolment. Objects a user may
not see are 404; visible objects with a forbidden action are 403 (see ``ActionNotAllowed``).
Roles are derived from these relationships, never stored.

Fetch-and-authorise is written once, here: ``visible_or_404(queryset, pk)`` (and ``enrolment_for`` /
``cohort_for`` built on it) is what every page, API view, export and task uses to load the object it acts on.
Anything that is not a whole number, does not exist, or is not visible to the caller is the same 404.

This module sits in ``programmes`` (the layer every capability builds on). It imports no capability above it:
the end-point assessment's assessor is reached through the enrolment's reverse relation (``epa``), by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.http import Http404

from accounts.models import User
from accounts.roles import (  # noqa: F401 - the role vocabulary lives with accounts; re-exported for callers
    ALL_ROLES,
    ROLE_ADMIN,
    ROLE_APPRENTICE,
    ROLE_ASSESSOR,
    ROLE_LABELS,
    ROLE_LINE_MANAGER,
    ROLE_MODULE_LEAD,
    ROLE_PRACTICE_TUTOR,
    ROLE_PROGRAMME_DIRECTOR,
    STAFF_ROLES,
    can_invite,
    signed_in,
)

if TYPE_CHECKING:
    from programmes.models import Cohort, Enrolment, ModuleRun, Programme

M = TypeVar("M", bound=Model)

NOTHING = Q(pk__in=[])


def enrolment_visibility_filter(user: Any) -> Q:
    """A filter on Enrolment for the rows this user may see (subqueries, so no duplicate rows)."""
    from programmes.models import Enrolment, ModuleRun, Programme

    if not signed_in(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    return (
        Q(apprentice=user)
        | Q(line_manager=user)
        | Q(practice_tutor=user)
        | Q(programme_id__in=Programme.objects.filter(directors=user).values("pk"))
        | Q(cohort_id__in=ModuleRun.objects.filter(lead=user).values("cohort_id"))
        | Q(pk__in=Enrolment.objects.filter(epa__assessor=user).values("pk"))
    )


def enrolments_visible_to(user: Any) -> QuerySet[Enrolment]:
    from programmes.models import Enrolment

    return Enrolment.objects.visible_to(user)


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """Programmes the user directs, or on which they can see an enrolment or lead a module run."""
    from programmes.models import ModuleRun, Programme

    if not signed_in(user):
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
    from programmes.models import Cohort, Enrolment, ModuleRun, Programme

    if not signed_in(user):
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(
        Q(programme_id__in=Programme.objects.filter(directors=user).values("pk"))
        | Q(pk__in=Enrolment.objects.filter(practice_tutor=user).values("cohort_id"))
        | Q(pk__in=ModuleRun.objects.filter(lead=user).values("cohort_id"))
        | Q(pk__in=Enrolment.objects.filter(epa__assessor=user).values("cohort_id"))
    )


def roles_for(user: Any) -> list[str]:
    """The roles a user holds, derived from their relationships (one query)."""
    from programmes.models import Enrolment, ModuleRun, Programme

    if not signed_in(user):
        return []
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            r_apprentice=Exists(Enrolment.objects.filter(apprentice=OuterRef("pk"))),
            r_line_manager=Exists(Enrolment.objects.filter(line_manager=OuterRef("pk"))),
            r_practice_tutor=Exists(Enrolment.objects.filter(practice_tutor=OuterRef("pk"))),
            r_programme_director=Exists(Programme.objects.filter(directors=OuterRef("pk"))),
            r_module_lead=Exists(ModuleRun.objects.filter(lead=OuterRef("pk"))),
            r_assessor=Exists(Enrolment.objects.filter(epa__assessor=OuterRef("pk"))),
            r_admin=Value(user.is_superuser),
        )
        .values(*(f"r_{role}" for role in ALL_ROLES))
        .get()
    )
    return [role for role in ALL_ROLES if flags[f"r_{role}"]]


def is_director_of(user: Any, programme: Programme) -> bool:
    if not signed_in(user):
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
    if not signed_in(user):
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
    return signed_in(user) and enrolment.apprentice_id == user.pk


def can_review_evidence(user: Any, enrolment: Enrolment) -> bool:
    """Accept evidence or ask for more work: the enrolment's practice tutor."""
    return signed_in(user) and enrolment.practice_tutor_id == user.pk


def can_share_portfolio(user: Any, enrolment: Enrolment) -> bool:
    """Create expiring read-only links for an outside assessor: the practice tutor or a programme director."""
    return can_review_evidence(user, enrolment) or is_director_of(user, enrolment.programme)


def can_log_otj(user: Any, enrolment: Enrolment) -> bool:
    """Log, edit or delete off-the-job hours, or ask for a correction: the apprentice themself."""
    return signed_in(user) and enrolment.apprentice_id == user.pk


def can_confirm_otj(user: Any, enrolment: Enrolment) -> bool:
    """Confirm or query off-the-job hours: the enrolment's current line manager (the employer's decision)."""
    return signed_in(user) and enrolment.line_manager_id == user.pk


def directed_programmes(user: Any) -> QuerySet[Programme]:
    from programmes.models import Programme

    if not signed_in(user):
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(directors=user)


# ---- Module assessment (assignments, submissions, marks) ---------------------------------------------------


def can_submit_assignment(user: Any, enrolment: Enrolment) -> bool:
    """Submit an assignment: the apprentice themself."""
    return signed_in(user) and enrolment.apprentice_id == user.pk


def can_mark_submission(user: Any, module_run: ModuleRun) -> bool:
    """Mark submissions and release a module run's marks: that run's module lead."""
    return signed_in(user) and module_run.lead_id is not None and module_run.lead_id == user.pk


def can_manage_module_runs(user: Any, cohort: Cohort) -> bool:
    """Set up a cohort's module runs (dates, deadlines, lead, policy): a director of its programme."""
    return is_director_of(user, cohort.programme)


def can_see_unreleased_marks(user: Any, module_run: ModuleRun) -> bool:
    """See marks before they are released: the run's module lead and the programme's directors."""
    return can_mark_submission(user, module_run) or is_director_of(user, module_run.cohort.programme)


def module_runs_overseen_by(user: Any) -> QuerySet[ModuleRun]:
    """Module runs whose marking status this person oversees: those they lead, and their programmes' runs."""
    from programmes.models import ModuleRun, Programme

    if not signed_in(user):
        return ModuleRun.objects.none()
    if user.is_superuser:
        return ModuleRun.objects.all()
    directed = Programme.objects.filter(directors=user).values("pk")
    return ModuleRun.objects.filter(Q(lead=user) | Q(cohort__programme_id__in=directed))


# --- progress reviews (tutors) --------------------------------------------------------------------------------


def can_record_review(user: Any, enrolment: Enrolment) -> bool:
    """Schedule, record and correct progress reviews: the enrolment's practice tutor."""
    return signed_in(user) and enrolment.practice_tutor_id == user.pk


def review_signing_roles(user: Any, enrolment: Enrolment) -> list[str]:
    """The review roles this person signs for: apprentice, employer (the line manager), provider (the practice
    tutor). A signature is personal, so an administrator or director signs only if they hold one of these roles."""
    if not signed_in(user):
        return []
    roles = []
    if enrolment.apprentice_id == user.pk:
        roles.append("apprentice")
    if enrolment.line_manager_id == user.pk:
        roles.append("employer")
    if enrolment.practice_tutor_id == user.pk:
        roles.append("provider")
    return roles


def can_see_safeguarding(user: Any, enrolment: Enrolment) -> bool:
    """A safeguarding concern is read only by the practice tutor and the programme's directors (and administrators);
    never by the apprentice or the line manager."""
    return can_record_review(user, enrolment) or is_director_of(user, enrolment.programme)


def can_see_overdue_reviews(user: Any) -> bool:
    """The overdue-reviews page across programmes: programme directors and administrators."""
    return directed_programmes(user).exists()


# --- fetch and authorise: the one way every page, API view, export and task loads what it acts on -----------


def visible_or_404(queryset: QuerySet[M], pk: Any, *, noun: str = "object") -> M:
    """The row with primary key ``pk`` among ``queryset`` (a queryset already limited to what the caller may
    see, e.g. ``Enrolment.objects.visible_to(user)``), else 404.

    A key that is not a whole number, a row that does not exist and a row the caller may not see are the same
    404, so nothing is learnt by probing."""
    key = str(pk)
    if not key.isdigit() or len(key) > 18:
        raise Http404(f"No such {noun}.")
    row = queryset.filter(pk=int(key)).first()
    if row is None:
        raise Http404(f"No such {noun}.")
    return row


def enrolment_for(user: Any, pk: Any) -> Enrolment:
    """A visible enrolment with its people, programme and history loaded, else 404."""
    from programmes.models import Enrolment

    queryset = (
        Enrolment.objects.visible_to(user)
        .select_related(
            "apprentice", "programme__standard", "cohort", "employer", "line_manager", "practice_tutor"
        )
        .prefetch_related(
            "status_changes__changed_by",
            "employment_periods__employer",
            "employment_periods__line_manager",
            "breaks",
        )
    )
    return visible_or_404(queryset, pk, noun="enrolment")


def cohort_for(user: Any, pk: Any) -> Cohort:
    """A cohort the user works in (staff roles; see ``cohorts_visible_to``), with its programme, else 404."""
    return visible_or_404(cohorts_visible_to(user).select_related("programme"), pk, noun="cohort")


# --- gateway, end-point assessment and completion records --------------------------------------------------


def is_apprentice(user: Any, enrolment: Enrolment) -> bool:
    return signed_in(user) and enrolment.apprentice_id == user.pk


def is_line_manager(user: Any, enrolment: Enrolment) -> bool:
    return signed_in(user) and enrolment.line_manager_id == user.pk


def is_director(user: Any, enrolment: Enrolment) -> bool:
    """A director of the enrolment's programme (an administrator counts: they act for the provider)."""
    return is_director_of(user, enrolment.programme)


def is_personal_director(user: Any, enrolment: Enrolment) -> bool:
    """A director in person: sign-offs are personal commitments, so an administrator does not give them."""
    return signed_in(user) and enrolment.programme.directors.filter(pk=user.pk).exists()


def assessor_id(enrolment: Enrolment) -> int | None:
    """The independent assessor of the enrolment's end-point assessment, through the reverse relation ``epa``."""
    try:
        return enrolment.epa.assessor_id
    except ObjectDoesNotExist:
        return None


def is_assessor(user: Any, enrolment: Enrolment) -> bool:
    return signed_in(user) and assessor_id(enrolment) == user.pk


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
    return (signed_in(user) and enrolment.practice_tutor_id == user.pk) or is_director(user, enrolment)


def can_agree_sbp_for(user: Any, enrolment: Enrolment) -> list[str]:
    """Agree the SBP title and scope: the line manager for the employer; the assessor (or, before one is
    assigned, a director recording the organisation's agreement) for the assessment organisation."""
    parties = []
    if is_line_manager(user, enrolment):
        parties.append("employer")
    if is_assessor(user, enrolment) or is_director(user, enrolment):
        parties.append("epao")
    return parties


# The apprentice proposes the SBP title and scope, and submits the SBP.
can_propose_sbp = can_submit_sbp = is_apprentice
# Only the assigned independent assessor schedules the EPA, records and releases grades, and sees them before
# release (to apprentice, manager and director together).
can_assess = can_see_unreleased_results = is_assessor
# Directors of the programme assign the assessor and issue or revoke completion records.
can_assign_assessor = can_issue_completion = can_revoke_completion = is_director
