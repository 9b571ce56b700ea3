"""Builders for the gateway, EPA and completion tests: an enrolment that meets every gateway item, then the EPA.

The clock is 10 March 2026 (``TODAY``): the cast's enrolment started 15 September 2025, its one module is passed,
460 confirmed OTJ hours meet the minimum, accepted evidence covers all four KSBs, English and maths are recorded,
the SBP title and scope are agreed, the plan is signed and a review was signed on 2 March 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.epa import completion
from assessments.epa import services as epa_services
from assessments.epa.models import EPAMethodResult
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from tests.assessments.helpers import mark, release, set_up_run, submit
from tests.portfolios.evidence_helpers import accept, add
from tests.portfolios.otj.otj_helpers import sign_plan
from tests.signing import gateway_proof
from tests.tutors.helpers import signed_review

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, tzinfo=UTC)
SCOPE = "A business case for integrating adult social care and housing support behind a single front door."


def pdf_upload(name: str = "proposal.pdf", body: bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def pass_modules(world) -> None:
    set_up_run(world)
    for number in (1, 2):
        mark(world, submit(world, number), 64)
    release(world)


def confirm_otj(world, cast, hours: Decimal = Decimal("470")) -> None:
    """Confirmed entries stored directly (the ledger's own rules are tested with the ledger)."""
    kind = OTJActivityType.objects.filter(counts_towards_otj=True).order_by("order").first()
    day, left = date(2025, 10, 1), hours
    rows = []
    while left > 0:
        chunk = min(left, Decimal("10"))
        rows.append(
            OffTheJobEntry(
                enrolment=world.enrolment,
                date=day,
                hours=chunk,
                activity_type=kind,
                description="Read and discussed the module papers on public value with my mentor.",
                logged_by=cast.apprentice,
                status=OffTheJobEntry.Status.CONFIRMED,
                decided_by=cast.line_manager,
                decided_at=NOW,
            )
        )
        day += timedelta(days=3)
        left -= chunk
    OffTheJobEntry.objects.bulk_create(rows)


def cover_ksbs(world, cast, codes=("K1", "K2", "S1", "B1")) -> None:
    accept(add(world, cast, *codes), cast.tutor)


def agree_sbp(world, cast) -> None:
    epa_services.sbp_agreement_propose(
        enrolment=world.enrolment, by=cast.apprentice, title="Single front door", scope=SCOPE
    )
    epa_services.sbp_agreement_agree(enrolment=world.enrolment, by=cast.line_manager, party="employer")
    epa_services.sbp_agreement_agree(enrolment=world.enrolment, by=cast.director, party="epao")


def record_english_maths(world, cast) -> None:
    epa_services.english_maths_record(
        enrolment=world.enrolment, by=cast.tutor, kind="evidence", details="GCSE English B, maths C (2004)."
    )


def make_ready(world, cast, *, skip: tuple[str, ...] = ()) -> None:
    """Meet every gateway item except those named in ``skip``. Call with the clock at ``NOW``."""
    steps = {
        "training_plan": lambda: sign_plan(world, cast),
        "modules": lambda: pass_modules(world),
        "otj": lambda: confirm_otj(world, cast),
        "portfolio": lambda: cover_ksbs(world, cast),
        "english_maths": lambda: record_english_maths(world, cast),
        "sbp": lambda: agree_sbp(world, cast),
        "reviews": lambda: signed_review(world.enrolment, cast, held_on=date(2026, 3, 2)),
    }
    if "training_plan" in skip:
        # OTJ and reviews need training to have started: the standard still needs its minimum.
        world.programme.standard.otj_minimum_hours = Decimal("460")
        world.programme.standard.save()
    for code, step in steps.items():
        if code not in skip:
            step()


def sign_gateway(world, cast) -> None:
    for person in (cast.line_manager, cast.director):
        epa_services.gateway_sign(
            enrolment=world.enrolment, by=person, proof=gateway_proof(world.enrolment, person)
        )
    world.enrolment.refresh_from_db()


def into_epa(world, cast) -> None:
    """Ready, signed off, and the cast's assessor assigned (the world already made their EPA row)."""
    make_ready(world, cast)
    sign_gateway(world, cast)
    epa_services.epa_assign_assessor(enrolment=world.enrolment, by=cast.director, assessor=cast.assessor)


def submit_sbp(world, cast):
    return epa_services.sbp_submit(
        enrolment=world.enrolment,
        by=cast.apprentice,
        upload=pdf_upload(),
        word_count=4100,
        senior_signoff="Signed off by the chief executive on 1 March 2026.",
    )


def grade(
    world, cast, method: str, value: str, *, kind: str = "first", agreement: str = ""
) -> EPAMethodResult:
    return epa_services.epa_record_result(
        enrolment=world.enrolment,
        by=cast.assessor,
        method=method,
        grade=value,
        comments="Evidence weighed against the grading criteria.",
        kind=kind,
        employer_agreement=agreement,
    )


def passed_and_released(world, cast, sbp: str = "distinction", discussion: str = "pass") -> None:
    into_epa(world, cast)
    submit_sbp(world, cast)
    grade(world, cast, "sbp_presentation", sbp)
    grade(world, cast, "professional_discussion", discussion)
    epa_services.epa_release_results(enrolment=world.enrolment, by=cast.assessor)


def issued(world, cast, django_capture_on_commit_callbacks):
    """The completion record, issued with its PDF generated by the (eager) task after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        record = completion.completion_issue(enrolment=world.enrolment, by=cast.director)
    record.refresh_from_db()
    return record
