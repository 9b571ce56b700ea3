"""Organisations and people: the provider, the end-point assessment organisation and the employers; staff, line
managers and apprentices (one shared password hash, a verified email each); and the directors' invitations."""

from __future__ import annotations

import math
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.models import Invitation, Organisation, User
from benchmarks.seeding.programme import MODULES
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World

FIRST_NAMES = ["Amelia", "Ben", "Chloe", "Daniel", "Eleanor", "Farhan", "Grace", "Harry", "Isla", "Jacob"]
SURNAMES = ["Hughes", "Okafor", "Patel", "Fraser", "Walsh", "Ali", "Nowak", "Mensah", "Khan", "Evans", "Lee"]
INVITATION_STATES = ("pending", "accepted", "pending", "revoked", "expired")


def _name(i: int) -> str:
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i * 7 + i // 97) % len(SURNAMES)]}"


def _users(w: World, kind: str, count: int, organisation, job_title: str, **extra) -> list[User]:
    return [
        User(
            email=f"{kind}{i + 1}@{w.label}.test",
            full_name=_name(i) if kind in ("apprentice", "manager") else f"{job_title} {i + 1}",
            organisation=organisation(i) if callable(organisation) else organisation,
            job_title=job_title,
            password=w.password_hash,
            **extra,
        )
        for i in range(count)
    ]


def organisations(w: World) -> None:
    s = w.sizing
    w.provider, w.epao, *w.employers = create_rows(
        w,
        Organisation,
        [
            Organisation(name=f"University of Benchmarks ({w.label})", kind=Organisation.Kind.PROVIDER),
            Organisation(name=f"Assessment Partners ({w.label})", kind=Organisation.Kind.EPAO),
        ]
        + [
            Organisation(name=f"Employer {e + 1} ({w.label})", kind=Organisation.Kind.EMPLOYER)
            for e in range(math.ceil(s.count(s.per_manager) / s.managers_per_employer))
        ],
    )


def people(w: World) -> None:
    """Staff, line managers and apprentices, all with the one shared password hash and a verified email."""
    s = w.sizing
    mpe = s.managers_per_employer
    groups = {
        "admin": _users(w, "admin", 1, w.provider, "Administrator", is_staff=True, is_superuser=True),
        "directors": _users(w, "director", s.programmes, w.provider, "Programme Director"),
        "module_leads": _users(w, "lead", len(MODULES), w.provider, "Module Lead"),
        "tutors": _users(w, "tutor", s.count(s.per_tutor), w.provider, "Practice Tutor"),
        "assessors": _users(w, "assessor", s.count(s.per_assessor), w.epao, "Independent Assessor"),
        "line_managers": _users(
            w, "manager", s.count(s.per_manager), lambda m: w.employers[m // mpe], "Manager"
        ),
        "apprentices": _users(
            w,
            "apprentice",
            s.apprentices,
            lambda i: w.employers[i // s.per_manager // mpe],
            "Service Manager",
        ),
    }
    created = iter(create_rows(w, User, [user for group in groups.values() for user in group]))
    for name, group in groups.items():
        members = [next(created) for _ in group]
        setattr(w, name, members[0] if name == "admin" else members)
    everyone = [
        w.admin,
        *w.directors,
        *w.module_leads,
        *w.tutors,
        *w.assessors,
        *w.line_managers,
        *w.apprentices,
    ]
    create_rows(
        w, EmailAddress, [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in everyone]
    )


def invitations(w: World) -> None:
    """Invitations from the directors, cycling pending, accepted, pending, revoked, expired."""
    count = max(1, w.sizing.apprentices * w.sizing.invitations_per_100 // 100)
    states = [INVITATION_STATES[k % len(INVITATION_STATES)] for k in range(count)]
    unusable = make_password(None)
    invitees = create_rows(
        w,
        User,
        [
            User(
                email=f"invitee{k + 1}@{w.label}.test",
                full_name=_name(k + 3),
                organisation=w.employers[k % len(w.employers)],
                password=w.password_hash if state == "accepted" else unusable,
            )
            for k, state in enumerate(states)
        ],
    )
    w.invitations = create_rows(
        w,
        Invitation,
        [
            Invitation(
                email=user.email,
                full_name=user.full_name,
                organisation_id=user.organisation_id,
                invited_by=w.directors[k % len(w.directors)],
                user=user,
                created_at=w.now - timedelta(days=20 if state == "expired" else 2, minutes=k),
                expires_at=w.now + timedelta(days=-6 if state == "expired" else 12),
                email_sent_at=w.now - timedelta(days=2),
                accepted_at=w.now - timedelta(days=1) if state == "accepted" else None,
                revoked_at=w.now - timedelta(days=1) if state == "revoked" else None,
            )
            for k, (user, state) in enumerate(zip(invitees, states, strict=True))
        ],
    )
    create_rows(
        w,
        EmailAddress,
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user, state in zip(invitees, states, strict=True)
            if state == "accepted"
        ],
    )
