"""The schemathesis harness behind test_schema_fuzz.py: the served schema, the checks, real ids, saves-nothing.

``SCHEMA`` is the document the app serves at ``/api/schema/``, and requests go in-process to the app's WSGI
handler, so they share the test's database connection and transaction: the ``world`` fixture's rows are there,
and every hypothesis example of one test sees the same rows (which is fine: each call is judged on its own).
"""

from collections.abc import Mapping
from http import HTTPMethod
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import strategies as st
from schemathesis import checks

from tests.guards import changed_tables, database_snapshot


def _as_served(app):
    """The app as a WSGI server runs it, inside the test's database transaction.

    Every WSGI server sets REMOTE_ADDR (the login rate limit keys on it). And, as Django's test client does,
    the database connection is not closed at the start and end of each request: that would end the test's
    transaction (on PostgreSQL; SQLite's in-memory test database ignores it).
    """

    def served(environ, start_response):
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()  # sends request_finished, as a server does once the body is sent
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return served


SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", _as_served(get_wsgi_application()))

# The checks, and why each is sound for this API:
# - not_a_server_error: no input, however malformed, may give a 5xx.
# - status_code_conformance, content_type_conformance, response_schema_conformance,
#   response_headers_conformance: every response is one the schema documents: its status, its content type and
#   its body (an error body too: {"detail"} or {"field": [...]}).
# - negative_data_rejection: input that breaks the schema (a filter id that is not a number, a page size that
#   is not a whole number, a token request without an email) is refused with a 4xx, never served.
# - positive_data_acceptance: input that fits the schema is not refused with 400. Not for the token endpoint: a
#   well-formed email and password that match no account are a 400 by contract, which no schema can predict.
# - ignored_auth: operations that declare token or session auth refuse a request without it (401).
# - unsupported_method, allow_header_conformance, missing_required_header: the coverage phase's probes (a method
#   the schema does not list is 405 with Allow; OPTIONS advertises the documented methods).
# Left out: use_after_free and ensure_resource_availability (they follow a create or delete through the API;
# this API has neither yet), object_level_authorization (it needs several identities configured in
# schemathesis; tests/test_access_matrix.py and the endpoint tests cover who sees what), max_response_time
# (timing is not a property of the code on a shared CI machine).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
    checks.positive_data_acceptance,
    checks.ignored_auth,
    checks.unsupported_method,
    checks.allow_header_conformance,
    checks.missing_required_header,
]
# Operations that check credentials or domain rules: a request that fits the schema may still be refused with a
# 400 the schema cannot predict (wrong password, a KSB from another standard, a date in the future, feedback
# asking for more work without a comment).
CREDENTIAL_OPERATIONS = {
    "POST /api/v1/auth/token/",
    "POST /api/v1/enrolments/{id}/training-plan/sign/",
    "POST /api/v1/evidence/",
    "POST /api/v1/evidence/{id}/feedback/",
    "POST /api/v1/reviews/",
    "POST /api/v1/reviews/{id}/sign/",
    "POST /api/v1/enrolments/{id}/gateway/sign/",
    "POST /api/v1/submissions/",  # a file of a type not accepted, an assignment already submitted
    "POST /api/v1/submissions/{id}/mark/",  # a released mark changed without a reason
    "POST /api/v1/otj-entries/",  # a date before the start or in a break, more than 12 hours in a day
    "PATCH /api/v1/otj-entries/{id}/",  # the same rules, and only while the entry is pending
    "POST /api/v1/otj-entries/{id}/reject/",  # only the line manager, only while pending
}

SAFE_METHODS = {HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS}


class SavedOnBadInput(AssertionError):
    """A request the API refused (4xx), or a read, changed a row of some table."""


def assert_saves_nothing(before: Mapping, after: Mapping, *, what: str) -> None:
    """The suite's one saves-nothing check (``tests/guards.py``), raised as this harness's own error type."""
    changed = changed_tables(before, after)
    if changed:
        details = ", ".join(f"{table}: {old} → {new}" for table, (old, new) in changed.items())
        raise SavedOnBadInput(f"{what} changed the database (table: rows before → after): {details}")


def checks_for(case: schemathesis.Case, auth_confirmed: set[str]) -> list:
    skip = set()
    if case.operation.label in CREDENTIAL_OPERATIONS:
        skip.add(checks.positive_data_acceptance)
    if case.operation.label in auth_confirmed:
        skip.add(checks.ignored_auth)
    return [check for check in CHECKS if check not in skip]


def call_and_check(
    case: schemathesis.Case, headers: dict[str, str], *, auth_confirmed: set[str] | None = None
) -> schemathesis.Response:
    """Send ``case`` with ``headers``, run the checks, and require that a refused request or a read saves nothing.

    A 2xx write may save (``POST /api/v1/auth/token/`` creates the caller's token); a 4xx never may, and a
    read never may, whatever its status.

    ``ignored_auth`` re-sends a 2xx request without credentials and with bad ones. Whether an operation enforces
    auth does not depend on the input, so given an ``auth_confirmed`` set (one per fuzzing test) an operation is
    probed until it has passed once, as the schemathesis CLI does.
    """
    auth_confirmed = set() if auth_confirmed is None else auth_confirmed
    before = database_snapshot()
    response = case.call(headers=headers)
    after = database_snapshot()
    if 400 <= response.status_code < 500 or case.method.upper() in SAFE_METHODS:
        assert_saves_nothing(
            before, after, what=f"{case.method.upper()} {case.formatted_path} → {response.status_code}"
        )
    case.validate_response(
        response,
        checks=checks_for(case, auth_confirmed),
        headers=headers,
        transport_kwargs={"headers": headers},
    )
    if 200 <= response.status_code < 300 and headers:
        auth_confirmed.add(case.operation.label)
    return response


def id_model(operation: schemathesis.APIOperation):
    """The model whose rows the ``{id}`` in this operation's path names, or None.

    ``/api/v1/enrolments/{id}/`` and everything under it (``/api/v1/enrolments/{id}/training-plan/``) name an
    enrolment: the model is the one the viewset at ``…/{id}/`` retrieves (its serializer's model).
    """
    if "{id}/" not in operation.path:
        return None
    detail_path = operation.path[: operation.path.index("{id}/")] + "0/"
    try:
        match = resolve(detail_path)
    except Resolver404:
        return None
    if getattr(match.func, "actions", {}).get("get") != "retrieve":
        return None
    serializer_class = getattr(match.func.cls, "serializer_class", None)
    return getattr(getattr(serializer_class, "Meta", None), "model", None)


@SCHEMA.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: dict[str, Any]):
    """About half the generated ``{id}`` values become ids of rows that exist (seen or not by the caller).

    Random integers almost never name a row, so without this a detail endpoint (and anything under it) would
    only ever answer 404. Only a well-formed (integer) id is swapped: a deliberately malformed one must stay so.
    """
    model = id_model(context.operation) if context.operation is not None else None
    value = (path_parameters or {}).get("id")
    if model is None or not isinstance(value, int) or isinstance(value, bool):
        return st.just(path_parameters)
    ids = sorted(model._default_manager.values_list("pk", flat=True))
    if not ids:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters), st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk})
    )
