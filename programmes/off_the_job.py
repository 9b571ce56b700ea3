"""The off-the-job training minimum, by apprenticeship start date: one versioned policy (domain.md §4).

Every result carries the rule set applied and a working a person can read, e.g.
"104 weeks − 11.2 weeks statutory leave = 92.8 weeks × 6 h = 556.8 h". Arithmetic is Decimal throughout;
display rounding is a setting (``OTJ_DISPLAY_ROUNDING``: ``up`` to whole hours like the published calculators,
or ``none`` for the exact figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.conf import settings

LEAVE_WEEKS_PER_YEAR = Decimal("5.6")
WEEKS_PER_YEAR = Decimal(52)
SHARE = Decimal("0.2")
WEEKLY_CAP_2022 = Decimal(30)
FLOOR_2025 = Decimal(187)
RULES_2022_FROM = date(2022, 8, 1)
RULES_2025_FROM = date(2025, 8, 1)


@dataclass(frozen=True)
class RuleSet:
    code: str
    name: str


RULE_2017 = RuleSet("2017", "Starts before 1 August 2022: 20% of contracted hours")
RULE_2022 = RuleSet("2022", "Starts 1 August 2022 – 31 July 2025: 20% of up to 30 hours a week")
RULE_2025 = RuleSet("2025", "Starts from 1 August 2025: the standard's fixed minimum")


@dataclass(frozen=True)
class OTJRequirement:
    """The minimum OTJ hours for one apprenticeship, and why."""

    rule: RuleSet
    hours: Decimal | None
    explanation: str
    weeks: Decimal
    leave_weeks: Decimal
    note: str = ""

    @property
    def display_hours(self) -> str:
        return "not set" if self.hours is None else f"{display(self.hours)} h"


def q(value: Decimal) -> str:
    """A Decimal without trailing zeros, for explanations ("92.8", "6", "556.8")."""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(hours: Decimal) -> str:
    """Hours for people, rounded as the OTJ_DISPLAY_ROUNDING setting says."""
    mode = getattr(settings, "OTJ_DISPLAY_ROUNDING", "up")
    if mode == "up":
        return f"{hours.to_integral_value(rounding=ROUND_CEILING):f}"
    return q(hours)


def weeks_between(start: date, end: date) -> Decimal:
    return Decimal((end - start).days) / Decimal(7)


def statutory_leave(weeks: Decimal) -> Decimal:
    """5.6 weeks a year, pro rata: ``5.6 × W / 52``."""
    return LEAVE_WEEKS_PER_YEAR * weeks / WEEKS_PER_YEAR


def twenty_percent(contracted_hours: Decimal) -> Decimal:
    """The 2017 rule at its simplest: a fifth of the contracted hours (excluding leave)."""
    return SHARE * contracted_hours


def rule_for(start_date: date) -> RuleSet:
    if start_date < RULES_2022_FROM:
        return RULE_2017
    if start_date < RULES_2025_FROM:
        return RULE_2022
    return RULE_2025


def minimum(
    *,
    start_date: date,
    planned_end_date: date,
    weekly_hours: Decimal | int,
    standard_minimum: Decimal | None = None,
    prior_learning_hours: Decimal | int = 0,
) -> OTJRequirement:
    """The minimum OTJ hours for the practical period (start to planned end; the EPA period is excluded)."""
    weekly_hours = Decimal(weekly_hours)
    prior = Decimal(prior_learning_hours)
    weeks = weeks_between(start_date, planned_end_date)
    leave = statutory_leave(weeks)
    rule = rule_for(start_date)
    if rule is RULE_2025:
        if standard_minimum is None:
            return OTJRequirement(
                rule,
                None,
                "The standard's published OTJ minimum is not recorded yet; an administrator enters it on the "
                "standard.",
                weeks,
                leave,
            )
        reduced = Decimal(standard_minimum) - prior
        hours = max(reduced, FLOOR_2025)
        working = f"{q(Decimal(standard_minimum))} h standard minimum"
        if prior:
            working += f" − {q(prior)} h prior learning = {q(reduced)} h"
        if reduced < FLOOR_2025:
            working += f", raised to the {q(FLOOR_2025)} h floor"
        return OTJRequirement(rule, hours, f"{working} → {q(hours)} h", weeks, leave)

    working_weeks = weeks - leave
    counted = weekly_hours if rule is RULE_2017 else min(weekly_hours, WEEKLY_CAP_2022)
    per_week = SHARE * counted
    hours = max(per_week * working_weeks - prior, Decimal(0))
    explanation = (
        f"{q(weeks)} weeks − {q(leave)} weeks statutory leave = {q(working_weeks)} weeks × {q(per_week)} h "
        f"= {q(per_week * working_weeks)} h"
    )
    if weekly_hours > counted:
        explanation = f"hours capped at {q(counted)} a week; " + explanation
    if prior:
        explanation += f" − {q(prior)} h prior learning = {q(hours)} h"
    note = ""
    if rule is RULE_2022 and weekly_hours < WEEKLY_CAP_2022:
        extended = weeks * WEEKLY_CAP_2022 / weekly_hours
        note = (
            f"Part-time ({q(weekly_hours)} h a week): the practical period should be extended to "
            f"{q(extended)} weeks (W × 30 ÷ H)."
        )
    return OTJRequirement(rule, hours, explanation, weeks, leave, note)


def for_enrolment(enrolment, *, prior_learning_hours: Decimal | int = 0) -> OTJRequirement:
    return minimum(
        start_date=enrolment.start_date,
        planned_end_date=enrolment.planned_end_date,
        weekly_hours=enrolment.contracted_weekly_hours,
        standard_minimum=enrolment.programme.standard.otj_minimum_hours,
        prior_learning_hours=prior_learning_hours,
    )
