"""The test cast: an apprentice, their line manager and tutor, and the outsiders who must get 404.

``cast`` gives every member by name; ``world`` gives the organisations, programme and enrolments around them.
The world is built once per module (``module_world``, inside ``module_db``'s transaction); each test runs in its
own savepoint, rolled back after it, and gets a deep copy of the Python objects.
"""

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from rest_framework.test import APIClient

from accounts.models import Organisation, User
from assessments.epa.models import EndPointAssessment
from programmes.models import Cohort, Enrolment, ModuleRun, Programme
from tests.factories import (
    PASSWORD,
    CohortFactory,
    EnrolmentFactory,
    KSBFactory,
    ModuleFactory,
    ModuleRunFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProviderFactory,
    StandardFactory,
    UserFactory,
)
from tests.guards import REFUSED, WRITES, changed_tables, database_snapshot, refused_writes_are_checked


@pytest.fixture(scope="session", autouse=True)
def _fast_hashing() -> Iterator[None]:
    """Fast password hashing for the whole session, module-scoped worlds included."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def guard_refused_writes() -> Iterator[None]:
    """Every refused write a test sends through a test client must leave every table as it was.

    A POST/PUT/PATCH/DELETE answered 400, 403, 404 or 409 is checked against a snapshot of the whole database
    taken just before it (see ``tests/guards.py``), so no test can pass over a view that saves and then refuses.
    """
    original = Client.request

    def request(self, **environ):
        if environ.get("REQUEST_METHOD", "GET").upper() not in WRITES or not refused_writes_are_checked():
            return original(self, **environ)
        try:
            before = database_snapshot()
        except RuntimeError:  # this test has no database access, so the view cannot have written to it
            return original(self, **environ)
        response = original(self, **environ)
        if response.status_code in REFUSED:
            changed = changed_tables(before, database_snapshot())
            assert not changed, (
                f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO')} was refused "
                f"({response.status_code}) but changed the database (table: rows before, after): {changed}"
            )
        return response

    Client.request = request
    yield
    Client.request = original


@pytest.fixture
def media_root(request, tmp_path) -> Path:
    """Where uploaded and rendered files go: a fresh folder per test, or the module's when it shares a world."""
    if "module_storage" in request.fixturenames:
        return request.getfixturevalue("module_media_root")
    return tmp_path / "private-media"


def storages_in(location: Path) -> dict:
    """The STORAGES setting with uploaded and rendered files kept in ``location``."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, media_root):
    """A clean cache so rate limits never leak, and uploads in a temporary folder."""
    settings.STORAGES = storages_in(media_root)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """One transaction held open for a whole module, rolled back at its end.

    Module-scoped fixtures that build rows depend on this; each test's own ``db`` transaction then becomes a
    savepoint inside it, so whatever a test writes is undone before the next test, and the module's rows are
    undone after the last. Marked as the test case's own block so that code under test may still nest atomics.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("module-media") / "private-media"


@pytest.fixture(scope="module")
def module_storage(module_media_root) -> Iterator[Path]:
    """Uploads and PDFs made by a module world go to one folder for the module (tests then keep using it)."""
    with override_settings(STORAGES=storages_in(module_media_root)):
        yield module_media_root


@dataclass
class World:
    provider: Organisation
    employer: Organisation
    other_employer: Organisation
    programme: Programme
    other_programme: Programme
    cohort: Cohort
    module_run: ModuleRun
    enrolment: Enrolment
    other_enrolment: Enrolment
    epa: EndPointAssessment


@dataclass
class Cast:
    apprentice: User
    line_manager: User
    tutor: User
    other_apprentice: User
    other_manager: User
    other_tutor: User
    director: User
    other_director: User
    module_lead: User
    assessor: User
    admin: User

    def members(self) -> dict[str, User | None]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {"anonymous": None}


def build_world() -> World:
    """The organisations, programme, cohort, enrolments and the cast around them."""
    provider = ProviderFactory()
    employer = OrganisationFactory(name="Northshire County Council")
    other_employer = OrganisationFactory(name="Riverside NHS Trust")
    epao = OrganisationFactory(name="Assessors Ltd", kind=Organisation.Kind.EPAO)
    standard = StandardFactory()
    for code in ("K1", "K2", "S1", "B1"):
        KSBFactory(standard=standard, code=code, kind=code[0])
    programme = ProgrammeFactory(name="Senior Leader", provider=provider, standard=standard)
    other_programme = ProgrammeFactory(name="Other Programme", provider=provider, standard=standard)
    director = UserFactory(email="director@example.test", full_name="Dana Director", organisation=provider)
    other_director = UserFactory(
        email="other.director@example.test", full_name="Oscar Otherdirector", organisation=provider
    )
    programme.directors.add(director)
    other_programme.directors.add(other_director)
    cohort = CohortFactory(programme=programme, name="2025 cohort")
    module = ModuleFactory(programme=programme, order=1, title="Leadership")
    lead = UserFactory(email="lead@example.test", full_name="Lee Lead", organisation=provider)
    module_run = ModuleRunFactory(module=module, cohort=cohort, lead=lead)
    tutor = UserFactory(email="tutor@example.test", full_name="Tara Tutor", organisation=provider)
    other_tutor = UserFactory(
        email="other.tutor@example.test", full_name="Otto Othertutor", organisation=provider
    )
    manager = UserFactory(email="manager@example.test", full_name="Mina Manager", organisation=employer)
    other_manager = UserFactory(
        email="other.manager@example.test", full_name="Omar Othermanager", organisation=other_employer
    )
    apprentice = UserFactory(
        email="apprentice@example.test", full_name="Ada Apprentice", organisation=employer
    )
    other_apprentice = UserFactory(
        email="other.apprentice@example.test", full_name="Olly Otherapprentice", organisation=other_employer
    )
    other_cohort = CohortFactory(programme=other_programme, name="Other cohort")
    enrolment = EnrolmentFactory(
        cohort=cohort, employer=employer, apprentice=apprentice, line_manager=manager, practice_tutor=tutor
    )
    other_enrolment = EnrolmentFactory(
        cohort=other_cohort,
        employer=other_employer,
        apprentice=other_apprentice,
        line_manager=other_manager,
        practice_tutor=other_tutor,
    )
    assessor = UserFactory(email="assessor@example.test", full_name="Asha Assessor", organisation=epao)
    epa = EndPointAssessment.objects.create(enrolment=enrolment, assessor=assessor)
    admin = UserFactory(
        email="admin@example.test",
        full_name="Adam Admin",
        organisation=provider,
        is_staff=True,
        is_superuser=True,
    )
    world = World(
        provider,
        employer,
        other_employer,
        programme,
        other_programme,
        cohort,
        module_run,
        enrolment,
        other_enrolment,
        epa,
    )
    world.cast = Cast(
        apprentice,
        manager,
        tutor,
        other_apprentice,
        other_manager,
        other_tutor,
        director,
        other_director,
        lead,
        assessor,
        admin,
    )
    return world


@pytest.fixture(scope="module")
def module_world(module_db) -> World:
    """One world built per module, the way ``setUpTestData`` builds one per class."""
    return build_world()


@pytest.fixture
def world(module_world, db) -> World:
    """The module's world, as a fresh copy for this test.

    The rows are the module's (built once); whatever the test writes is rolled back after it. The Python objects
    are a deep copy, so a test that changes ``world.enrolment`` in memory never leaks that into the next test.
    A module whose tests need their own world (real commits, a frozen clock while it is built) overrides
    ``world`` with ``build_world()``.
    """
    return copy.deepcopy(module_world)


@pytest.fixture(scope="module")
def module_demo(module_db, module_storage) -> None:
    """The demo (``manage.py seed_demo``) seeded once for the module; tests that read it use ``demo`` below."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def demo(module_demo, db) -> None:
    """The module's demo data; whatever a test changes is rolled back after it."""


@pytest.fixture
def cast(world) -> Cast:
    return world.cast


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates with a token (None stays anonymous)."""

    class Client(APIClient):
        def as_user(self, user):
            from rest_framework.authtoken.models import Token

            self.credentials()
            if user is not None:
                token, _ = Token.objects.get_or_create(user=user)
                self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            return self

    return Client()


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)


# ---- which lane runs what ------------------------------------------------------------------------------------

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


# Modules whose tests build nothing once per module and take long: shared out test by test across workers.
SPREAD = {"tests/api/test_schema_fuzz.py"}


def pytest_xdist_make_scheduler(config, log):
    """Under `--dist loadscope`, a module's tests go to one worker, but a SPREAD module's are shared out.

    On one worker, what a module builds once (its world, the demo, the access matrix's objects) is built once.
    The longest module, schema fuzzing, builds its rows per test; kept whole it would hold one core while the
    other waits. (xdist's own `loadgroup` marks do not work with pytest 9, so the rule is written here.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return nodeid if module in SPREAD else module

    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Mark ``db_agnostic`` every test whose outcome cannot depend on the database engine.

    Two kinds: tests that never touch the database (no database fixture, no ``django_db`` mark) are found here;
    tests that use the database only as scaffolding for a rule that does not depend on it (PDF text, upload
    sniffing, schema fuzzing) carry the mark themselves. The SQLite lane runs everything; the PostgreSQL lane
    (``make test-pg``) runs every test that is not marked, so nothing runs nowhere.
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if not (
            fixtures & DATABASE_FIXTURES
            or item.get_closest_marker("django_db")
            or item.get_closest_marker("engine")
        ):
            item.add_marker(pytest.mark.db_agnostic)
