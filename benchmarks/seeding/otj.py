"""The off-the-job step of the benchmark seeder: ~225 entries per apprentice who has started, 2,000 on the
sample enrolment, as the OTJ services would have left them (mostly confirmed, the last fortnight pending, some
queried, some logged late, a tenth of a kind that never counts), and a one-click confirmation link.

Over a million rows at 5,000 apprentices, so they are inserted as tuples (``insert_rows``), not instances.
Entries are spread evenly from the start date to the last day of learning (or today): never more than two on
one day (the shortest span, a withdrawal after 30 weeks, has ~210 days), and two consecutive entries hold at
most 11.75 hours together, within the 12 hours a day the platform accepts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from benchmarks.seeding.rows import insert_rows
from benchmarks.seeding.world import World
from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import KSB, Enrolment

OTJ_PER_APPRENTICE = 225
SAMPLE_OTJ_ENTRIES = 2000
PENDING_DAYS = 14
DESCRIPTIONS = (
    "Read two module papers on public value and wrote notes on what they mean for our commissioning.",
    "Shadowed the director at the budget scrutiny committee and reflected on how challenge was handled.",
    "Online module session on evidence-based policy, then discussion board contributions.",
    "Mentoring session on leading change; agreed an approach for the service redesign.",
)
HOURS = tuple(Decimal("0.25") * (n + 1) for n in range(24))  # 0.25 to 6 hours
SAMPLE_HOURS = HOURS[:8]  # 0.25 to 2 hours: the sample logs several short entries a day
FIELDS = (
    "enrolment_id",
    "date",
    "hours",
    "activity_type_id",
    "description",
    "status",
    "logged_at",
    "logged_by_id",
    "is_late",
    "decided_at",
    "decided_by_id",
    "decided_via",
    "rejection_reason",
)


def otj_entries(w: World) -> None:
    types = list(OTJActivityType.objects.order_by("order"))
    counting = [t.pk for t in types if t.counts_towards_otj]
    not_counting = [t.pk for t in types if not t.counts_towards_otj]
    ksbs = list(KSB.objects.filter(standard=w.standard).values_list("pk", flat=True))
    today = w.now.date()
    just_now = w.now - timedelta(minutes=5)
    Status, Via = OffTheJobEntry.Status, OffTheJobEntry.Via
    stamps: dict[tuple[date, int], datetime] = {}

    def midnight(day: date, days: int) -> datetime:
        """Midnight ``days`` after ``day`` (local time), never later than just now."""
        key = (day, days)
        if key not in stamps:
            at = timezone.make_aware(datetime.combine(day + timedelta(days=days), datetime.min.time()))
            stamps[key] = min(at, just_now)
        return stamps[key]

    started = [e for e in w.enrolments if e.status != Enrolment.Status.PENDING]
    rows: list[tuple] = []
    counts: list[bool] = []  # whether each row's activity counts towards OTJ (those get a KSB)
    for i, enrolment in enumerate(started):
        sample = enrolment.pk == w.sample_enrolment.pk
        count = SAMPLE_OTJ_ENTRIES if sample else OTJ_PER_APPRENTICE
        hours = SAMPLE_HOURS if sample else HOURS
        last = min(today, enrolment.actual_end_date or today, enrolment.planned_end_date)
        span = max((last - enrolment.start_date).days, 1)
        start, apprentice, manager = enrolment.start_date, enrolment.apprentice_id, enrolment.line_manager_id
        for k in range(count):
            day = start + timedelta(days=span * k // count)
            late = k % 20 == 7
            logged = midnight(day, 20 if late else 1)
            if (today - day).days <= PENDING_DAYS:
                status, decided, decided_by, via = Status.PENDING, None, None, ""
            else:
                status = Status.REJECTED if k % 37 == 5 else Status.CONFIRMED
                decided, decided_by, via = min(logged + timedelta(days=3), just_now), manager, Via.EMAIL_LINK
            never_counts = k % 10 == 3
            kind = not_counting[k % len(not_counting)] if never_counts else counting[(i + k) % len(counting)]
            rows.append(
                (
                    enrolment.pk,
                    day,
                    hours[k % len(hours)],
                    kind,
                    DESCRIPTIONS[k % len(DESCRIPTIONS)],
                    status,
                    logged,
                    apprentice,
                    late,
                    decided,
                    decided_by,
                    via,
                    "Please say what you learned." if status == Status.REJECTED else "",
                )
            )
            counts.append(not never_counts)
    pks = insert_rows(w, OffTheJobEntry, FIELDS, rows, pks=True)
    insert_rows(
        w,
        OffTheJobEntry.ksbs.through,
        ("offthejobentry_id", "ksb_id"),
        [
            (pk, ksbs[n % len(ksbs)])
            for n, (pk, counted) in enumerate(zip(pks, counts, strict=True))
            if counted
        ],
    )
    sample = w.sample_enrolment
    pending = list(OffTheJobEntry.objects.filter(enrolment=sample, status=Status.PENDING).order_by("pk"))
    if not pending:
        raise RuntimeError(
            "The sample enrolment needs entries from the last fortnight for its confirmation link."
        )
    w.sample_otj_entry = pending[-1]
    w.sample_otj_token = otj_services.confirmation_link_create(
        manager=sample.line_manager, enrolment=sample, entries=pending
    )
