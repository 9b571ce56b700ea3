"""The off-the-job step of the benchmark seeder: ~200 entries per apprentice who has started, 2,000 on the
sample enrolment, as the OTJ services would have left them (mostly confirmed, the last fortnight pending, some
queried, some logged late, a tenth of a kind that never counts), and a one-click confirmation link."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from portfolios import otj_services
from portfolios.otj_models import OffTheJobEntry, OTJActivityType
from programmes.models import KSB, Enrolment

OTJ_PER_APPRENTICE = 200
SAMPLE_OTJ_ENTRIES = 2000
PENDING_DAYS = 14
DESCRIPTIONS = (
    "Read two module papers on public value and wrote notes on what they mean for our commissioning.",
    "Shadowed the director at the budget scrutiny committee and reflected on how challenge was handled.",
    "Online module session on evidence-based policy, then discussion board contributions.",
    "Mentoring session on leading change; agreed an approach for the service redesign.",
)


def otj_entries(w) -> None:
    from benchmarks.seed import _create

    types = list(OTJActivityType.objects.order_by("order"))
    counting = [t for t in types if t.counts_towards_otj]
    not_counting = [t for t in types if not t.counts_towards_otj]
    ksbs = list(KSB.objects.filter(standard=w.standard).values_list("pk", flat=True))
    today = w.now.date()
    started = [e for e in w.enrolments if e.status != Enrolment.Status.PENDING]
    entries: list[OffTheJobEntry] = []
    for i, enrolment in enumerate(started):
        count = SAMPLE_OTJ_ENTRIES if enrolment.pk == w.sample_enrolment.pk else OTJ_PER_APPRENTICE
        last = min(today, enrolment.actual_end_date or today, enrolment.planned_end_date)
        span = max((last - enrolment.start_date).days, 1)
        for k in range(count):
            day = enrolment.start_date + timedelta(days=span * k // count)
            late = k % 20 == 7
            logged = timezone.make_aware(
                datetime.combine(day + timedelta(days=20 if late else 1), datetime.min.time())
            )
            logged = min(logged, w.now - timedelta(minutes=5))
            recent = (today - day).days <= PENDING_DAYS
            status = (
                OffTheJobEntry.Status.PENDING
                if recent
                else OffTheJobEntry.Status.REJECTED
                if k % 37 == 5
                else OffTheJobEntry.Status.CONFIRMED
            )
            kind = not_counting[k % len(not_counting)] if k % 10 == 3 else counting[(i + k) % len(counting)]
            entries.append(
                OffTheJobEntry(
                    enrolment=enrolment,
                    date=day,
                    hours=Decimal("0.25") * (k % 8 + 1)
                    if count > OTJ_PER_APPRENTICE
                    else Decimal("0.25") * (k % 24 + 1),
                    activity_type=kind,
                    description=DESCRIPTIONS[k % len(DESCRIPTIONS)],
                    status=status,
                    logged_at=logged,
                    logged_by_id=enrolment.apprentice_id,
                    is_late=late,
                    decided_at=None
                    if status == OffTheJobEntry.Status.PENDING
                    else logged + timedelta(days=3),
                    decided_by_id=None
                    if status == OffTheJobEntry.Status.PENDING
                    else enrolment.line_manager_id,
                    decided_via=""
                    if status == OffTheJobEntry.Status.PENDING
                    else OffTheJobEntry.Via.EMAIL_LINK,
                    rejection_reason="Please say what you learned."
                    if status == OffTheJobEntry.Status.REJECTED
                    else "",
                )
            )
    created = _create(w, OffTheJobEntry, entries)
    through = OffTheJobEntry.ksbs.through
    _create(
        w,
        through,
        [
            through(offthejobentry_id=entry.pk, ksb_id=ksbs[n % len(ksbs)])
            for n, entry in enumerate(created)
            if entry.activity_type.counts_towards_otj
        ],
    )
    sample = w.sample_enrolment
    pending = [
        e for e in created if e.enrolment_id == sample.pk and e.status == OffTheJobEntry.Status.PENDING
    ]
    w.sample_otj_entry = pending[-1] if pending else next(e for e in created if e.enrolment_id == sample.pk)
    if not pending:
        raise RuntimeError(
            "The sample enrolment needs entries from the last fortnight for its confirmation link."
        )
    w.sample_otj_token = otj_services.confirmation_link_create(
        manager=sample.line_manager, enrolment=sample, entries=pending
    )
