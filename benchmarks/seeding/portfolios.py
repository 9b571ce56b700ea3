"""Portfolio evidence for every enrolment that has started, in every status, with versions, KSBs, files, feedback
and judgements as the portfolio services would have left them; two share links on the sample enrolment.

Inserted as tuples (``insert_rows``) with primary keys chosen here, so each piece names its current version when
it is inserted (the foreign keys are checked at the end of the transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from benchmarks.seeding.files import stored_sample_file
from benchmarks.seeding.programme import ksb_pks
from benchmarks.seeding.rows import create_rows, insert_rows, next_pk
from benchmarks.seeding.world import World
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement, PortfolioShare
from programmes.models import Enrolment

Status = Enrolment.Status

# Evidence k of each apprentice follows EVIDENCE_CYCLE[k % 18]: 11 accepted (2 of them after more work was asked
# for, so with two versions, and 1 with a KSB the tutor did not agree), 3 awaiting review, 1 sent back for more
# work, 2 drafts never submitted, 1 accepted and being revised (a draft version 2). The first four give the sample
# enrolment a piece in each state the targets open.
ACCEPTED, REWORKED, PARTLY, SUBMITTED, NEEDS_WORK, DRAFT, REVISING = (
    "accepted",
    "reworked",
    "partly",
    "submitted",
    "needs_work",
    "draft",
    "revising",
)
EVIDENCE_CYCLE = (
    ACCEPTED,
    REWORKED,  # the sample enrolment's is the sample evidence: two versions, feedback on each, a file on both
    SUBMITTED,  # the sample awaiting review: the tutor's feedback form
    DRAFT,  # the sample draft: the edit and delete pages
    ACCEPTED,
    NEEDS_WORK,
    ACCEPTED,
    ACCEPTED,
    SUBMITTED,
    ACCEPTED,
    PARTLY,
    ACCEPTED,
    REWORKED,
    ACCEPTED,
    REVISING,
    ACCEPTED,
    SUBMITTED,
    DRAFT,
)
MIN_EVIDENCE = 4
EVIDENCE_TITLES = (
    "Board paper: service recovery plan",
    "Service redesign: integrated front door",
    "Stakeholder workshop with partners",
    "Budget recovery plan",
    "Witness statement from a director",
    "CMI Level 7 certificate",
    "Reflective account: leading a restructure",
    "Risk register review for the audit committee",
    "Performance dashboard for the executive team",
    "Procurement strategy",
    "Coaching programme for first-line managers",
    "Scrutiny committee briefing",
    "Digital inclusion pilot evaluation",
    "Reflective account: a safeguarding complaint",
    "Team away day on values",
    "Workforce strategy consultation",
    "Cost improvement plan",
    "Daily huddle redesign",
)
EVIDENCE_KINDS = [kind for kind, _ in Evidence.Kind.choices if kind != Evidence.Kind.OTHER]
REFLECTION = (
    "What I did, who was involved and what changed as a result; what I learned about my own leadership, and "
    "what I would do differently. The KSBs it shows, and how. "
) * 4


@dataclass
class Piece:
    """One planned piece of evidence: its primary key, the enrolment, its place in the cycle, when, the KSBs it
    claims, and its versions' primary keys (set once planned)."""

    pk: int
    enrolment: Enrolment
    k: int
    outcome: str
    occurred_on: date
    ksbs: list[int]
    versions: list[int] = field(default_factory=list)


class Clock:
    """When things happened to a piece: ``days`` after the activity, at 10:00; never later than just now."""

    def __init__(self, now: datetime) -> None:
        self.latest = now - timedelta(minutes=10)
        self.stamps: dict[tuple[date, int], datetime] = {}

    def __call__(self, piece: Piece, days: int) -> datetime:
        key = (piece.occurred_on, days)
        if key not in self.stamps:
            day = timezone.make_aware(datetime.combine(piece.occurred_on, datetime.min.time()))
            self.stamps[key] = min(day + timedelta(days=days, hours=10), self.latest)
        return self.stamps[key]


# A version row: (pk, evidence, number, title, kind, occurred on, reflection, created, submitted), and its piece.
VERSION_FIELDS = (
    "id",
    "evidence_id",
    "number",
    "title",
    "kind",
    "occurred_on",
    "reflection",
    "created_at",
    "submitted_at",
)
Versions = Sequence[tuple[tuple, Piece]]


def plan_pieces(w: World) -> list[Piece]:
    """Each started enrolment's pieces, spread from its start to its end (or today), three KSBs each."""
    s = w.sizing
    ksbs = ksb_pks(w)
    first_evidence = next_pk(Evidence)
    pieces: list[Piece] = []
    for i, enrolment in enumerate(e for e in w.enrolments if e.status != Status.PENDING):
        ends = (w.now.date(), enrolment.actual_end_date, enrolment.planned_end_date)
        span = max(0, (min(d for d in ends if d is not None) - enrolment.start_date).days - 10)
        for k in range(s.evidence_per_apprentice):
            pieces.append(
                Piece(
                    first_evidence + len(pieces),
                    enrolment,
                    k,
                    EVIDENCE_CYCLE[k % len(EVIDENCE_CYCLE)],
                    enrolment.start_date + timedelta(days=span * k // s.evidence_per_apprentice),
                    [ksbs[(i * 7 + k * 3 + j) % len(ksbs)] for j in range(3)],
                )
            )
    return pieces


def plan_versions(pieces: list[Piece], at: Clock) -> list[tuple[tuple, Piece]]:
    """Each piece's versions: a second one after more work was asked for (REWORKED) or while revising accepted
    evidence (REVISING, not submitted). Sets each piece's ``versions``."""
    first_version = next_pk(EvidenceVersion)
    versions: list[tuple[tuple, Piece]] = []
    for piece in pieces:
        for number in range(1, (2 if piece.outcome in (REWORKED, REVISING) else 1) + 1):
            submitted = piece.outcome != DRAFT and not (piece.outcome == REVISING and number == 2)
            piece.versions.append(first_version + len(versions))
            row = (
                piece.versions[-1],
                piece.pk,
                number,
                EVIDENCE_TITLES[piece.k % len(EVIDENCE_TITLES)],
                EVIDENCE_KINDS[piece.k % len(EVIDENCE_KINDS)],
                piece.occurred_on,
                REFLECTION,
                at(piece, 1 if number == 1 else 10),
                at(piece, 2 if number == 1 else 12) if submitted else None,
            )
            versions.append((row, piece))
    return versions


def insert_evidence(w: World, pieces: list[Piece], at: Clock) -> None:
    """The pieces, each naming its current version (the last one)."""
    status = {REWORKED: ACCEPTED, PARTLY: ACCEPTED, REVISING: DRAFT}
    insert_rows(
        w,
        Evidence,
        ("id", "enrolment_id", "status", "current_id", "created_at", "submitted_at", "accepted_at"),
        [
            (
                piece.pk,
                piece.enrolment.pk,
                status.get(piece.outcome, piece.outcome),
                piece.versions[-1],
                at(piece, 1),
                None
                if piece.outcome in (DRAFT, REVISING)
                else at(piece, 12 if piece.outcome == REWORKED else 2),
                at(piece, 16 if piece.outcome == REWORKED else 7)
                if piece.outcome in (ACCEPTED, REWORKED, PARTLY)
                else None,
            )
            for piece in pieces
        ],
    )


def insert_versions(w: World, versions: Versions) -> None:
    insert_rows(w, EvidenceVersion, VERSION_FIELDS, [row for row, _piece in versions])
    insert_rows(
        w,
        EvidenceVersion.ksbs.through,
        ("evidenceversion_id", "ksb_id"),
        [(row[0], ksb) for row, piece in versions for ksb in piece.ksbs],
    )


def insert_files(w: World, versions: Versions, at: Clock) -> None:
    """Files on every fourth piece, and on both versions of the sample evidence (carried over, as the service
    does); every row names the one stored PDF."""
    stored = stored_sample_file()
    sample = w.sample_enrolment
    insert_rows(
        w,
        EvidenceFile,
        ("version_id", "file", "name", "content_type", "size", "sha256", "uploaded_by_id", "uploaded_at"),
        [
            (
                row[0],
                stored.name,
                f"evidence-{piece.pk}.pdf",
                "application/pdf",
                stored.size,
                stored.sha256,
                piece.enrolment.apprentice_id,
                at(piece, 1),
            )
            for row, piece in versions
            if piece.k % 4 == 0 or (piece.enrolment.pk == sample.pk and piece.outcome == REWORKED)
        ],
    )


def reviewed_versions(versions: Versions) -> list[tuple[tuple, Piece, str]]:
    """The tutor's decisions: more work asked for on the first version of REWORKED and NEEDS_WORK pieces;
    accepted on the current version (the first, for REVISING)."""
    reviewed = []
    for row, piece in versions:
        number = row[2]
        if number == 1 and piece.outcome in (REWORKED, NEEDS_WORK):
            reviewed.append((row, piece, Feedback.Decision.NEEDS_WORK))
        if number == (2 if piece.outcome == REWORKED else 1) and piece.outcome in (
            ACCEPTED,
            PARTLY,
            REVISING,
            REWORKED,
        ):
            reviewed.append((row, piece, Feedback.Decision.ACCEPTED))
    return reviewed


def insert_feedback(w: World, versions: Versions) -> None:
    """Feedback with a judgement per claimed KSB; PARTLY pieces have one KSB the tutor did not agree."""
    reviewed = reviewed_versions(versions)
    reviews = insert_rows(
        w,
        Feedback,
        ("version_id", "reviewer_id", "decision", "comment", "created_at"),
        [
            (
                row[0],
                piece.enrolment.practice_tutor_id,
                decision,
                "Accepted." if decision == Feedback.Decision.ACCEPTED else "Say more about your part.",
                min(row[8] + timedelta(days=5), w.now - timedelta(minutes=5)),
            )
            for row, piece, decision in reviewed
        ],
        pks=True,
    )
    judgements = []
    for review, (_row, piece, decision) in zip(reviews, reviewed, strict=True):
        for j, ksb in enumerate(piece.ksbs):
            last = j == len(piece.ksbs) - 1
            agreed = decision == Feedback.Decision.ACCEPTED and not (last and piece.outcome == PARTLY)
            judgements.append((review, ksb, agreed, "" if agreed else "Not shown by this piece on its own."))
    insert_rows(w, KSBJudgement, ("feedback_id", "ksb_id", "agreed", "comment"), judgements)


def sample_portfolio(w: World) -> None:
    """The world keeps the sample enrolment's evidence (the pieces targets open), read back as instances, and
    two share links on it: one usable, one withdrawn."""
    sample = w.sample_enrolment
    w.evidence = mine = list(
        Evidence.objects.filter(enrolment=sample).select_related("current").order_by("pk")
    )
    w.sample_evidence = next(e for e in mine if e.status == ACCEPTED and e.current.number == 2)
    w.sample_submitted_evidence = next(e for e in mine if e.status == SUBMITTED)
    w.sample_draft_evidence = next(e for e in mine if e.status == DRAFT and e.current.number == 1)
    w.sample_file = EvidenceFile.objects.filter(version=w.sample_evidence.current).first()
    w.sample_share, _withdrawn = create_rows(
        w,
        PortfolioShare,
        [
            PortfolioShare(
                enrolment=sample,
                recipient="Independent assessor <assessor@example.org>",
                created_by=w.tutor,
                created_at=w.now - timedelta(days=3),
                expires_at=w.now + timedelta(days=25),
            ),
            PortfolioShare(
                enrolment=sample,
                recipient="A previous assessor <previous.assessor@example.org>",
                created_by=w.director,
                created_at=w.now - timedelta(days=60),
                expires_at=w.now + timedelta(days=30),
                revoked_at=w.now - timedelta(days=40),
            ),
        ],
    )


def portfolio_evidence(w: World) -> None:
    """Evidence, versions, files, feedback and the sample's share links (see the module's docstring)."""
    pieces = plan_pieces(w)
    at = Clock(w.now)
    versions = plan_versions(pieces, at)
    insert_evidence(w, pieces, at)
    insert_versions(w, versions)
    insert_files(w, versions, at)
    insert_feedback(w, versions)
    sample_portfolio(w)
