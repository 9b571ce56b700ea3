"""The floor (the apprentice's account page), home for each role, inviting people, and ``/api/v1/me/``."""

from __future__ import annotations

from benchmarks.targets.base import API, PAGE, Target

FLOOR_AND_HOME: list[Target] = [
    # The floor: the most trivial authenticated page.
    Target("account", PAGE, "apprentice", lambda w: "/account/", floor=True),
    # Home, for each role.
    Target("home: apprentice", PAGE, "apprentice", lambda w: "/"),
    Target("home: line manager", PAGE, "line_manager", lambda w: "/"),
    Target("home: practice tutor", PAGE, "tutor", lambda w: "/"),
    Target("home: director", PAGE, "director", lambda w: "/"),
    Target("home: module lead", PAGE, "module_lead", lambda w: "/"),
    Target("home: assessor", PAGE, "assessor", lambda w: "/"),
    Target("home: admin", PAGE, "admin", lambda w: "/"),
]

PEOPLE: list[Target] = [
    Target("invitations", PAGE, "director", lambda w: "/people/invitations/"),
    Target("invite form", PAGE, "director", lambda w: "/people/invite/"),
    Target("accept invitation", PAGE, None, lambda w: f"/invitations/{w.sample_invitation.token}/"),
]

API_CALLS: list[Target] = [
    Target("api me", API, "apprentice", lambda w: "/api/v1/me/"),
]
