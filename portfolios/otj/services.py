"""Off-the-job ledger writes: log, edit, delete, ask for a correction, confirm, query, and email confirmation links.

Every rule of domain.md §4 that an entry must satisfy lives in ``_validate``; pages, the API, the one-click
link, tasks and the demo loader all call these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import User
from core.errors import ActionNotAllowed, ConflictError, DomainError
from portfolios.otj.models import ConfirmationLink, OffTheJobEntry, OTJActivityType
from programmes import access
from programmes.models import KSB, BreakInLearning, Enrolment, ModuleRun
from programmes.training_plans import services as plan_services

Status = OffTheJobEntry.Status
LINK_SALT = "tripartite.otj.confirmation-link"
QUARTER = Decimal("0.25")
LOGGABLE_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.BREAK_IN_LEARNING)


@dataclass
class EntryFields:
    date: date
    hours: Decimal
    activity_type_id: int
    description: str
    ksb_ids: Sequence[int] = ()
    module_run_id: int | None = None
    evidence_id: int | None = None


def _require_apprentice(by: User, enrolment: Enrolment) -> None:
    if not access.can_log_otj(by, enrolment):
        raise ActionNotAllowed("Only the apprentice logs and changes their own off-the-job hours.")


def loggable_blocker(enrolment: Enrolment) -> str | None:
    """Why hours cannot be logged on this enrolment at all, or None."""
    blocker = plan_services.training_blocker(enrolment)
    if blocker:
        return blocker
    if enrolment.status not in LOGGABLE_STATUSES:
        return (
            f"This apprenticeship is {enrolment.get_status_display().lower()}; off-the-job hours are logged "
            "only during the practical period."
        )
    return None


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError("Enter the hours as a number, such as 1.5.", field="hours") from None
    if not hours.is_finite() or hours <= 0:
        raise DomainError("Enter more than 0 hours.", field="hours")
    if hours > settings.OTJ_MAX_HOURS_PER_DAY:
        raise DomainError(
            f"No more than {settings.OTJ_MAX_HOURS_PER_DAY} hours can be logged for one day.", field="hours"
        )
    if hours % QUARTER:
        raise DomainError("Log hours in quarter-hour steps (0.25, 0.5, 0.75 …).", field="hours")
    return hours


def _validate(
    fields: EntryFields, enrolment: Enrolment, *, entry: OffTheJobEntry | None = None
) -> tuple[EntryFields, OTJActivityType, list[KSB]]:
    """Check every rule an entry must meet (domain.md §4); raise the first broken one, naming the field."""
    today = timezone.localdate()
    when = fields.date
    if when > today:
        raise DomainError(
            "The date cannot be in the future: log activities once they have happened.", field="date"
        )
    if when < enrolment.start_date:
        raise DomainError(
            f"The date is before the apprenticeship started ({enrolment.start_date:%-d %B %Y}).", field="date"
        )
    if when > enrolment.planned_end_date:
        raise DomainError(
            f"The date is after the planned end of the practical period ({enrolment.planned_end_date:%-d %B %Y}).",
            field="date",
        )
    pause = (
        BreakInLearning.objects.filter(enrolment=enrolment, start_date__lte=when)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=when))
        .first()
    )
    if pause is not None:
        raise DomainError(
            f"The date falls inside a break in learning (from {pause.start_date:%-d %B %Y}); no training is logged "
            "during a break.",
            field="date",
        )
    hours = _hours(fields.hours)
    others = OffTheJobEntry.objects.filter(enrolment=enrolment, date=when).exclude(status=Status.REJECTED)
    if entry is not None:
        others = others.exclude(pk=entry.pk)
    same_day = others.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if same_day + hours > settings.OTJ_MAX_HOURS_PER_DAY:
        raise DomainError(
            f"That makes {same_day + hours} hours on {when:%-d %B %Y}; no more than "
            f"{settings.OTJ_MAX_HOURS_PER_DAY} hours can be logged for one day ({same_day} already logged).",
            field="hours",
        )
    activity_type = OTJActivityType.objects.filter(pk=fields.activity_type_id, is_active=True).first()
    if activity_type is None:
        raise DomainError("Choose the kind of activity.", field="activity_type")
    description = " ".join(fields.description.split())
    if len(description.split()) < settings.OTJ_MIN_DESCRIPTION_WORDS:
        raise DomainError(
            f"Describe what you did and what you learned in at least {settings.OTJ_MIN_DESCRIPTION_WORDS} words; "
            "auditors reject vague descriptions.",
            field="description",
        )
    ksb_ids = set(fields.ksb_ids)
    ksbs = list(KSB.objects.filter(pk__in=ksb_ids, standard_id=enrolment.programme.standard_id))
    if len(ksbs) != len(ksb_ids):
        raise DomainError("Choose KSBs from this apprenticeship's standard.", field="ksbs")
    if activity_type.counts_towards_otj and not ksbs:
        raise DomainError(
            "Choose at least one KSB this activity developed: off-the-job training must teach something in the "
            "standard.",
            field="ksbs",
        )
    if (
        fields.module_run_id
        and not ModuleRun.objects.filter(pk=fields.module_run_id, cohort_id=enrolment.cohort_id).exists()
    ):
        raise DomainError("Choose a module from this apprentice's timetable.", field="module_run")
    if fields.evidence_id and not enrolment.evidence.filter(pk=fields.evidence_id).exists():
        raise DomainError("Choose a piece of evidence from this apprentice's portfolio.", field="evidence")
    fields.hours = hours
    fields.description = fields.description.strip()
    return fields, activity_type, ksbs


def _locked(entry: OffTheJobEntry) -> OffTheJobEntry:
    return (
        OffTheJobEntry.objects.select_for_update(of=("self",))
        .select_related("enrolment__programme", "activity_type")
        .get(pk=entry.pk)
    )


@transaction.atomic
def otj_entry_create(*, enrolment: Enrolment, by: User, fields: EntryFields) -> OffTheJobEntry:
    """Log an activity; it waits for the line manager's confirmation, flagged if logged long after."""
    _require_apprentice(by, enrolment)
    blocker = loggable_blocker(enrolment)
    if blocker:
        raise ConflictError(blocker)
    # Lock the enrolment so two entries for one day cannot together pass the daily limit.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    fields, activity_type, ksbs = _validate(fields, enrolment)
    now = timezone.now()
    entry = OffTheJobEntry.objects.create(
        enrolment=enrolment,
        date=fields.date,
        hours=fields.hours,
        activity_type=activity_type,
        description=fields.description,
        module_run_id=fields.module_run_id or None,
        evidence_id=fields.evidence_id or None,
        logged_at=now,
        logged_by=by,
        is_late=OffTheJobEntry.late_for(fields.date, now),
    )
    entry.ksbs.set(ksbs)
    return entry


@transaction.atomic
def otj_entry_update(*, entry: OffTheJobEntry, by: User, fields: EntryFields) -> OffTheJobEntry:
    """Change an entry awaiting confirmation (or one queried, which returns it to the manager); history is kept."""
    entry = _locked(entry)
    _require_apprentice(by, entry.enrolment)
    if not entry.is_editable:
        raise ConflictError(
            "A confirmed entry cannot be edited. Ask for a correction: it returns to your line manager to confirm "
            "again."
        )
    Enrolment.objects.select_for_update().filter(pk=entry.enrolment_id).first()
    fields, activity_type, ksbs = _validate(fields, entry.enrolment, entry=entry)
    entry.date, entry.hours, entry.activity_type, entry.description = (
        fields.date,
        fields.hours,
        activity_type,
        fields.description,
    )
    entry.module_run_id = fields.module_run_id or None
    entry.evidence_id = fields.evidence_id or None
    entry.is_late = OffTheJobEntry.late_for(entry.date, entry.logged_at)
    if entry.status == Status.REJECTED:
        entry.status = Status.PENDING
        entry.decided_at = entry.decided_by = None
        entry.decided_via = ""
    entry.save()
    entry.ksbs.set(ksbs)
    return entry


@transaction.atomic
def otj_entry_delete(*, entry: OffTheJobEntry, by: User) -> None:
    """Delete an entry not yet confirmed (the history table keeps a record of it)."""
    entry = _locked(entry)
    _require_apprentice(by, entry.enrolment)
    if not entry.is_editable:
        raise ConflictError("A confirmed entry cannot be deleted; ask for a correction instead.")
    entry.delete()


@transaction.atomic
def otj_entry_request_correction(*, entry: OffTheJobEntry, by: User, reason: str) -> OffTheJobEntry:
    """Reopen a confirmed entry for correction: it returns to pending and needs confirming again."""
    entry = _locked(entry)
    _require_apprentice(by, entry.enrolment)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say what needs correcting.", field="reason")
    if entry.status != Status.CONFIRMED:
        raise ConflictError("Only confirmed entries need a correction request; edit this one directly.")
    entry.status = Status.PENDING
    entry.correction_reason = reason
    entry.decided_at = entry.decided_by = None
    entry.decided_via = ""
    entry.save()
    return entry


def _decide(entry: OffTheJobEntry, *, by: User, status: str, via: str, reason: str = "") -> OffTheJobEntry:
    if not access.can_confirm_otj(by, entry.enrolment):
        raise ActionNotAllowed(
            "Only the apprentice's line manager confirms or queries their off-the-job hours."
        )
    if entry.status != Status.PENDING:
        raise ConflictError(f"This entry is already {entry.get_status_display().lower()}.")
    entry.status = status
    entry.decided_at = timezone.now()
    entry.decided_by = by
    entry.decided_via = via
    entry.rejection_reason = reason
    entry.save(update_fields=["status", "decided_at", "decided_by", "decided_via", "rejection_reason"])
    return entry


@transaction.atomic
def otj_entry_confirm(
    *, entry: OffTheJobEntry, by: User, via: str = OffTheJobEntry.Via.PAGE
) -> OffTheJobEntry:
    """The employer confirms the activity happened in paid working hours; only confirmed hours count."""
    return _decide(_locked(entry), by=by, status=Status.CONFIRMED, via=via)


@transaction.atomic
def otj_entry_reject(
    *, entry: OffTheJobEntry, by: User, reason: str, via: str = OffTheJobEntry.Via.PAGE
) -> OffTheJobEntry:
    """Query an entry: it goes back to the apprentice with the reason, to amend or delete."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Give a reason so the apprentice knows what to change.", field="reason")
    return _decide(_locked(entry), by=by, status=Status.REJECTED, via=via, reason=reason)


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: int


@transaction.atomic
def otj_entries_decide(
    *, entry_ids: Sequence[int], by: User, confirm: bool, reason: str = "", via: str = OffTheJobEntry.Via.BULK
) -> BulkResult:
    """Confirm (or query, with one reason) many entries at once; entries no longer pending are skipped."""
    reason = reason.strip()
    if not confirm and not reason:
        raise DomainError("Give a reason so the apprentice knows what to change.", field="reason")
    entries = list(
        OffTheJobEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=list(entry_ids), enrolment__line_manager=by)
        .select_related("enrolment")
        .order_by("pk")
    )
    if not entries:
        raise DomainError("Choose at least one entry.", field="entries")
    done = 0
    for entry in entries:
        if entry.status != Status.PENDING:
            continue
        _decide(entry, by=by, status=Status.CONFIRMED if confirm else Status.REJECTED, via=via, reason=reason)
        done += 1
    return BulkResult(done=done, skipped=len(set(entry_ids)) - done)


# --- one-click confirmation links ----------------------------------------------------------------------------


def _digest(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(set(ids))).encode()).hexdigest()


@transaction.atomic
def confirmation_link_create(
    *, manager: User, enrolment: Enrolment, entries: Sequence[OffTheJobEntry]
) -> str:
    """A signed, single-use, expiring token for exactly these entries of one apprentice, for this manager."""
    ids = [entry.pk for entry in entries]
    if not ids or any(entry.enrolment_id != enrolment.pk for entry in entries):
        raise DomainError("A confirmation link covers pending entries of one apprentice.")
    if enrolment.line_manager_id != manager.pk:
        raise ActionNotAllowed("Confirmation links go only to the apprentice's line manager.")
    link = ConfirmationLink.objects.create(
        manager=manager,
        enrolment=enrolment,
        entries_digest=_digest(ids),
        expires_at=ConfirmationLink.default_expiry(),
    )
    link.entries.set(ids)
    return signing.dumps({"link": link.pk, "manager": manager.pk, "entries": _digest(ids)}, salt=LINK_SALT)


class LinkUnusable(DomainError):
    """The link cannot be used: expired, used already, or for someone else. The message says which."""

    status_code = 410


def confirmation_link_load(token: str) -> ConfirmationLink:
    """The link behind a token; ConfirmationLink.DoesNotExist when tampered with, LinkUnusable when spent."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=settings.OTJ_LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkUnusable(
            "This confirmation link has expired. Sign in to confirm the hours from your confirmation page."
        ) from None
    except signing.BadSignature:
        raise ConfirmationLink.DoesNotExist from None
    link = (
        ConfirmationLink.objects.select_related("manager", "enrolment__apprentice", "enrolment__line_manager")
        .filter(
            pk=payload.get("link"), manager_id=payload.get("manager"), entries_digest=payload.get("entries")
        )
        .first()
    )
    if link is None:
        raise ConfirmationLink.DoesNotExist
    if link.used_at is not None:
        raise LinkUnusable(
            f"This link was already used on {timezone.localtime(link.used_at):%-d %B %Y at %H:%M}. Each link "
            "works once; sign in to see the hours."
        )
    if link.is_expired:
        raise LinkUnusable(
            "This confirmation link has expired. Sign in to confirm the hours from your confirmation page."
        )
    if link.enrolment.line_manager_id != link.manager_id:
        raise LinkUnusable("You are no longer this apprentice's line manager, so this link cannot be used.")
    return link


@transaction.atomic
def confirmation_link_use(*, token: str, signed_in_as: User | None = None) -> BulkResult:
    """Confirm the link's entries that are still pending, as the manager it was sent to; the link is then spent."""
    link = confirmation_link_load(token)
    link = ConfirmationLink.objects.select_for_update().select_related("manager", "enrolment").get(pk=link.pk)
    if link.used_at is not None:
        raise LinkUnusable("This link was already used. Each link works once; sign in to see the hours.")
    if signed_in_as is not None and signed_in_as.is_authenticated and signed_in_as.pk != link.manager_id:
        raise ActionNotAllowed(
            f"This link was sent to {link.manager.full_name}. Sign out, or ask them to use it."
        )
    ids = list(link.entries.values_list("pk", flat=True))
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    pending = OffTheJobEntry.objects.filter(pk__in=ids, status=Status.PENDING).values_list("pk", flat=True)
    if not pending:
        return BulkResult(done=0, skipped=len(ids))
    result = otj_entries_decide(
        entry_ids=list(pending), by=link.manager, confirm=True, via=OffTheJobEntry.Via.EMAIL_LINK
    )
    return BulkResult(done=result.done, skipped=len(ids) - result.done)
