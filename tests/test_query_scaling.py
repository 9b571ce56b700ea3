"""Every benchmark target (benchmarks/targets/) runs the same number of queries at N and at 10×N apprentices.

Both worlds come from the benchmark seeder with small groups, so the larger one has ten times the cohorts,
and each person a target signs in as (director, tutor, line manager, module lead, assessor, admin) sees about
ten times the rows. A new target is covered by adding its line to the table; a new project URL without a line
(or an entry in EXCLUDED saying why) fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from benchmarks.seed import seed
from benchmarks.targets import EXCLUDED, TARGETS, client_for
from programmes.models import Enrolment

# The mark makes pytest-django create the test database; the worlds are seeded once, in the module fixture.
pytestmark = pytest.mark.django_db

SMALL, LARGE = 4, 40
# People whose share of the world grows with it (the apprentice's own enrolment does not).
GROWING = ("director", "tutor", "line_manager", "module_lead", "assessor", "admin")


def seed_world(n: int, label: str):
    """Two cohorts, tutors, line managers and employers at N; twenty cohorts and ten times each share at 10×N."""
    half = n // 2
    return seed(
        n,
        label=label,
        apprentices_per_cohort=2,
        apprentices_per_employer=half,
        apprentices_per_manager=half,
        apprentices_per_tutor=half,
    )


@dataclass
class Observation:
    status: int
    queries: list[str]


@dataclass
class Observations:
    by_target: dict[tuple[str, int], Observation] = field(default_factory=dict)
    url_names: dict[str, str] = field(default_factory=dict)
    visible: dict[tuple[str, int], int] = field(default_factory=dict)


def observe(world, target) -> Observation:
    client = client_for(world, target)
    url = target.url(world)
    if target.before is not None:
        target.before(world)
    client.get(url)  # warm up: the first request fills per-process caches (content types, sites)
    if target.before is not None:
        target.before(world)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Observation(response.status_code, [query["sql"] for query in captured.captured_queries])


@pytest.fixture(scope="module")
def observations(django_db_setup, django_db_blocker, tmp_path_factory) -> Observations:
    """Seed N, request every target; then seed 10×N beside it and request again. All rolled back at the end."""
    seen = Observations()
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("bench-media"))},
        },
    }
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, STORAGES=storages),
        transaction.atomic(),
    ):
        for n, label in ((SMALL, "small"), (LARGE, "large")):
            world = seed_world(n, label)
            for target in TARGETS:
                seen.by_target[target.name, n] = observe(world, target)
                seen.url_names[target.name] = resolve(urlsplit(target.url(world)).path).url_name
            for role in GROWING:
                seen.visible[role, n] = Enrolment.objects.visible_to(world.user(role)).count()
        transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_query_count_is_the_same_at_n_and_ten_times_n(observations, target):
    small, large = observations.by_target[target.name, SMALL], observations.by_target[target.name, LARGE]

    assert (small.status, large.status) == (200, 200)
    assert len(large.queries) == len(small.queries), (
        f"{target.name}: {len(small.queries)} queries at {SMALL} apprentices, {len(large.queries)} at {LARGE}:\n"
        + "\n".join(large.queries)
    )


@pytest.mark.parametrize("role", GROWING)
def test_the_larger_world_shows_each_person_many_more_rows(observations, role):
    """Otherwise equal query counts would prove nothing."""
    assert observations.visible[role, LARGE] >= 5 * observations.visible[role, SMALL] > 0


def project_url_names() -> set[str]:
    """Names of every URL served by the project's own views (not the admin, allauth or the schema views)."""
    own = {"config"} | {
        app.name.split(".")[0]
        for app in apps.get_app_configs()
        if "site-packages" not in Path(app.path).parts and Path(app.path).is_relative_to(settings.BASE_DIR)
    }

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if (view or pattern.callback).__module__.split(".")[0] in own:
                    yield pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_project_url_has_a_benchmark_target_or_a_reason(observations):
    covered = set(observations.url_names.values())

    missing = project_url_names() - covered - set(EXCLUDED)

    assert not missing, f"Add a line to benchmarks/targets/ (or to EXCLUDED, with why) for: {sorted(missing)}"


def test_exclusions_are_current(observations):
    assert set(EXCLUDED) <= project_url_names()
    assert not set(EXCLUDED) & set(observations.url_names.values())


def test_the_table_has_one_floor_and_unique_names():
    assert len([target for target in TARGETS if target.floor]) == 1
    assert len({target.name for target in TARGETS}) == len(TARGETS)
