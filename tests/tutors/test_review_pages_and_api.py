"""Progress review pages and API: the caseload, overdue reviews, recording, signing, the PDF, and who sees what."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Enrolment
from tests.factories import EnrolmentFactory
from tests.guards import refused_write_may_save
from tests.programmes.training_plans.test_training_plan_pdf import pdf_text
from tests.signing import posted
from tests.tutors.helpers import complete_fields, sign_as, signed_review, submitted_review
from tutors import services
from tutors.models import ProgressReview, ReviewSignature
from tutors.pdf import ProgressReviewPDF
from tutors.signing import ReviewDocument

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
SECRET = "Disclosed a worry about a family member."
OUTSIDERS = ["other_apprentice", "other_manager", "other_tutor", "other_director"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def awaiting(world, cast):
    """Review 1 signed in March; review 2 held in June, awaiting signatures, with a safeguarding concern."""
    signed_review(world.enrolment, cast, held_on=date(2026, 3, 2))
    return submitted_review(
        world.enrolment, cast.tutor, held_on=date(2026, 6, 29), safeguarding_concern=SECRET
    )


def login(client, user):
    client.force_login(user)
    return client


# --- the caseload ---------------------------------------------------------------------------------------------


def test_the_caseload_shows_each_apprentice_with_their_reviews_and_documents(client, world, cast, awaiting):
    response = login(client, cast.tutor).get("/caseload/")

    assert response.status_code == 200
    (row,) = response.context["page_obj"].object_list
    assert row.enrolment == world.enrolment
    assert row.last_review_on == date(2026, 3, 2)
    assert row.due.due_on == date(
        2026, 6, 30
    )  # 3 calendar months after March; the programme has no term policy
    assert row.state == "overdue"  # review 2 is not complete until all three sign
    assert row.unsigned == ["Review 2"]
    assert row.open_actions == 2  # one from each submitted review
    assert row.otj_status is not None
    assert row.coverage == 0
    html = response.content.decode()
    assert "Ada Apprentice" in html and "Overdue" in html and "Review 2" in html


def test_overdue_reviews_come_first_and_the_caseload_sorts_and_filters(client, world, cast):
    late = EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.tutor, start_date=date(2025, 9, 15))
    fresh = EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.tutor, start_date=date(2025, 9, 15))
    late.apprentice.full_name, fresh.apprentice.full_name = "Zed Late", "Abe Fresh"
    late.apprentice.save()
    fresh.apprentice.save()
    signed_review(fresh, _cast_for(fresh, cast), held_on=date(2026, 6, 1))
    browser = login(client, cast.tutor)

    names = [
        r.enrolment.apprentice.full_name for r in browser.get("/caseload/").context["page_obj"].object_list
    ]
    assert names[-1] == "Abe Fresh"  # not due until 30 September
    assert names.index("Zed Late") < names.index("Abe Fresh")

    by_name = browser.get("/caseload/?sort=name").context["page_obj"].object_list
    assert by_name[0].enrolment.apprentice.full_name == "Abe Fresh"
    overdue = browser.get("/caseload/?state=overdue").context["page_obj"].object_list
    assert "Abe Fresh" not in [r.enrolment.apprentice.full_name for r in overdue]
    searched = browser.get("/caseload/?q=zed").context["page_obj"].object_list
    assert [r.enrolment for r in searched] == [late]
    assert browser.get("/caseload/?sort=nonsense&state=nope&cohort=x").status_code == 200


def _cast_for(enrolment, cast):
    class Parties:
        tutor, apprentice, line_manager = (
            enrolment.practice_tutor,
            enrolment.apprentice,
            enrolment.line_manager,
        )

    return Parties


@pytest.mark.parametrize("path", ["/caseload/", "/reviews/overdue/", "/api/v1/reviews/?page_size=200"])
def test_caseload_overdue_and_the_api_list_run_the_same_queries_for_3_or_12_apprentices(
    client, world, cast, path
):
    def grow_to(n):
        while Enrolment.objects.filter(practice_tutor=cast.tutor).count() < n:
            enrolment = EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.tutor)
            signed_review(enrolment, _cast_for(enrolment, cast), held_on=date(2026, 1, 5))

    user = cast.director if "overdue" in path else cast.tutor
    login(client, user)
    counts = []
    for n in (3, 12):
        grow_to(n)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_caseload_is_for_practice_tutors(client, cast, world):
    for who in ("apprentice", "line_manager", "director"):
        assert login(client, getattr(cast, who)).get("/caseload/").status_code == 403


def test_directors_see_overdue_reviews_across_their_programmes_only(client, world, cast, awaiting):
    EnrolmentFactory(cohort=world.other_enrolment.cohort, practice_tutor=cast.other_tutor)
    rows = login(client, cast.director).get("/reviews/overdue/").context["page_obj"].object_list

    assert [r.enrolment for r in rows] == [world.enrolment]
    assert (
        login(client, cast.other_director)
        .get("/reviews/overdue/")
        .context["page_obj"]
        .object_list[0]
        .enrolment.programme
        == world.other_programme
    )
    assert login(client, cast.tutor).get("/reviews/overdue/").status_code == 403


# --- scheduling and recording ---------------------------------------------------------------------------------


def test_the_tutor_schedules_from_the_page_and_the_parties_get_an_invitation(
    client, world, cast, mailoutbox, django_capture_on_commit_callbacks
):
    browser = login(client, cast.tutor)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/enrolments/{world.enrolment.pk}/reviews/schedule/",
            {
                "scheduled_for": "2026-07-14T10:30",
                "duration_minutes": "60",
                "location": "Council offices, Room 4",
            },
        )

    assert response.status_code == 302
    review = ProgressReview.objects.get()
    assert review.scheduled_for == datetime(2026, 7, 14, 9, 30, tzinfo=UTC)  # 10:30 BST
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.apprentice.email, cast.line_manager.email, cast.tutor.email]
    )
    assert all(m.attachments[0][0] == "progress-review-1.ics" for m in mailoutbox)


def test_schedule_errors_are_shown_on_the_form(client, world, cast):
    response = login(client, cast.tutor).post(
        f"/enrolments/{world.enrolment.pk}/reviews/schedule/",
        {"scheduled_for": "2026-07-14T10:30", "duration_minutes": "60"},
    )

    assert response.status_code == 400
    assert "Give a place to meet or a video link." in response.content.decode()
    assert not ProgressReview.objects.exists()


def _form_data(world, **extra):
    ksb = world.programme.standard.ksbs.order_by("order", "code").first()
    return {
        "held_on": "2026-06-30",
        "training_since": "Leadership module.",
        "otj_replan": "Catch up two hours a week.",
        "progress": "Good progress.",
        "modules": "Module 1 passed.",
        "support_needs": "",
        "wellbeing": "Fine.",
        "safeguarding_concern": SECRET,
        "circumstances": "",
        "next_review_on": "2026-09-28",
        f"rating_{ksb.pk}": "competent",
        f"comment_{ksb.pk}": "Clear evidence.",
        "action_0_description": "Write the reflective account on the restructure.",
        "action_0_owner": "apprentice",
        "action_0_due_on": "2026-08-01",
        **extra,
    }


def test_the_tutor_records_a_draft_then_submits_it(client, world, cast):
    browser = login(client, cast.tutor)
    url = f"/enrolments/{world.enrolment.pk}/reviews/record/"
    assert browser.get(url).status_code == 200

    response = browser.post(url, _form_data(world, intent="save"))
    assert response.status_code == 302 and response["Location"] == url
    review = ProgressReview.objects.get()
    assert review.status == "draft" and review.safeguarding_concern == SECRET
    assert review.ratings.get().rating == "competent"

    response = browser.post(url, _form_data(world, intent="submit"))
    review.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.pk}/"
    assert review.status == "awaiting_signatures"
    page = browser.get(url).content.decode()
    assert "awaiting signatures and can no longer be edited" in page


def test_an_incomplete_action_row_is_an_error_on_the_form(client, world, cast):
    response = login(client, cast.tutor).post(
        f"/enrolments/{world.enrolment.pk}/reviews/record/",
        _form_data(world, intent="save", action_0_owner="", action_0_due_on=""),
    )

    assert response.status_code == 400
    assert "Choose who owns the action." in response.content.decode()
    assert not ProgressReview.objects.exists()


def test_submitting_an_incomplete_review_explains_what_is_missing(client, world, cast):
    with refused_write_may_save("the tutor's typing is kept as a draft while the submission is refused"):
        response = login(client, cast.tutor).post(
            f"/enrolments/{world.enrolment.pk}/reviews/record/",
            _form_data(world, intent="submit", progress=""),
        )

    assert response.status_code == 400
    assert "Write the apprentice&#x27;s progress against the plan and KSBs." in response.content.decode()
    assert ProgressReview.objects.get().status == "draft"  # the draft was kept


# --- reading and signing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["apprentice", "line_manager", "module_lead", "assessor"])
def test_the_safeguarding_concern_is_hidden_from_everyone_but_tutor_and_director(client, cast, awaiting, who):
    page = login(client, getattr(cast, who)).get(f"/reviews/{awaiting.pk}/").content.decode()

    assert "Progress review 2" in page
    assert SECRET not in page and "Safeguarding" not in page


@pytest.mark.parametrize("who", ["tutor", "director", "admin"])
def test_the_tutor_and_director_read_the_safeguarding_concern(client, cast, awaiting, who):
    page = login(client, getattr(cast, who)).get(f"/reviews/{awaiting.pk}/").content.decode()

    assert SECRET in page


@pytest.mark.parametrize(
    "path",
    [
        "/enrolments/{e}/reviews/",
        "/reviews/{r}/",
        "/reviews/{r}/pdf/",
        "/reviews/{r}/sign/",
        "/reviews/{r}/decline/",
        "/enrolments/{e}/reviews/record/",
        "/api/v1/reviews/{r}/",
    ],
)
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(client, world, cast, awaiting, path, who):
    url = path.format(e=world.enrolment.pk, r=awaiting.pk)

    assert login(client, getattr(cast, who)).get(url).status_code == 404


def test_drafts_are_seen_by_the_tutor_and_director_only(client, world, cast):
    draft = services.review_save_draft(
        enrolment=world.enrolment,
        by=cast.tutor,
        values=complete_fields(world.enrolment, held_on=date(2026, 6, 29)),
    )
    for who, status in (("tutor", 200), ("director", 200), ("apprentice", 404), ("line_manager", 404)):
        assert login(client, getattr(cast, who)).get(f"/reviews/{draft.pk}/").status_code == status, who


def test_the_apprentice_and_manager_sign_on_the_page_and_the_review_completes(client, world, cast, awaiting):
    sign_as(awaiting, cast.tutor)
    for user in (cast.apprentice, cast.line_manager):
        browser = login(client, user)
        page = browser.get(f"/reviews/{awaiting.pk}/").content.decode()
        assert "Sign review 2" in page
        read = posted(ReviewDocument(awaiting), user)
        wrong = browser.post(f"/reviews/{awaiting.pk}/sign/", {**read, "password": "nope"})
        assert wrong.status_code == 400 and "The password is not correct." in wrong.content.decode()
        response = browser.post(f"/reviews/{awaiting.pk}/sign/", read, HTTP_USER_AGENT="Test browser")
        assert response.status_code == 302

    awaiting.refresh_from_db()
    assert awaiting.status == "signed"
    assert ReviewSignature.objects.filter(review=awaiting, user_agent="Test browser").count() == 2


def test_signers_outside_the_three_get_403(client, cast, awaiting):
    for who in ("director", "module_lead", "admin"):
        assert login(client, getattr(cast, who)).post(f"/reviews/{awaiting.pk}/sign/", {}).status_code == 403


def test_declining_sends_it_back_to_the_tutor_with_the_comment(
    client, world, cast, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    browser = login(client, cast.apprentice)
    assert browser.post(f"/reviews/{awaiting.pk}/decline/", {"comment": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/reviews/{awaiting.pk}/decline/", {"comment": "My action's date is wrong."})

    assert response.status_code == 302 and response["Location"] == "/"  # the draft is the tutor's again
    awaiting.refresh_from_db()
    assert awaiting.status == "draft"
    (message,) = [m for m in mailoutbox if m.to == [cast.tutor.email]]
    assert "My action's date is wrong." in message.body
    page = login(client, cast.tutor).get(f"/enrolments/{world.enrolment.pk}/reviews/record/").content.decode()
    assert "My action&#x27;s date is wrong." in page


def test_a_signed_review_takes_an_addendum_from_the_tutor(client, world, cast, awaiting):
    for user in (cast.tutor, cast.apprentice, cast.line_manager):
        sign_as(awaiting, user)
    browser = login(client, cast.tutor)

    response = browser.post(f"/reviews/{awaiting.pk}/addendum/", {"text": "The next review is on 1 October."})

    assert response.status_code == 302
    page = login(client, cast.apprentice).get(f"/reviews/{awaiting.pk}/").content.decode()
    assert "Addendum 1" in page and "Sign addendum 1" in page


# --- the PDF ---------------------------------------------------------------------------------------------------


def test_the_pdf_has_the_record_and_the_signatures_and_safeguarding_only_when_allowed(world, cast, awaiting):
    for user in (cast.tutor, cast.apprentice, cast.line_manager):
        sign_as(awaiting, user)
    awaiting.refresh_from_db()

    name, content_type, data = ProgressReviewPDF(
        awaiting, include_safeguarding=False, compress=False
    ).render()
    text = " ".join(pdf_text(data).split())
    assert name == "progress-review-ada-apprentice-2.pdf" and content_type == "application/pdf"
    assert "Tripartite progress review 2" in text
    assert "Signature log" in text and "Mina Manager" in text and awaiting.content_hash in text
    assert "Complete: signed by the apprentice, the line manager and the practice tutor." in text
    assert SECRET not in text
    with_concern = " ".join(
        pdf_text(ProgressReviewPDF(awaiting, include_safeguarding=True, compress=False).render()[2]).split()
    )
    assert SECRET in with_concern


@pytest.mark.parametrize(
    ("who", "included"), [("apprentice", False), ("line_manager", False), ("tutor", True), ("director", True)]
)
def test_the_pdf_page_includes_safeguarding_for_tutor_and_director_only(
    client, cast, awaiting, monkeypatch, who, included
):
    seen = {}
    real = ProgressReviewPDF

    def spy(review, *, include_safeguarding):
        seen["included"] = include_safeguarding
        return real(review, include_safeguarding=include_safeguarding)

    monkeypatch.setattr("tutors.views.ProgressReviewPDF", spy)
    response = login(client, getattr(cast, who)).get(f"/reviews/{awaiting.pk}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert seen["included"] is included


# --- the API ---------------------------------------------------------------------------------------------------


def test_the_api_lists_the_callers_reviews_and_filters_by_enrolment(api, world, cast, awaiting):
    body = api.as_user(cast.apprentice).get("/api/v1/reviews/").json()
    assert [r["number"] for r in body["results"]] == [2, 1]
    assert body["results"][0]["status"] == "awaiting_signatures"
    assert body["results"][0]["outstanding"] == ["apprentice", "employer", "provider"]
    assert api.as_user(cast.other_apprentice).get("/api/v1/reviews/").json()["count"] == 0
    assert (
        api.as_user(cast.tutor).get(f"/api/v1/reviews/?enrolment={world.other_enrolment.pk}").json()["count"]
        == 0
    )
    assert api.as_user(cast.tutor).get("/api/v1/reviews/?enrolment=abc").status_code == 400


@pytest.mark.parametrize(
    ("who", "visible"), [("apprentice", False), ("line_manager", False), ("tutor", True), ("director", True)]
)
def test_the_api_hides_the_safeguarding_concern_from_apprentice_and_manager(
    api, cast, awaiting, who, visible
):
    body = api.as_user(getattr(cast, who)).get(f"/api/v1/reviews/{awaiting.pk}/").json()

    assert body["safeguarding_concern"] == (SECRET if visible else None)
    assert SECRET not in str(body) or visible


def test_the_tutor_creates_and_submits_a_review_through_the_api(api, world, cast):
    ksb = world.programme.standard.ksbs.first()
    payload = {
        "enrolment": world.enrolment.pk,
        "held_on": "2026-06-30",
        "training_since": "Module 2.",
        "otj_replan": "An extra afternoon a fortnight.",
        "progress": "Good.",
        "next_review_on": "2026-09-30",
        "ksb_ratings": [{"ksb": ksb.pk, "rating": "developing"}],
        "actions": [{"description": "Book the campus days.", "owner": "apprentice", "due_on": "2026-07-31"}],
        "submit": True,
    }

    response = api.as_user(cast.tutor).post("/api/v1/reviews/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "awaiting_signatures"
    assert response.json()["content"]["actions"][0]["description"] == "Book the campus days."
    assert api.as_user(cast.apprentice).post("/api/v1/reviews/", payload, format="json").status_code == 403
    assert api.as_user(cast.other_tutor).post("/api/v1/reviews/", payload, format="json").status_code == 404


def test_the_enrolment_reviews_page_explains_the_due_date(client, world, cast, awaiting):
    page = login(client, cast.apprentice).get(f"/enrolments/{world.enrolment.pk}/reviews/").content.decode()

    assert "Counted from the last review: 2 March 2026 + 3 whole calendar months = 30 June 2026" in page
    assert re.search(r"Review 2</a>", page)
    assert "not off-the-job training" in page


# --- home pages ---------------------------------------------------------------------------------------------------


def test_home_pages_show_reviews_to_sign_open_actions_and_overdue_reviews(client, world, cast, awaiting):
    apprentice = login(client, cast.apprentice).get("/").content.decode()
    assert "Sign progress review 2 for Ada Apprentice" in apprentice
    assert "Your actions from progress reviews" in apprentice
    assert "Draft the stakeholder map for the service redesign." in apprentice

    sign_as(awaiting, cast.line_manager)
    manager = login(client, cast.line_manager).get("/").content.decode()
    assert "Sign progress review 2" not in manager  # already signed
    assert "Your actions from progress reviews" not in manager  # owns none

    tutor = login(client, cast.tutor).get("/").content.decode()
    assert "Sign progress review 2 for Ada Apprentice" in tutor
    assert "1 review overdue" in tutor

    director = login(client, cast.director).get("/").content.decode()
    assert "1 progress review overdue" in director
