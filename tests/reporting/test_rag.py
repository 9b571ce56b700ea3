"""The RAG rule: each signal on its own moves the rating, and every rating comes with its reasons."""

from datetime import date
from decimal import Decimal

import pytest

from reporting import rag

TODAY = date(2026, 11, 22)


def signals(**changes) -> rag.Signals:
    """An apprentice halfway through, on track in every respect; each test changes one signal."""
    values = {
        "today": TODAY,
        "status": "active",
        "start_date": date(2025, 11, 24),
        "planned_end_date": date(2027, 11, 22),
        "otj_status": "on_track",
        "otj_percent": Decimal("104.0"),
        "review_state": "ok",
        "review_due_on": date(2027, 1, 20),
        "modules_passed": 2,
        "modules_due": 2,
        "ksb_coverage": 40,
    }
    return rag.Signals(**(values | changes))


def test_an_apprentice_on_track_everywhere_is_green_and_says_why():
    rating = rag.rate(signals())

    assert rating.rag == rag.GREEN
    assert "Off-the-job training on track (104% of expected)." in rating.reasons
    assert "Progress reviews up to date (next due 20 Jan 2027)." in rating.reasons
    assert "2 of 2 modules due so far passed." in rating.reasons
    assert "KSB coverage 40%." in rating.reasons


def test_otj_behind_alone_is_amber_with_the_percentage():
    rating = rag.rate(signals(otj_status="behind", otj_percent=Decimal("82.5")))

    assert (rating.rag, rating.reasons) == (
        rag.AMBER,
        ["Off-the-job training behind: confirmed hours (82% of expected) are below expected."],
    )


def test_otj_at_risk_alone_is_red():
    rating = rag.rate(signals(otj_status="at_risk", otj_percent=Decimal("41")))

    assert rating.rag == rag.RED
    assert rating.reasons == [
        "Off-the-job training at risk: confirmed hours (41% of expected) are well below expected."
    ]


def test_a_review_overdue_by_a_few_days_is_amber():
    rating = rag.rate(signals(review_state="overdue", review_due_on=date(2026, 11, 12)))

    assert (rating.rag, rating.reasons) == (
        rag.AMBER,
        ["Progress review overdue by 10 days (due 12 Nov 2026)."],
    )


def test_a_review_overdue_by_more_than_the_threshold_is_red(settings):
    settings.RAG_REVIEW_OVERDUE_RED_DAYS = 28
    red = rag.rate(signals(review_state="overdue", review_due_on=date(2026, 10, 24)))  # 29 days
    amber = rag.rate(signals(review_state="overdue", review_due_on=date(2026, 10, 25)))  # 28 days

    assert red.rag == rag.RED
    assert amber.rag == rag.AMBER


def test_one_module_behind_is_amber_and_two_are_red():
    one = rag.rate(signals(modules_passed=1, modules_due=2))
    two = rag.rate(signals(modules_passed=0, modules_due=2))

    assert (one.rag, one.reasons) == (rag.AMBER, ["1 module not passed that should have a result by now."])
    assert (two.rag, two.reasons) == (rag.RED, ["2 modules not passed that should have a result by now."])


def test_ksb_coverage_behind_time_elapsed_is_amber(settings):
    settings.RAG_KSB_COVERAGE_LAG_PERCENT = 25  # halfway through: at least 25% expected
    behind = rag.rate(signals(ksb_coverage=24))
    enough = rag.rate(signals(ksb_coverage=25))

    assert (behind.rag, behind.reasons) == (
        rag.AMBER,
        ["KSB coverage 24% is behind: 50% of the practical period has passed."],
    )
    assert enough.rag == rag.GREEN


def test_documents_waiting_for_signatures_too_long_are_amber(settings):
    settings.RAG_UNSIGNED_DAYS = 14
    late = rag.rate(signals(awaiting_signature=(("Review 3", 15),)))
    recent = rag.rate(signals(awaiting_signature=(("Review 3", 14),)))

    assert (late.rag, late.reasons) == (rag.AMBER, ["Review 3 awaiting signatures for 15 days."])
    assert recent.rag == rag.GREEN


def test_at_gateway_but_not_ready_is_amber_and_names_what_is_unmet():
    rating = rag.rate(
        signals(
            status="gateway",
            gateway_ready=False,
            gateway_unmet=("All modules passed", "Training plan current"),
        )
    )

    assert (rating.rag, rating.reasons) == (
        rag.AMBER,
        ["At gateway but not ready: All modules passed; Training plan current."],
    )


def test_the_planned_end_passed_while_still_in_learning_is_red():
    rating = rag.rate(signals(planned_end_date=date(2026, 11, 1), ksb_coverage=100))

    assert rating.rag == rag.RED
    assert rating.reasons == ["The planned end date (1 Nov 2026) has passed while still in learning."]


def test_a_break_in_learning_is_amber():
    rating = rag.rate(signals(status="break_in_learning", review_state="paused", review_due_on=None))

    assert rating.rag == rag.AMBER
    assert rating.reasons == ["On a break in learning: the OTJ and review clocks are paused; keep in touch."]


def test_the_most_severe_reason_sets_the_rating_and_every_reason_is_listed_worst_first():
    rating = rag.rate(
        signals(otj_status="behind", otj_percent=Decimal(80), modules_passed=0, modules_due=2, ksb_coverage=0)
    )

    assert rating.rag == rag.RED
    assert rating.reasons[0] == "2 modules not passed that should have a result by now."
    assert len(rating.reasons) == 3


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("withdrawn", (rag.GREY, ["Withdrawn: no longer rated."])),
        ("completed", (rag.GREEN, ["Completed the apprenticeship."])),
    ],
)
def test_closed_enrolments_are_rated_by_their_outcome(status, expected):
    rating = rag.rate(signals(status=status, otj_status="at_risk"))

    assert (rating.rag, rating.reasons) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"otj_status": "at_risk"},
        {"status": "withdrawn"},
        {"status": "pending", "otj_status": None, "review_state": "none", "review_due_on": None},
        {"otj_status": None, "review_state": "none", "review_due_on": None},
    ],
)
def test_never_a_rating_without_reasons(changes):
    assert rag.rate(signals(**changes)).reasons
