"""The off-the-job training minimum (programmes.off_the_job): domain.md §4's worked examples and rule boundaries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from programmes import off_the_job as otj_policy
from programmes.off_the_job import RULE_2017, RULE_2022, RULE_2025

START_2022 = date(2023, 9, 4)  # a start under the 2022-25 rules
START_2017 = date(2021, 9, 6)
START_2025 = date(2025, 9, 15)


def minimum_for(weeks, hours, start=START_2022, **kwargs):
    return otj_policy.minimum(
        start_date=start,
        planned_end_date=start + timedelta(weeks=weeks),
        weekly_hours=Decimal(hours),
        **kwargs,
    )


# --- domain.md §4 worked examples ---------------------------------------------------------------------------


def test_52_weeks_full_time():
    requirement = minimum_for(52, 30)
    assert requirement.rule is RULE_2022
    assert requirement.weeks == 52
    assert requirement.leave_weeks == Decimal("5.6")
    assert requirement.hours == Decimal("278.4")
    assert requirement.explanation == "52 weeks − 5.6 weeks statutory leave = 46.4 weeks × 6 h = 278.4 h"


def test_21_hours_a_week_for_78_weeks():
    requirement = minimum_for(78, 21)
    assert requirement.leave_weeks == Decimal("8.4")
    assert requirement.hours == Decimal("292.32")
    assert requirement.explanation == "78 weeks − 8.4 weeks statutory leave = 69.6 weeks × 4.2 h = 292.32 h"


def test_156_weeks_full_time():
    requirement = minimum_for(156, Decimal("37.5"))
    assert requirement.leave_weeks == Decimal("16.8")
    assert requirement.hours == Decimal("835.2")
    assert requirement.explanation == (
        "hours capped at 30 a week; 156 weeks − 16.8 weeks statutory leave = 139.2 weeks × 6 h = 835.2 h"
    )


def test_2017_rule_is_a_fifth_of_the_contracted_hours():
    contracted = Decimal(7 * 5 * 46 * 2)
    assert contracted == 3220
    assert otj_policy.twenty_percent(contracted) == 644


def test_24_month_senior_leader_under_the_2022_rules():
    requirement = minimum_for(104, 30)
    assert requirement.rule is RULE_2022
    assert requirement.hours == Decimal("556.8")
    assert requirement.explanation == "104 weeks − 11.2 weeks statutory leave = 92.8 weeks × 6 h = 556.8 h"


# --- which rules apply -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "rule"),
    [
        (date(2022, 7, 31), RULE_2017),
        (date(2022, 8, 1), RULE_2022),
        (date(2025, 7, 31), RULE_2022),
        (date(2025, 8, 1), RULE_2025),
    ],
)
def test_the_rules_change_on_1_august(start, rule):
    assert otj_policy.rule_for(start) is rule
    assert minimum_for(52, 30, start=start, standard_minimum=Decimal(300)).rule is rule


def test_the_2017_rule_counts_every_contracted_hour():
    requirement = minimum_for(52, Decimal("37.5"), start=START_2017)
    assert requirement.rule is RULE_2017
    assert requirement.hours == Decimal("348")  # 46.4 weeks × 7.5 h
    assert requirement.explanation == "52 weeks − 5.6 weeks statutory leave = 46.4 weeks × 7.5 h = 348 h"
    assert requirement.note == ""


def test_the_2022_rule_caps_the_counted_hours_at_30():
    assert minimum_for(52, Decimal("37.5")).hours == minimum_for(52, 30).hours == Decimal("278.4")


def test_the_2022_rule_notes_the_extended_duration_for_part_time():
    note = minimum_for(78, 21).note
    assert note == (
        "Part-time (21 h a week): the practical period should be extended to 111.43 weeks (W × 30 ÷ H)."
    )
    assert minimum_for(52, 30).note == ""
    assert minimum_for(52, 21, start=START_2017).note == ""


def test_prior_learning_reduces_the_2022_minimum():
    requirement = minimum_for(52, 30, prior_learning_hours=Decimal("78.4"))
    assert requirement.hours == Decimal("200")
    assert requirement.explanation.endswith(" − 78.4 h prior learning = 200 h")


# --- from 1 August 2025 ------------------------------------------------------------------------------------


def test_2025_rule_uses_the_standards_minimum_whatever_the_duration():
    short = minimum_for(52, 30, start=START_2025, standard_minimum=Decimal("460"))
    long = minimum_for(156, 20, start=START_2025, standard_minimum=Decimal("460"))
    assert short.rule is RULE_2025 and short.hours == long.hours == Decimal("460")
    assert short.explanation == "460 h standard minimum → 460 h"
    assert short.note == ""


def test_2025_rule_subtracts_prior_learning():
    requirement = minimum_for(
        104, 30, start=START_2025, standard_minimum=Decimal("460"), prior_learning_hours=60
    )
    assert requirement.hours == Decimal("400")
    assert requirement.explanation == "460 h standard minimum − 60 h prior learning = 400 h → 400 h"


def test_2025_rule_never_goes_below_187_hours():
    requirement = minimum_for(
        104, 30, start=START_2025, standard_minimum=Decimal("300"), prior_learning_hours=200
    )
    assert requirement.hours == Decimal("187")
    assert requirement.explanation == (
        "300 h standard minimum − 200 h prior learning = 100 h, raised to the 187 h floor → 187 h"
    )
    exactly = minimum_for(
        104, 30, start=START_2025, standard_minimum=Decimal("300"), prior_learning_hours=113
    )
    assert exactly.hours == Decimal("187")
    assert "floor" not in exactly.explanation


def test_2025_rule_without_a_published_minimum_has_no_hours():
    requirement = minimum_for(104, 30, start=START_2025)
    assert requirement.hours is None
    assert "not recorded" in requirement.explanation
    assert requirement.display_hours == "not set"


# --- display rounding --------------------------------------------------------------------------------------


def test_display_rounds_up_to_whole_hours_by_default(settings):
    settings.OTJ_DISPLAY_ROUNDING = "up"
    assert otj_policy.display(Decimal("278.4")) == "279"
    assert otj_policy.display(Decimal("292.32")) == "293"
    assert otj_policy.display(Decimal("556.80")) == "557"
    assert otj_policy.display(Decimal("644.0")) == "644"
    assert minimum_for(52, 30).display_hours == "279 h"


def test_display_can_show_the_exact_figure(settings):
    settings.OTJ_DISPLAY_ROUNDING = "none"
    assert otj_policy.display(Decimal("278.4")) == "278.4"
    assert otj_policy.display(Decimal("292.32")) == "292.32"
    assert otj_policy.display(Decimal("644.0")) == "644"
    assert minimum_for(104, 30).display_hours == "556.8 h"


def test_the_stored_value_is_exact_whatever_the_display(settings):
    settings.OTJ_DISPLAY_ROUNDING = "up"
    requirement = minimum_for(78, 21)
    assert requirement.hours == Decimal("292.32")
    assert isinstance(requirement.hours, Decimal)
