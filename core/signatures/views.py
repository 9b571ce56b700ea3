"""The one sign page flow: the form for the roles a person may still sign for, and posting it.

A refused signature re-renders the page with the reason in the error summary and the refusal's status (400 bad
name or secret, 403, 409). A stale read (the document changed since the page was opened) is a 409 whose form now
carries the current version and hash, so the signer reads the document shown and signs again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from allauth.mfa.models import Authenticator

from core.errors import ConflictError, DomainError
from core.signatures.forms import SignForm
from core.signatures.services import Document, Origin, Proof, StaleRead
from core.views import add_domain_error

T = TypeVar("T")


def uses_mfa(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def sign_form(
    request, document: Document, labels: Mapping[str, str], data=None, *, open_only: bool = True
) -> SignForm | None:
    """The sign form for the roles ``request.user`` holds and has not signed, or None when there is nothing for
    them to sign (``open_only``: also when the document is closed for signature)."""
    if open_only:
        try:
            document.refuse_if_closed()
        except ConflictError:
            return None
    signed = document.signed_roles()
    roles = [role for role in document.roles_held_by(request.user) if role not in signed]
    if not roles:
        return None
    return SignForm(
        data,
        roles=[(role, labels.get(role, role)) for role in roles],
        uses_mfa=uses_mfa(request.user),
        document=document,
        aliases=getattr(document, "role_aliases", None),
        initial={"role": roles[0]},
    )


def post_signature(request, form: SignForm, sign: Callable[[Proof, Origin], T]) -> tuple[T | None, int]:
    """Validate the posted form and sign; returns the signature and 201, or None and the refusal's status with
    the reason on the form."""
    if not form.is_valid():
        return None, 400
    try:
        return sign(form.proof(), Origin.of(request)), 201
    except StaleRead as stale:
        form.data = form.data.copy()
        form.data["version"], form.data["content_hash"] = str(stale.version), stale.content_hash
        form.add_error(None, stale.message)
        return None, stale.status_code
    except DomainError as error:
        add_domain_error(form, error)
        return None, error.status_code
