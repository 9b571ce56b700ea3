"""The suite-wide guard: a refused write that changed the database fails the test that sent it."""

import pytest
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path

from accounts.models import Organisation
from tests.guards import assert_unchanged, changed_tables, database_snapshot


def saves_then_refuses(request):
    Organisation.objects.create(name="Written before refusing")
    return HttpResponseForbidden("no")


def refuses_cleanly(request):
    return HttpResponseForbidden("no")


def saves_and_succeeds(request):
    Organisation.objects.create(name="Written and accepted")
    return HttpResponse("ok")


urlpatterns = [
    path("saves-then-refuses/", saves_then_refuses),
    path("refuses-cleanly/", refuses_cleanly),
    path("saves-and-succeeds/", saves_and_succeeds),
]

pytestmark = pytest.mark.urls(__name__)


def test_a_view_that_saves_and_then_refuses_fails_the_test_that_posted_to_it(client, db):
    with pytest.raises(AssertionError, match="organisation"):
        client.post("/saves-then-refuses/")


def test_a_refused_write_through_the_api_client_is_checked_too(api, db):
    with pytest.raises(AssertionError, match="was refused \\(403\\)"):
        api.delete("/saves-then-refuses/")


def test_a_clean_refusal_and_an_accepted_write_pass(client, db):
    assert client.post("/refuses-cleanly/").status_code == 403
    assert client.post("/saves-and-succeeds/").status_code == 200
    assert Organisation.objects.filter(name="Written and accepted").exists()


def test_reads_are_not_checked(client, db):
    assert client.get("/saves-then-refuses/").status_code == 403


def test_the_snapshot_sees_an_edit_that_keeps_the_row_count(db):
    organisation = Organisation.objects.create(name="Before")
    before = database_snapshot()
    Organisation.objects.filter(pk=organisation.pk).update(name="After")

    assert list(changed_tables(before, database_snapshot())) == ["accounts_organisation"]


def test_assert_unchanged_names_the_tables_a_block_changed(db):
    with pytest.raises(AssertionError, match="accounts_organisation"), assert_unchanged("the block"):
        Organisation.objects.create(name="Sneaky")


def test_snapshot_queries_are_not_counted_by_query_assertions(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.post("/refuses-cleanly/")
