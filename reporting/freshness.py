"""Keeping the progress snapshots honest: every saved or deleted row that may change an apprentice's dashboard row
marks that row stale, so the next read recomputes it.

Why signals, when the house style keeps business rules out of them: this is not a rule but the invalidation of a
read model, and it must see every write (services, the admin, a data fix in a shell), including writes added
later by code that knows nothing of the dashboard. Writes that send no signals (``QuerySet.update``,
``bulk_create``) call ``reporting.services.progress_mark_stale`` themselves. Time passing (a review falling
overdue, expected hours rising) is handled by the day the row was computed for, not here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_save, pre_delete

# model label → (the scope it changes, the lookup from the model to that scope; "" for the row's own key)
WATCHED: dict[str, tuple[str, str]] = {
    "programmes.Enrolment": ("enrolment_ids", ""),
    "programmes.EnrolmentStatusChange": ("enrolment_ids", "enrolment"),
    "programmes.BreakInLearning": ("enrolment_ids", "enrolment"),
    "programmes.EmploymentPeriod": ("enrolment_ids", "enrolment"),
    "training_plans.TrainingPlan": ("enrolment_ids", "enrolment"),
    "training_plans.PlanSignature": ("enrolment_ids", "plan__enrolment"),
    "otj.OffTheJobEntry": ("enrolment_ids", "enrolment"),
    "portfolios.Evidence": ("enrolment_ids", "enrolment"),
    "portfolios.EvidenceVersion": ("enrolment_ids", "evidence__enrolment"),
    "portfolios.Feedback": ("enrolment_ids", "version__evidence__enrolment"),
    "portfolios.KSBJudgement": ("enrolment_ids", "feedback__version__evidence__enrolment"),
    "tutors.ProgressReview": ("enrolment_ids", "enrolment"),
    "tutors.ReviewAddendum": ("enrolment_ids", "review__enrolment"),
    "tutors.ReviewSignature": ("enrolment_ids", "review__enrolment"),
    "tutors.ReviewDecline": ("enrolment_ids", "review__enrolment"),
    "assessments.Submission": ("enrolment_ids", "enrolment"),
    "assessments.Mark": ("enrolment_ids", "submission__enrolment"),
    "epa.EndPointAssessment": ("enrolment_ids", "enrolment"),
    "epa.GatewaySignOff": ("enrolment_ids", "enrolment"),
    "epa.EnglishMathsEvidence": ("enrolment_ids", "enrolment"),
    "epa.SBPAgreement": ("enrolment_ids", "enrolment"),
    "reporting.RAGOverride": ("enrolment_ids", "enrolment"),
    "programmes.Cohort": ("cohort_ids", ""),
    "programmes.ModuleRun": ("cohort_ids", "cohort"),
    "assessments.Assignment": ("cohort_ids", "module_run__cohort"),
    "assessments.AssessmentScheme": ("cohort_ids", "module_run__cohort"),
    "programmes.Programme": ("programme_ids", ""),
    "programmes.Module": ("programme_ids", "programme"),
    "tutors.ReviewPolicy": ("programme_ids", "programme"),
    "programmes.Standard": ("standard_ids", ""),
    "programmes.KSB": ("standard_ids", "standard"),
}


def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Mark stale the snapshots a saved or deleted row belongs to (one UPDATE)."""
    from reporting.services import progress_mark_stale

    scope, lookup = WATCHED[sender._meta.label]
    if not lookup:
        values: Any = [instance.pk]
    elif "__" not in lookup:
        values = [getattr(instance, f"{lookup}_id")]
    else:  # follow the relations in the database rather than loading each related row
        values = sender._default_manager.filter(pk=instance.pk).values(lookup)
    progress_mark_stale(**{scope: values})


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"progress-freshness-save-{label}")
        pre_delete.connect(changed, sender=model, dispatch_uid=f"progress-freshness-delete-{label}")
