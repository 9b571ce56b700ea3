"""Gateway, EPA and completion pages and API: who sees what, the contract's shapes, and constant query counts."""

import pytest
import time_machine

from assessments.epa import completion
from assessments.epa.models import GatewaySignOff
from assessments.epa.signing import GatewayDocument
from tests.assessments.epa.epa_helpers import (
    NOW,
    grade,
    into_epa,
    issued,
    make_ready,
    passed_and_released,
    submit_sbp,
)
from tests.conftest import login
from tests.factories import PASSWORD, EnrolmentFactory
from tests.signing import posted

pytestmark = pytest.mark.django_db
OUTSIDERS = ["other_apprentice", "other_manager", "other_tutor", "other_director"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_every_page_and_endpoint(
    world, cast, client, api, outsider, django_capture_on_commit_callbacks
):
    passed_and_released(world, cast)
    record = issued(world, cast, django_capture_on_commit_callbacks)
    e = world.enrolment.pk
    person = getattr(cast, outsider)
    login(client, person)
    pages = [
        f"/enrolments/{e}/gateway/",
        f"/enrolments/{e}/gateway/sign/",
        f"/enrolments/{e}/epa/",
        f"/enrolments/{e}/epa/grade/",
        f"/enrolments/{e}/epa/sbp/{world.enrolment.epa.sbp_submissions.get().pk}/file/",
        f"/completion-records/{record.pk}/",
        f"/completion-records/{record.pk}/pdf/",
        f"/completion-records/{record.pk}/revoke/",
    ]
    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 404)
    api.as_user(person)
    endpoints = [
        f"/api/v1/enrolments/{e}/gateway/",
        f"/api/v1/enrolments/{e}/epa/",
        f"/api/v1/completion-records/{record.pk}/",
        f"/api/v1/completion-records/{record.pk}/pdf/",
    ]
    assert {url: api.get(url).status_code for url in endpoints} == dict.fromkeys(endpoints, 404)
    assert api.post(f"/api/v1/enrolments/{e}/gateway/sign/", {}).status_code == 404
    assert api.patch(f"/api/v1/enrolments/{e}/epa/", {}, format="json").status_code == 404
    assert api.get("/api/v1/completion-records/").json()["count"] == 0


def test_the_gateway_endpoint_lists_each_item_with_its_reason(world, cast, api):
    make_ready(world, cast, skip=("english_maths",))

    data = api.as_user(cast.apprentice).get(f"/api/v1/enrolments/{world.enrolment.pk}/gateway/").json()

    assert data["ready"] is False
    assert data["unmet"] == ["english_maths"]
    assert [set(item) for item in data["items"]] == [{"code", "label", "met", "detail"}] * 7
    assert data["items"][3] == {
        "code": "english_maths",
        "label": "English and maths at Level 2: evidence or exemption",
        "met": False,
        "detail": "No Level 2 English and maths evidence or exemption recorded.",
    }


def test_signing_gateway_through_the_api(world, cast, api):
    make_ready(world, cast)
    url = f"/api/v1/enrolments/{world.enrolment.pk}/gateway/sign/"
    body = api.as_user(cast.line_manager).get(f"/api/v1/enrolments/{world.enrolment.pk}/gateway/").json()
    read = {"version": body["version"], "content_hash": body["content_hash"]}

    wrong = api.as_user(cast.line_manager).post(
        url, {**read, "full_name": cast.line_manager.full_name, "password": "no"}
    )
    assert wrong.status_code == 400 and "password" in wrong.json()
    assert (
        api.as_user(cast.apprentice).post(url, {**read, "full_name": "x", "password": "y"}).status_code == 403
    )
    assert (
        api.as_user(cast.director)
        .post(url, {**read, "full_name": cast.director.full_name, "password": PASSWORD})
        .status_code
        == 409
    )

    first = api.as_user(cast.line_manager).post(
        url, {**read, "full_name": cast.line_manager.full_name, "password": PASSWORD}
    )
    read_then = {"version": first.json()["version"], "content_hash": first.json()["content_hash"]}
    second = api.as_user(cast.director).post(
        url, {**read_then, "full_name": cast.director.full_name, "password": PASSWORD}
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["status"] == "epa"
    assert [s["role"] for s in second.json()["signoffs"]] == ["employer", "provider"]
    assert GatewaySignOff.objects.count() == 2


def test_the_assessor_records_and_releases_grades_through_the_api(world, cast, api):
    into_epa(world, cast)
    submit_sbp(world, cast)
    url = f"/api/v1/enrolments/{world.enrolment.pk}/epa/"

    assert (
        api.as_user(cast.director)
        .patch(url, {"method": "professional_discussion", "grade": "pass", "comments": "x"}, format="json")
        .status_code
        == 403
    )
    assert api.as_user(cast.assessor).patch(url, {}, format="json").status_code == 400
    assert (
        api.as_user(cast.assessor)
        .patch(url, {"method": "professional_discussion"}, format="json")
        .status_code
        == 400
    )
    api.as_user(cast.assessor).patch(
        url, {"method": "sbp_presentation", "grade": "distinction", "comments": "Strong."}, format="json"
    )
    recorded = api.as_user(cast.assessor).patch(
        url,
        {"method": "professional_discussion", "grade": "distinction", "comments": "Strong.", "release": True},
        format="json",
    )

    assert recorded.status_code == 200
    assert recorded.json()["overall_grade"] == "distinction"
    assert recorded.json()["unreleased"] == 0
    seen = api.as_user(cast.apprentice).get(url).json()
    assert seen["overall_grade"] == "distinction"
    assert [m["counted_grade"] for m in seen["methods"]] == ["distinction", "distinction"]


def test_unreleased_grades_are_not_in_the_apprentices_view(world, cast, api):
    into_epa(world, cast)
    submit_sbp(world, cast)
    grade(world, cast, "sbp_presentation", "pass")
    url = f"/api/v1/enrolments/{world.enrolment.pk}/epa/"

    assert api.as_user(cast.apprentice).get(url).json()["methods"] == []
    assert len(api.as_user(cast.assessor).get(url).json()["methods"]) == 1


def test_completion_records_list_detail_and_pdf(world, cast, api, django_capture_on_commit_callbacks):
    passed_and_released(world, cast)
    record = issued(world, cast, django_capture_on_commit_callbacks)

    listed = api.as_user(cast.line_manager).get("/api/v1/completion-records/").json()
    detail = api.as_user(cast.apprentice).get(f"/api/v1/completion-records/{record.pk}/").json()
    pdf = api.as_user(cast.apprentice).get(f"/api/v1/completion-records/{record.pk}/pdf/")

    assert listed["count"] == 1 and listed["results"][0]["certificate_number"] == record.certificate_number
    assert detail["grade"] == "pass" and detail["valid"] is True
    assert detail["verify_url"].endswith(f"/verify/{record.verification_code}/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_completion_records_list_takes_constant_queries(world, cast, api, django_assert_max_num_queries):
    passed_and_released(world, cast)
    completion.completion_issue(enrolment=world.enrolment, by=cast.director)
    api.as_user(cast.director)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/completion-records/").status_code == 200


def test_the_cohort_gateway_page_takes_constant_queries(world, cast, client, django_assert_max_num_queries):
    make_ready(world, cast)
    for _ in range(8):
        EnrolmentFactory(cohort=world.cohort, employer=world.employer)
    login(client, cast.director)

    with django_assert_max_num_queries(40):
        response = client.get(f"/cohorts/{world.cohort.pk}/gateway/")

    assert response.status_code == 200
    assert "1 of 9 active or at-gateway apprentices ready" in response.content.decode()


def test_the_gateway_page_shows_each_reason_and_the_sign_link_to_the_line_manager(world, cast, client):
    make_ready(world, cast, skip=("sbp",))
    login(client, cast.line_manager)

    page = client.get(f"/enrolments/{world.enrolment.pk}/gateway/").content.decode()

    assert "No SBP title and scope proposed yet." in page
    assert "Not ready yet" in page
    assert f"/enrolments/{world.enrolment.pk}/gateway/sign/" not in page  # not ready: no sign link


def test_the_line_manager_signs_on_the_page(world, cast, client):
    make_ready(world, cast)
    login(client, cast.line_manager)
    url = f"/enrolments/{world.enrolment.pk}/gateway/sign/"

    read = posted(GatewayDocument(world.enrolment), cast.line_manager)
    bad = client.post(url, {**read, "password": "wrong"})
    good = client.post(url, read)

    assert bad.status_code == 400
    assert good.status_code == 302
    assert GatewaySignOff.objects.get().role == "employer"
