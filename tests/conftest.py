"""The test cast: an apprentice, their line manager and tutor, and the outsiders who must get 404.

``cast`` gives every member by name; ``world`` gives the organisations, programme and enrolments around them.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Organisation, User
from assessments.models import EndPointAssessment
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


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing, a clean cache so rate limits never leak, and uploads in a temporary folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media")},
        },
    }
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def world(db) -> World:
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
