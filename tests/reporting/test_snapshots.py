"""The dashboard's rows are snapshots: every write that may change a row marks it stale, the next read (or the
nightly refresh) recomputes it, and a row is never shown for another day or under other rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import Enrolment
from reporting import progress, services, tasks
from reporting.models import ProgressSnapshot
from tests.reporting.helpers import override


def cohort_rows(world):
    return Enrolment.objects.filter(cohort=world.cohort)


def refresh(world) -> int:
    return services.progress_refresh(enrolments=cohort_rows(world))


def entry(world, cast, *, status=OffTheJobEntry.Status.CONFIRMED, hours="6") -> OffTheJobEntry:
    return OffTheJobEntry.objects.create(
        enrolment=world.enrolment,
        date=date(2025, 10, 1),
        hours=Decimal(hours),
        activity_type=OTJActivityType.objects.get(code="reading"),
        description="Read the module papers on public value.",
        logged_by=cast.apprentice,
        status=status,
    )


def ada(client, world) -> ProgressSnapshot:
    (row,) = client.get(f"/cohorts/{world.cohort.pk}/dashboard/?q=Ada").context["page_obj"].object_list
    return row


def test_a_second_read_the_same_day_computes_nothing(world, cast, cohort):
    assert refresh(world) == 3
    assert refresh(world) == 0
    assert ProgressSnapshot.objects.filter(enrolment__cohort=world.cohort).count() == 3


def test_hours_confirmed_by_the_line_manager_show_on_the_next_view(client, world, cast, cohort):
    client.force_login(cast.director)
    assert ada(client, world).otj_confirmed_hours == Decimal("0.00")
    pending = entry(world, cast, status=OffTheJobEntry.Status.PENDING)

    otj_services.otj_entry_confirm(entry=pending, by=cast.line_manager)

    assert ada(client, world).otj_confirmed_hours == Decimal("6.00")


def test_a_deleted_entry_marks_the_row_stale(world, cast, cohort):
    logged = entry(world, cast)
    refresh(world)

    logged.delete()

    assert refresh(world) == 1
    assert ProgressSnapshot.objects.get(pk=world.enrolment.pk).otj_confirmed_hours == Decimal("0.00")


def test_an_override_changes_the_rating_in_force_at_once(client, world, cast, cohort):
    client.force_login(cast.director)
    assert ada(client, world).rag == "red"  # no hours logged

    services.rag_override_set(
        enrolment=world.enrolment,
        by=cast.director,
        rag="green",
        reason="Hours are logged on paper this term.",
    )

    row = ada(client, world)
    assert row.rag == "green" and row.computed_rag == "red"
    assert row.reasons[0].startswith("Set to Green by Dana Director")


def test_a_change_to_a_module_run_marks_the_whole_cohort_stale(world, cast, cohort):
    refresh(world)

    world.module_run.save()

    assert refresh(world) == 3


def test_only_the_changed_apprentices_row_is_recomputed(world, cast, cohort):
    refresh(world)

    override(cohort.theirs, cast.director)

    assert refresh(world) == 1


def test_rows_are_recomputed_for_a_new_day(world, cast, cohort):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        refresh(world)
    with time_machine.travel(date(2026, 3, 3), tick=False):
        assert refresh(world) == 3
        assert set(ProgressSnapshot.objects.values_list("computed_on", flat=True)) == {date(2026, 3, 3)}


def test_changing_a_rating_threshold_recomputes_every_row(world, cast, cohort):
    refresh(world)

    with override_settings(RAG_UNSIGNED_DAYS=3):
        assert refresh(world) == 3


def test_a_write_while_a_row_is_being_computed_leaves_it_stale(world, cast, cohort, monkeypatch):
    compute = progress.compute

    def compute_then_someone_writes(enrolments, *, today):
        snapshots = compute(enrolments, today=today)
        entry(world, cast)  # committed after the signals were read: this row must not look fresh
        return snapshots

    monkeypatch.setattr(progress, "compute", compute_then_someone_writes)
    refresh(world)
    monkeypatch.setattr(progress, "compute", compute)

    row = ProgressSnapshot.objects.get(pk=world.enrolment.pk)
    assert row.computed_generation < row.generation
    assert refresh(world) == 1
    assert ProgressSnapshot.objects.get(pk=world.enrolment.pk).otj_confirmed_hours == Decimal("6.00")


def test_the_nightly_refresh_computes_every_cohort(world, cast, cohort):
    assert ProgressSnapshot.objects.count() == 0

    assert tasks.refresh_all_progress.delay().get() == 2  # the cast's cohort and the other programme's

    assert ProgressSnapshot.objects.count() == Enrolment.objects.count()
    assert refresh(world) == 0
    assert tasks.refresh_cohort_progress.delay(world.cohort.pk).get() == 0  # safe to run twice


def test_the_dashboard_says_when_its_figures_were_worked_out(client, world, cast, cohort):
    client.force_login(cast.director)

    html = client.get(f"/cohorts/{world.cohort.pk}/dashboard/").content.decode()

    assert "figures as of" in html


@pytest.mark.parametrize("sort", ["otj", "-otj", "review", "modules", "coverage", "status", "-status"])
def test_every_sort_answers_with_every_row(client, world, cast, cohort, sort):
    client.force_login(cast.director)

    rows = client.get(f"/cohorts/{world.cohort.pk}/dashboard/?sort={sort}").context["page_obj"].object_list

    assert len(rows) == 3


def test_sorting_by_otj_puts_the_lowest_percentage_first_and_unknown_last(client, world, cast, cohort):
    client.force_login(cast.director)
    refresh(world)
    ProgressSnapshot.objects.filter(pk=cohort.mine[1].pk).update(otj_percent=Decimal("10"))
    ProgressSnapshot.objects.filter(pk=world.enrolment.pk).update(otj_percent=Decimal("50"))
    ProgressSnapshot.objects.filter(pk=cohort.theirs.pk).update(otj_percent=None)

    def order(sort):
        page = client.get(f"/cohorts/{world.cohort.pk}/dashboard/?sort={sort}").context["page_obj"]
        return [row.name for row in page.object_list]

    assert order("otj") == ["Ben Caseload", "Ada Apprentice", "Cara Elsewhere"]
    assert order("-otj") == ["Cara Elsewhere", "Ada Apprentice", "Ben Caseload"]


def test_the_review_chart_counts_reviews_due_by_week(client, world, cast, cohort):
    client.force_login(cast.director)
    refresh(world)
    today = date.today()
    ProgressSnapshot.objects.filter(pk=world.enrolment.pk).update(next_review_due=today - timedelta(days=3))
    ProgressSnapshot.objects.filter(pk=cohort.mine[1].pk).update(next_review_due=today + timedelta(days=8))
    ProgressSnapshot.objects.filter(pk=cohort.theirs.pk).update(next_review_due=None)

    chart = client.get(f"/cohorts/{world.cohort.pk}/dashboard/").context["chart"]

    assert chart.reviews_overdue == 1
    assert [count for _week, count in chart.reviews_by_week][:3] == [0, 1, 0]


def test_an_administrator_can_have_rows_worked_out_again_from_the_admin(client, world, cast, cohort):
    refresh(world)
    client.force_login(cast.admin)

    response = client.post(
        "/admin/reporting/progresssnapshot/",
        {"action": "work_out_again", "_selected_action": [world.enrolment.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 row will be worked out again." in response.content.decode()
    assert refresh(world) == 1


def test_snapshots_cannot_be_added_or_deleted_in_the_admin(client, world, cast, cohort):
    refresh(world)
    client.force_login(cast.admin)

    assert client.get("/admin/reporting/progresssnapshot/add/").status_code == 403
    assert client.get(f"/admin/reporting/progresssnapshot/{world.enrolment.pk}/delete/").status_code == 403


def test_the_dashboard_and_the_api_run_the_same_queries_for_20_and_200_rows(client, api, world, cast, cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reporting.conftest import add_rows

    client.force_login(cast.director)
    reader = api.as_user(cast.director)
    paths = [
        (client, f"/cohorts/{world.cohort.pk}/dashboard/"),
        (client, f"/cohorts/{world.cohort.pk}/dashboard/?rag=red&sort=otj"),
        (reader, f"/api/v1/cohorts/{world.cohort.pk}/progress/?page_size=200"),
    ]

    def counts() -> list[int]:
        found = []
        for who, path in paths:
            who.get(path)  # any new rows are worked out once
            with CaptureQueriesContext(connection) as captured:
                assert who.get(path).status_code == 200
            found.append(len(captured))
        return found

    add_rows(world, 17)
    twenty = counts()
    add_rows(world, 180)

    assert Enrolment.objects.filter(cohort=world.cohort).count() == 200
    assert counts() == twenty
