"""The OTJ ledger as people use it: the pages (log, ledger, queue, exports) and the API, with permissions, bad
input that saves nothing, empty states and constant query counts."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from portfolios.otj.models import OffTheJobEntry
from programmes.models import KSB
from tests.portfolios.otj.otj_helpers import DESCRIPTION, activity, confirmed, log, sign_plan

NOW = datetime(2026, 9, 13, 11, 0, tzinfo=UTC)
Status = OffTheJobEntry.Status


@pytest.fixture(autouse=True)
def _signed(world, cast):
    sign_plan(world, cast)


@pytest.fixture(autouse=True)
def _now(_signed):
    with time_machine.travel(NOW, tick=False):
        yield


def k1(world) -> int:
    return KSB.objects.get(standard=world.programme.standard, code="K1").pk


def form_data(world, **changes):
    data = {
        "date": "2026-09-11",
        "hours": "1.5",
        "activity_type": activity().pk,
        "description": DESCRIPTION,
        "ksbs": [k1(world)],
    }
    data.update(changes)
    return data


# --- pages -----------------------------------------------------------------------------------------------------


def test_the_apprentice_logs_hours_from_the_form_and_sees_them_on_the_ledger(client, world, cast):
    client.force_login(cast.apprentice)
    response = client.post(reverse("otj_entry_create", args=[world.enrolment.pk]), form_data(world))
    assert response.status_code == 302
    entry = OffTheJobEntry.objects.get()
    assert (entry.hours, entry.status, entry.date) == (Decimal("1.5"), Status.PENDING, date(2026, 9, 11))
    page = client.get(reverse("otj_ledger", args=[world.enrolment.pk]))
    assert "Awaiting confirmation" in page.content.decode()
    assert "1.5 h" in page.content.decode()  # pending total


def test_a_bad_form_shows_the_error_summary_and_saves_nothing(client, world, cast):
    client.force_login(cast.apprentice)
    response = client.post(
        reverse("otj_entry_create", args=[world.enrolment.pk]),
        form_data(world, date="2026-09-20", description="Too short"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "cannot be in the future" in body
    assert not OffTheJobEntry.objects.exists()


def test_the_form_says_which_activities_do_not_count(client, world, cast):
    client.force_login(cast.apprentice)
    body = client.get(reverse("otj_entry_create", args=[world.enrolment.pk])).content.decode()
    assert "Progress review (does not count)" in body
    assert "never count towards the minimum" in body


def test_log_and_add_another_returns_to_an_empty_form(client, world, cast):
    client.force_login(cast.apprentice)
    response = client.post(
        reverse("otj_entry_create", args=[world.enrolment.pk]), form_data(world) | {"another": "1"}
    )
    assert response["Location"] == reverse("otj_entry_create", args=[world.enrolment.pk])


def test_the_ledger_shows_status_forecast_chart_and_an_empty_state(client, world, cast):
    client.force_login(cast.apprentice)
    body = client.get(reverse("otj_ledger", args=[world.enrolment.pk])).content.decode()
    assert "At risk" in body  # nothing confirmed at 52 weeks
    assert "No hours logged yet" in body
    assert "<svg" in body and 'role="img"' in body
    assert "460 h × 52 of 104 practical weeks" in body
    assert "Logging 8.85 h a week from now closes the gap." in body  # 460 / 52


def test_the_ledger_filters_by_month_status_and_type_with_totals(client, world, cast):
    confirmed(world, cast, date=date(2026, 8, 3), hours=Decimal("3"))
    log(world, cast, date=date(2026, 9, 1), hours=Decimal("2"))
    log(
        world,
        cast,
        date=date(2026, 9, 2),
        hours=Decimal("1"),
        activity_type_id=activity("progress_review").pk,
    )
    client.force_login(cast.tutor)
    url = reverse("otj_ledger", args=[world.enrolment.pk])
    september = client.get(url, {"month": "2026-09"}).context
    assert [e.date for e in september["page_obj"]] == [date(2026, 9, 2), date(2026, 9, 1)]
    assert september["totals"]["pending"] == Decimal("2")
    assert september["totals"]["not_counting"] == Decimal("1")
    only_confirmed = client.get(url, {"status": "confirmed"}).context["page_obj"]
    assert [e.hours for e in only_confirmed] == [Decimal("3")]
    reviews = client.get(url, {"activity_type": "progress_review"}).context["page_obj"]
    assert [e.date for e in reviews] == [date(2026, 9, 2)]
    bad = client.get(url, {"month": "September"})
    assert "Enter a month as YYYY-MM." in bad.content.decode()
    assert len(bad.context["page_obj"]) == 3  # a bad filter is ignored, not a 500


def test_the_ledger_runs_a_fixed_number_of_queries_whatever_the_number_of_entries(
    client, world, cast, django_assert_max_num_queries
):
    def count_for(n: int) -> int:
        OffTheJobEntry.objects.all().delete()
        for i in range(n):
            confirmed(world, cast, date=date(2025, 10, 1) + timedelta(days=i), hours=Decimal("1"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("otj_ledger", args=[world.enrolment.pk])).status_code == 200
        return len(captured)

    client.force_login(cast.apprentice)
    assert count_for(3) == count_for(30)


def test_the_manager_confirms_many_entries_from_the_queue(client, world, cast):
    entries = [log(world, cast, date=date(2026, 9, d)) for d in (1, 2, 3)]
    client.force_login(cast.line_manager)
    page = client.get(reverse("otj_queue"))
    assert [e.pk for g in page.context["groups"] for e in g["entries"]] == [e.pk for e in entries]
    response = client.post(
        reverse("otj_queue"), {"entries": [entries[0].pk, entries[1].pk], "action": "confirm"}, follow=True
    )
    assert "Confirmed 2 entries." in response.content.decode()
    statuses = [OffTheJobEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == ["confirmed", "confirmed", "pending"]
    assert OffTheJobEntry.objects.get(pk=entries[0].pk).decided_via == "bulk"


def test_querying_many_entries_needs_a_reason(client, world, cast):
    entry = log(world, cast)
    client.force_login(cast.line_manager)
    response = client.post(reverse("otj_queue"), {"entries": [entry.pk], "action": "reject"}, follow=True)
    assert "Give a reason" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_the_queue_is_empty_for_someone_with_nothing_to_confirm(client, cast):
    client.force_login(cast.other_manager)
    assert "Nothing to confirm" in client.get(reverse("otj_queue")).content.decode()


def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_number_of_apprentices(client, world, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnrolmentFactory

    def count_with(extra: int) -> int:
        for _ in range(extra):
            other = EnrolmentFactory(
                cohort=world.cohort, employer=world.employer, line_manager=cast.line_manager
            )
            OffTheJobEntry.objects.create(
                enrolment=other,
                date=date(2026, 9, 1),
                hours=1,
                activity_type=activity(),
                description=DESCRIPTION,
                logged_by=other.apprentice,
            )
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("otj_queue"))
        return len(captured)

    client.force_login(cast.line_manager)
    log(world, cast)
    assert count_with(1) == count_with(10)


def test_the_manager_queries_one_entry_with_a_reason_the_apprentice_then_sees(client, world, cast):
    entry = log(world, cast)
    client.force_login(cast.line_manager)
    client.post(
        reverse("otj_entry_reject", args=[entry.pk]), {"reason": "I was with you in a budget meeting."}
    )
    client.force_login(cast.apprentice)
    body = client.get(reverse("otj_ledger", args=[world.enrolment.pk])).content.decode()
    assert "Queried" in body and "budget meeting" in body


def test_a_confirmed_entry_has_no_edit_page_but_can_be_reopened_for_correction(client, world, cast):
    entry = confirmed(world, cast)
    client.force_login(cast.apprentice)
    response = client.get(reverse("otj_entry_edit", args=[entry.pk]))
    assert response.status_code == 302
    client.post(reverse("otj_entry_correction", args=[entry.pk]), {"reason": "Wrong date."})
    entry.refresh_from_db()
    assert entry.status == Status.PENDING
    assert client.get(reverse("otj_entry_edit", args=[entry.pk])).status_code == 200


def test_deleting_asks_first_and_then_removes_the_entry(client, world, cast):
    entry = log(world, cast)
    client.force_login(cast.apprentice)
    assert "Delete the entry" in client.get(reverse("otj_entry_delete", args=[entry.pk])).content.decode()
    assert OffTheJobEntry.objects.filter(pk=entry.pk).exists()
    client.post(reverse("otj_entry_delete", args=[entry.pk]))
    assert not OffTheJobEntry.objects.filter(pk=entry.pk).exists()


def test_the_entry_page_shows_its_history(client, world, cast):
    entry = confirmed(world, cast)
    client.force_login(cast.director)
    body = client.get(reverse("otj_entry_detail", args=[entry.pk])).content.decode()
    assert "History" in body and "Mina Manager" in body


@pytest.mark.parametrize("name", ["otj_ledger", "otj_entry_create", "otj_export_csv", "otj_export_pdf"])
def test_outsiders_get_404_for_the_ledger_pages(client, world, cast, name):
    client.force_login(cast.other_manager)
    assert client.get(reverse(name, args=[world.enrolment.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["otj_entry_detail", "otj_entry_edit", "otj_entry_reject", "otj_entry_delete"]
)
def test_outsiders_get_404_for_an_entry(client, world, cast, name):
    entry = log(world, cast)
    client.force_login(cast.other_tutor)
    assert client.get(reverse(name, args=[entry.pk])).status_code == 404


def test_the_csv_export_escapes_formulas_and_lists_confirmations(client, world, cast):
    confirmed(world, cast, description='=HYPERLINK("http://evil") read the governance papers closely')
    client.force_login(cast.director)
    response = client.get(reverse("otj_export_csv", args=[world.enrolment.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "date", "hours"]
    assert rows[1][5].startswith("'=HYPERLINK")
    assert rows[1][10] == "Confirmed" and rows[1][11] == "Mina Manager"


def test_the_pdf_export_is_a_pdf_with_the_entries(client, world, cast):
    from pypdf import PdfReader

    confirmed(world, cast, description="Shadowed the chief executive at the budget scrutiny committee.")
    client.force_login(cast.line_manager)
    response = client.get(reverse("otj_export_pdf", args=[world.enrolment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Off-the-job training ledger" in text
    assert "budget scrutiny" in text
    assert "Mina Manager" in text


# --- API -------------------------------------------------------------------------------------------------------


def test_the_api_summary_has_the_contract_fields(api, world, cast):
    confirmed(world, cast, hours=Decimal("7.5"))
    body = api.as_user(cast.line_manager).get(f"/api/v1/enrolments/{world.enrolment.pk}/otj/").json()
    assert body["required_hours"] == "460.00"
    assert body["confirmed_hours"] == "7.50"
    assert body["pending_hours"] == "0.00"
    assert body["expected_hours_to_date"] == "230.00"
    assert body["status"] == "at_risk"
    assert body["policy"] == "2025"
    assert body["weekly_hours_needed"] == "8.70"
    assert body["forecast"]


def test_the_api_summary_is_404_for_outsiders(api, world, cast):
    assert (
        api.as_user(cast.other_director).get(f"/api/v1/enrolments/{world.enrolment.pk}/otj/").status_code
        == 404
    )


def test_the_apprentice_creates_an_entry_through_the_api(api, world, cast):
    response = api.as_user(cast.apprentice).post(
        "/api/v1/otj-entries/",
        {
            "enrolment": world.enrolment.pk,
            "date": "2026-09-10",
            "hours": "2.25",
            "activity_type": "shadowing",
            "description": DESCRIPTION,
            "ksbs": [k1(world)],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["hours"], body["ksbs"], body["activity_type"]) == (
        "pending",
        "2.25",
        ["K1"],
        "shadowing",
    )


def test_bad_api_input_is_400_naming_the_field_and_saves_nothing(api, world, cast):
    response = api.as_user(cast.apprentice).post(
        "/api/v1/otj-entries/",
        {"enrolment": world.enrolment.pk, "date": "2026-09-10", "hours": "13", "activity_type": "reading",
         "description": DESCRIPTION, "ksbs": [k1(world)]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not OffTheJobEntry.objects.exists()


def test_an_outsider_cannot_log_on_someone_elses_enrolment_through_the_api(api, world, cast):
    response = api.as_user(cast.other_apprentice).post(
        "/api/v1/otj-entries/",
        {"enrolment": world.enrolment.pk, "date": "2026-09-10", "hours": "1", "activity_type": "reading",
         "description": DESCRIPTION, "ksbs": [k1(world)]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 404


def test_the_line_manager_cannot_log_on_the_apprentices_behalf(api, world, cast):
    response = api.as_user(cast.line_manager).post(
        "/api/v1/otj-entries/",
        {"enrolment": world.enrolment.pk, "date": "2026-09-10", "hours": "1", "activity_type": "reading",
         "description": DESCRIPTION, "ksbs": [k1(world)]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403


def test_patch_while_pending_keeps_history_and_delete_removes(api, world, cast):
    entry = log(world, cast)
    client = api.as_user(cast.apprentice)
    response = client.patch(f"/api/v1/otj-entries/{entry.pk}/", {"hours": "3.5"}, format="json")
    assert response.status_code == 200 and response.json()["hours"] == "3.50"
    assert entry.history.filter(hours=Decimal("2")).exists()
    assert client.delete(f"/api/v1/otj-entries/{entry.pk}/").status_code == 204
    assert not OffTheJobEntry.objects.filter(pk=entry.pk).exists()


def test_patching_a_confirmed_entry_is_a_conflict(api, world, cast):
    entry = confirmed(world, cast)
    response = api.as_user(cast.apprentice).patch(
        f"/api/v1/otj-entries/{entry.pk}/", {"hours": "3"}, format="json"
    )
    assert response.status_code == 409


def test_confirm_and_reject_through_the_api(api, world, cast):
    first, second = log(world, cast, date=date(2026, 9, 1)), log(world, cast, date=date(2026, 9, 2))
    manager = api.as_user(cast.line_manager)
    assert manager.post(f"/api/v1/otj-entries/{first.pk}/confirm/").json()["status"] == "confirmed"
    assert manager.post(f"/api/v1/otj-entries/{second.pk}/reject/", {}, format="json").status_code == 400
    rejected = manager.post(
        f"/api/v1/otj-entries/{second.pk}/reject/", {"reason": "Wrong day"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"
    assert manager.post(f"/api/v1/otj-entries/{second.pk}/confirm/").status_code == 409
    assert (
        manager.post(f"/api/v1/otj-entries/{first.pk}/reject/", {"reason": "x"}, format="json").status_code
        == 409
    )
    first.refresh_from_db()
    assert first.decided_via == "api"


def test_the_apprentice_cannot_confirm_their_own_hours_through_the_api(api, world, cast):
    entry = log(world, cast)
    assert api.as_user(cast.apprentice).post(f"/api/v1/otj-entries/{entry.pk}/confirm/").status_code == 403
    assert api.as_user(cast.other_manager).post(f"/api/v1/otj-entries/{entry.pk}/confirm/").status_code == 404


def test_the_entry_list_is_scoped_and_filtered(api, world, cast):
    confirmed(world, cast, date=date(2026, 9, 1))
    log(world, cast, date=date(2026, 9, 2))
    tutor = api.as_user(cast.tutor)
    assert tutor.get("/api/v1/otj-entries/").json()["count"] == 2
    assert tutor.get("/api/v1/otj-entries/", {"status": "pending"}).json()["count"] == 1
    assert tutor.get("/api/v1/otj-entries/", {"enrolment": world.enrolment.pk}).json()["count"] == 2
    assert api.as_user(cast.other_tutor).get("/api/v1/otj-entries/").json()["count"] == 0


def test_the_entry_list_runs_a_fixed_number_of_queries(api, world, cast, django_assert_max_num_queries):
    for day in range(1, 21):
        log(world, cast, date=date(2026, 8, day))
    with django_assert_max_num_queries(8):
        assert api.as_user(cast.apprentice).get("/api/v1/otj-entries/").json()["count"] == 20


def test_activity_types_say_whether_they_count(api, cast):
    body = api.as_user(cast.apprentice).get("/api/v1/otj-activity-types/").json()
    counts = {row["code"]: row["counts_towards_otj"] for row in body["results"]}
    assert counts["reading"] is True and counts["progress_review"] is False
