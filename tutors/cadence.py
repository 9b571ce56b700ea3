"""When the next progress review is due: one versioned policy (domain.md §6).

- Starts before 1 August 2025: at most **12 weeks** between reviews (the last review + 84 days).
- Starts from 1 August 2025: at most **3 calendar months**, counted in whole calendar months after the month of
  the last review: a review on 1 August 2025 makes the next due by 30 November 2025 (September, October and
  November are the three months; the due date is the last day of the third).
- A programme may hold them more often (``ReviewPolicy``, "once a term"): the next is then also due by the end
  of the term after the one the last review fell in. The earlier date wins: a programme cannot stretch the rule.
- Breaks in learning pause the clock: every day on a break between the last review and the due date moves the
  due date one day later; while a break is open there is no due date at all.
- The clock starts at the learning start date until the first review is signed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

RULES_2025_FROM = date(2025, 8, 1)
WEEKS_BEFORE_2025 = 12
MONTHS_FROM_2025 = 3
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str


RULE_12_WEEKS = RuleSet("12_weeks", "Starts before 1 August 2025: at least every 12 weeks")
RULE_3_MONTHS = RuleSet("3_months", "Starts from 1 August 2025: at least every 3 calendar months")


@dataclass(frozen=True)
class Break:
    start: date
    end: date | None  # the day learning restarted; None while the break is open


@dataclass(frozen=True)
class ReviewDue:
    """When the next review is due, and why."""

    due_on: date | None  # None: not due (a break is open, or no reviews are needed at this stage)
    rule: RuleSet
    counted_from: date
    explanation: str
    paused_days: int = 0
    paused: bool = False

    def days_left(self, today: date) -> int | None:
        return None if self.due_on is None else (self.due_on - today).days

    def state(self, today: date) -> str:
        """``overdue``, ``due_soon`` (within 14 days), ``ok``, or ``paused``/``none`` when nothing is due."""
        if self.due_on is None:
            return "paused" if self.paused else "none"
        left = (self.due_on - today).days
        if left < 0:
            return "overdue"
        return "due_soon" if left <= DUE_SOON_DAYS else "ok"


STATE_LABELS = {
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "ok": "On track",
    "paused": "Paused (break in learning)",
    "none": "Not due",
}


def rule_for(start_date: date) -> RuleSet:
    return RULE_12_WEEKS if start_date < RULES_2025_FROM else RULE_3_MONTHS


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_whole_months(last: date, months: int) -> date:
    """The last day of the ``months``-th calendar month after the month of ``last`` (1 Aug 2025, 3 → 30 Nov 2025)."""
    index = last.year * 12 + (last.month - 1) + months
    return end_of_month(index // 12, index % 12 + 1)


def statutory_due(start_date: date, last: date) -> date:
    if rule_for(start_date) is RULE_12_WEEKS:
        return last + timedelta(weeks=WEEKS_BEFORE_2025)
    return add_whole_months(last, MONTHS_FROM_2025)


def end_of_next_term(last: date, term_ends: list[tuple[int, int]]) -> date | None:
    """The last day of the term after the one ``last`` falls in (terms end on the given month-days)."""
    if not term_ends:
        return None
    ends = sorted(
        date(year, month, min(day, calendar.monthrange(year, month)[1]))
        for year in (last.year, last.year + 1, last.year + 2)
        for month, day in term_ends
    )
    following = [end for end in ends if end >= last]
    return following[1] if len(following) > 1 else None


def _paused_days(breaks: Iterable[Break], since: date, until: date) -> tuple[int, bool]:
    """Days on a break from ``since`` up to ``until`` (inclusive), and whether a break is still open by then."""
    days, open_break = 0, False
    for item in breaks:
        if item.start > until:
            continue
        if item.end is None:
            open_break = True
            continue
        first, last = max(item.start, since), min(item.end - timedelta(days=1), until)
        if last >= first:
            days += (last - first).days + 1
    return days, open_break


def next_due(
    *,
    start_date: date,
    last_review_on: date | None,
    breaks: Iterable[Break] = (),
    term_ends: list[tuple[int, int]] | None = None,
) -> ReviewDue:
    """When the next review is due after ``last_review_on`` (or after the start, before the first review).

    1. The statutory date for the start date's rule set, and the programme's termly date if it has one; the
       earlier wins.
    2. Days on a break in learning after the counting date and up to the due date push it later, one for one;
       repeated until the breaks in the extended window are all counted.
    3. A break that began by the due date and is still open pauses the clock: nothing is due until it ends.
    """
    rule = rule_for(start_date)
    counted_from = last_review_on or start_date
    breaks = [b for b in breaks if (b.end is None or b.end > counted_from)]
    base = statutory_due(start_date, counted_from)
    why = (
        f"{_d(counted_from)} + 12 weeks = {_d(base)}"
        if rule is RULE_12_WEEKS
        else f"{_d(counted_from)} + 3 whole calendar months = {_d(base)}"
    )
    termly = end_of_next_term(counted_from, term_ends or [])
    if termly is not None and termly < base:
        base = termly
        why += f"; the programme reviews once a term, so by the end of next term, {_d(termly)}"
    origin = "the learning start date" if last_review_on is None else "the last review"
    why = f"Counted from {origin}: {why}"
    due, paused = base, 0
    for _ in range(100):  # each round can only add days; it settles once no new break days fall inside
        paused, open_break = _paused_days(breaks, counted_from, due)
        if open_break:
            return ReviewDue(
                None,
                rule,
                counted_from,
                why + "; paused while the apprentice is on a break in learning",
                0,
                True,
            )
        extended = base + timedelta(days=paused)
        if extended == due:
            break
        due = extended
    if paused:
        why += f"; + {paused} day{'s' if paused != 1 else ''} on a break in learning = {_d(due)}"
    return ReviewDue(due, rule, counted_from, why, paused)


def _d(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
