"""The gateway checklist (domain.md §7): every item evaluated from the records, each with the reason shown.

``gateway_readiness(enrolments)`` answers for any number of enrolments in a constant number of queries (the cohort
dashboard calls it for a whole cohort); ``readiness(enrolment)`` is the one-enrolment form.

Items, in the order shown:

1. ``modules`` — every module of the programme passed (released marks).
2. ``otj`` — the minimum off-the-job hours met: confirmed hours ≥ required.
3. ``portfolio`` — the portfolio submitted (accepted evidence) and every KSB mapped to the professional discussion
   covered by accepted evidence. KSBs carry no mapping to EPA methods, so all the standard's KSBs count as mapped
   (the item says so).
4. ``english_maths`` — Level 2 English and maths evidence, or a recorded exemption.
5. ``sbp`` — the SBP title and scope (at most 500 words) agreed by the employer and the assessment organisation.
6. ``training_plan`` — the training plan in force is signed by all three parties and unaltered.
7. ``reviews`` — progress reviews up to date: the next review was not overdue on the day checked (for an
   enrolment already at gateway, the day its practical period ended).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from assessments.epa.models import EnglishMathsEvidence, SBPAgreement
from assessments.selectors import modules_passed_counts
from portfolios.otj.selectors import OTJPosition, otj_positions
from portfolios.selectors import (
    accepted_ksb_pairs,
)  # the portfolio's own rule for "covered by accepted evidence"
from programmes.models import KSB, Enrolment, Module
from programmes.off_the_job import q
from programmes.training_plans.models import TrainingPlan
from tutors import cadence
from tutors.selectors import (  # the review cadence's own inputs
    breaks_by_enrolment,
    last_signed_review_dates,
    term_end_days_by_programme,
)

ITEMS = {
    "modules": "All modules passed",
    "otj": "Minimum off-the-job training met",
    "portfolio": "Portfolio submitted, KSBs for the professional discussion covered by accepted evidence",
    "english_maths": "English and maths at Level 2: evidence or exemption",
    "sbp": "SBP title and scope (at most 500 words) agreed by employer and assessment organisation",
    "training_plan": "Training plan current and signed",
    "reviews": "Progress reviews up to date",
}
CHECKABLE_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.GATEWAY)


@dataclass(frozen=True)
class Item:
    code: str
    met: bool
    detail: str

    @property
    def label(self) -> str:
        return ITEMS[self.code]


@dataclass(frozen=True)
class Readiness:
    enrolment_id: int
    items: list[Item] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def unmet(self) -> list[str]:
        return [item.code for item in self.items if not item.met]

    @property
    def met_count(self) -> int:
        return sum(item.met for item in self.items)

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    def snapshot(self) -> list[dict]:
        return [{"code": i.code, "label": i.label, "met": i.met, "detail": i.detail} for i in self.items]


def _d(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _modules_item(passed: int, total: int) -> Item:
    if total == 0:
        return Item("modules", False, "The programme has no modules set up.")
    if passed >= total:
        return Item("modules", True, f"All {total} modules passed.")
    return Item("modules", False, f"{passed} of {total} modules passed; {total - passed} still to pass.")


def _otj_item(position) -> Item:
    confirmed, required = position.confirmed_hours, position.required_hours
    if required > 0 and confirmed >= required:
        return Item("otj", True, f"{q(confirmed)} h confirmed of the {q(required)} h minimum.")
    short = max(required - confirmed, Decimal(0))
    return Item(
        "otj",
        False,
        f"{q(confirmed)} h confirmed of the {q(required)} h minimum: {q(short)} h short "
        f"(pending hours count once the line manager confirms them).",
    )


def _portfolio_item(ksb_codes: list[str], covered: set[str], evidence: int) -> Item:
    mapping = (
        "the standard maps no KSBs to methods, so all its KSBs count as mapped to the professional discussion"
    )
    if not ksb_codes:
        return Item("portfolio", False, "The standard has no KSBs to cover.")
    missing = [code for code in ksb_codes if code not in covered]
    if evidence == 0:
        return Item("portfolio", False, f"No accepted evidence yet; {mapping}.")
    if missing:
        return Item(
            "portfolio",
            False,
            f"{_plural(evidence, 'piece')} of accepted evidence; not yet covered by accepted evidence: "
            f"{', '.join(missing)} ({mapping}).",
        )
    return Item(
        "portfolio",
        True,
        f"{_plural(evidence, 'piece')} of accepted evidence cover all {len(ksb_codes)} KSBs ({mapping}).",
    )


def _english_maths_item(record: EnglishMathsEvidence | None) -> Item:
    if record is None:
        return Item("english_maths", False, "No Level 2 English and maths evidence or exemption recorded.")
    return Item("english_maths", True, f"{record.get_kind_display()}: {record.details}")


def _sbp_item(agreement: SBPAgreement | None) -> Item:
    if agreement is None:
        return Item("sbp", False, "No SBP title and scope proposed yet.")
    words = agreement.scope_words
    if words > SBPAgreement.MAX_SCOPE_WORDS:
        return Item(
            "sbp", False, f"The scope is {words} words; it must be at most {SBPAgreement.MAX_SCOPE_WORDS}."
        )
    waiting = [
        who
        for who, at in (
            ("the employer", agreement.employer_agreed_at),
            ("the assessment organisation", agreement.epao_agreed_at),
        )
        if at is None
    ]
    if waiting:
        return Item(
            "sbp", False, f"“{agreement.title}” ({words} words) awaits agreement by {' and '.join(waiting)}."
        )
    return Item(
        "sbp",
        True,
        f"“{agreement.title}” ({words} words) agreed by the employer and the assessment organisation.",
    )


def _plan_item(plan: TrainingPlan | None) -> Item:
    if plan is None:
        return Item("training_plan", False, "No training plan has been sent for signature.")
    if plan.computed_hash() != plan.content_hash:
        return Item(
            "training_plan",
            False,
            f"Version {plan.version}'s stored content no longer matches its signed hash.",
        )
    if plan.status != TrainingPlan.Status.SIGNED:
        return Item(
            "training_plan",
            False,
            f"Version {plan.version} is awaiting signatures; all three parties must sign.",
        )
    signed = f" on {_d(timezone.localtime(plan.signed_at).date())}" if plan.signed_at else ""
    return Item("training_plan", True, f"Version {plan.version} signed by all three parties{signed}.")


def _reviews_item(enrolment: Enrolment, last: date | None, due: cadence.ReviewDue, on: date) -> Item:
    held = f"Last signed review {_d(last)}" if last else "No signed review yet"
    if due.due_on is None:
        return Item("reviews", not due.paused, f"{held}; {due.explanation}.")
    if due.due_on < on:
        return Item("reviews", False, f"{held}; the next was due by {_d(due.due_on)} and is overdue.")
    return Item("reviews", True, f"{held}; the next is due by {_d(due.due_on)}.")


def _checked_on(enrolment: Enrolment, today: date) -> date:
    """Reviews stop at gateway: check them as they stood when the practical period ended."""
    if enrolment.status != Enrolment.Status.ACTIVE and enrolment.actual_end_date:
        return min(enrolment.actual_end_date, today)
    return today


def gateway_readiness(
    enrolments: Iterable[Enrolment],
    *,
    on: date | None = None,
    positions: dict[int, OTJPosition] | None = None,
    passed: dict[int, int] | None = None,
) -> dict[int, Readiness]:
    """Each enrolment's checklist, keyed by enrolment id, in a constant number of queries (about twenty).

    A caller that already has the OTJ positions (on the same day) or the modules-passed counts of these enrolments
    passes them in rather than have them worked out twice (the cohort dashboard does)."""
    today = on or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    ids = [e.pk for e in enrolments]
    programme_ids = {e.programme_id for e in enrolments}
    standards = dict(Enrolment.objects.filter(pk__in=ids).values_list("pk", "programme__standard_id"))

    # 1. Modules.
    passed = passed if passed is not None else modules_passed_counts(ids)
    totals = dict(
        Module.objects.filter(programme_id__in=programme_ids)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "n")
    )
    # 2. OTJ.
    positions = positions if positions is not None else otj_positions(enrolments, on=today)
    # 3. Portfolio: the standard's KSB codes, and which each enrolment has covered with accepted evidence.
    codes: dict[int, list[str]] = defaultdict(list)
    code_of: dict[int, str] = {}
    for ksb in KSB.objects.filter(standard_id__in=set(standards.values())).order_by("order", "code"):
        codes[ksb.standard_id].append(ksb.code)
        code_of[ksb.pk] = ksb.code
    covered: dict[int, set[str]] = defaultdict(set)
    evidence: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, evidence_id, ksb_id in accepted_ksb_pairs(ids):
        covered[enrolment_id].add(code_of.get(ksb_id, ""))
        evidence[enrolment_id].add(evidence_id)
    # 4 and 5. English and maths; the SBP agreement.
    english_maths = {r.enrolment_id: r for r in EnglishMathsEvidence.objects.filter(enrolment_id__in=ids)}
    agreements = {a.enrolment_id: a for a in SBPAgreement.objects.filter(enrolment_id__in=ids)}
    # 6. The training plan in force or awaiting signatures.
    plans = {
        p.enrolment_id: p
        for p in TrainingPlan.objects.filter(
            enrolment_id__in=ids, status__in=[TrainingPlan.Status.AWAITING, TrainingPlan.Status.SIGNED]
        ).order_by("version")
    }
    # 7. Reviews: the cadence policy on the last signed review, breaks and the programme's terms.
    last_reviews = last_signed_review_dates(ids)
    breaks, terms = breaks_by_enrolment(ids), term_end_days_by_programme(programme_ids)

    result = {}
    for e in enrolments:
        standard = standards.get(e.pk)
        due = cadence.next_due(
            start_date=e.start_date,
            last_review_on=last_reviews.get(e.pk),
            breaks=breaks[e.pk],
            term_ends=terms.get(e.programme_id),
        )
        result[e.pk] = Readiness(
            e.pk,
            [
                _modules_item(passed.get(e.pk, 0), totals.get(e.programme_id, 0)),
                _otj_item(positions[e.pk]),
                _portfolio_item(
                    codes.get(standard, []) if standard else [], covered[e.pk], len(evidence[e.pk])
                ),
                _english_maths_item(english_maths.get(e.pk)),
                _sbp_item(agreements.get(e.pk)),
                _plan_item(plans.get(e.pk)),
                _reviews_item(e, last_reviews.get(e.pk), due, _checked_on(e, today)),
            ],
        )
    return result


def readiness(enrolment: Enrolment, *, on: date | None = None) -> Readiness:
    return gateway_readiness([enrolment], on=on)[enrolment.pk]
