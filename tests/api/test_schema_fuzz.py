"""Schemathesis runs the OpenAPI schema against the app: no 5xx, every response as documented, bad input saves nothing.

Each operation is fuzzed as the director and as the apprentice (they see different scopes), with a bounded,
derandomised number of examples so the run is reproducible and quick; then every real row behind each detail
endpoint, every operation signed out, and a token request that succeeds go through the same checks. The harness
is in fuzzing.py; the last tests here show it fails when the app misbehaves, so a green run means something.
"""

import pytest
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from schemathesis.core.failures import FailureGroup

from accounts.models import Organisation
from home.api import MeView
from tests.api.fuzzing import SCHEMA, SavedOnBadInput, call_and_check, id_model

# Fuzzing checks the API's contract (status codes, schemas, bad input saving nothing), which the serializers and
# views decide whatever the database: it runs once, in the SQLite lane.
# Each test builds its own rows and the module is the suite's longest: its tests are shared out across workers
# (SPREAD in tests/conftest.py).
pytestmark = pytest.mark.db_agnostic

MEMBERS = ["director", "apprentice"]


@pytest.fixture(autouse=True)
def evidence_on_both_enrolments(world, cast):
    """Portfolio evidence on the cast's enrolment and on the other one, so evidence ids answer 200 and 404."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from portfolios import services as portfolio

    for enrolment, apprentice in (
        (world.enrolment, cast.apprentice),
        (world.other_enrolment, cast.other_apprentice),
    ):
        portfolio.evidence_create(
            enrolment=enrolment,
            by=apprentice,
            fields=portfolio.EvidenceFields(
                title="Service redesign",
                kind="work_product",
                occurred_on=timezone.localdate(),
                reflection="What I did and learned.",
                ksb_ids=[enrolment.programme.standard.ksbs.first().pk],
            ),  # fmt: skip
            files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")],
            submit=True,
        )


@pytest.fixture(autouse=True)
def submissions_on_both_enrolments(world, cast):
    """An assignment submission on the cast's enrolment (marked, released) and on the other one, so submission
    ids answer 200 and 404."""
    from tests.assessments.helpers import mark, release, set_up_run, submit
    from tests.factories import ModuleRunFactory

    set_up_run(world)
    mark(world, submit(world), 64)
    release(world)
    other_run = ModuleRunFactory(module__programme=world.other_programme, cohort=world.other_enrolment.cohort)
    from assessments.models import Assignment
    from assessments.services import submission_create
    from tests.assessments.helpers import pdf

    other = Assignment.objects.create(
        module_run=other_run, number=1, title="Essay", due_on=other_run.campus_start
    )
    submission_create(
        enrolment=world.other_enrolment, assignment=other, by=cast.other_apprentice, upload=pdf()
    )


@pytest.fixture(autouse=True)
def reviews_on_both_enrolments(world, cast):
    """A progress review awaiting signatures on the cast's enrolment and on the other one, so review ids answer
    200 and 404."""
    from datetime import date

    from tests.tutors.helpers import submitted_review

    submitted_review(world.enrolment, cast.tutor, held_on=date(2026, 3, 2))
    submitted_review(world.other_enrolment, cast.other_tutor, held_on=date(2026, 3, 2))


@pytest.fixture(autouse=True)
def otj_entries_on_both_enrolments(world, cast):
    """A pending off-the-job entry on the cast's enrolment and on the other one, so entry ids answer 200 and 404.

    Stored directly: the fuzz world's training plans are not signed, and the rules are not what is tested here.
    """
    from django.utils import timezone

    from portfolios.otj.models import OffTheJobEntry, OTJActivityType

    for enrolment, apprentice in (
        (world.enrolment, cast.apprentice),
        (world.other_enrolment, cast.other_apprentice),
    ):
        OffTheJobEntry.objects.create(
            enrolment=enrolment,
            date=timezone.localdate(),
            hours=2,
            activity_type=OTJActivityType.objects.get(code="reading"),
            description="Read the module papers on public value.",
            logged_by=apprentice,
        )


@pytest.fixture(autouse=True)
def completion_record_on_the_cast(world, cast):
    """A completion record (with its PDF), an SBP submission and a bulk-issue batch on the cast's enrolment."""
    from tests.assessments.epa.epa_objects import epa_rows

    epa_rows(world, cast)


def auth_headers(cast, member: str) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=getattr(cast, member))
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.parametrize("member", MEMBERS)
@SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # The examples share the test's `world` on purpose (list and detail endpoints answer with real rows).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema_and_bad_input_saves_nothing(
    case, cast, member, auth_confirmed
):
    call_and_check(case, auth_headers(cast, member), auth_confirmed=auth_confirmed)


@pytest.fixture
def auth_confirmed() -> set[str]:
    """The operations whose auth ``ignored_auth`` has confirmed in this test (shared by its examples)."""
    return set()


@pytest.mark.parametrize("member", MEMBERS)
def test_every_row_behind_a_detail_endpoint_is_served_as_documented(cast, member):
    """Every id of every detail endpoint, seen or not by the caller: 200 or 404, each as the schema says."""
    headers = auth_headers(cast, member)
    statuses = {}
    for operation in (result.ok() for result in SCHEMA.get_all_operations()):
        model = id_model(operation)
        if model is None or not operation.path.endswith("/{id}/"):
            continue
        for pk in model._default_manager.values_list("pk", flat=True):
            response = call_and_check(operation.Case(path_parameters={"id": pk}), headers)
            statuses.setdefault(operation.path, set()).add(response.status_code)

    core = {"/api/v1/programmes/{id}/", "/api/v1/cohorts/{id}/", "/api/v1/enrolments/{id}/"}
    assert core <= set(statuses)
    if member == "director":
        assert all(statuses[path] == {200, 404} for path in core), statuses
    if member == "apprentice":
        assert statuses["/api/v1/enrolments/{id}/"] == {200, 404}


def test_signed_out_every_operation_that_needs_a_token_is_a_documented_401(world):
    protected = 0
    for operation in (result.ok() for result in SCHEMA.get_all_operations()):
        if not operation.definition.raw.get("security"):
            continue
        model = id_model(operation)
        path_parameters = {parameter.name: 1 for parameter in operation.path_parameters}
        if model is not None:
            path_parameters["id"] = model._default_manager.first().pk
        response = call_and_check(operation.Case(path_parameters=path_parameters), {})
        assert response.status_code == 401, operation.label
        protected += 1

    # All but POST /api/v1/auth/token/ and the public GET /api/v1/verify/{code}/.
    assert protected == len(list(SCHEMA.get_all_operations())) - 2


def test_a_token_request_with_the_right_password_is_served_as_documented(cast, password):
    operation = SCHEMA["/api/v1/auth/token/"]["POST"]
    case = operation.Case(
        body={"email": cast.director.email, "password": password}, media_type="application/json"
    )

    response = call_and_check(case, {})

    assert response.status_code == 200
    assert Token.objects.get(user=cast.director).key == response.json()["token"]


# The harness can fail: the same call_and_check, against an app made to misbehave.


def me_case():
    return SCHEMA["/api/v1/me/"]["GET"].Case()


@pytest.mark.parametrize(
    ("response", "failure"),
    [
        (Response({"id": "one", "email": "x"}), "Response violates schema"),
        (Response({"detail": "I'm a teapot."}, status=418), "Undocumented status code"),
        (Response({"detail": "Oops."}, status=500), "Server error"),
    ],
    ids=["body-not-as-documented", "undocumented-status", "server-error"],
)
def test_the_harness_flags_a_response_that_breaks_the_schema(monkeypatch, cast, response, failure):
    monkeypatch.setattr(MeView, "get", lambda self, request: response)

    with pytest.raises(FailureGroup) as raised:
        call_and_check(me_case(), auth_headers(cast, "director"))

    assert failure in str(raised.value)


def test_the_harness_flags_a_refused_request_that_saved_something(monkeypatch, cast):
    def get(self, request):
        Organisation.objects.create(name="Saved by a bad request")
        return Response({"detail": "Not found."}, status=404)

    monkeypatch.setattr(MeView, "get", get)
    before = Organisation.objects.count()

    with pytest.raises(SavedOnBadInput, match=f"accounts_organisation: {before} → {before + 1}"):
        call_and_check(me_case(), auth_headers(cast, "director"))


# What the fuzzer found, pinned: each was a 500, an HTML page, or bad input served as if it were good.


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/api/v1/enrolments/?cohort=99999999999999999999999", 400, "cohort"),  # was 500 (integer overflow)
        ("/api/v1/enrolments/?programme=1.5", 400, "programme"),  # was served as programme 1 on SQLite
        ("/api/v1/enrolments/?employer=0", 200, "results"),  # an id that names nothing matches nothing
        ("/api/v1/enrolments/?page_size=abc", 400, "page_size"),  # was ignored
        ("/api/v1/enrolments/?page_size=0", 400, "page_size"),  # was ignored
        ("/api/v1/enrolments/?page_size=500", 200, "results"),  # still capped at 200, not refused
        ("/api/v1/enrolments/0.5/", 404, "detail"),  # was Django's HTML 404 page
        ("/api/v1/cohorts/abc.json/", 404, "detail"),  # was Django's HTML 404 page
    ],
)
def test_inputs_the_fuzzer_found_get_a_documented_json_answer(api, cast, url, status, body):
    response = api.as_user(cast.director).get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert body in response.json()
