"""Signing, the same way for every document (see the package docstring)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from core.client import client_ip
from core.errors import ActionNotAllowed, ConflictError, DomainError

USER_AGENT_MAX = 1000


class StaleRead(ConflictError):
    """The signer read another version (or other content) than the one open for signature (HTTP 409)."""

    def __init__(self, message: str, *, version: int, content_hash: str) -> None:
        super().__init__(message)
        self.version = version
        self.content_hash = content_hash


def canonical_hash(content: Any) -> str:
    """SHA-256 of content in a canonical JSON form (sorted keys, no spaces), so the same content hashes alike."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Origin:
    """Where a signature came from."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request) -> Origin:
        return cls(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
        )


@dataclass(frozen=True)
class Proof:
    """What the signer gives: the version and hash they read, their typed name, and their password or code."""

    version: int | None
    content_hash: str
    full_name: str
    password: str = ""
    code: str = ""
    role: str = ""


class Document(Protocol):
    """What a signed document tells the mechanism about itself."""

    @property
    def noun(self) -> str:
        """How the document is named in messages: "the plan", "review 2", "addendum 1", "the gateway checklist"."""

    @property
    def version(self) -> int:
        """The version open for signature (what a signer is told to read when theirs is stale)."""

    @property
    def content_hash(self) -> str:
        """The SHA-256 of the content open for signature."""

    @property
    def role_words(self) -> Mapping[str, str]:
        """Every signing role, in signing order, with how it is named in messages ("the line manager")."""

    @property
    def who_signs(self) -> str:
        """Who may sign, for the refusal when the caller holds no signing role."""

    def lock(self) -> None:
        """Re-read the document under a row lock (called first, inside the signing transaction)."""

    def refuse_if_closed(self) -> None:
        """Raise ConflictError when the document is not open for signature (draft, superseded, complete)."""

    def roles_held_by(self, user: Any) -> list[str]:
        """The signing roles this user holds on this document."""

    def signed_roles(self) -> set[str]:
        """The roles that have signed this version."""

    def content_matches(self) -> bool:
        """True when the stored content still hashes to ``content_hash`` (tampering is refused)."""

    def record(self, **fields: Any) -> Any:
        """Create the document's signature row from the common fields."""

    def after_signature(self, signature: Any, *, outstanding: list[str]) -> None:
        """React to a new signature (e.g. mark the document signed when nothing is outstanding)."""

    # Optional: ``refuse_out_of_turn(role)`` raises when that role may not sign yet (an order between the
    # parties, e.g. the employer decides gateway before the provider advises). Checked once the role is known.


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def names_match(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


def check_secret(user: Any, *, password: str, code: str) -> str:
    """The signer proves it is them: their password, or a current authenticator code if they use MFA.

    Returns the method used (``password`` or ``mfa``)."""
    if password and user.check_password(password):
        return "password"
    if code:
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None and TOTP(totp).validate_code(code.strip()):
            return "mfa"
        raise DomainError("The authenticator code is not correct.", field="code")
    if not password:
        raise DomainError("Enter your password to sign.", field="password")
    raise DomainError("The password is not correct.", field="password")


def outstanding_roles(document: Document) -> list[str]:
    signed = document.signed_roles()
    return [role for role in document.role_words if role not in signed]


def _pick_role(document: Document, holds: list[str], role: str) -> str:
    signed = document.signed_roles()
    if role:
        if role not in document.role_words:
            raise DomainError(f"'{role}' is not a signing role.", field="role")
        if role not in holds:
            raise ActionNotAllowed(f"You cannot sign as {document.role_words[role]}.")
        if role in signed:
            raise ConflictError(f"{_sentence(document.role_words[role])} has already signed {document.noun}.")
        return role
    open_roles = [r for r in holds if r not in signed]
    if not open_roles:
        raise ConflictError(f"You have already signed {document.noun}.")
    if len(open_roles) > 1:
        raise DomainError("You hold more than one role here; say which you are signing for.", field="role")
    return open_roles[0]


def _refuse_if_stale(document: Document, proof: Proof) -> None:
    if proof.version is None or not proof.content_hash:
        raise DomainError(
            "Say which version you read: the version and content hash shown with the document.",
            field="content_hash",
        )
    if proof.version != document.version or proof.content_hash != document.content_hash:
        raise StaleRead(
            f"{_sentence(document.noun)} changed since you opened it — "
            f"read version {document.version} before signing.",
            version=document.version,
            content_hash=document.content_hash,
        )


@transaction.atomic
def sign(document: Document, *, by: Any, proof: Proof, origin: Origin = Origin()) -> Any:
    """Record ``by``'s signature on ``document`` for one of their roles, or refuse with nothing recorded.

    Refusals, in order: closed for signature (409); not a signer (403); a role named that they cannot sign as
    (403) or that has signed (409); a role out of turn (409); a stale read — the version or hash they read is
    not the current one (409); a typed name that does not match theirs, or a wrong password or code (400);
    stored content that no longer matches its hash (409)."""
    document.lock()
    document.refuse_if_closed()
    holds = document.roles_held_by(by)
    if not holds:
        raise ActionNotAllowed(document.who_signs)
    role = _pick_role(document, holds, proof.role)
    refuse_out_of_turn = getattr(document, "refuse_out_of_turn", None)
    if refuse_out_of_turn is not None:
        refuse_out_of_turn(role)
    _refuse_if_stale(document, proof)
    if not proof.full_name.strip():
        raise DomainError("Type your full name to sign.", field="full_name")
    if not names_match(proof.full_name, by.full_name):
        raise DomainError(f"Type your full name exactly as it appears: {by.full_name}.", field="full_name")
    method = check_secret(by, password=proof.password, code=proof.code)
    if not document.content_matches():
        raise ConflictError(
            f"The stored content of {document.noun} no longer matches what was sent; it cannot be signed."
        )
    signature = document.record(
        role=role,
        signed_by=by,
        typed_name=" ".join(proof.full_name.split()),
        ip_address=origin.ip_address or None,
        user_agent=origin.user_agent[:USER_AGENT_MAX],
        content_hash=document.content_hash,
        method=method,
    )
    document.after_signature(signature, outstanding=outstanding_roles(document))
    return signature
