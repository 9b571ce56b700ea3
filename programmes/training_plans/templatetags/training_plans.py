"""The training plan's card on pages that ``programmes`` renders (the enrolment page), so programmes never imports
the training plan: ``{% load training_plans %}{% training_plan_card enrolment can_manage %}``."""

from django import template

from programmes import access
from programmes.training_plans import services
from programmes.training_plans.models import TrainingPlan

register = template.Library()


@register.inclusion_tag("programmes/_training_plan_card.html", takes_context=True)
def training_plan_card(context, enrolment, can_manage: bool) -> dict:
    """The current version and its status, what stops training, and a link to read, sign or draft the plan."""
    user = context["request"].user
    plan = services.current_plan(enrolment)
    return {
        "enrolment": enrolment,
        "can_manage": can_manage,
        "plan": plan,
        "training_blocker": services.training_blocker(enrolment) if enrolment.is_live else None,
        "can_sign": plan is not None
        and plan.status == TrainingPlan.Status.AWAITING
        and bool(set(access.plan_signing_roles(user, enrolment)) - {s.role for s in plan.signatures.all()}),
    }
