"""The one signature log: the rows every signed document's PDF prints (``core.pdf.PDFDocument`` draws the table)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from core.signatures.models import Method

HEADER = ["Role", "Signed by", "Signed at (UK time)", "From", "How", "Content hash"]
BROWSER_LIMIT = 60


def signature_log_rows(signatures: Iterable[Any], role_labels: Mapping[str, str]) -> list[list[str]]:
    """The header and one row a signature: role; the account and the name typed; the local time to the second
    with its zone; the address and browser; how the signer proved it was them; the short content hash."""
    rows = [list(HEADER)]
    for signature in signatures:
        when = timezone.localtime(signature.signed_at)
        method = Method(signature.method).label if signature.method in Method.values else signature.method
        browser = " ".join((signature.user_agent or "").split())
        if len(browser) > BROWSER_LIMIT:
            browser = browser[: BROWSER_LIMIT - 1] + "\u2026"
        rows.append(
            [
                role_labels.get(signature.role, signature.role),
                f"{signature.signed_by.full_name}\ntyped: {signature.typed_name}",
                f"{when.day} {when:%B %Y} at {when:%H:%M:%S} {when.tzname()}",
                f"IP {signature.ip_address or 'not recorded'}\n{browser or 'browser not recorded'}",
                method.lower(),
                (getattr(signature, "content_hash", "") or "")[:12] or "\u2014",
            ]
        )
    return rows
