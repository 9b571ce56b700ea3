"""What a seed makes: the sizes asked for (``Sizing``) and the world built (``World``), which targets build their
URLs from and sign in as one of its people."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from accounts.models import Invitation, Organisation, User
from assessments.models import Submission
from portfolios.models import Evidence, EvidenceFile, PortfolioShare
from programmes.models import Cohort, Enrolment, ModuleRun, Programme, Standard


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
