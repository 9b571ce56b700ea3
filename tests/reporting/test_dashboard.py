"""The cohort dashboard and the cross-programme summary: who sees which rows, filters, sorting, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import Enrolment
from reporting import services
from tests.reporting.conftest import add_rows
from tests.reporting.helpers import override


def url(world, query: str = "") -> str:
    return f"/cohorts/{world.cohort.pk}/dashboard/{query}"


def names(response) -> list[str]:
    return [row.name for row in response.context["page_obj"].object_list]


def test_a_director_sees_every_apprentice_in_the_cohort_with_a_rating_and_its_reasons(
    client, world, cast, cohort
):
    client.force_login(cast.director)

    response = client.get(url(world))

    assert response.status_code == 200
    assert sorted(names(response)) == ["Ada Apprentice", "Ben Caseload", "Cara Elsewhere"]
    for row in response.context["page_obj"].object_list:
        assert row.rag in ("red", "amber", "green", "grey")
        assert row.reasons, f"{row.name} has a rating without reasons"
    html = response.content.decode()
    assert "Override RAG" in html and "Audit pack" in html
    assert f"/cohorts/{world.cohort.pk}/ksb-heatmap/" in html


def test_a_tutor_sees_only_their_own_caseload_rows_and_cannot_override(client, world, cast, cohort):
    client.force_login(cast.tutor)

    response = client.get(url(world))

    assert sorted(names(response)) == ["Ada Apprentice", "Ben Caseload"]
    assert "Cara Elsewhere" not in response.content.decode()
    assert "Override RAG" not in response.content.decode()


@pytest.mark.parametrize(
    "member", ["other_director", "other_tutor", "apprentice", "line_manager", "module_lead", "assessor"]
)
def test_everyone_else_gets_a_404(client, world, cast, cohort, member):
    client.force_login(getattr(cast, member))

    assert client.get(url(world)).status_code == 404


def test_an_unknown_cohort_is_a_404_even_for_a_director(client, cast, world):
    client.force_login(cast.director)

    assert client.get("/cohorts/999999/dashboard/").status_code == 404


def test_filters_by_employer_status_rating_and_name(client, world, cast, cohort):
    client.force_login(cast.director)
    cohort.theirs.status = Enrolment.Status.BREAK_IN_LEARNING
    cohort.theirs.save()

    assert names(client.get(url(world, f"?employer={cohort.theirs.employer_id}"))) == ["Cara Elsewhere"]
    assert names(client.get(url(world, "?status=break_in_learning"))) == ["Cara Elsewhere"]
    assert names(client.get(url(world, "?q=caseload"))) == ["Ben Caseload"]
    assert names(client.get(url(world, f"?tutor={cast.tutor.pk}&sort=-name"))) == [
        "Ben Caseload",
        "Ada Apprentice",
    ]
    override(cohort.mine[1], cast.director, rag="green")  # the others have logged no hours: red
    assert names(client.get(url(world, "?rag=green"))) == ["Ben Caseload"]


def test_sorting_by_rating_puts_red_first(client, world, cast, cohort):
    client.force_login(cast.director)
    override(cohort.theirs, cast.director, rag="green")  # the others have logged no hours: red

    assert names(client.get(url(world, "?sort=rag"))) == ["Ada Apprentice", "Ben Caseload", "Cara Elsewhere"]
    assert names(client.get(url(world, "?sort=-rag")))[0] == "Cara Elsewhere"


def test_bad_filter_values_are_ignored_not_errors(client, world, cast, cohort):
    client.force_login(cast.director)

    response = client.get(
        url(world, "?employer=abc&tutor=99999999999999999999999&status=nope&rag=purple&sort=drop")
    )

    assert response.status_code == 200
    assert len(names(response)) == 3


def test_the_override_shows_with_who_set_it_and_why(client, world, cast, cohort):
    client.force_login(cast.director)
    override(world.enrolment, cast.director, rag="red", reason="Employer raised a concern today.")

    html = client.get(url(world, "?q=Ada")).content.decode()

    assert "Set to Red by Dana Director" in html
    assert "Employer raised a concern today." in html
    assert "Computed rating" in html


def test_an_empty_filter_result_says_so_and_offers_to_clear(client, world, cast, cohort):
    client.force_login(cast.director)

    html = client.get(url(world, "?q=nobody-matches")).content.decode()

    assert "No apprentices match these filters." in html


def test_the_sparkline_and_charts_plot_confirmed_hours(client, world, cast, cohort):
    world.programme.standard.otj_minimum_hours = Decimal("400")
    world.programme.standard.save()
    reading = OTJActivityType.objects.get(code="reading")
    OffTheJobEntry.objects.create(
        enrolment=world.enrolment,
        date=date(2025, 10, 1),
        hours=Decimal("6"),
        activity_type=reading,
        description="Read the module papers on public value.",
        logged_by=cast.apprentice,
        status=OffTheJobEntry.Status.CONFIRMED,
    )
    client.force_login(cast.director)

    response = client.get(url(world, "?q=Ada"))

    (row,) = response.context["page_obj"].object_list
    assert row.sparkline[0] == Decimal("6") and row.sparkline[-1] == Decimal("6")
    assert response.context["chart"].otj_confirmed[-1] == Decimal("6")
    assert 'class="spark"' in response.content.decode()
    journey = {status: count for status, _label, count in response.context["chart"].journey}
    assert journey["active"] == 3


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/cohorts/{pk}/dashboard/",
        "/cohorts/{pk}/dashboard/?sort=otj&rag=green",
        "/cohorts/{pk}/dashboard.csv",
        "/cohorts/{pk}/dashboard.xlsx",
        "/cohorts/{pk}/learner-records.csv",
        "/dashboard/",
        "/dashboard/learner-records.csv",
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(client, world, cast, cohort, path):
    client.force_login(cast.director)
    path = path.format(pk=world.cohort.pk)
    client.get(path)
    few = queries(client, path)

    add_rows(world, 10)
    client.get(path)  # the new rows' snapshots are computed once

    assert queries(client, path) == few


@pytest.mark.parametrize(
    "path", ["/cohorts/{pk}/dashboard/", "/api/v1/cohorts/{pk}/progress/", "/dashboard/"]
)
def test_recomputing_every_row_takes_the_same_queries_for_more_rows(client, world, cast, cohort, path):
    client.force_login(cast.director)
    path = path.format(pk=world.cohort.pk)
    client.get(path)
    services.progress_mark_stale(cohort_ids=[world.cohort.pk])
    few = queries(client, path)

    add_rows(world, 10)
    client.get(path)
    services.progress_mark_stale(cohort_ids=[world.cohort.pk])

    assert queries(client, path) == few


def test_the_summary_shows_each_cohort_with_counts_and_links_to_its_dashboard(client, world, cast, cohort):
    override(cohort.theirs, cast.director, rag="red")
    client.force_login(cast.director)

    response = client.get("/dashboard/")

    (summary,) = response.context["summaries"]
    assert summary.cohort == world.cohort
    assert summary.apprentices == 3
    assert summary.rag_counts["red"] >= 1
    assert f'href="/cohorts/{world.cohort.pk}/dashboard/"' in response.content.decode()


def test_the_tutors_summary_counts_only_their_caseload(client, world, cast, cohort):
    client.force_login(cast.tutor)

    (summary,) = client.get("/dashboard/").context["summaries"]

    assert summary.apprentices == 2


def test_the_summary_is_for_directors_and_tutors(client, cast, world):
    client.force_login(cast.line_manager)

    assert client.get("/dashboard/").status_code == 403


def test_gateway_readiness_is_shown_with_what_is_unmet_for_an_apprentice_at_gateway(
    client, world, cast, cohort
):
    from decimal import Decimal

    world.programme.standard.otj_minimum_hours = Decimal("400")
    world.programme.standard.save()
    Enrolment.objects.filter(pk=cohort.theirs.pk).update(status=Enrolment.Status.GATEWAY)
    client.force_login(cast.director)

    (row,) = client.get(url(world, "?q=Cara")).context["page_obj"].object_list

    assert row.gateway_ready is False
    assert "All modules passed" in row.gateway_unmet
    assert any(reason.startswith("At gateway but not ready: All modules passed") for reason in row.reasons)
    assert row.gateway_label == "Not ready"


def test_names_and_reasons_are_escaped_in_the_rows(client, world, cast, cohort):
    cast.apprentice.full_name = "<script>alert(1)</script> Ada"
    cast.apprentice.save()
    override(world.enrolment, cast.director, reason="Check <b>this</b> with the employer.")
    client.force_login(cast.director)

    html = client.get(url(world, "?q=Ada")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ada" in html
    assert "Check &lt;b&gt;this&lt;/b&gt; with the employer." in html


def test_each_row_links_to_the_apprentice_their_ledger_and_the_directors_actions(client, world, cast, cohort):
    client.force_login(cast.director)

    html = client.get(url(world, "?q=Ada")).content.decode()

    pk = world.enrolment.pk
    assert f'href="/enrolments/{pk}/"' in html
    assert (
        f'href="/enrolments/{pk}/rag/?next=%2Fcohorts%2F{world.cohort.pk}%2Fdashboard%2F%3Fq%3DAda"' in html
    )
    assert f'href="/enrolments/{pk}/audit-pack/"' in html
