"""Fixed-window rate limits counted in the shared cache, so every app server counts together."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from core.client import client_ip


def over_limit(request, *, scope: str, per_minute: int) -> bool:
    """Count one request from this client in ``scope``; True once it has made more than ``per_minute`` this minute."""
    key = f"{scope}-rate:{client_ip(request) or 'unknown'}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > per_minute
