"""What a target is: a name, a page (session) or an API call (token), who requests it and how to build its URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.seed import World

PAGE = "page"
API = "api"


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # PAGE (session) or API (token)
    user: str | None  # a World attribute; None = signed out
    url: Callable[[World], str]
    floor: bool = False
    memory: bool = False  # also report the request's peak Python memory (tracemalloc): exports must stream
    before: Callable[[World], object] | None = None  # run before every request, untimed and uncounted
