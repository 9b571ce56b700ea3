"""The programme side: one standard with its KSBs (shared by every world in the database), the programmes and their
modules (each mapped to five KSBs), and the cohorts with a run of each module."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from programmes.models import KSB, Cohort, Module, ModuleRun, Programme, Standard

FIRST_COHORT_START = date(2025, 9, 15)
MODULES = [
    # order, title, year, term, week of the cohort at which its six online weeks begin
    (1, "Public Management and Governance", 1, "autumn", 1),
    (2, "Leadership", 1, "spring", 17),
    (3, "Digital Era Public Policy", 1, "summer", 31),
    (4, "Evidence and Policy", 2, "autumn", 53),
    (5, "Performance, Strategy and Challenge", 2, "spring", 69),
    (6, "Commercialisation", 2, "summer", 83),
]
KSB_CODES = [f"K{n}" for n in range(1, 13)] + [f"S{n}" for n in range(1, 13)] + [f"B{n}" for n in range(1, 7)]


def directors_by_programme(w: World) -> dict[int, User]:
    """Each programme's director, by the programme's primary key."""
    return {programme.pk: director for programme, director in zip(w.programmes, w.directors, strict=True)}


def ksb_pks(w: World) -> list[int]:
    """The standard's KSBs' primary keys, in the standard's order."""
    return list(
        KSB.objects.filter(standard=w.standard).order_by("order", "code").values_list("pk", flat=True)
    )


def standard_and_ksbs(w: World) -> None:
    """One standard version shared by every world in the database, with ~30 KSBs."""
    w.standard, created = Standard.objects.get_or_create(
        code="ST0480",
        version="1.2",
        defaults={"title": "Senior leader", "level": 7, "ksb_source": "Benchmark", "otj_minimum_hours": 400},
    )
    if created:
        create_rows(
            w,
            KSB,
            [
                KSB(
                    standard=w.standard, code=code, kind=code[0], order=n, statement=f"Statement {code}. " * 8
                )
                for n, code in enumerate(KSB_CODES[: w.sizing.ksbs])
            ],
        )


def programmes_and_modules(w: World) -> None:
    w.programmes = create_rows(
        w,
        Programme,
        [
            Programme(
                name=f"Senior Leader {p + 1}",
                provider=w.provider,
                standard=w.standard,
                professional_award="Chartered Manager (CMI) eligibility",
                academic_award="Postgraduate Diploma in Public Management and Leadership",
            )
            for p in range(w.sizing.programmes)
        ],
    )
    create_rows(
        w,
        Programme.directors.through,
        [
            Programme.directors.through(programme_id=programme.pk, user_id=director.pk)
            for programme, director in zip(w.programmes, w.directors, strict=True)
        ],
    )
    modules = create_rows(
        w,
        Module,
        [
            Module(programme=programme, order=order, title=title, year=year, term=term)
            for programme in w.programmes
            for order, title, year, term, _ in MODULES
        ],
    )
    ksbs = list(KSB.objects.filter(standard=w.standard).order_by("order", "code"))
    create_rows(
        w,
        Module.ksbs.through,
        [
            Module.ksbs.through(module_id=module.pk, ksb_id=ksb.pk)
            for module in modules
            for ksb in ksbs[(module.order - 1) * 5 : module.order * 5]
        ],
    )


def cohorts_and_module_runs(w: World) -> None:
    """Cohorts alternate between the programmes; each programme's cohorts start six months apart."""
    s = w.sizing
    n_programmes = len(w.programmes)
    w.cohorts = create_rows(
        w,
        Cohort,
        [
            Cohort(
                programme=w.programmes[c % n_programmes],
                name=f"Cohort {c // n_programmes + 1}",
                start_date=FIRST_COHORT_START - timedelta(weeks=26 * (c // n_programmes)),
            )
            for c in range(s.count(s.per_cohort))
        ],
    )
    modules = {(m.programme_id, m.order): m for m in Module.objects.filter(programme__in=w.programmes)}
    runs = []
    for cohort in w.cohorts:
        for order, _, _, _, week in MODULES:
            online_start = cohort.start_date + timedelta(weeks=week)
            runs.append(
                ModuleRun(
                    module=modules[cohort.programme_id, order],
                    cohort=cohort,
                    online_start=online_start,
                    campus_start=online_start + timedelta(weeks=6),
                    lead=w.module_leads[order - 1],
                )
            )
    create_rows(w, ModuleRun, runs)
