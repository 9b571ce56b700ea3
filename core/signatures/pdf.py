"""The one signature log: the rows every signed document's PDF prints on its last page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from core.signatures.models import Method

HEADER = ["Role", "Signed by", "When", "How", "From", "Content hash"]


def signature_log_rows(signatures: Iterable[Any], role_labels: Mapping[str, str]) -> list[list[str]]:
    """The header and one row a signature: role, typed name, local time, method, address, short hash."""
    rows = [list(HEADER)]
    for signature in signatures:
        when = timezone.localtime(signature.signed_at).strftime("%d/%m/%Y %H:%M")
        method = Method(signature.method).label if signature.method in Method.values else signature.method
        rows.append(
            [
                role_labels.get(signature.role, signature.role),
                signature.typed_name,
                when,
                method,
                signature.ip_address or "—",
                (signature.content_hash or "")[:12] or "—",
            ]
        )
    return rows
