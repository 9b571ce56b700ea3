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
- off-the-job entries (``benchmarks/seed_otj.py``): 225 per apprentice who has started and 2,000 on the sample
  enrolment, mostly confirmed, the last fortnight pending, some queried or logged late; a one-click link.

The biggest tables (off-the-job entries, evidence, reviews and their rows) are inserted as tuples with
``cursor.executemany`` (``insert_rows``) rather than ``bulk_create``: a million model instances cost minutes.

Each later capability adds ONE step to ``STEPS``.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Invitation, Organisation, User
from assessments.epa.models import EndPointAssessment
from assessments.models import Submission
from benchmarks.seed_epa import epa_records  # noqa: E402 - defined beside this module, uses create_rows
from benchmarks.seed_otj import otj_entries  # noqa: E402 - defined beside this module, uses create_rows
from benchmarks.seed_reporting import reporting_data  # noqa: E402 - defined beside this module, uses create_rows
from demo.files import sample_pdf
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement, PortfolioShare
from programmes.models import (
    KSB,
    BreakInLearning,
    Cohort,
    EmploymentPeriod,
    Enrolment,
    EnrolmentStatusChange,
    Module,
    ModuleRun,
    Programme,
    Standard,
    WithdrawalReason,
)
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan, content_hash

PASSWORD = "bench-password-not-secret"  # noqa: S105 - benchmark accounts in a throwaway database
BATCH_SIZE = 1000
INSERT_CHUNK = 20_000  # rows per executemany call of ``insert_rows``
FIRST_COHORT_START = date(2025, 9, 15)
Status = Enrolment.Status

MODULES = [
    # order, title, year, term, week of the cohort at which its six online weeks begin
    (1, "Public Management and Governance", 1, "autumn", 1),
    (2, "Leadership", 1, "spring", 17),
    (3, "Digital Era Public Policy", 1, "summer", 31),
    (4, "Evidence and Policy", 2, "autumn", 53),
    (5, "Performance, Strategy and Challenge", 2, "spring", 69),
    (6, "Commercialisation", 2, "summer", 83),
]
KSB_CODES = [f"K{n}" for n in range(1, 13)] + [f"S{n}" for n in range(1, 13)] + [f"B{n}" for n in range(1, 7)]

FIRST_NAMES = ["Amelia", "Ben", "Chloe", "Daniel", "Eleanor", "Farhan", "Grace", "Harry", "Isla", "Jacob"]
SURNAMES = ["Hughes", "Okafor", "Patel", "Fraser", "Walsh", "Ali", "Nowak", "Mensah", "Khan", "Evans", "Lee"]


@dataclass(frozen=True)
class Pattern:
    """An enrolment's life so far: status steps after enrolment (status, weeks after start, reason)."""

    steps: tuple[tuple[str, int, str], ...] = ()
    employer_change_week: int | None = None


PATTERNS = {
    "returned_from_break": Pattern(
        (
            (Status.ACTIVE, 1, ""),
            (Status.BREAK_IN_LEARNING, 26, "Extended sick leave."),
            (Status.ACTIVE, 40, "Returned to work; planned end extended."),
        ),
        employer_change_week=52,
    ),
    "pending": Pattern(),
    "active": Pattern(((Status.ACTIVE, 1, ""),)),
    "on_break": Pattern(((Status.ACTIVE, 1, ""), (Status.BREAK_IN_LEARNING, 52, "Parental leave."))),
    "gateway": Pattern(((Status.ACTIVE, 1, ""), (Status.GATEWAY, 100, ""))),
    "epa": Pattern(
        ((Status.ACTIVE, 1, ""), (Status.GATEWAY, 100, ""), (Status.EPA, 102, "Gateway signed off."))
    ),
    "completed": Pattern(
        (
            (Status.ACTIVE, 1, ""),
            (Status.GATEWAY, 100, ""),
            (Status.EPA, 102, "Gateway signed off."),
            (Status.COMPLETED, 110, "Passed with merit."),
        )
    ),
    "withdrawn": Pattern(((Status.ACTIVE, 1, ""), (Status.WITHDRAWN, 30, "Left the employer."))),
}
# Enrolment i follows CYCLE[i % 20]: 9 active, 2 pending, 2 at gateway, 2 in EPA, 2 withdrawn, 1 completed,
# 1 on a break, 1 returned from a break (with a change of employer). Enrolment 0 (the sample) has the most history.
CYCLE = (
    "returned_from_break",
    "active",
    "pending",
    "epa",
    "active",
    "gateway",
    "active",
    "withdrawn",
    "active",
    "on_break",
    "active",
    "completed",
    "active",
    "pending",
    "active",
    "epa",
    "active",
    "gateway",
    "active",
    "withdrawn",
)
INVITATION_STATES = ("pending", "accepted", "pending", "revoked", "expired")

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
SAMPLE_FILE_NAME = "benchmarks/sample-evidence.pdf"  # one small real PDF every benchmark file row points at


@dataclass(frozen=True)
class Sizing:
    apprentices: int
    per_cohort: int = 200
    per_employer: int = 80
    per_manager: int = 40
    per_tutor: int = 30
    per_assessor: int = 500
    programmes: int = 2
    ksbs: int = 30
    invitations_per_100: int = 10
    evidence_per_apprentice: int = 20

    def count(self, per: int) -> int:
        return max(1, math.ceil(self.apprentices / per))

    @property
    def managers_per_employer(self) -> int:
        return max(1, self.per_employer // self.per_manager)


@dataclass
class World:
    """What ``seed`` made; targets build their URLs from it and sign in as one of its people."""

    sizing: Sizing
    label: str
    password_hash: str
    now: datetime
    rows: dict[str, int] = field(default_factory=dict)
    provider: Organisation = field(init=False)
    epao: Organisation = field(init=False)
    employers: list[Organisation] = field(default_factory=list)
    admin: User = field(init=False)
    directors: list[User] = field(default_factory=list)
    module_leads: list[User] = field(default_factory=list)
    tutors: list[User] = field(default_factory=list)
    assessors: list[User] = field(default_factory=list)
    line_managers: list[User] = field(default_factory=list)
    apprentices: list[User] = field(default_factory=list)
    standard: Standard = field(init=False)
    programmes: list[Programme] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    evidence: list[Evidence] = field(
        default_factory=list
    )  # the sample enrolment's (all of it is in the database)
    # The sample enrolment's evidence targets open: accepted after more work (two versions, feedback on each,
    # a stored file), awaiting review (the tutor's feedback form) and a draft (the edit and delete pages).
    sample_evidence: Evidence = field(init=False)
    sample_submitted_evidence: Evidence = field(init=False)
    sample_draft_evidence: Evidence = field(init=False)
    sample_file: EvidenceFile = field(init=False)
    sample_share: PortfolioShare = field(init=False)
    # Progress reviews: the sample enrolment's last signed review, and its next one awaiting signatures.
    sample_review: object = field(init=False)
    sample_awaiting_review: object = field(init=False)
    # Module assessment: the sample enrolment's first assignment of module 1, marked (annotated copy) and released.
    sample_submission: Submission = field(init=False)
    sample_module_run: ModuleRun = field(init=False)
    # Reporting: a finished audit pack of the sample enrolment (its status page and download are targets).
    sample_audit_pack: object = field(init=False)

    # The people targets sign in as: each is the first of their kind, who has the fullest share of the world
    # (director of the first programme, a full caseload, a full team, the apprentice with the most history).
    @property
    def director(self) -> User:
        return self.directors[0]

    @property
    def tutor(self) -> User:
        return self.tutors[0]

    @property
    def line_manager(self) -> User:
        return self.line_managers[0]

    @property
    def apprentice(self) -> User:
        return self.apprentices[0]

    @property
    def module_lead(self) -> User:
        return self.module_leads[0]

    @property
    def assessor(self) -> User:
        return self.assessors[0]

    @property
    def sample_enrolment(self) -> Enrolment:
        """Enrolment 0: back from a break, changed employer, three plan versions; director, tutor, manager see it."""
        return self.enrolments[0]

    @property
    def sample_programme(self) -> Programme:
        return self.programmes[0]

    @property
    def sample_cohort(self) -> Cohort:
        return self.cohorts[0]

    @property
    def sample_invitation(self) -> Invitation:
        return next(i for i in self.invitations if i.accepted_at is None and i.revoked_at is None)

    def user(self, role: str | None) -> User | None:
        return None if role is None else getattr(self, role)


def create_rows(w: World, model: type[models.Model], objs: list) -> list:
    created = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    if created and created[0].pk is None:  # pragma: no cover - every supported backend returns primary keys
        raise RuntimeError(f"{model.__name__}.bulk_create did not return primary keys on this database.")
    w.rows[model._meta.label] = w.rows.get(model._meta.label, 0) + len(created)
    return created


def _next_pk(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert_rows(
    w: World, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple], *, pks: bool = False
) -> range | None:
    """Insert ``rows`` (tuples of values for ``fields``, by name or attname) with ``cursor.executemany``: what
    ``bulk_create`` does, without a model instance per row, for the biggest tables.

    Values are adapted by the database backend exactly as the ORM adapts them (dates, datetimes, decimals, JSON;
    a repeated date or time is adapted once); the fields left out get their default, as a new instance would
    (a callable default is refused: one value would be shared by every row). With ``pks`` the rows get explicit
    primary keys after the table's largest, returned as a range in row order; with ``pks`` or an explicit ``id``
    among ``fields``, the table's sequence is then moved past them (PostgreSQL; SQLite follows explicit keys
    itself). The same SQL on SQLite and PostgreSQL.
    """
    opts = model._meta
    ops = connection.ops
    given = [opts.get_field(name) for name in fields]
    rest = [f for f in opts.concrete_fields if f not in given and not f.primary_key]
    for f in rest:
        if f.has_default() and callable(f.default):
            raise ValueError(f"{model.__name__}.{f.name} has a callable default: give its values.")

    def adapter(f: models.Field) -> Callable | None:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            return functools.lru_cache(maxsize=1 << 16)(ops.adapt_datetimefield_value)
        if kind == "DateField":
            return functools.lru_cache(maxsize=1 << 16)(ops.adapt_datefield_value)
        if kind == "DecimalField":
            return functools.lru_cache(maxsize=1 << 10)(
                functools.partial(
                    ops.adapt_decimalfield_value, max_digits=f.max_digits, decimal_places=f.decimal_places
                )
            )
        if kind == "JSONField":
            return functools.partial(f.get_db_prep_save, connection=connection)
        return None

    adapters = [(n, a) for n, a in ((n, adapter(f)) for n, f in enumerate(given)) if a is not None]
    fixed = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = [f.column for f in (*given, *rest)]
    start = 0
    if pks:
        start = _next_pk(model)
        columns.insert(0, opts.pk.column)
    qn = ops.quote_name
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608 - quoted names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for first in range(0, len(rows), INSERT_CHUNK):
            chunk = []
            for n, row in enumerate(rows[first : first + INSERT_CHUNK], start + first):
                if adapters:
                    row = list(row)
                    for k, adapt in adapters:
                        row[k] = adapt(row[k])
                chunk.append((n, *row, *fixed) if pks else (*row, *fixed))
            cursor.executemany(sql, chunk)
        if pks or opts.pk in given:
            for statement in ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
    w.rows[opts.label] = w.rows.get(opts.label, 0) + len(rows)
    return range(start, start + len(rows)) if pks else None


def _name(i: int) -> str:
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i * 7 + i // 97) % len(SURNAMES)]}"


def _users(w: World, kind: str, count: int, organisation, job_title: str, **extra) -> list[User]:
    return [
        User(
            email=f"{kind}{i + 1}@{w.label}.test",
            full_name=_name(i) if kind in ("apprentice", "manager") else f"{job_title} {i + 1}",
            organisation=organisation(i) if callable(organisation) else organisation,
            job_title=job_title,
            password=w.password_hash,
            **extra,
        )
        for i in range(count)
    ]


# ---- the steps, in order -------------------------------------------------------------------------------------


def organisations(w: World) -> None:
    s = w.sizing
    w.provider, w.epao, *w.employers = create_rows(
        w,
        Organisation,
        [
            Organisation(name=f"University of Benchmarks ({w.label})", kind=Organisation.Kind.PROVIDER),
            Organisation(name=f"Assessment Partners ({w.label})", kind=Organisation.Kind.EPAO),
        ]
        + [
            Organisation(name=f"Employer {e + 1} ({w.label})", kind=Organisation.Kind.EMPLOYER)
            for e in range(math.ceil(s.count(s.per_manager) / s.managers_per_employer))
        ],
    )


def people(w: World) -> None:
    """Staff, line managers and apprentices, all with the one shared password hash and a verified email."""
    s = w.sizing
    mpe = s.managers_per_employer
    groups = {
        "admin": _users(w, "admin", 1, w.provider, "Administrator", is_staff=True, is_superuser=True),
        "directors": _users(w, "director", s.programmes, w.provider, "Programme Director"),
        "module_leads": _users(w, "lead", len(MODULES), w.provider, "Module Lead"),
        "tutors": _users(w, "tutor", s.count(s.per_tutor), w.provider, "Practice Tutor"),
        "assessors": _users(w, "assessor", s.count(s.per_assessor), w.epao, "Independent Assessor"),
        "line_managers": _users(
            w, "manager", s.count(s.per_manager), lambda m: w.employers[m // mpe], "Manager"
        ),
        "apprentices": _users(
            w,
            "apprentice",
            s.apprentices,
            lambda i: w.employers[i // s.per_manager // mpe],
            "Service Manager",
        ),
    }
    created = iter(create_rows(w, User, [user for group in groups.values() for user in group]))
    for name, group in groups.items():
        members = [next(created) for _ in group]
        setattr(w, name, members[0] if name == "admin" else members)
    everyone = [
        w.admin,
        *w.directors,
        *w.module_leads,
        *w.tutors,
        *w.assessors,
        *w.line_managers,
        *w.apprentices,
    ]
    create_rows(
        w, EmailAddress, [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in everyone]
    )


def standard_and_ksbs(w: World) -> None:
    """One standard version shared by every world in the database, with ~30 KSBs."""
    w.standard, created = Standard.objects.get_or_create(
        code="ST0480",
        version="1.2",
        defaults={"title": "Senior leader", "level": 7, "ksb_source": "Benchmark", "otj_minimum_hours": 400},
    )
    if created:
        create_rows(
            w,
            KSB,
            [
                KSB(
                    standard=w.standard, code=code, kind=code[0], order=n, statement=f"Statement {code}. " * 8
                )
                for n, code in enumerate(KSB_CODES[: w.sizing.ksbs])
            ],
        )


def programmes_and_modules(w: World) -> None:
    w.programmes = create_rows(
        w,
        Programme,
        [
            Programme(
                name=f"Senior Leader {p + 1}",
                provider=w.provider,
                standard=w.standard,
                professional_award="Chartered Manager (CMI) eligibility",
                academic_award="Postgraduate Diploma in Public Management and Leadership",
            )
            for p in range(w.sizing.programmes)
        ],
    )
    create_rows(
        w,
        Programme.directors.through,
        [
            Programme.directors.through(programme_id=programme.pk, user_id=director.pk)
            for programme, director in zip(w.programmes, w.directors, strict=True)
        ],
    )
    modules = create_rows(
        w,
        Module,
        [
            Module(programme=programme, order=order, title=title, year=year, term=term)
            for programme in w.programmes
            for order, title, year, term, _ in MODULES
        ],
    )
    ksbs = list(KSB.objects.filter(standard=w.standard).order_by("order", "code"))
    create_rows(
        w,
        Module.ksbs.through,
        [
            Module.ksbs.through(module_id=module.pk, ksb_id=ksb.pk)
            for module in modules
            for ksb in ksbs[(module.order - 1) * 5 : module.order * 5]
        ],
    )


def cohorts_and_module_runs(w: World) -> None:
    """Cohorts alternate between the programmes; each programme's cohorts start six months apart."""
    s = w.sizing
    n_programmes = len(w.programmes)
    w.cohorts = create_rows(
        w,
        Cohort,
        [
            Cohort(
                programme=w.programmes[c % n_programmes],
                name=f"Cohort {c // n_programmes + 1}",
                start_date=FIRST_COHORT_START - timedelta(weeks=26 * (c // n_programmes)),
            )
            for c in range(s.count(s.per_cohort))
        ],
    )
    modules = {(m.programme_id, m.order): m for m in Module.objects.filter(programme__in=w.programmes)}
    runs = []
    for cohort in w.cohorts:
        for order, _, _, _, week in MODULES:
            online_start = cohort.start_date + timedelta(weeks=week)
            runs.append(
                ModuleRun(
                    module=modules[cohort.programme_id, order],
                    cohort=cohort,
                    online_start=online_start,
                    campus_start=online_start + timedelta(weeks=6),
                    lead=w.module_leads[order - 1],
                )
            )
    create_rows(w, ModuleRun, runs)


def enrolments(w: World) -> None:
    s = w.sizing
    rows = []
    for i, apprentice in enumerate(w.apprentices):
        cohort = w.cohorts[i // s.per_cohort]
        pattern = PATTERNS[CYCLE[i % len(CYCLE)]]
        status, end = (pattern.steps[-1][0], pattern.steps[-1][1]) if pattern.steps else (Status.PENDING, 0)
        final = status in (Status.COMPLETED, Status.WITHDRAWN)
        rows.append(
            Enrolment(
                apprentice=apprentice,
                programme_id=cohort.programme_id,
                cohort=cohort,
                employer_id=apprentice.organisation_id,
                line_manager=w.line_managers[i // s.per_manager],
                practice_tutor=w.tutors[i // s.per_tutor],
                start_date=cohort.start_date,
                planned_end_date=cohort.start_date + timedelta(weeks=104),
                actual_end_date=cohort.start_date + timedelta(weeks=end) if final else None,
                contracted_weekly_hours=Decimal("37") if i % 5 else Decimal("22.5"),
                prior_learning_hours=Decimal("20") if i % 7 == 3 else Decimal("0"),
                prior_learning_notes="ILM Level 5 certificate in leadership (2021)." if i % 7 == 3 else "",
                status=status,
                withdrawal_reason=pattern.steps[-1][2] if status == Status.WITHDRAWN else "",
                withdrawal_reason_code=WithdrawalReason.PERSONAL if status == Status.WITHDRAWN else "",
            )
        )
    w.enrolments = create_rows(w, Enrolment, rows)


def enrolment_history(w: World) -> None:
    """What the lifecycle services would have recorded: status changes, breaks, employment periods."""
    directors = {
        programme.pk: director for programme, director in zip(w.programmes, w.directors, strict=True)
    }
    mpe = w.sizing.managers_per_employer
    changes, breaks, periods = [], [], []
    for i, enrolment in enumerate(w.enrolments):
        pattern = PATTERNS[CYCLE[i % len(CYCLE)]]
        director = directors[enrolment.programme_id]
        previous = ""
        for to_status, week, reason in ((Status.PENDING, 0, ""), *pattern.steps):
            effective_on = enrolment.start_date + timedelta(weeks=week)
            changes.append(
                EnrolmentStatusChange(
                    enrolment=enrolment,
                    from_status=previous,
                    to_status=to_status,
                    effective_on=effective_on,
                    reason=reason,
                    changed_by=director,
                )
            )
            if to_status == Status.BREAK_IN_LEARNING:
                breaks.append(BreakInLearning(enrolment=enrolment, start_date=effective_on, reason=reason))
            elif previous == Status.BREAK_IN_LEARNING:
                breaks[-1].end_date = effective_on
            previous = to_status
        current_from = enrolment.start_date
        if pattern.employer_change_week is not None:
            current_from = enrolment.start_date + timedelta(weeks=pattern.employer_change_week)
            e = (i // w.sizing.per_manager // mpe - 1) % len(w.employers)  # the employer before this one
            periods.append(
                EmploymentPeriod(
                    enrolment=enrolment,
                    employer=w.employers[e],
                    line_manager=w.line_managers[e * mpe],
                    start_date=enrolment.start_date,
                    end_date=current_from - timedelta(days=1),
                )
            )
        periods.append(
            EmploymentPeriod(
                enrolment=enrolment,
                employer_id=enrolment.employer_id,
                line_manager=enrolment.line_manager,
                start_date=current_from,
            )
        )
    create_rows(w, EnrolmentStatusChange, changes)
    create_rows(w, BreakInLearning, breaks)
    create_rows(w, EmploymentPeriod, periods)


def end_point_assessments(w: World) -> None:
    in_epa = [e for e in w.enrolments if e.status in (Status.EPA, Status.COMPLETED)]
    create_rows(
        w,
        EndPointAssessment,
        [
            EndPointAssessment(enrolment=e, assessor=w.assessors[n % len(w.assessors)], assigned_at=w.now)
            for n, e in enumerate(in_epa)
        ],
    )


def _person(user: User) -> dict:
    return {"name": user.full_name, "email": user.email, "job_title": user.job_title}


def training_plans(w: World) -> None:
    """Each enrolment's training plan: signed by the three parties, or awaiting signatures while it is pending.

    The sample enrolment has the longest story: version 1 signed and then superseded by a major revision,
    version 2, which the apprentice has signed and the line manager and director have not; and a draft version 3.
    Content comes from the plan service, built once per cohort and terms, then given each enrolment's people.
    """
    directors = {
        programme.pk: director for programme, director in zip(w.programmes, w.directors, strict=True)
    }
    employers = {employer.pk: employer for employer in w.employers}
    built: dict[tuple, dict] = {}

    def content(enrolment: Enrolment, **changes) -> dict:
        key = (enrolment.cohort_id, enrolment.contracted_weekly_hours, enrolment.prior_learning_hours)
        if key not in built:
            built[key] = plan_services.build_content(enrolment, plan_services.fields_from_records(enrolment))
        parties = built[key]["parties"] | {
            "apprentice": _person(enrolment.apprentice),
            "employer": employers[enrolment.employer_id].name,
            "line_manager": _person(enrolment.line_manager),
            "practice_tutor": _person(enrolment.practice_tutor),
        }
        return built[key] | {"parties": parties} | changes

    def plan(enrolment: Enrolment, version: int, status: str, days_ago: int, **fields) -> TrainingPlan:
        body = fields.pop("content", None) or content(enrolment)
        sent = None if status == TrainingPlan.Status.DRAFT else w.now - timedelta(days=days_ago)
        signed = status in (TrainingPlan.Status.SIGNED, TrainingPlan.Status.SUPERSEDED)
        return TrainingPlan(
            enrolment=enrolment,
            version=version,
            status=status,
            content=body,
            content_hash="" if sent is None else content_hash(body),
            created_by=directors[enrolment.programme_id],
            created_at=w.now - timedelta(days=days_ago + 1),
            sent_at=sent,
            requests_sent_at=sent,
            signed_at=sent + timedelta(days=3) if signed and sent else None,
            **fields,
        )

    sample = w.sample_enrolment
    first = [
        plan(e, 1, TrainingPlan.Status.AWAITING, days_ago=5 + n % 20)
        if e.status == Status.PENDING
        else plan(e, 1, TrainingPlan.Status.SIGNED, days_ago=400)
        for n, e in enumerate(w.enrolments)
    ]
    first[0].status, first[0].superseded_at = TrainingPlan.Status.SUPERSEDED, w.now - timedelta(days=30)
    first = create_rows(w, TrainingPlan, first)
    support = "Fortnightly check-ins with the practice tutor after the break in learning."
    revised = content(sample, support=support)
    (second,) = create_rows(
        w,
        TrainingPlan,
        [
            plan(
                sample,
                2,
                TrainingPlan.Status.AWAITING,
                days_ago=30,
                revision=TrainingPlan.Revision.MAJOR,
                previous=first[0],
                change_summary="Support arrangements after the break in learning.",
                content=revised,
            )
        ],
    )
    create_rows(
        w,
        TrainingPlan,
        [
            plan(
                sample,
                3,
                TrainingPlan.Status.DRAFT,
                days_ago=1,
                revision=TrainingPlan.Revision.MAJOR,
                previous=second,
                change_summary="Names the end-point assessment organisation.",
                content=revised | {"parties": revised["parties"] | {"epao": "Independent Assessment Ltd"}},
            )
        ],
    )
    signatures = []
    for n, version in enumerate([*first, second]):
        enrolment = version.enrolment
        signers = [(PlanSignature.Role.APPRENTICE, enrolment.apprentice)]
        if version.status != TrainingPlan.Status.AWAITING:
            signers += [
                (PlanSignature.Role.EMPLOYER, enrolment.line_manager),
                (PlanSignature.Role.PROVIDER, directors[enrolment.programme_id]),
            ]
        elif version.version == 1 and n % 2:
            continue  # half the pending apprentices have not signed yet either
        signatures += [
            PlanSignature(
                plan=version,
                role=role,
                signed_by=user,
                typed_name=user.full_name,
                signed_at=version.sent_at + timedelta(days=day + 1),
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (benchmark)",
                content_hash=version.content_hash,
            )
            for day, (role, user) in enumerate(signers)
        ]
    create_rows(w, PlanSignature, signatures)


def invitations(w: World) -> None:
    """Invitations from the directors, cycling pending, accepted, pending, revoked, expired."""
    count = max(1, w.sizing.apprentices * w.sizing.invitations_per_100 // 100)
    states = [INVITATION_STATES[k % len(INVITATION_STATES)] for k in range(count)]
    unusable = make_password(None)
    invitees = create_rows(
        w,
        User,
        [
            User(
                email=f"invitee{k + 1}@{w.label}.test",
                full_name=_name(k + 3),
                organisation=w.employers[k % len(w.employers)],
                password=w.password_hash if state == "accepted" else unusable,
            )
            for k, state in enumerate(states)
        ],
    )
    w.invitations = create_rows(
        w,
        Invitation,
        [
            Invitation(
                email=user.email,
                full_name=user.full_name,
                organisation_id=user.organisation_id,
                invited_by=w.directors[k % len(w.directors)],
                user=user,
                created_at=w.now - timedelta(days=20 if state == "expired" else 2, minutes=k),
                expires_at=w.now + timedelta(days=-6 if state == "expired" else 12),
                email_sent_at=w.now - timedelta(days=2),
                accepted_at=w.now - timedelta(days=1) if state == "accepted" else None,
                revoked_at=w.now - timedelta(days=1) if state == "revoked" else None,
            )
            for k, (user, state) in enumerate(zip(invitees, states, strict=True))
        ],
    )
    create_rows(
        w,
        EmailAddress,
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user, state in zip(invitees, states, strict=True)
            if state == "accepted"
        ],
    )


def _stored_sample_file() -> tuple[str, bytes]:
    """One real small PDF in the default storage, written once and shared by every world: every benchmark file
    row points at it, so downloads and the portfolio ZIP have something to read."""
    content = sample_pdf(
        "Benchmark evidence", ["A small stored file that every benchmark evidence file names."]
    )
    if default_storage.exists(SAMPLE_FILE_NAME) and default_storage.size(SAMPLE_FILE_NAME) != len(content):
        default_storage.delete(SAMPLE_FILE_NAME)  # written by an older version of this seeder
    if not default_storage.exists(SAMPLE_FILE_NAME):
        default_storage.save(SAMPLE_FILE_NAME, ContentFile(content))
    return SAMPLE_FILE_NAME, content


@dataclass
class _Piece:
    """One planned piece of evidence: its primary key, the enrolment, its place in the cycle, when, the KSBs it
    claims, and its versions' primary keys (set once planned)."""

    pk: int
    enrolment: Enrolment
    k: int
    outcome: str
    occurred_on: date
    ksbs: list[int]
    versions: list[int] = field(default_factory=list)


def portfolio_evidence(w: World) -> None:
    """Evidence for every enrolment that has started, in every status, with versions, KSBs, files, feedback
    and judgements as the portfolio services would have left them; two share links on the sample enrolment.

    Inserted as tuples (``insert_rows``) with primary keys chosen here, so each piece names its current version
    when it is inserted (the foreign keys are checked at the end of the transaction)."""
    s = w.sizing
    ksbs = list(
        KSB.objects.filter(standard=w.standard).order_by("order", "code").values_list("pk", flat=True)
    )
    name, content = _stored_sample_file()
    digest = hashlib.sha256(content).hexdigest()
    sample = w.sample_enrolment
    first_evidence, first_version = _next_pk(Evidence), _next_pk(EvidenceVersion)
    pieces: list[_Piece] = []
    for i, enrolment in enumerate(e for e in w.enrolments if e.status != Status.PENDING):
        ends = (w.now.date(), enrolment.actual_end_date, enrolment.planned_end_date)
        span = max(0, (min(d for d in ends if d is not None) - enrolment.start_date).days - 10)
        for k in range(s.evidence_per_apprentice):
            pieces.append(
                _Piece(
                    first_evidence + len(pieces),
                    enrolment,
                    k,
                    EVIDENCE_CYCLE[k % len(EVIDENCE_CYCLE)],
                    enrolment.start_date + timedelta(days=span * k // s.evidence_per_apprentice),
                    [ksbs[(i * 7 + k * 3 + j) % len(ksbs)] for j in range(3)],
                )
            )
    latest = w.now - timedelta(minutes=10)
    stamps: dict[tuple[date, int], datetime] = {}

    def at(piece: _Piece, days: int) -> datetime:
        """``days`` after the activity, at 10:00; never later than just now."""
        key = (piece.occurred_on, days)
        if key not in stamps:
            day = timezone.make_aware(datetime.combine(piece.occurred_on, datetime.min.time()))
            stamps[key] = min(day + timedelta(days=days, hours=10), latest)
        return stamps[key]

    # Versions: a second one after more work was asked for (REWORKED) or while revising accepted evidence.
    # Each row: (pk, evidence, number, title, kind, occurred on, reflection, created, submitted).
    versions: list[tuple] = []
    of_version: list[_Piece] = []
    for piece in pieces:
        for number in range(1, (2 if piece.outcome in (REWORKED, REVISING) else 1) + 1):
            submitted = piece.outcome != DRAFT and not (piece.outcome == REVISING and number == 2)
            piece.versions.append(first_version + len(versions))
            versions.append(
                (
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
            )
            of_version.append(piece)

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
                piece.versions[-1],  # the current version is the last one
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
    insert_rows(
        w,
        EvidenceVersion,
        (
            "id",
            "evidence_id",
            "number",
            "title",
            "kind",
            "occurred_on",
            "reflection",
            "created_at",
            "submitted_at",
        ),
        versions,
    )
    insert_rows(
        w,
        EvidenceVersion.ksbs.through,
        ("evidenceversion_id", "ksb_id"),
        [(row[0], ksb) for row, piece in zip(versions, of_version, strict=True) for ksb in piece.ksbs],
    )

    # Files: on every fourth piece, and on both versions of the sample evidence (carried over, as the service
    # does); every row names the one stored PDF.
    insert_rows(
        w,
        EvidenceFile,
        ("version_id", "file", "name", "content_type", "size", "sha256", "uploaded_by_id", "uploaded_at"),
        [
            (
                row[0],
                name,
                f"evidence-{piece.pk}.pdf",
                "application/pdf",
                len(content),
                digest,
                piece.enrolment.apprentice_id,
                at(piece, 1),
            )
            for row, piece in zip(versions, of_version, strict=True)
            if piece.k % 4 == 0 or (piece.enrolment.pk == sample.pk and piece.outcome == REWORKED)
        ],
    )

    # Feedback with a judgement per claimed KSB: more work asked for on the first version of REWORKED and
    # NEEDS_WORK pieces; accepted on the current version (the first, for REVISING); PARTLY does not agree one KSB.
    reviewed = []
    for row, piece in zip(versions, of_version, strict=True):
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

    # The world keeps the sample enrolment's evidence (the pieces targets open), read back as instances.
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


def module_assessment(w: World) -> None:
    """Every module run's scheme and two assignments; for each apprentice who has started, a submission per
    assignment whose deadline has passed (every fifth late), marked and released, except the latest run's, which
    wait in the module lead's queue (some past their feedback due date). Files name the one stored PDF."""
    from assessments.models import AssessmentScheme, Assignment, Mark, Submission

    name, content = _stored_sample_file()
    digest = hashlib.sha256(content).hexdigest()
    runs = list(ModuleRun.objects.filter(cohort__in=w.cohorts).select_related("module").order_by("pk"))
    create_rows(w, AssessmentScheme, [AssessmentScheme(module_run=run) for run in runs])
    assignments = create_rows(
        w,
        Assignment,
        [
            Assignment(
                module_run=run,
                number=n,
                title=f"{run.module.title}: written assignment {n}",
                due_on=run.campus_start + timedelta(weeks=2 if n == 1 else 6),
                weight=50,
            )
            for run in runs
            for n in (1, 2)
        ],
    )
    today = w.now.date()
    by_cohort: dict[int, list] = {}
    for assignment, run in zip(assignments, [run for run in runs for _ in (1, 2)], strict=True):
        assignment.module_run = run
        by_cohort.setdefault(run.cohort_id, []).append(assignment)
    plans = []
    for i, enrolment in enumerate(e for e in w.enrolments if e.status != Status.PENDING):
        due = [a for a in by_cohort[enrolment.cohort_id] if a.due_on < today]
        latest_run = max((a.module_run_id for a in due), default=None)
        for k, assignment in enumerate(due):
            submitted_on = assignment.due_on + timedelta(days=3 if (i + k) % 5 == 0 else -1)
            plans.append((enrolment, assignment, submitted_on, assignment.module_run_id != latest_run, i + k))
    submissions = create_rows(
        w,
        Submission,
        [
            Submission(
                enrolment=enrolment,
                assignment=assignment,
                file=name,
                file_name=f"assignment-{assignment.number}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=digest,
                submitted_by_id=enrolment.apprentice_id,
                submitted_at=timezone.make_aware(datetime.combine(submitted_on, datetime.min.time())),
                is_late=submitted_on > assignment.due_on,
                feedback_due_on=submitted_on + timedelta(days=15),
            )
            for enrolment, assignment, submitted_on, _marked, _n in plans
        ],
    )
    create_rows(
        w,
        Mark,
        [
            Mark(
                submission=submission,
                mark=45 + (n * 7) % 40,
                feedback="A clear argument, well evidenced; tighten the conclusion.",
                annotated_file=name,
                annotated_file_name="annotated.pdf",
                annotated_content_type="application/pdf",
                marked_by_id=assignment.module_run.lead_id,
                marked_at=submission.submitted_at + timedelta(days=10),
                released_at=submission.submitted_at + timedelta(days=12),
            )
            for submission, (_e, assignment, _d, marked, n) in zip(submissions, plans, strict=True)
            if marked
        ],
    )
    sample = w.sample_enrolment
    w.sample_module_run = next(r for r in runs if r.cohort_id == sample.cohort_id and r.module.order == 1)
    w.sample_submission = Submission.objects.get(
        enrolment=sample, assignment__module_run=w.sample_module_run, assignment__number=1
    )


REVIEWS_PER_APPRENTICE = 15  # at most, for an apprentice who has started (about 12 per apprentice on average)
REVIEW_DAYS = (28, 84)  # the fewest and most days between reviews: monthly at most, and the 12-week rule
REVIEW_RATINGS = 5


def _review_days(start: date, last_day: date) -> tuple[list[date], int]:
    """Up to ``REVIEWS_PER_APPRENTICE`` review days from ``start`` to ``last_day``, evenly spaced (4 to 12
    weeks apart), each moved back to a weekday; and the spacing in days."""
    fewest, most = REVIEW_DAYS
    span = (last_day - start).days
    count = min(REVIEWS_PER_APPRENTICE, span // fewest) if span > 0 else 0
    if not count:
        return [], most
    every = min(span // count, most)
    days = [start + timedelta(days=every * k) for k in range(1, count + 1)]
    return [day - timedelta(days=max(0, day.weekday() - 4)) for day in days], every


def progress_reviews(w: World) -> None:
    """Reviews for every apprentice who has started: up to fifteen, four to twelve weeks apart from the start
    date to a week ago (a newer cohort is reviewed about monthly, an older one every twelve weeks until its
    fifteen are used up), signed by the three parties, each with KSB ratings and two SMART actions (done before
    the next review; the latest review's still open). Every third apprentice stopped being reviewed twenty weeks
    ago (overdue). The sample enrolment's next review awaits signatures. Inserted as tuples (``insert_rows``)."""
    from programmes.training_plans.models import content_hash as digest
    from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature

    ksbs = list(
        KSB.objects.filter(standard=w.standard).order_by("order", "code").values_list("pk", flat=True)
    )
    today = w.now.date()
    Review = ProgressReview.Status
    # (enrolment, number, held on, next review on, status)
    planned: list[tuple[Enrolment, int, date, date, str]] = []
    for i, enrolment in enumerate(w.enrolments):
        if enrolment.status == Status.PENDING:
            continue
        ends = [d for d in (today, enrolment.actual_end_date) if d is not None]
        last_day = min(ends) - timedelta(days=7 if i % 3 else 140)
        held, every = _review_days(enrolment.start_date, last_day)
        for number, day in enumerate(held, 1):
            planned.append((enrolment, number, day, day + timedelta(days=every), Review.SIGNED))
        if enrolment.pk == w.sample_enrolment.pk:
            day = today - timedelta(days=2)
            planned.append((enrolment, len(held) + 1, day, day + timedelta(weeks=11), Review.AWAITING))

    def content(enrolment: Enrolment, number: int, day: date, next_on: date) -> dict:
        return {
            "title": "Tripartite progress review",
            "number": number,
            "held_on": day.isoformat(),
            "training_since": "Module online weeks and campus days; portfolio evidence.",
            "progress": "On track against the plan.",
            "otj_replan": "",
            "modules": "Module assignments submitted on time.",
            "support_needs": "",
            "wellbeing": "",
            "circumstances": "",
            "actions": [],
            "ksb_ratings": [],
            "previous_actions": [],
            "otj": {},
            "next_review_on": next_on.isoformat(),
            "time_note": "Time spent in progress reviews is not off-the-job training.",
            "apprentice": {"name": enrolment.apprentice.full_name, "email": enrolment.apprentice.email},
            "line_manager": {"name": "", "email": ""},
            "practice_tutor": {"name": "", "email": ""},
            "employer": "",
            "programme": "",
            "cohort": "",
        }

    def at(day: date, hours: int = 10) -> datetime:
        return min(
            timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hours), w.now
        )

    rows, stored = [], []
    for enrolment, number, day, next_on, status in planned:
        body = content(enrolment, number, day, next_on)
        submitted, body_hash = at(day, 16), digest(body)
        stored.append((submitted, body_hash))
        rows.append(
            (
                enrolment.pk,
                number,
                status,
                at(day),
                "The employer's office",
                day,
                body["training_since"],
                body["progress"],
                next_on,
                body,
                body_hash,
                enrolment.practice_tutor_id,
                at(day, 9),
                submitted,
                at(day, 20) if status == Review.SIGNED else None,
            )
        )
    reviews = insert_rows(
        w,
        ProgressReview,
        (
            "enrolment_id",
            "number",
            "status",
            "scheduled_for",
            "location",
            "held_on",
            "training_since",
            "progress",
            "next_review_on",
            "content",
            "content_hash",
            "created_by_id",
            "created_at",
            "submitted_at",
            "signed_at",
        ),
        rows,
        pks=True,
    )
    signatures, ratings, actions = [], [], []
    for n, (pk, (enrolment, number, _day, next_on, status), (submitted, body_hash)) in enumerate(
        zip(reviews, planned, stored, strict=True)
    ):
        signers = [
            ("provider", enrolment.practice_tutor),
            ("apprentice", enrolment.apprentice),
            ("employer", enrolment.line_manager),
        ]
        if status != Review.SIGNED:
            signers = signers[:1]  # the tutor signed on the day; the apprentice and manager have not yet
        signatures += [
            (
                pk,
                role,
                user.pk,
                user.full_name,
                submitted + timedelta(minutes=k + 1),
                "192.0.2.20",
                "Mozilla/5.0 (benchmark)",
                body_hash,
            )
            for k, (role, user) in enumerate(signers)
        ]
        ratings += [(pk, ksbs[(n + j) % len(ksbs)], "developing", "") for j in range(REVIEW_RATINGS)]
        last = n + 1 == len(planned) or planned[n + 1][0] is not enrolment
        done = None if last else next_on - timedelta(days=7)
        actions += [
            (
                pk,
                f"Action {k + 1} agreed at review {number}.",
                ("apprentice", "line_manager")[k],
                next_on,
                done,
            )
            for k in range(2)
        ]
    insert_rows(
        w,
        ReviewSignature,
        (
            "review_id",
            "role",
            "signed_by_id",
            "typed_name",
            "signed_at",
            "ip_address",
            "user_agent",
            "content_hash",
        ),
        signatures,
    )
    insert_rows(w, ReviewKSBRating, ("review_id", "ksb_id", "rating", "comment"), ratings)
    insert_rows(w, ReviewAction, ("review_id", "description", "owner", "due_on", "done_on"), actions)
    mine = list(ProgressReview.objects.filter(enrolment=w.sample_enrolment).order_by("number"))
    w.sample_review = next(r for r in reversed(mine) if r.status == Review.SIGNED)
    w.sample_awaiting_review = mine[-1]


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
    otj_entries,  # benchmarks/seed_otj.py: 225 off-the-job entries per apprentice, 2,000 on the sample
    reporting_data,  # benchmarks/seed_reporting.py: RAG overrides (one in ten), the sample's audit pack
    epa_records,  # benchmarks/seed_epa.py: gateway sign-offs, SBPs, graded EPAs, completion records
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
