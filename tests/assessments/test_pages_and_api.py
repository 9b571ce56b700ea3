"""Pages and API for module assessment: who sees what (outsiders 404), marks hidden until release, the .ics feed."""

import pytest
import time_machine

from assessments.models import Mark, Submission
from tests.assessments.helpers import PDF, assignment, mark, pdf, release, set_up_run, submit
from tests.conftest import login
from tests.factories import EnrolmentFactory

ON_TIME = "2025-11-10 12:00"


@pytest.fixture
def marked(world):
    """Assignment 1 submitted and marked 64, not yet released."""
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submission = submit(world)
        mark(world, submission, 64)
    return submission


def test_outsiders_get_404_for_every_submission_page_and_endpoint(client, api, cast, marked):
    pages = [
        f"/submissions/{marked.pk}/",
        f"/submissions/{marked.pk}/file/",
        f"/submissions/{marked.pk}/mark/",
    ]
    pages += [
        f"/enrolments/{marked.enrolment_id}/modules/",
        f"/enrolments/{marked.enrolment_id}/timetable.ics",
    ]
    pages += [f"/module-runs/{marked.assignment.module_run_id}/"]
    endpoints = [f"/api/v1/submissions/{marked.pk}/", f"/api/v1/submissions/{marked.pk}/file/"]
    endpoints += [f"/api/v1/cohorts/{marked.enrolment.cohort_id}/module-runs/"]
    for outsider in (cast.other_apprentice, cast.other_tutor, cast.other_manager, cast.other_director):
        login(client, outsider)
        assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 404)
        assert {url: api.as_user(outsider).get(url).status_code for url in endpoints} == dict.fromkeys(
            endpoints, 404
        )
        response = api.as_user(outsider).post(
            f"/api/v1/submissions/{marked.pk}/mark/", {"mark": 1, "feedback": "x"}
        )
        assert response.status_code == 404
        assert api.as_user(outsider).get("/api/v1/submissions/").json()["count"] == 0


def test_the_apprentice_sees_the_mark_only_once_it_is_released(client, api, cast, world, marked):
    login(client, cast.apprentice)
    before = client.get(f"/submissions/{marked.pk}/")
    body = api.as_user(cast.apprentice).get(f"/api/v1/submissions/{marked.pk}/").json()
    assert "Clear argument." not in before.content.decode()
    assert (body["mark"], body["feedback"], body["result"]) == (None, None, None)
    assert body["feedback_due_on"] == "2025-11-25"

    release(world)

    after = client.get(f"/submissions/{marked.pk}/").content.decode()
    body = api.as_user(cast.apprentice).get(f"/api/v1/submissions/{marked.pk}/").json()
    assert "Clear argument." in after and "Passed" in after
    assert (body["mark"], body["counted_mark"], body["result"]) == (64, 64, "passed")


def test_the_lead_and_director_see_unreleased_marks_but_tutor_and_manager_do_not(api, cast, marked):
    seen = {
        who: api.as_user(getattr(cast, who)).get(f"/api/v1/submissions/{marked.pk}/").json()["mark"]
        for who in ("module_lead", "director", "tutor", "line_manager")
    }
    assert seen == {"module_lead": 64, "director": 64, "tutor": None, "line_manager": None}


def test_a_tutor_or_manager_sees_a_released_result_but_cannot_mark(client, api, cast, world, marked):
    release(world)
    for who in (cast.tutor, cast.line_manager):
        assert api.as_user(who).get(f"/api/v1/submissions/{marked.pk}/").json()["result"] == "passed"
        response = api.as_user(who).post(
            f"/api/v1/submissions/{marked.pk}/mark/", {"mark": 70, "feedback": "x"}
        )
        assert response.status_code == 403
        login(client, who)
        assert client.get(f"/submissions/{marked.pk}/mark/").status_code == 403


def test_the_apprentice_submits_through_the_api_and_the_lead_marks_through_it(api, cast, world):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        response = api.as_user(cast.apprentice).post(
            "/api/v1/submissions/",
            {"enrolment": world.enrolment.pk, "assignment": assignment(world, 1).pk, "file": pdf()},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        created = response.json()
        assert (created["attempt"], created["is_late"], created["feedback_due_on"]) == (
            1,
            False,
            "2025-11-25",
        )

        again = api.as_user(cast.apprentice).post(
            "/api/v1/submissions/",
            {"enrolment": world.enrolment.pk, "assignment": assignment(world, 1).pk, "file": pdf()},
            format="multipart",
        )
        assert again.status_code == 409

        marked = api.as_user(cast.module_lead).post(
            f"/api/v1/submissions/{created['id']}/mark/", {"mark": 71, "feedback": "Well argued."}
        )
    assert marked.status_code == 200 and marked.json()["mark"] == 71
    assert Mark.objects.get().mark == 71


def test_a_bad_file_through_the_api_is_a_400_and_nothing_is_stored(api, cast, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        response = api.as_user(cast.apprentice).post(
            "/api/v1/submissions/",
            {
                "enrolment": world.enrolment.pk,
                "assignment": assignment(world, 1).pk,
                "file": SimpleUploadedFile("essay.pdf", b"just text"),
            },
            format="multipart",
        )
    assert response.status_code == 400 and "file" in response.json()
    assert not Submission.objects.exists()


def test_the_submission_list_filters_by_enrolment_and_module_run_in_constant_queries(
    api, cast, world, django_assert_max_num_queries
):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        for _ in range(6):
            classmate = EnrolmentFactory(cohort=world.cohort)
            mark(world, submit(world, 1, enrolment=classmate, by=classmate.apprentice), 55)
        submit(world, 1)
    client = api.as_user(cast.director)
    client.get("/api/v1/submissions/")
    with django_assert_max_num_queries(8):
        everything = client.get("/api/v1/submissions/").json()
    assert everything["count"] == 7
    assert client.get(f"/api/v1/submissions/?enrolment={world.enrolment.pk}").json()["count"] == 1
    assert client.get(f"/api/v1/submissions/?module_run={world.module_run.pk}").json()["count"] == 7
    assert client.get("/api/v1/submissions/?module_run=0").json()["count"] == 0


def test_the_marking_pages_run_a_constant_number_of_queries(
    client, cast, world, django_assert_max_num_queries
):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        for _ in range(8):
            classmate = EnrolmentFactory(cohort=world.cohort)
            submit(world, 1, enrolment=classmate, by=classmate.apprentice)
        login(client, cast.module_lead)
        for url in ("/marking/", "/modules/marking/", f"/module-runs/{world.module_run.pk}/"):
            client.get(url)
            with django_assert_max_num_queries(16):
                response = client.get(url)
            assert response.status_code == 200, url
        queue = client.get("/marking/").content.decode()
    assert queue.count("Mark<span") == 8


def test_the_timetable_downloads_as_valid_icalendar(client, cast, world):
    set_up_run(world)
    world.module_run.module.title = "Leadership; people, change"
    world.module_run.module.save()
    login(client, cast.apprentice)

    response = client.get(f"/enrolments/{world.enrolment.pk}/timetable.ics")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends in CRLF
    lines = body.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 4  # online weeks, campus days, two deadlines
    assert sum(line.startswith("UID:") for line in lines) == 4
    assert sum(line.startswith("DTSTAMP:") for line in lines) == 4
    assert "SUMMARY:Leadership\\; people\\, change: online learning" in lines
    assert "DTSTART;VALUE=DATE:20251117" in lines  # assignment 1's deadline
    assert all(len(line.encode()) <= 75 for line in lines)


def test_the_apprentice_submits_on_the_page_and_is_told_when_feedback_is_due(client, cast, world):
    set_up_run(world)
    login(client, cast.apprentice)
    url = f"/enrolments/{world.enrolment.pk}/assignments/{assignment(world, 1).pk}/submit/"
    with time_machine.travel(ON_TIME, tick=False):
        response = client.post(url, {"file": pdf()}, follow=True)

    assert "Feedback is due by 25 November 2025" in response.content.decode()
    stored = Submission.objects.get()
    login(client, cast.line_manager)
    download = client.get(f"/submissions/{stored.pk}/file/")
    assert (
        download["Content-Disposition"].startswith("attachment")
        and b"".join(download.streaming_content) == PDF
    )


def test_the_director_sets_up_a_run_from_suggested_dates(client, cast, world):
    login(client, cast.director)
    url = f"/cohorts/{world.cohort.pk}/modules/{world.module_run.module_id}/run/"
    form = client.get(url)
    assert form.status_code == 200 and 'value="2025-09-22"' in form.content.decode()

    response = client.post(
        url,
        {
            "online_start": "2025-09-22",
            "campus_start": "2025-11-03",
            "lead": cast.module_lead.pk,
            "pass_mark": 40,
            "late_policy": "allow_flag",
            **{f"title_{n}": f"Essay {n}" for n in (1, 2)},
            "due_on_1": "2025-11-17",
            "due_on_2": "2025-12-15",
            "weight_1": 40,
            "weight_2": 60,
        },
    )
    assert response.status_code == 302
    world.module_run.refresh_from_db()
    assert world.module_run.scheme.pass_mark == 40
    assert list(world.module_run.assignments.values_list("weight", flat=True)) == [40, 60]
