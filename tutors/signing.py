"""A progress review (or an addendum to it) as a signed document (``core.signatures``).

- noun "review N" (or "addendum N"); ``content_hash`` the SHA-256 fixed when the review was submitted (or when the
  addendum was written);
- ``version``: 1 for the review as first submitted, one more each time a signer declined it and it came back with
  new content (``1 + declines``); an addendum continues the count (``review version + addendum number``), so the
  version a signer is told to read only ever goes up;
- roles: ``apprentice``, ``employer`` (the line manager), ``provider`` (the practice tutor);
- the review is open while awaiting signatures, an addendum while it is; the last signature completes it.
"""

from __future__ import annotations

from typing import Any

from core.errors import ConflictError
from core.signatures.services import canonical_hash
from programmes import access
from tutors.models import ProgressReview, ReviewAddendum, ReviewSignature

Status = ProgressReview.Status
Role = ReviewSignature.Role
ROLE_ORDER = (Role.APPRENTICE, Role.EMPLOYER, Role.PROVIDER)
ROLE_LABELS: dict[str, str] = dict(Role.choices)
ROLE_WORDS: dict[str, str] = {
    Role.APPRENTICE: "the apprentice",
    Role.EMPLOYER: "the line manager",
    Role.PROVIDER: "the practice tutor",
}
#: The role names reviews used before the one vocabulary, still accepted on input.
ROLE_ALIASES = {"line_manager": Role.EMPLOYER.value, "tutor": Role.PROVIDER.value}


def role_from_input(role: str) -> str:
    return ROLE_ALIASES.get(role, role)


def review_version(review: ProgressReview) -> int:
    return 1 + review.declines.count()


class ReviewDocument:
    """A submitted review, or its addendum, as the signing mechanism sees it."""

    role_words = ROLE_WORDS
    role_labels = ROLE_LABELS
    role_aliases = ROLE_ALIASES
    who_signs = "Only the apprentice, their line manager and their practice tutor sign reviews."

    def __init__(self, review: ProgressReview, addendum: ReviewAddendum | None = None) -> None:
        self.review = review
        self.addendum = addendum

    @property
    def noun(self) -> str:
        if self.addendum is not None:
            return f"addendum {self.addendum.number}"
        return f"review {self.review.number}"

    @property
    def version(self) -> int:
        return review_version(self.review) + (self.addendum.number if self.addendum is not None else 0)

    @property
    def content_hash(self) -> str:
        return self.addendum.content_hash if self.addendum is not None else self.review.content_hash

    def lock(self) -> None:
        self.review = (
            ProgressReview.objects.select_for_update()
            .select_related("enrolment__apprentice", "enrolment__line_manager", "enrolment__practice_tutor")
            .get(pk=self.review.pk)
        )
        if self.addendum is not None:
            self.addendum = ReviewAddendum.objects.select_for_update().get(
                pk=self.addendum.pk, review=self.review
            )

    def refuse_if_closed(self) -> None:
        if self.addendum is not None:
            if self.addendum.status == ReviewAddendum.Status.SIGNED:
                raise ConflictError(f"Addendum {self.addendum.number} is already signed by all three.")
            return
        if self.review.status == Status.DRAFT:
            raise ConflictError("This review has not been submitted for signatures yet.")
        if self.review.status == Status.SIGNED:
            raise ConflictError("This review is already signed by all three parties.")

    def roles_held_by(self, user: Any) -> list[str]:
        return access.review_signing_roles(user, self.review.enrolment)

    def signed_roles(self) -> set[str]:
        signatures = ReviewSignature.objects.filter(review=self.review)
        if self.addendum is not None:
            signatures = signatures.filter(addendum=self.addendum)
        else:
            signatures = signatures.filter(addendum__isnull=True, content_hash=self.review.content_hash)
        return set(signatures.values_list("role", flat=True))

    def content_matches(self) -> bool:
        if self.addendum is not None:
            return canonical_hash(self.addendum.content()) == self.addendum.content_hash
        return self.review.computed_hash() == self.review.content_hash

    def record(self, **fields: Any) -> ReviewSignature:
        return ReviewSignature.objects.create(review=self.review, addendum=self.addendum, **fields)

    def after_signature(self, signature: Any, *, outstanding: list[str]) -> None:
        if outstanding:
            return
        done = self.addendum if self.addendum is not None else self.review
        done.status = Status.SIGNED  # the same value for an addendum
        done.signed_at = signature.signed_at
        done.save(update_fields=["status", "signed_at"])
