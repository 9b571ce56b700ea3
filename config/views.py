"""Small helpers shared by the HTML views of every app."""

from django import forms
from django.core.paginator import Paginator

from config.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's DomainError on the form field it names (or at the top)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def paginate(request, queryset, *, per_page: int = 25) -> dict:
    """Page context with the current query string (minus ``page``) so filters survive paging."""
    page_obj = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page_obj, "querystring_without_page": f"{encoded}&" if encoded else ""}
