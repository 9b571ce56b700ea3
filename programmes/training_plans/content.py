"""A training plan's content: the fields a director writes, the content built from them and the records, and how
two versions' content differ (a minor revision needs no new signatures, a major one needs all three again).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from accounts.models import User
from core.errors import DomainError
from programmes import off_the_job as otj_policy
from programmes.models import Enrolment
from programmes.training_plans.models import PlanTemplate

MAX_PRIOR_LEARNING = Decimal("9999.99")  # what Enrolment.prior_learning_hours can hold


@dataclass
class PlanFields:
    """What a programme director writes or changes in a plan; the rest is generated from the records."""

    epao_name: str
    planned_end_date: date
    contracted_weekly_hours: Decimal
    prior_learning_hours: Decimal
    prior_learning_notes: str
    apprentice_commitments: str
    employer_commitments: str
    provider_commitments: str
    support: str
    complaints: str

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def template_for(enrolment: Enrolment) -> PlanTemplate:
    template, _ = PlanTemplate.objects.get_or_create(programme=enrolment.programme)
    return template


def fields_from_records(enrolment: Enrolment) -> PlanFields:
    template = template_for(enrolment)
    return PlanFields(
        epao_name=template.epao_name,
        planned_end_date=enrolment.planned_end_date,
        contracted_weekly_hours=enrolment.contracted_weekly_hours,
        prior_learning_hours=enrolment.prior_learning_hours,
        prior_learning_notes=enrolment.prior_learning_notes,
        apprentice_commitments=template.apprentice_commitments,
        employer_commitments=template.employer_commitments,
        provider_commitments=template.provider_commitments,
        support=template.support,
        complaints=template.complaints,
    )


def fields_from_content(content: dict) -> PlanFields:
    return PlanFields(
        epao_name=content["parties"]["epao"],
        planned_end_date=date.fromisoformat(content["dates"]["planned_end_date"]),
        contracted_weekly_hours=Decimal(content["hours"]["contracted_weekly_hours"]),
        prior_learning_hours=Decimal(content["prior_learning"]["hours"]),
        prior_learning_notes=content["prior_learning"]["notes"],
        apprentice_commitments=content["commitments"]["apprentice"],
        employer_commitments=content["commitments"]["employer"],
        provider_commitments=content["commitments"]["provider"],
        support=content["support"],
        complaints=content["complaints"],
    )


def _person(user: User | None) -> dict:
    if user is None:
        return {"name": "", "email": "", "job_title": ""}
    return {"name": user.full_name, "email": user.email, "job_title": user.job_title}


def _schedule(enrolment: Enrolment) -> list[dict]:
    runs = enrolment.cohort.module_runs.select_related("module", "lead").order_by(
        "online_start", "module__order"
    )
    return [
        {
            "key": f"module-{run.module.order}",
            "module": f"{run.module.order}. {run.module.title}",
            "online": f"{run.online_start.isoformat()} to {run.online_end.isoformat()}",
            "campus": [day.isoformat() for day in run.campus_dates],
            "how": f"{run.module.weeks_online} weeks online, then {run.module.campus_days} days on campus",
            "led_by": run.lead.full_name if run.lead else "To be confirmed",
        }
        for run in runs
    ]


def _hours(value, *, field: str) -> Decimal:
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise DomainError("Enter hours as a number, e.g. 37.5.", field=field) from error
    if not hours.is_finite():
        raise DomainError("Enter hours as a number, e.g. 37.5.", field=field)
    return hours


def validate_fields(values: PlanFields, enrolment: Enrolment) -> PlanFields:
    """The director's fields checked and tidied (text stripped, hours rounded to the penny); DomainError if not."""
    values.epao_name = values.epao_name.strip()
    for name in (
        "apprentice_commitments",
        "employer_commitments",
        "provider_commitments",
        "support",
        "complaints",
    ):
        text = getattr(values, name).strip()
        if not text:
            label = name.replace("_", " ")
            raise DomainError(f"Write the {label}; every plan states them.", field=name)
        setattr(values, name, text)
    values.prior_learning_notes = values.prior_learning_notes.strip()
    if values.planned_end_date <= enrolment.start_date:
        raise DomainError(
            "The planned end date must be after the learning start date.", field="planned_end_date"
        )
    hours = _hours(values.contracted_weekly_hours, field="contracted_weekly_hours")
    prior = _hours(values.prior_learning_hours, field="prior_learning_hours")
    if not Decimal(1) <= hours <= Decimal(48):
        raise DomainError(
            "Contracted hours must be between 1 and 48 a week.", field="contracted_weekly_hours"
        )
    if prior < 0:
        raise DomainError("Prior learning cannot be negative.", field="prior_learning_hours")
    if prior > MAX_PRIOR_LEARNING:
        raise DomainError(
            f"Prior learning must be at most {MAX_PRIOR_LEARNING:,} hours.", field="prior_learning_hours"
        )
    if prior and not values.prior_learning_notes:
        raise DomainError(
            "Describe the prior learning that reduces the off-the-job hours.", field="prior_learning_notes"
        )
    values.contracted_weekly_hours = hours.quantize(Decimal("0.01"))
    values.prior_learning_hours = prior.quantize(Decimal("0.01"))
    return values


def build_content(enrolment: Enrolment, values: PlanFields) -> dict:
    """The plan's content: parties, dates, hours and the OTJ plan with its working, schedule, commitments."""
    requirement = otj_policy.minimum(
        start_date=enrolment.start_date,
        planned_end_date=values.planned_end_date,
        weekly_hours=values.contracted_weekly_hours,
        standard_minimum=enrolment.programme.standard.otj_minimum_hours,
        prior_learning_hours=values.prior_learning_hours,
    )
    programme = enrolment.programme
    standard = programme.standard
    return {
        "title": "Tripartite commitment statement (training plan)",
        "programme": {
            "name": programme.name,
            "standard": f"{standard.code} v{standard.version} {standard.title} (Level {standard.level})",
            "cohort": enrolment.cohort.name,
            "awards": programme.awards,
        },
        "parties": {
            "apprentice": _person(enrolment.apprentice),
            "employer": enrolment.employer.name,
            "line_manager": _person(enrolment.line_manager),
            "provider": programme.provider.name,
            "programme_directors": sorted(d.full_name for d in programme.directors.all()),
            "practice_tutor": _person(enrolment.practice_tutor),
            "epao": values.epao_name,
        },
        "dates": {
            "start_date": enrolment.start_date.isoformat(),
            "planned_end_date": values.planned_end_date.isoformat(),
        },
        "hours": {"contracted_weekly_hours": f"{values.contracted_weekly_hours:.2f}"},
        "otj": {
            "rule": requirement.rule.code,
            "rule_name": requirement.rule.name,
            "planned_hours": None if requirement.hours is None else f"{requirement.hours:.2f}",
            "explanation": requirement.explanation,
            "note": requirement.note,
        },
        "schedule": _schedule(enrolment),
        "commitments": {
            "apprentice": values.apprentice_commitments,
            "employer": values.employer_commitments,
            "provider": values.provider_commitments,
        },
        "prior_learning": {
            "hours": f"{values.prior_learning_hours:.2f}",
            "notes": values.prior_learning_notes,
        },
        "support": values.support,
        "complaints": values.complaints,
    }


def classify_change(old: dict, new: dict) -> str:
    """'none', 'minor' (sessions rescheduled, nothing else) or 'major' (needs all three signatures again)."""
    if old == new:
        return "none"
    rest_old = {k: v for k, v in old.items() if k != "schedule"}
    rest_new = {k: v for k, v in new.items() if k != "schedule"}
    if rest_old != rest_new:
        return "major"
    old_sessions = [(s["key"], s["module"], s["how"]) for s in old.get("schedule", [])]
    new_sessions = [(s["key"], s["module"], s["how"]) for s in new.get("schedule", [])]
    return "minor" if old_sessions == new_sessions else "major"


def plan_fields_dict(values: PlanFields) -> dict:
    return asdict(values)
