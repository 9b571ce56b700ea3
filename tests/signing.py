"""What a signer read, for tests that sign: the version and content hash of each signed document, their typed
name and password (or code). Every test and helper that signs goes through these, so each signature names what
was read."""

from __future__ import annotations

from typing import Any

from assessments.epa.signing import GatewayDocument
from core.signatures.services import Proof
from programmes.training_plans.signing import PlanDocument
from tests.factories import PASSWORD
from tutors.signing import ReviewDocument


def proof(document: Any, user: Any, *, password: str = PASSWORD, **overrides: Any) -> Proof:
    values = {
        "version": document.version,
        "content_hash": document.content_hash,
        "full_name": user.full_name,
        "password": password,
    }
    return Proof(**{**values, **overrides})


def plan_proof(plan, user, **overrides) -> Proof:
    plan.refresh_from_db()
    return proof(PlanDocument(plan), user, **overrides)


def review_proof(review, user, addendum=None, **overrides) -> Proof:
    review.refresh_from_db()
    if addendum is not None:
        addendum.refresh_from_db()
    return proof(ReviewDocument(review, addendum), user, **overrides)


def gateway_proof(enrolment, user, **overrides) -> Proof:
    enrolment.refresh_from_db()
    return proof(GatewayDocument(enrolment), user, **overrides)


def posted(document: Any, user: Any, **extra: Any) -> dict:
    """The sign form or API body of someone who read ``document``: version, hash, name and password."""
    return {
        "version": document.version,
        "content_hash": document.content_hash,
        "full_name": user.full_name,
        "password": PASSWORD,
        **extra,
    }
