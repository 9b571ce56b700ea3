"""The review cadence (tutors.cadence): domain.md §6's worked examples for both rule sets, breaks, terms."""

from datetime import date

import pytest

from tutors import cadence
from tutors.cadence import Break, next_due

TERMS = [(12, 12), (3, 27), (7, 10)]  # the default ReviewPolicy term ends


def test_a_review_on_1_august_2025_makes_the_next_due_by_30_november_2025():
    due = next_due(start_date=date(2025, 8, 1), last_review_on=date(2025, 8, 1))

    assert due.due_on == date(2025, 11, 30)
    assert due.rule is cadence.RULE_3_MONTHS
    assert "3 whole calendar months" in due.explanation


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (date(2025, 8, 31), date(2025, 11, 30)),  # any day of August counts August as the review's month
        (date(2025, 11, 30), date(2026, 2, 28)),  # the third month ends on its own last day
        (date(2027, 11, 1), date(2028, 2, 29)),  # a leap year
        (date(2025, 10, 15), date(2026, 1, 31)),  # across the new year
    ],
)
def test_three_calendar_months_are_counted_in_whole_months_after_the_review_month(last, expected):
    assert next_due(start_date=date(2025, 9, 15), last_review_on=last).due_on == expected


def test_starts_before_1_august_2025_are_reviewed_at_least_every_12_weeks():
    due = next_due(start_date=date(2024, 9, 16), last_review_on=date(2025, 1, 6))

    assert due.due_on == date(2025, 3, 31)  # 6 January + 84 days
    assert due.rule is cadence.RULE_12_WEEKS
    assert "12 weeks" in due.explanation


def test_the_rule_set_follows_the_start_date_not_the_review_date():
    # A 2024 start keeps the 12-week rule after August 2025; a start on 1 August 2025 takes the new rule.
    assert next_due(start_date=date(2025, 7, 31), last_review_on=date(2025, 8, 1)).due_on == date(
        2025, 10, 24
    )
    assert next_due(start_date=date(2025, 8, 1), last_review_on=date(2025, 8, 1)).due_on == date(2025, 11, 30)


def test_before_the_first_review_the_clock_runs_from_the_start_date():
    due = next_due(start_date=date(2025, 9, 15), last_review_on=None)

    assert due.due_on == date(2025, 12, 31)
    assert due.counted_from == date(2025, 9, 15)
    assert "learning start date" in due.explanation


def test_a_break_in_learning_pauses_the_clock_day_for_day():
    # 12-week rule: due 31 March 2025 without the break; a 14-day break (restarting 17 February) inside the window.
    due = next_due(
        start_date=date(2024, 9, 16),
        last_review_on=date(2025, 1, 6),
        breaks=[Break(date(2025, 2, 3), date(2025, 2, 17))],
    )

    assert due.due_on == date(2025, 4, 14)
    assert due.paused_days == 14
    assert "14 days on a break" in due.explanation


def test_a_break_that_the_extension_reaches_is_counted_too():
    # Due 30 Nov 2025; a 10-day break in late November pushes it to 10 December, where a second break starts.
    due = next_due(
        start_date=date(2025, 8, 1),
        last_review_on=date(2025, 8, 1),
        breaks=[Break(date(2025, 11, 20), date(2025, 11, 30)), Break(date(2025, 12, 8), date(2025, 12, 11))],
    )

    assert due.due_on == date(2025, 12, 13)
    assert due.paused_days == 13


def test_breaks_before_the_last_review_or_after_the_due_date_change_nothing():
    due = next_due(
        start_date=date(2025, 8, 1),
        last_review_on=date(2025, 8, 1),
        breaks=[Break(date(2025, 3, 1), date(2025, 5, 1)), Break(date(2025, 12, 5), date(2026, 1, 5))],
    )

    assert due.due_on == date(2025, 11, 30)
    assert due.paused_days == 0


def test_while_a_break_is_open_nothing_is_due():
    due = next_due(
        start_date=date(2024, 9, 16), last_review_on=date(2026, 5, 1), breaks=[Break(date(2026, 6, 1), None)]
    )

    assert due.due_on is None
    assert due.paused
    assert due.state(date(2026, 11, 22)) == "paused"
    assert "paused" in due.explanation


def test_once_a_term_brings_the_date_forward_when_the_term_ends_first():
    # Reviewed 10 December 2025: the statutory date is 31 March 2026, the end of the spring term 27 March.
    due = next_due(start_date=date(2025, 9, 15), last_review_on=date(2025, 12, 10), term_ends=TERMS)

    assert due.due_on == date(2026, 3, 27)
    assert "once a term" in due.explanation


def test_once_a_term_never_stretches_the_statutory_maximum():
    # Reviewed 1 October 2025: the next term ends 27 March 2026, but three months end 31 January 2026.
    due = next_due(start_date=date(2025, 9, 15), last_review_on=date(2025, 10, 1), term_ends=TERMS)

    assert due.due_on == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2025, 12, 1), "overdue"),
        (date(2025, 11, 30), "due_soon"),
        (date(2025, 11, 16), "due_soon"),
        (date(2025, 11, 15), "ok"),
    ],
)
def test_a_due_date_reads_as_overdue_due_soon_or_on_track(today, state):
    due = next_due(start_date=date(2025, 8, 1), last_review_on=date(2025, 8, 1))

    assert due.state(today) == state
