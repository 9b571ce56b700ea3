"""Shared builders for the OTJ tests: a signed training plan (so training may start) and entries via services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine

from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import KSB
from programmes.training_plans import services as plan_services
from tests.signing import plan_proof

STANDARD_MINIMUM = Decimal("460")
DESCRIPTION = "Read the module papers on public value and wrote notes on stakeholder mapping."


def sign_plan(world, cast, enrolment=None) -> None:
    """Send and sign the enrolment's training plan (all three parties) just after it started."""
    enrolment = enrolment or world.enrolment
    standard = enrolment.programme.standard
    if standard.otj_minimum_hours is None:
        standard.otj_minimum_hours = STANDARD_MINIMUM
        standard.save()
    with time_machine.travel(datetime(2025, 9, 16, 9, tzinfo=UTC), tick=False):
        values = plan_services.fields_from_records(enrolment)
        draft = plan_services.plan_save_draft(
            enrolment=enrolment, by=cast.director, values=values, change_summary=""
        )
        plan = plan_services.plan_send(plan=draft, by=cast.director)
        signers = {
            "apprentice": enrolment.apprentice,
            "employer": enrolment.line_manager,
            "provider": cast.director,
        }
        for role in plan_services.outstanding_roles(plan):
            user = signers[role]
            plan_services.plan_sign(plan=plan, by=user, proof=plan_proof(plan, user))


def activity(code: str = "reading") -> OTJActivityType:
    return OTJActivityType.objects.get(code=code)


def fields(world, **changes) -> otj_services.EntryFields:
    values = {
        "date": date(2026, 3, 2),
        "hours": Decimal("2"),
        "activity_type_id": activity().pk,
        "description": DESCRIPTION,
        "ksb_ids": [KSB.objects.get(standard=world.programme.standard, code="K1").pk],
    }
    values.update(changes)
    return otj_services.EntryFields(**values)


def log(world, cast, **changes) -> OffTheJobEntry:
    return otj_services.otj_entry_create(
        enrolment=world.enrolment, by=cast.apprentice, fields=fields(world, **changes)
    )


def confirmed(world, cast, **changes) -> OffTheJobEntry:
    entry = log(world, cast, **changes)
    return otj_services.otj_entry_confirm(entry=entry, by=cast.line_manager)
