"""Small helpers shared by the HTML views of every app."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's DomainError on the form field it names (or at the top)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def render_form(request, template: str, context: dict, *, form_key: str = "form"):
    """Render a page built around a form: 400 when the form has errors (so a refused submission is not a 200),
    200 otherwise."""
    form = context.get(form_key)
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


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
