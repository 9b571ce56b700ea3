"""The caller's network address, read in one place for signatures, audit records and rate limits."""

from __future__ import annotations


def client_ip(request) -> str | None:
    """The caller's address (the first X-Forwarded-For hop when behind the proxy, else REMOTE_ADDR)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None
