"""Where each apprentice stands on off-the-job hours: required, delivered, expected to date, status and forecast.

One rule set for every reader: the ledger page, the API summary, the manager's queue, the tutor's caseload,
review snapshots, alerts and (later) the cohort dashboard all call ``otj_positions``, which runs a fixed
number of queries however many enrolments or entries there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portfolios.otj.models import OffTheJobEntry
from programmes import off_the_job as otj_policy
from programmes.models import BreakInLearning, Enrolment, ModuleRun

ZERO = Decimal("0")
HOURS = DecimalField(max_digits=12, decimal_places=2)

ON_TRACK = "on_track"
BEHIND = "behind"
AT_RISK = "at_risk"
COMPLETE = "complete"
STATUS_LABELS = {ON_TRACK: "On track", BEHIND: "Behind", AT_RISK: "At risk", COMPLETE: "Complete"}


def two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    """A span of days [start, end) on which learning was paused."""

    start: date
    end: date


def active_weeks(start: date, end: date, breaks: Iterable[Period]) -> Decimal:
    """Weeks in [start, end) that are not inside a break in learning."""
    if end <= start:
        return ZERO
    days = (end - start).days
    for pause in breaks:
        overlap = (min(end, pause.end) - max(start, pause.start)).days
        days -= max(overlap, 0)
    return Decimal(max(days, 0)) / Decimal(7)


def counting_entries() -> Q:
    """Entries whose activity type counts towards the minimum (reviews, exams, English and maths never do)."""
    return Q(activity_type__counts_towards_otj=True)


@dataclass(frozen=True)
class OTJPosition:
    """One enrolment's OTJ position on a date, with the sentences that explain it."""

    enrolment_id: int
    on: date
    requirement: otj_policy.OTJRequirement
    required_hours: Decimal
    confirmed_hours: Decimal
    pending_hours: Decimal
    rejected_hours: Decimal
    non_counting_hours: Decimal
    expected_hours_to_date: Decimal
    percent_of_expected: Decimal | None
    weekly_hours_needed: Decimal | None
    status: str
    elapsed_weeks: Decimal
    total_weeks: Decimal
    remaining_weeks: Decimal
    pace_per_week: Decimal
    projected_hours: Decimal
    reach_date: date | None
    timetable_hours: Decimal
    timetable_online_weeks: int
    timetable_campus_days: int
    late_entries: int
    planned_end_date: date
    forecast: list[str] = field(default_factory=list)

    @property
    def policy(self) -> str:
        return self.requirement.rule.code

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def explanation(self) -> str:
        return self.requirement.explanation

    @property
    def remaining_hours(self) -> Decimal:
        return max(self.required_hours - self.confirmed_hours, ZERO)

    @property
    def expected_explanation(self) -> str:
        q = otj_policy.q
        return (
            f"{q(self.required_hours)} h × {q(self.elapsed_weeks)} of {q(self.total_weeks)} practical weeks "
            f"(breaks in learning excluded) = {q(self.expected_hours_to_date)} h expected by {self.on:%-d %B %Y}"
        )

    @property
    def shortfall(self) -> Decimal:
        return max(self.required_hours - self.projected_hours, ZERO)


def status_for(*, required: Decimal, confirmed: Decimal, expected: Decimal) -> str:
    """on_track / behind / at_risk / complete, with thresholds from settings."""
    if required > 0 and confirmed >= required:
        return COMPLETE
    if expected <= 0:
        return ON_TRACK
    percent = confirmed * 100 / expected
    if percent >= settings.OTJ_BEHIND_BELOW_PERCENT:
        return ON_TRACK
    if percent >= settings.OTJ_AT_RISK_BELOW_PERCENT:
        return BEHIND
    return AT_RISK


def _breaks_by_enrolment(ids: list[int], on: date) -> dict[int, list[Period]]:
    periods: dict[int, list[Period]] = defaultdict(list)
    for row in BreakInLearning.objects.filter(enrolment_id__in=ids).values(
        "enrolment_id", "start_date", "end_date"
    ):
        # An open break runs until tomorrow (it covers today); its end date is the day learning restarted.
        end = row["end_date"] or on + timedelta(days=1)
        periods[row["enrolment_id"]].append(Period(row["start_date"], end))
    return periods


def _timetable(cohort_ids: set[int]) -> dict[int, list[tuple[date, int, date, int]]]:
    runs: dict[int, list[tuple[date, int, date, int]]] = defaultdict(list)
    rows = ModuleRun.objects.filter(cohort_id__in=cohort_ids).values(
        "cohort_id", "online_start", "module__weeks_online", "campus_start", "module__campus_days"
    )
    for row in rows:
        runs[row["cohort_id"]].append(
            (
                row["online_start"],
                row["module__weeks_online"],
                row["campus_start"],
                row["module__campus_days"],
            )
        )
    return runs


def _timetable_ahead(runs, *, after: date, until: date) -> tuple[int, int]:
    """Online weeks and campus days still to come after ``after`` and before ``until``."""
    weeks = days = 0
    for online_start, weeks_online, campus_start, campus_days in runs:
        for n in range(weeks_online):
            week_start = online_start + timedelta(weeks=n)
            weeks += int(after < week_start < until)
        for n in range(campus_days):
            day = campus_start + timedelta(days=n)
            days += int(after < day < until)
    return weeks, days


def _entry_sums(ids: list[int], on: date) -> dict[int, dict[str, Any]]:
    window_start = on - timedelta(weeks=settings.OTJ_PACE_WEEKS)
    counting = counting_entries()
    confirmed = counting & Q(status=OffTheJobEntry.Status.CONFIRMED)

    def total(condition: Q) -> Coalesce:
        return Coalesce(Sum("hours", filter=condition), Value(ZERO), output_field=HOURS)

    rows = (
        OffTheJobEntry.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id")
        .annotate(
            confirmed=total(confirmed),
            pending=total(counting & Q(status=OffTheJobEntry.Status.PENDING)),
            rejected=total(counting & Q(status=OffTheJobEntry.Status.REJECTED)),
            non_counting=total(~counting & ~Q(status=OffTheJobEntry.Status.REJECTED)),
            recent=total(confirmed & Q(date__gt=window_start, date__lte=on)),
            late=Count("pk", filter=Q(is_late=True)),
        )
        .order_by()
    )
    return {row["enrolment_id"]: dict(row) for row in rows}


def otj_positions(enrolments: Iterable[Enrolment], *, on: date | None = None) -> dict[int, OTJPosition]:
    """Each enrolment's position, keyed by enrolment id, in four queries whatever the number of rows."""
    on = on or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    ids = [e.pk for e in enrolments]
    minimums = dict(
        Enrolment.objects.filter(pk__in=ids).values_list("pk", "programme__standard__otj_minimum_hours")
    )
    sums = _entry_sums(ids, on)
    breaks = _breaks_by_enrolment(ids, on)
    timetable = _timetable({e.cohort_id for e in enrolments})
    return {
        e.pk: _position(e, on, minimums.get(e.pk), sums.get(e.pk, {}), breaks[e.pk], timetable[e.cohort_id])
        for e in enrolments
    }


def otj_position(enrolment: Enrolment, *, on: date | None = None) -> OTJPosition:
    return otj_positions([enrolment], on=on)[enrolment.pk]


def _position(enrolment, on: date, standard_minimum, sums: dict, breaks: list[Period], runs) -> OTJPosition:
    requirement = otj_policy.minimum(
        start_date=enrolment.start_date,
        planned_end_date=enrolment.planned_end_date,
        weekly_hours=enrolment.contracted_weekly_hours,
        standard_minimum=standard_minimum,
        prior_learning_hours=enrolment.prior_learning_hours,
    )
    required = requirement.hours if requirement.hours is not None else ZERO
    confirmed = sums.get("confirmed", ZERO)
    pending = sums.get("pending", ZERO)
    start, end = enrolment.start_date, enrolment.planned_end_date
    tomorrow = on + timedelta(days=1)
    total_weeks = active_weeks(start, end, breaks)
    elapsed = active_weeks(start, min(tomorrow, end), breaks)
    remaining_weeks = active_weeks(max(tomorrow, start), end, breaks)
    expected = two_places(required * elapsed / total_weeks) if total_weeks else required
    expected = min(expected, required)
    percent = (confirmed * 100 / expected).quantize(Decimal("0.1")) if expected > 0 else None
    status = status_for(required=required, confirmed=confirmed, expected=expected)
    remaining = max(required - confirmed, ZERO)
    needed = two_places(remaining / remaining_weeks) if remaining and remaining_weeks > 0 else None
    if status == COMPLETE:
        needed = None

    # Recent pace: confirmed hours over the last OTJ_PACE_WEEKS weeks of active learning (breaks excluded).
    window = active_weeks(
        max(start, on - timedelta(weeks=settings.OTJ_PACE_WEEKS) + timedelta(days=1)), tomorrow, breaks
    )
    pace = two_places(sums.get("recent", ZERO) / window) if window > 0 else ZERO
    projected = two_places(confirmed + pace * remaining_weeks)
    reach_date = None
    if remaining and pace > 0 and projected >= required:
        reach_date = on + timedelta(
            days=int((remaining / pace * 7).to_integral_value(rounding=ROUND_HALF_UP))
        )
    online_weeks, campus_days = _timetable_ahead(runs, after=on, until=end)
    timetable_hours = Decimal(
        online_weeks * settings.OTJ_ONLINE_WEEK_HOURS + campus_days * settings.OTJ_CAMPUS_DAY_HOURS
    )
    position = OTJPosition(
        enrolment_id=enrolment.pk,
        on=on,
        requirement=requirement,
        required_hours=required,
        confirmed_hours=confirmed,
        pending_hours=pending,
        rejected_hours=sums.get("rejected", ZERO),
        non_counting_hours=sums.get("non_counting", ZERO),
        expected_hours_to_date=expected,
        percent_of_expected=percent,
        weekly_hours_needed=needed,
        status=status,
        elapsed_weeks=elapsed,
        total_weeks=total_weeks,
        remaining_weeks=remaining_weeks,
        pace_per_week=pace,
        projected_hours=projected,
        reach_date=reach_date,
        timetable_hours=timetable_hours,
        timetable_online_weeks=online_weeks,
        timetable_campus_days=campus_days,
        late_entries=sums.get("late", 0),
        planned_end_date=end,
    )
    position.forecast.extend(explain_forecast(position))
    return position


def _hours(value: Decimal) -> str:
    return f"{otj_policy.q(value)} h"


def explain_forecast(p: OTJPosition) -> list[str]:
    """The forecast in plain words: when the minimum is reached, or by how much it is missed and what closes it."""
    q = otj_policy.q
    end = f"{p.planned_end_date:%-d %B %Y}"
    if p.requirement.hours is None:
        return ["No forecast yet: the standard's OTJ minimum has not been recorded."]
    if p.status == COMPLETE:
        return [
            f"The {_hours(p.required_hours)} minimum has been reached: {_hours(p.confirmed_hours)} confirmed."
        ]
    lines = []
    pace = f"At the pace of the last {settings.OTJ_PACE_WEEKS} weeks ({_hours(p.pace_per_week)} a week)"
    if p.remaining_weeks <= 0:
        lines.append(
            f"The planned end date ({end}) has passed with {_hours(p.remaining_hours)} still to confirm; "
            "the training plan needs re-planning with a new end date."
        )
    elif p.reach_date is not None:
        early = (p.planned_end_date - p.reach_date).days // 7
        lines.append(
            f"{pace}, the {_hours(p.required_hours)} minimum will be reached around {p.reach_date:%-d %B %Y}"
            + (
                f", {early} weeks before the planned end date ({end})."
                if early > 0
                else f", by the planned end date ({end})."
            )
        )
    else:
        lines.append(
            f"{pace}, about {_hours(p.projected_hours)} will be confirmed by the planned end date ({end}): "
            f"{_hours(p.shortfall)} short of the {_hours(p.required_hours)} minimum."
        )
        if p.weekly_hours_needed is not None:
            lines.append(f"Logging {q(p.weekly_hours_needed)} h a week from now closes the gap.")
    if p.timetable_online_weeks or p.timetable_campus_days:
        lines.append(
            f"The timetable still holds {p.timetable_online_weeks} online module weeks and "
            f"{p.timetable_campus_days} campus days before the planned end date (about "
            f"{_hours(p.timetable_hours)} of timetabled learning)."
        )
    if p.pending_hours:
        lines.append(
            f"{_hours(p.pending_hours)} more are awaiting the employer's confirmation and do not count yet."
        )
    return lines


# --- lists ---------------------------------------------------------------------------------------------------


def entries_for(
    enrolment: Enrolment, *, month: str = "", status: str = "", activity_type: str = ""
) -> QuerySet[OffTheJobEntry]:
    """The ledger, newest first, filtered by month (YYYY-MM), status and activity type code."""
    entries = (
        OffTheJobEntry.objects.filter(enrolment=enrolment)
        .select_related("activity_type", "module_run__module", "evidence__current", "decided_by")
        .prefetch_related("ksbs")
    )
    if month:
        year, _, number = month.partition("-")
        entries = entries.filter(date__year=int(year), date__month=int(number))
    if status:
        entries = entries.filter(status=status)
    if activity_type:
        entries = entries.filter(activity_type__code=activity_type)
    return entries.order_by("-date", "-pk")


def entry_totals(entries: QuerySet[OffTheJobEntry]) -> dict[str, Decimal]:
    """Totals of a filtered ledger, by status, counting hours only."""
    counting = counting_entries()

    def total(condition: Q) -> Coalesce:
        return Coalesce(Sum("hours", filter=condition), Value(ZERO), output_field=HOURS)

    return entries.order_by().aggregate(
        all=Coalesce(Sum("hours"), Value(ZERO), output_field=HOURS),
        confirmed=total(counting & Q(status=OffTheJobEntry.Status.CONFIRMED)),
        pending=total(counting & Q(status=OffTheJobEntry.Status.PENDING)),
        not_counting=total(~counting),
    )


def entries_visible_to(user) -> QuerySet[OffTheJobEntry]:
    return OffTheJobEntry.objects.filter(enrolment__in=Enrolment.objects.visible_to(user))


def confirmation_queue(manager) -> QuerySet[OffTheJobEntry]:
    """Pending entries of the apprentices this person line-manages, oldest first, grouped by apprentice."""
    return (
        OffTheJobEntry.objects.filter(status=OffTheJobEntry.Status.PENDING, enrolment__line_manager=manager)
        .exclude(enrolment__status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED])
        .select_related("activity_type", "enrolment__apprentice", "module_run__module")
        .prefetch_related("ksbs")
        .order_by("enrolment__apprentice__full_name", "enrolment_id", "date", "pk")
    )


def weekly_series(enrolment: Enrolment, position: OTJPosition) -> list[dict[str, Any]]:
    """Cumulative confirmed and pending counting hours per week from start to planned end (one query)."""
    start, end = enrolment.start_date, enrolment.planned_end_date
    by_day = (
        OffTheJobEntry.objects.filter(enrolment=enrolment)
        .filter(counting_entries())
        .exclude(status=OffTheJobEntry.Status.REJECTED)
        .values("date", "status")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    weeks = max(((end - start).days + 6) // 7, 1)
    confirmed = [ZERO] * (weeks + 1)
    pending = [ZERO] * (weeks + 1)
    for row in by_day:
        index = min(max((row["date"] - start).days // 7 + 1, 0), weeks)
        target = confirmed if row["status"] == OffTheJobEntry.Status.CONFIRMED else pending
        target[index] += row["total"]
    points = []
    running_confirmed = running_pending = ZERO
    today_index = (position.on - start).days // 7 + 1
    for index in range(weeks + 1):
        running_confirmed += confirmed[index]
        running_pending += pending[index]
        points.append(
            {
                "week": index,
                "confirmed": running_confirmed if index <= today_index else None,
                "with_pending": running_confirmed + running_pending if index <= today_index else None,
                "expected": position.required_hours * index / weeks,
            }
        )
    return points
