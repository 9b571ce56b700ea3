"""Small helpers shared by the HTML views of every app."""

from django import forms
from django.core.paginator import Paginator

from core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's DomainError on the form field it names (or at the top)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def paginate(request, queryset, *, per_page: int = 25, count: int | None = None) -> dict:
    """Page context with the current query string (minus ``page``) so filters survive paging. ``count``: the
    number of rows when the caller already knows it (saves the COUNT query)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # type: ignore[misc]  # a cached_property: set, it is not computed
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page_obj, "querystring_without_page": f"{encoded}&" if encoded else ""}
