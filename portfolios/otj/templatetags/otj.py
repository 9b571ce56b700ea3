"""Template filters for hours: exact figures without trailing zeros, and the minimum as the rounding setting says."""

from decimal import Decimal

from django import template

from programmes import off_the_job as otj_policy

register = template.Library()


@register.filter
def hours(value) -> str:
    """``Decimal("642.4615…")`` → ``642.46``, ``Decimal("7.50")`` → ``7.5``; blank for None."""
    if value is None or value == "":
        return ""
    return otj_policy.q(Decimal(value))


@register.filter
def minimum_hours(value) -> str:
    """The OTJ minimum as people are shown it (rounded up to whole hours unless OTJ_DISPLAY_ROUNDING is none)."""
    if value is None or value == "":
        return "not set"
    return otj_policy.display(Decimal(value))
