"""What the training plan does when something happens to an enrolment in ``programmes`` (connected in apps.py)."""

from django.dispatch import receiver

from programmes.signals import employer_changed
from programmes.training_plans import services


@receiver(employer_changed, dispatch_uid="training_plans.draft_revision_for_new_employer")
def draft_revision_for_new_employer(sender, *, enrolment, by, employer, effective_on, **kwargs) -> None:
    """A change of employer changes the parties: draft the plan revision that all three must sign."""
    current = services.current_plan(enrolment)
    if current is None or services.draft_plan(enrolment) is not None:
        return
    services.plan_save_draft(
        enrolment=enrolment,
        by=by,
        values=services.fields_from_content(current.content),
        change_summary=f"Change of employer to {employer.name} from {effective_on:%d/%m/%Y}.",
    )
