"""API conventions shared by every app: pagination, one error shape, and the error responses the schema documents."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import parsers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


class Pagination(PageNumberPagination):
    """``{count, next, previous, results}``; ``?page_size=`` up to 200.

    A ``page_size`` that is not a whole number from 1 up is bad input (400), like a bad filter value; one above
    200 is capped. A ``page`` that is not a whole number is 400; a page past the end is 404 (DRF's own rule).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number of 1 or more."]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.isdigit():
            # DRF would quietly serve page 1 for ``?page=``; a page that is not a number is bad input.
            raise ValidationError({self.page_query_param: ["Give a page number of 1 or more."]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


class FilterBackend(DjangoFilterBackend):
    """django-filter, except that a filter given with an empty value is bad input (400), not silently ignored.

    ``?status=`` is not a status; an integration that sends it has a bug it should hear about.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            blank = {
                name: ["Give a value, or leave this filter out."]
                for name in filterset_class.base_filters
                if request.query_params.get(name, None) == ""
            }
            if blank:
                raise ValidationError(blank)
        return super().filter_queryset(request, queryset, view)


# Ids are 64-bit (DEFAULT_AUTO_FIELD is BigAutoField); the database cannot even compare a number outside this range.
ID_RANGE = (-(2**63), 2**63 - 1)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": ID_RANGE[0], "maximum": ID_RANGE[1]})
class IdFilter(filters.NumberFilter):
    """A filter on an id: a whole number in the id range, else 400. An id that names nothing matches nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=ID_RANGE[0], max_value=ID_RANGE[1], **kwargs)


MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what no endpoint accepts: nesting deeper than ``MAX_JSON_DEPTH`` (a 50,000-deep
    body would raise RecursionError) and NUL characters in any key or string (PostgreSQL cannot store them)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested more than {MAX_JSON_DEPTH} deep.") from None
        _refuse_deep_or_nul(data)
        return data


def _refuse_deep_or_nul(data) -> None:
    """Walk the parsed body without recursion; raise ParseError on a NUL character or too deep a nesting."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError("Text cannot contain NUL (\\u0000) characters.")
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ParseError(f"JSON parse error - nested more than {MAX_JSON_DEPTH} deep.")
            items = list(value.items()) if isinstance(value, dict) else [(None, item) for item in value]
            for key, item in items:
                if key is not None:
                    pending.append((key, depth))
                pending.append((item, depth + 1))


def exception_handler(exc, context):
    """DomainError → 400/403/409 with ``{"field": [msg]}`` or ``{"detail": msg}``; the rest is DRF's."""
    if isinstance(exc, DomainError):
        if exc.field and exc.status_code == status.HTTP_400_BAD_REQUEST:
            return Response({exc.field: [exc.message]}, status=exc.status_code)
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


# The two error bodies (api.md): ``{"detail": "message"}`` and ``{"field": ["message", ...]}``.
ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": "The messages for each input field that was not valid.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "ValidationError": {
        "oneOf": [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/FieldErrors"}],
    },
}


def error_response(description: str, *, component: str = "Error") -> OpenApiResponse:
    """For ``@extend_schema(responses=...)``: an error response whose body is one of ``ERROR_COMPONENTS``."""
    assert component in ERROR_COMPONENTS
    return OpenApiResponse(response={"$ref": f"#/components/schemas/{component}"}, description=description)


def _error_response_object(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _framework_errors(operation: dict) -> dict[str, dict]:
    """The error responses DRF itself gives for this operation, read from what the schema already says of it."""
    errors = {}
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p["in"] == "query"}
    # Every query parameter but the page number is validated (filters, page size); a bad page number is 404.
    if operation.get("requestBody") or query - {Pagination.page_query_param}:
        errors["400"] = _error_response_object(
            "The input is not valid: a message per field, or one message.", "ValidationError"
        )
    security = operation.get("security", [])
    if security and {} not in security:
        errors["401"] = _error_response_object("Not signed in, or the token is not valid.", "Error")
    if any(p["in"] == "path" for p in parameters) or Pagination.page_query_param in query:
        errors["404"] = _error_response_object(
            "Not found: it does not exist, you may not see it, or the page is past the end.", "Error"
        )
    return errors


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation lists the error statuses DRF gives it.

    401 where authentication is required, 404 for an object looked up by a path parameter or a page number,
    400 for a request body or query parameters that are validated. Responses an operation declares itself
    (``@extend_schema``) are kept.
    """
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, response in _framework_errors(operation).items():
                responses.setdefault(code, response)
    return result
