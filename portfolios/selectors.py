"""Reads for the portfolio: evidence lists, the tutor's review queue, KSB coverage and the cohort heatmap.

Coverage: a KSB is **accepted** when accepted evidence's current version has the tutor's agreement for it (on the
feedback that accepted it), **claimed** when some submitted or draft-in-revision evidence claims it, else **none**.
Every function runs a constant number of queries, whatever the number of evidence items or apprentices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet

from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement
from programmes import access
from programmes.models import KSB, Cohort, Enrolment

KIND_ORDER = {"K": 0, "S": 1, "B": 2}


def evidence_for(
    enrolment: Enrolment, *, status: str = "", include_drafts: bool = True
) -> QuerySet[Evidence]:
    evidence = (
        Evidence.objects.filter(enrolment=enrolment)
        .select_related("current")
        .prefetch_related("current__ksbs", "current__files")
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("-current__occurred_on", "-pk")
    )
    if not include_drafts:
        evidence = evidence.exclude(status=Evidence.Status.DRAFT)
    if status in Evidence.Status.values:
        evidence = evidence.filter(status=status)
    return evidence


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence on enrolments the person may see; drafts only to the apprentice who is writing them."""
    visible = Evidence.objects.filter(enrolment__in=access.enrolments_visible_to(user))
    return visible.filter(~Q(status=Evidence.Status.DRAFT) | Q(enrolment__apprentice=user))


def evidence_detail(user, pk: int) -> Evidence:
    queryset = (
        evidence_visible_to(user)
        .select_related(
            "enrolment__apprentice", "enrolment__practice_tutor", "enrolment__programme", "current"
        )
        .prefetch_related(
            "current__ksbs",
            Prefetch("current__files", queryset=EvidenceFile.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "versions",
                queryset=EvidenceVersion.objects.order_by("-number").prefetch_related(
                    Prefetch(
                        "feedback",
                        queryset=Feedback.objects.select_related("reviewer").prefetch_related(
                            Prefetch("judgements", queryset=KSBJudgement.objects.select_related("ksb"))
                        ),
                    ),
                    "ksbs",
                ),
            ),
        )
    )
    return access.visible_or_404(queryset, pk, noun="evidence")


def review_queue(user) -> QuerySet[Evidence]:
    """Evidence awaiting this tutor's review, longest waiting first."""
    return (
        Evidence.objects.filter(status=Evidence.Status.SUBMITTED, enrolment__practice_tutor=user)
        .select_related("current", "enrolment__apprentice", "enrolment__cohort")
        .prefetch_related("current__ksbs")
        .order_by("submitted_at", "pk")
    )


@dataclass
class CoverageRow:
    ksb: KSB
    status: str = "none"  # none, claimed, accepted
    accepted: list[Evidence] = field(default_factory=list)
    claimed: list[Evidence] = field(default_factory=list)

    @property
    def evidence_count(self) -> int:
        return len(self.accepted)


def _ksbs(standard_id: int) -> list[KSB]:
    ksbs = list(KSB.objects.filter(standard_id=standard_id))
    return sorted(ksbs, key=lambda k: (KIND_ORDER.get(k.kind, 9), k.order, k.code))


def accepted_ksb_pairs(enrolments) -> QuerySet:
    """(enrolment, evidence, ksb) where accepted evidence's current version has the tutor's agreement."""
    return KSBJudgement.objects.filter(
        agreed=True,
        feedback__decision=Feedback.Decision.ACCEPTED,
        feedback__version__evidence__status=Evidence.Status.ACCEPTED,
        feedback__version=F("feedback__version__evidence__current"),
        feedback__version__evidence__enrolment__in=enrolments,
    ).values_list("feedback__version__evidence__enrolment_id", "feedback__version__evidence_id", "ksb_id")


def _claimed_pairs(enrolments) -> QuerySet:
    """(enrolment, evidence, ksb) claimed by the current version of evidence that is not a draft (a draft, even a
    revision of accepted evidence, counts once it is submitted again; the export uses the same rule)."""
    through = EvidenceVersion.ksbs.through
    return (
        through.objects.filter(
            evidenceversion__evidence__enrolment__in=enrolments,
            evidenceversion=F("evidenceversion__evidence__current"),
        )
        .exclude(evidenceversion__evidence__status=Evidence.Status.DRAFT)
        .values_list("evidenceversion__evidence__enrolment_id", "evidenceversion__evidence_id", "ksb_id")
    )


def ksb_coverage(enrolment: Enrolment) -> list[CoverageRow]:
    """Each KSB of the enrolment's standard with the evidence behind it; gaps (none) first, then claimed."""
    ksbs = _ksbs(enrolment.programme.standard_id)
    rows = {ksb.pk: CoverageRow(ksb) for ksb in ksbs}
    evidence = {e.pk: e for e in Evidence.objects.filter(enrolment=enrolment).select_related("current")}
    for _enrolment, evidence_id, ksb_id in accepted_ksb_pairs([enrolment.pk]):
        if ksb_id in rows and evidence_id in evidence:
            rows[ksb_id].accepted.append(evidence[evidence_id])
    for _enrolment, evidence_id, ksb_id in _claimed_pairs([enrolment.pk]):
        row = rows.get(ksb_id)
        if row is not None and evidence_id in evidence and evidence[evidence_id] not in row.accepted:
            row.claimed.append(evidence[evidence_id])
    for row in rows.values():
        row.status = "accepted" if row.accepted else "claimed" if row.claimed else "none"
    order = {"none": 0, "claimed": 1, "accepted": 2}
    return sorted(
        rows.values(), key=lambda r: (order[r.status], KIND_ORDER.get(r.ksb.kind, 9), r.ksb.order, r.ksb.code)
    )


def coverage_percent(rows: list[CoverageRow]) -> int:
    return round(100 * sum(r.status == "accepted" for r in rows) / len(rows)) if rows else 0


@dataclass
class Heatmap:
    ksbs: list[KSB]
    rows: list[tuple[Enrolment, list[str], int]]  # enrolment, status per KSB, accepted percent


def cohort_heatmap(cohort: Cohort, *, user) -> Heatmap:
    """Apprentices × KSBs for a cohort, limited to the enrolments this person may see; three queries."""
    enrolments = list(
        access.enrolments_visible_to(user)
        .filter(cohort=cohort)
        .select_related("apprentice")
        .order_by("apprentice__full_name")
    )
    ksbs = _ksbs(cohort.programme.standard_id)
    ids = [e.pk for e in enrolments]
    accepted: dict[int, set[int]] = defaultdict(set)
    claimed: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, _evidence, ksb_id in accepted_ksb_pairs(ids):
        accepted[enrolment_id].add(ksb_id)
    for enrolment_id, _evidence, ksb_id in _claimed_pairs(ids):
        claimed[enrolment_id].add(ksb_id)
    rows = []
    for enrolment in enrolments:
        statuses = [
            "accepted"
            if k.pk in accepted[enrolment.pk]
            else "claimed"
            if k.pk in claimed[enrolment.pk]
            else "none"
            for k in ksbs
        ]
        percent = round(100 * statuses.count("accepted") / len(ksbs)) if ksbs else 0
        rows.append((enrolment, statuses, percent))
    return Heatmap(ksbs, rows)
