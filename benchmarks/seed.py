"""A fast seeder for the scale benchmarks and the query-scaling test: ``seed(n_apprentices) -> World``.

Every row is made with ``bulk_create`` or ``insert_rows`` (no factories, no per-row signals, one password hash shared
by every account) inside one transaction, so thousands of apprentices take seconds. django-simple-history does
not record bulk inserts; nothing measured reads the audit tables, so that is fine.

The world for N apprentices (the defaults are keyword arguments of ``seed``):

- a provider, an end-point assessment organisation, and employers (one per 80 apprentices), each with line
  managers (one per 40 apprentices);
- practice tutors (one per 30 apprentices), independent assessors (one per 500), six module leads (each leads
  one module in every cohort), an administrator, and a director for each programme;
- one standard with 30 KSBs; two programmes of six modules, each module mapped to five KSBs;
- cohorts of 200 apprentices (at least one), alternating between the programmes, each with six module runs;
- N enrolments in varied statuses (``CYCLE``) with their history: status changes, breaks in learning,
  employment periods (including a change of employer), end-point assessments;
- a training plan for each enrolment, signed by the three parties (awaiting signatures while the enrolment is
  pending); the sample enrolment has three versions: superseded, awaiting signatures, and a draft;
- invitations (10 per 100 apprentices): pending, accepted, revoked and expired;
- portfolio evidence (20 per apprentice who has started) in every status (``EVIDENCE_CYCLE``): versions, three
  KSBs each, a file on every fourth piece (all pointing at one small stored PDF), the tutor's feedback with a
  judgement per KSB; and two share links on the sample enrolment (one usable, one withdrawn);
- progress reviews: up to 15 per apprentice who has started (about 12 per apprentice), 4 to 12 weeks apart,
  every third apprentice overdue, the sample's next review awaiting signatures;
- off-the-job entries (``benchmarks/seeding/otj.py``): 225 per apprentice who has started and 2,000 on the sample
  enrolment, mostly confirmed, the last fortnight pending, some queried or logged late; a one-click link.

The biggest tables (off-the-job entries, evidence, reviews and their rows) are inserted as tuples with
``cursor.executemany`` (``insert_rows``) rather than ``bulk_create``: a million model instances cost minutes.

Each step lives in ``benchmarks/seeding/``, one module for each part of the world it seeds; each later capability
adds ONE step to ``STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from benchmarks.seeding.assessments import module_assessment
from benchmarks.seeding.enrolments import end_point_assessments, enrolment_history, enrolments
from benchmarks.seeding.epa import epa_records
from benchmarks.seeding.otj import otj_entries
from benchmarks.seeding.people import invitations, organisations, people
from benchmarks.seeding.plans import training_plans
from benchmarks.seeding.portfolios import MIN_EVIDENCE, portfolio_evidence
from benchmarks.seeding.programme import cohorts_and_module_runs, programmes_and_modules, standard_and_ksbs
from benchmarks.seeding.reporting import reporting_data
from benchmarks.seeding.reviews import progress_reviews
from benchmarks.seeding.rows import create_rows, insert_rows
from benchmarks.seeding.world import Sizing, World

__all__ = ["PASSWORD", "STEPS", "Sizing", "World", "create_rows", "insert_rows", "seed"]

PASSWORD = "bench-password-not-secret"  # noqa: S105 - benchmark accounts in a throwaway database

STEPS: list[Callable[[World], None]] = [
    organisations,
    people,
    standard_and_ksbs,
    programmes_and_modules,
    cohorts_and_module_runs,
    enrolments,
    enrolment_history,
    end_point_assessments,
    training_plans,
    invitations,
    portfolio_evidence,
    module_assessment,
    progress_reviews,
    otj_entries,  # seeding/otj.py: 225 off-the-job entries per apprentice, 2,000 on the sample
    reporting_data,  # seeding/reporting.py: RAG overrides (one in ten), the sample's audit pack
    epa_records,  # seeding/epa.py: gateway sign-offs, SBPs, graded EPAs, completion records
]


def seed(
    n_apprentices: int,
    *,
    apprentices_per_cohort: int = 200,
    apprentices_per_employer: int = 80,
    apprentices_per_manager: int = 40,
    apprentices_per_tutor: int = 30,
    apprentices_per_assessor: int = 500,
    programmes: int = 2,
    ksbs: int = 30,
    invitations_per_100: int = 10,
    evidence_per_apprentice: int = 20,
    label: str = "bench",
    password: str = PASSWORD,
) -> World:
    """Build the world in one transaction. ``label`` keeps names and emails apart when two worlds share a database."""
    if n_apprentices < 1:
        raise ValueError("Seed at least one apprentice.")
    if evidence_per_apprentice < MIN_EVIDENCE:
        raise ValueError(
            f"Seed at least {MIN_EVIDENCE} pieces of evidence per apprentice (one in each state)."
        )
    sizing = Sizing(
        apprentices=n_apprentices,
        per_cohort=apprentices_per_cohort,
        per_employer=apprentices_per_employer,
        per_manager=apprentices_per_manager,
        per_tutor=apprentices_per_tutor,
        per_assessor=apprentices_per_assessor,
        programmes=programmes,
        ksbs=ksbs,
        invitations_per_100=invitations_per_100,
        evidence_per_apprentice=evidence_per_apprentice,
    )
    world = World(sizing=sizing, label=label, password_hash=make_password(password), now=timezone.now())
    with transaction.atomic():
        for step in STEPS:
            step(world)
    return world
