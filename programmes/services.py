"""Writes for programmes and enrolments: creating an enrolment, moving it through its lifecycle,
changing employer, and importing a standard's KSBs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from core.errors import ActionNotAllowed, DomainError
from programmes import access, signals
from programmes.models import (
    KSB,
    BreakInLearning,
    Cohort,
    EmploymentPeriod,
    Enrolment,
    EnrolmentStatusChange,
    Standard,
    WithdrawalReason,
)

MIN_WEEKLY_HOURS = Decimal("1")
MAX_WEEKLY_HOURS = Decimal("48")
Status = Enrolment.Status


def _check_line_manager(line_manager: User, employer: Organisation) -> None:
    if not employer.is_employer:
        raise DomainError(f"{employer} is not an employer.", field="employer")
    if line_manager.organisation_id != employer.pk:
        works_for = line_manager.organisation or "no employer"
        raise DomainError(
            f"{line_manager} works for {works_for}, not {employer}; "
            "choose a line manager from the apprentice's employer.",
            field="line_manager",
        )


@transaction.atomic
def enrolment_create(
    *,
    created_by: User,
    apprentice: User,
    cohort: Cohort,
    employer: Organisation,
    line_manager: User,
    practice_tutor: User,
    start_date: date,
    planned_end_date: date,
    contracted_weekly_hours: Decimal,
    prior_learning_hours: Decimal = Decimal("0"),
    prior_learning_notes: str = "",
) -> Enrolment:
    """Enrol an apprentice on a cohort; the enrolment is pending until the training plan is signed."""
    programme = cohort.programme
    if not access.is_director_of(created_by, programme):
        raise ActionNotAllowed("Only a director of this programme can enrol apprentices on it.")
    if planned_end_date <= start_date:
        raise DomainError("The planned end date must be after the start date.", field="planned_end_date")
    if not MIN_WEEKLY_HOURS <= contracted_weekly_hours <= MAX_WEEKLY_HOURS:
        raise DomainError(
            "Contracted weekly hours must be between 1 and 48.", field="contracted_weekly_hours"
        )
    if prior_learning_hours < 0:
        raise DomainError("Prior learning hours cannot be negative.", field="prior_learning_hours")
    _check_line_manager(line_manager, employer)
    if apprentice.organisation_id and apprentice.organisation_id != employer.pk:
        raise DomainError(
            f"{apprentice} works for {apprentice.organisation}, not {employer}.", field="employer"
        )
    if practice_tutor.organisation_id != programme.provider_id:
        raise DomainError(
            f"The practice tutor must be a member of staff at {programme.provider}.", field="practice_tutor"
        )
    if apprentice.pk in (line_manager.pk, practice_tutor.pk):
        raise DomainError(
            "An apprentice cannot be their own line manager or practice tutor.", field="apprentice"
        )
    existing = (
        Enrolment.objects.select_for_update()
        .filter(apprentice=apprentice, programme=programme)
        .exclude(status=Status.WITHDRAWN)
        .select_related("cohort")
        .first()
    )
    if existing is not None:
        raise DomainError(
            f"{apprentice} is already enrolled on {programme} ({existing.cohort.name}).", field="apprentice"
        )

    enrolment = Enrolment.objects.create(
        apprentice=apprentice,
        programme=programme,
        cohort=cohort,
        employer=employer,
        line_manager=line_manager,
        practice_tutor=practice_tutor,
        start_date=start_date,
        planned_end_date=planned_end_date,
        contracted_weekly_hours=contracted_weekly_hours,
        prior_learning_hours=prior_learning_hours,
        prior_learning_notes=prior_learning_notes,
        status=Status.PENDING,
    )
    EmploymentPeriod.objects.create(
        enrolment=enrolment, employer=employer, line_manager=line_manager, start_date=start_date
    )
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        from_status="",
        to_status=Status.PENDING,
        effective_on=start_date,
        reason="Enrolled; awaiting training plan signatures.",
        changed_by=created_by,
    )
    return enrolment


_NEEDS_REASON: dict[str, str] = {
    Status.WITHDRAWN: "withdrawal",
    Status.BREAK_IN_LEARNING: "break in learning",
}


def _describe_allowed(enrolment: Enrolment) -> str:
    allowed = [Status(s).label for s in enrolment.allowed_transitions()]
    return ", ".join(allowed) if allowed else "nothing — it is final"


@transaction.atomic
def enrolment_change_status(
    *,
    enrolment: Enrolment,
    to_status: str,
    by: User | None,
    effective_on: date | None = None,
    reason: str = "",
    withdrawal_reason_code: str = "",
    expected_return_date: date | None = None,
    check_permission: bool = True,
) -> Enrolment:
    """Move an enrolment along its lifecycle, recording the change; invalid moves raise a DomainError.

    ``check_permission=False`` is for other services (e.g. the training plan, once signed) acting for the system.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if check_permission and not access.can_manage_enrolment(by, enrolment):
        raise ActionNotAllowed("Only a director of this programme can change an enrolment's status.")
    effective_on = effective_on or timezone.localdate()
    reason = reason.strip()
    _check_status_change(enrolment, to_status, effective_on, reason)

    from_status = enrolment.status
    update_fields = ["status"]
    update_fields += _apply_status_effects(
        enrolment, from_status, to_status, effective_on, reason, withdrawal_reason_code, expected_return_date
    )
    enrolment.status = to_status
    enrolment.save(update_fields=update_fields)
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        is_restart=from_status == Status.BREAK_IN_LEARNING and to_status == Status.ACTIVE,
        changed_by=by,
    )
    return enrolment


def _check_status_change(enrolment: Enrolment, to_status: str, effective_on: date, reason: str) -> None:
    """The rules for a status change that do not depend on the target state's own records."""
    if to_status not in Status.values:
        raise DomainError(f"'{to_status}' is not an enrolment status.", field="to_status")
    if to_status not in enrolment.allowed_transitions():
        raise DomainError(
            f"An enrolment that is {enrolment.get_status_display().lower()} cannot move to "
            f"{Status(to_status).label.lower()}. From here it can move to: {_describe_allowed(enrolment)}.",
            field="to_status",
        )
    if effective_on < enrolment.start_date:
        raise DomainError(
            "The change cannot take effect before the learning start date.", field="effective_on"
        )
    if effective_on > timezone.localdate():
        raise DomainError("The change cannot take effect in the future.", field="effective_on")
    if to_status in _NEEDS_REASON and not reason:
        raise DomainError(
            f"Give a reason for the {_NEEDS_REASON[to_status]}; it is kept on the learner record.",
            field="reason",
        )
    last_change = enrolment.status_changes.order_by("-effective_on", "-pk").first()
    if last_change is not None and effective_on < last_change.effective_on:
        raise DomainError(
            f"The change cannot take effect before the previous one ({last_change.effective_on:%d/%m/%Y}).",
            field="effective_on",
        )


def _apply_status_effects(
    enrolment: Enrolment,
    from_status: str,
    to_status: str,
    effective_on: date,
    reason: str,
    withdrawal_reason_code: str,
    expected_return_date: date | None,
) -> list[str]:
    """Breaks opened and closed, withdrawal details, the end of the practical period; returns the fields set."""
    update_fields: list[str] = []
    if to_status == Status.BREAK_IN_LEARNING:
        if expected_return_date is not None and expected_return_date <= effective_on:
            raise DomainError(
                "The expected return date must be after the break begins.", field="expected_return_date"
            )
        BreakInLearning.objects.create(
            enrolment=enrolment,
            start_date=effective_on,
            expected_return_date=expected_return_date,
            reason=reason,
        )
    elif from_status == Status.BREAK_IN_LEARNING:
        open_break = enrolment.breaks.filter(end_date__isnull=True).order_by("-start_date").first()
        if open_break is not None:
            if effective_on < open_break.start_date:
                raise DomainError("Learning cannot restart before the break began.", field="effective_on")
            open_break.end_date = effective_on
            open_break.save(update_fields=["end_date"])
    if to_status == Status.WITHDRAWN:
        code = withdrawal_reason_code or WithdrawalReason.OTHER
        if code not in WithdrawalReason.values:
            raise DomainError(
                "Choose a withdrawal reason from the learner-record list.", field="withdrawal_reason_code"
            )
        enrolment.withdrawal_reason = reason
        enrolment.withdrawal_reason_code = code
        enrolment.actual_end_date = effective_on
        update_fields += ["withdrawal_reason", "withdrawal_reason_code", "actual_end_date"]
    elif to_status == Status.GATEWAY:
        # The practical period ends when the apprentice goes through gateway (the EPA period is excluded).
        enrolment.actual_end_date = effective_on
        update_fields.append("actual_end_date")
    return update_fields


@transaction.atomic
def enrolment_change_employer(
    *,
    enrolment: Enrolment,
    employer: Organisation,
    line_manager: User,
    effective_on: date,
    by: User,
) -> EmploymentPeriod:
    """Record a change of employer: the learning continues, a new employment period starts."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not access.can_manage_enrolment(by, enrolment):
        raise ActionNotAllowed("Only a director of this programme can record a change of employer.")
    if not enrolment.is_live:
        raise DomainError("The enrolment has ended; its employer can no longer change.")
    _check_line_manager(line_manager, employer)
    if line_manager.pk in (enrolment.apprentice_id, enrolment.practice_tutor_id):
        raise DomainError(
            "The line manager must be someone other than the apprentice and their practice tutor.",
            field="line_manager",
        )
    if employer.pk == enrolment.employer_id and line_manager.pk == enrolment.line_manager_id:
        raise DomainError("That is already the apprentice's employer and line manager.", field="employer")
    current = enrolment.employment_periods.filter(end_date__isnull=True).order_by("-start_date").first()
    if current is not None and effective_on <= current.start_date:
        raise DomainError(
            f"The change must take effect after the current employment period began ({current.start_date:%d/%m/%Y}).",
            field="effective_on",
        )
    if current is not None:
        current.end_date = effective_on - timedelta(days=1)
        current.save(update_fields=["end_date"])
    period = EmploymentPeriod.objects.create(
        enrolment=enrolment, employer=employer, line_manager=line_manager, start_date=effective_on
    )
    enrolment.employer = employer
    enrolment.line_manager = line_manager
    enrolment.save(update_fields=["employer", "line_manager"])
    apprentice = enrolment.apprentice
    if apprentice.organisation_id != employer.pk:
        apprentice.organisation = employer
        apprentice.save(update_fields=["organisation"])
    # The training plan drafts the revision all three must sign (programmes/training_plans/receivers.py).
    signals.employer_changed.send(
        sender=Enrolment, enrolment=enrolment, by=by, employer=employer, effective_on=effective_on
    )
    return period


# --- KSB import -----------------------------------------------------------------------------------------

KSB_CODE = re.compile(r"^(?P<kind>[KSB])(?P<number>\d{1,3})(?P<suffix>[a-z]?)$")
_PREFIXED = re.compile(r"^\s*(?P<code>[A-Za-z]+\d+[a-z]?)\s*[:.\-–]\s*(?P<statement>.+)$", re.S)


@dataclass(frozen=True)
class KSBRow:
    """One KSB read from an import file, with the line (or item) it came from for error messages."""

    line: int
    code: str
    statement: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def ksb_rows_from_csv(text: str) -> list[KSBRow]:
    """Read rows from CSV with a header containing ``code`` and ``statement`` (``kind`` optional)."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {name.strip().lower() for name in (reader.fieldnames or [])}
    if not {"code", "statement"} <= fields:
        raise DomainError("The CSV needs a header row with the columns 'code' and 'statement'.")
    rows = []
    first_line = reader.line_num + 1  # a quoted statement may span lines: report the line its row starts on
    for raw in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        rows.append(KSBRow(line=first_line, code=row["code"], statement=row["statement"]))
        first_line = reader.line_num + 1
    return rows


def ksb_rows_from_json(data: object) -> list[KSBRow]:
    """Read rows from the published standard JSON (``knowledges``/``skills``/``behaviours`` lists whose items
    carry ``detail`` text, optionally prefixed "K1: …") or from a plain list of ``{code, statement}``."""
    rows: list[KSBRow] = []
    if isinstance(data, list):
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise DomainError(f"Item {index}: expected an object with 'code' and 'statement'.")
            rows.append(
                KSBRow(
                    line=index,
                    code=str(item.get("code", "")).strip(),
                    statement=str(item.get("statement", "")).strip(),
                )
            )
        return rows
    if not isinstance(data, dict):
        raise DomainError("The JSON must be a standard object or a list of KSBs.")
    item_number = 0
    for key, letter in (("knowledges", "K"), ("skills", "S"), ("behaviours", "B")):
        for position, item in enumerate(data.get(key) or [], start=1):
            item_number += 1
            if isinstance(item, str):
                text, explicit = item, ""
            elif isinstance(item, dict):
                text = str(item.get("detail") or item.get("statement") or "")
                explicit = str(item.get("code") or "")
            else:
                raise DomainError(f"Item {item_number} in '{key}': expected text or an object with 'detail'.")
            prefixed = _PREFIXED.match(text)
            if explicit:
                code, statement = explicit, text
            elif prefixed:
                code, statement = prefixed["code"], prefixed["statement"]
            else:
                code, statement = f"{letter}{position}", text
            if code and code[0].upper() != letter and KSB_CODE.match(code):
                raise DomainError(f"Item {item_number} in '{key}': code {code} is not a {key[:-1]}.")
            rows.append(KSBRow(line=item_number, code=code.strip(), statement=statement.strip()))
    if not rows:
        raise DomainError("The JSON has no 'knowledges', 'skills' or 'behaviours'.")
    return rows


@transaction.atomic
def ksb_import(*, standard: Standard, rows: Iterable[KSBRow]) -> ImportResult:
    """Create or update a standard version's KSBs; any bad row rolls the whole import back, naming the line."""
    seen: dict[str, int] = {}
    parsed: list[tuple[KSBRow, str]] = []
    for row in rows:
        match = KSB_CODE.match(row.code)
        if not match:
            raise DomainError(
                f"Line {row.line}: unknown KSB code '{row.code}'. Codes are K, S or B followed by a number "
                "(K1, S12, B3)."
            )
        if not row.statement:
            raise DomainError(f"Line {row.line}: KSB {row.code} has no statement.")
        if row.code in seen:
            raise DomainError(
                f"Line {row.line}: KSB {row.code} appears twice (first on line {seen[row.code]})."
            )
        seen[row.code] = row.line
        parsed.append((row, match["kind"]))
    if not parsed:
        raise DomainError("The file contains no KSBs.")

    existing = {ksb.code: ksb for ksb in standard.ksbs.all()}
    created = updated = unchanged = 0
    kind_order = {"K": 0, "S": 1000, "B": 2000}
    for row, kind in parsed:
        number = int(KSB_CODE.match(row.code)["number"])  # type: ignore[index]
        order = kind_order[kind] + number
        ksb = existing.get(row.code)
        if ksb is None:
            KSB.objects.create(
                standard=standard, code=row.code, kind=kind, statement=row.statement, order=order
            )
            created += 1
        elif ksb.statement != row.statement or ksb.order != order:
            ksb.statement, ksb.order = row.statement, order
            ksb.save(update_fields=["statement", "order"])
            updated += 1
        else:
            unchanged += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def parse_decimal(value: str, *, field: str, label: str) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label} must be a number.", field=field) from None
