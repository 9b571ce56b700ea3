"""Demo off-the-job ledgers: apprentices at every status (complete, on track, behind, at risk), pending entries
for both line managers to confirm, a queried entry, late-logged entries, and reviews recorded but not counted.

Entries are written as the OTJ services would have left them, dated in the past (logged a day after the activity,
confirmed a few days later), so the demo's history reads like a real year. Safe to run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portfolios.otj import selectors as otj_selectors
from portfolios.otj.activity_types import ensure_activity_types
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import Enrolment, ModuleRun

QUARTER = Decimal("0.25")
Status = OffTheJobEntry.Status


@dataclass(frozen=True)
class Ledger:
    pace: Decimal  # share of the weekly hours the minimum needs
    pending_weeks: int = 0  # the last weeks still awaiting the line manager
    queried: bool = False  # one recent entry queried by the line manager
    late_every: int = 0  # every n-th week's entries were logged three weeks late


# apprentice number → their ledger (11 and 12 have not started: their plans await signatures)
LEDGERS = {
    1: Ledger(Decimal("1.2")),
    2: Ledger(Decimal("1.1")),
    3: Ledger(Decimal("1.02")),
    4: Ledger(Decimal("0.82"), pending_weeks=1, late_every=9),
    5: Ledger(Decimal("0.95")),
    6: Ledger(Decimal("0.6")),
    7: Ledger(Decimal("1.08"), pending_weeks=1),
    8: Ledger(Decimal("0.8"), pending_weeks=2, queried=True, late_every=7),
    9: Ledger(Decimal("0.5"), pending_weeks=1, late_every=5),
    10: Ledger(Decimal("1.02"), pending_weeks=3),
}
DESCRIPTIONS = {
    "online_learning": "Worked through this week's module pages and papers, and posted on the discussion board "
    "about how the ideas apply to my service.",
    "reading": "Read two papers on public value and strategic commissioning; wrote notes on what they mean for "
    "our budget decisions.",
    "shadowing": "Shadowed the director at the scrutiny committee and reflected on how she handled challenge "
    "from members.",
    "mentoring": "Mentoring session with a senior leader from another directorate on leading change through "
    "a restructure.",
    "project": "Led the options appraisal for the service redesign: stakeholder mapping and a first draft of "
    "the benefits case.",
    "assignment": "Researched and drafted the module assignment on performance frameworks in public services.",
}
COUNTING_CYCLE = ["reading", "shadowing", "project", "mentoring", "assignment"]


def _quarter(hours: Decimal) -> Decimal:
    return max((hours / QUARTER).to_integral_value(rounding=ROUND_HALF_UP) * QUARTER, QUARTER)


def _last_day(enrolment: Enrolment, today: date) -> date:
    """The last day of training: today, or when the practical period stopped (gateway, withdrawal, a break)."""
    stops = [
        change.effective_on
        for change in enrolment.status_changes.all()
        if change.to_status in ("gateway", "withdrawn")
    ]
    open_breaks = [b.start_date for b in enrolment.breaks.all() if b.end_date is None]
    return min([today - timedelta(days=1), enrolment.planned_end_date, *stops, *open_breaks])


def _in_break(day: date, enrolment: Enrolment) -> bool:
    return any(
        b.start_date <= day and (b.end_date is None or day < b.end_date) for b in enrolment.breaks.all()
    )


def seed_otj(apprentices: dict[int, object]) -> int:
    """Create each started apprentice's ledger once; returns the number of entries made."""
    created = ensure_activity_types(OTJActivityType)
    types = {t.code: t for t in OTJActivityType.objects.all()}
    today = timezone.localdate()
    for n, ledger in LEDGERS.items():
        enrolment = (
            Enrolment.objects.filter(apprentice=apprentices[n])
            .select_related("programme__standard", "line_manager")
            .prefetch_related("status_changes", "breaks")
            .first()
        )
        if enrolment is None or enrolment.otj_entries.exists():
            continue
        created += _seed_ledger(enrolment, ledger, types, today)
    return created


def _seed_ledger(enrolment: Enrolment, ledger: Ledger, types: dict[str, OTJActivityType], today: date) -> int:
    position = otj_selectors.otj_position(enrolment, on=today)
    weekly = position.required_hours / position.total_weeks * ledger.pace
    ksbs = list(enrolment.programme.standard.ksbs.order_by("order", "code"))
    runs = list(ModuleRun.objects.filter(cohort=enrolment.cohort).select_related("module"))
    last = _last_day(enrolment, today)
    week_start = enrolment.start_date - timedelta(days=enrolment.start_date.weekday())
    weeks = []
    while week_start + timedelta(days=1) <= last:
        weeks.append(week_start)
        week_start += timedelta(weeks=1)
    entries: list[OffTheJobEntry] = []
    links: list[list] = []
    for number, monday in enumerate(weeks):
        pending = number >= len(weeks) - ledger.pending_weeks
        late = bool(ledger.late_every) and number % ledger.late_every == ledger.late_every - 1 and not pending
        plan = [(monday + timedelta(days=1), weekly / 2), (monday + timedelta(days=3), weekly / 2)]
        if number % 13 == 6:  # a termly review: recorded for the audit trail, never counted
            plan.append((monday + timedelta(days=2), Decimal("1.5")))
        for slot, (day, hours) in enumerate(plan):
            if day < enrolment.start_date or day > last or _in_break(day, enrolment):
                continue
            run = next((r for r in runs if r.online_start <= day <= r.online_end), None)
            if slot == 2:
                code = "progress_review"
            elif run is not None and slot == 0:
                code = "online_learning"
            else:
                code = COUNTING_CYCLE[(number + slot) % len(COUNTING_CYCLE)]
            logged = timezone.make_aware(
                datetime.combine(day + timedelta(days=22 if late else 1), datetime.min.time())
            )
            logged += timedelta(hours=18)
            status = Status.PENDING if pending else Status.CONFIRMED
            reason = ""
            if ledger.queried and pending and slot == 1 and number == len(weeks) - 1:
                status, reason = (
                    Status.REJECTED,
                    "That afternoon was the team away day, not training. Please check.",
                )
            decided = None if status == Status.PENDING else logged + timedelta(days=3)
            entry = OffTheJobEntry(
                enrolment=enrolment,
                date=day,
                hours=_quarter(hours),
                activity_type=types[code],
                description=DESCRIPTIONS.get(
                    code, "Termly progress review with my practice tutor and line manager."
                )
                if code != "progress_review"
                else "Termly progress review with my practice tutor and line manager.",
                module_run=run if code == "online_learning" else None,
                status=status,
                logged_at=min(logged, timezone.now() - timedelta(hours=1)),
                logged_by=enrolment.apprentice,
                is_late=late,
                decided_at=min(decided, timezone.now()) if decided else None,
                decided_by=None if decided is None else enrolment.line_manager,
                decided_via="" if decided is None else ("email_link" if number % 3 else "page"),
                rejection_reason=reason,
            )
            entries.append(entry)
            links.append(
                [ksbs[(number * 2 + slot) % len(ksbs)], ksbs[(number * 2 + slot + 7) % len(ksbs)]]
                if types[code].counts_towards_otj
                else []
            )
    # In bulk, with a history row each ("created by the apprentice"), as the services would have left them.
    created = bulk_create_with_history(entries, OffTheJobEntry, default_user=enrolment.apprentice)
    through = OffTheJobEntry.ksbs.through
    through.objects.bulk_create(
        [
            through(offthejobentry_id=entry.pk, ksb_id=ksb.pk)
            for entry, chosen in zip(created, links, strict=True)
            for ksb in chosen
        ]
    )
    return len(created)
