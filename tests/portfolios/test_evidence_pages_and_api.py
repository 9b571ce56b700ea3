"""Portfolio evidence through the pages and the API: the add form (multipart, draft or submit), validation
messages, the tutor's review queue and feedback form, safe file downloads, outsiders getting 404, drafts
hidden from everyone but the apprentice, share links for assessors, and the /api/v1/evidence/ and
ksb-coverage contract.
"""

from __future__ import annotations

import hashlib
import html
import io
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.uploads import ALLOWED_DESCRIPTION
from portfolios import services
from portfolios.models import Evidence, EvidenceFile, Feedback, KSBJudgement, PortfolioShare
from tests.factories import KSBFactory, StandardFactory
from tests.portfolios.evidence_helpers import (
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    REFLECTION,
    SVG_BYTES,
    accept,
    add,
    disguised,
    files_under,
    ksb,
    ksb_ids,
    needs_work,
    nothing_stored,
    pdf,
    png,
    review,
)

OUTSIDERS = ("other_apprentice", "other_manager", "other_tutor", "other_director")
SEE_BUT_NOT_THE_APPRENTICE = ("line_manager", "tutor", "director", "module_lead", "assessor")


def text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def new_url(world) -> str:
    return f"/enrolments/{world.enrolment.pk}/portfolio/new/"


def form_data(world, *codes: str, **overrides) -> dict:
    data = {
        "title": "Board paper",
        "kind": "work_product",
        "occurred_on": timezone.localdate().isoformat(),
        "reflection": REFLECTION,
        "ksbs": ksb_ids(world, *codes),
    }
    data.update(overrides)
    return data


@pytest.fixture
def submitted(world, cast) -> Evidence:
    """Evidence awaiting the tutor's review, claiming K1 and K2, with a PDF attached."""
    return add(world, cast, "K1", "K2", files=[pdf("board-paper.pdf")])


@pytest.fixture
def draft(world, cast) -> Evidence:
    return add(world, cast, "S1", title="Unfinished draft", files=[png("sketch.png")], submit=False)


# --- adding evidence on the site ----------------------------------------------------------------------------


def test_the_add_evidence_form_uploads_files_and_offers_draft_or_submit(world, cast):
    response = signed_in(cast.apprentice).get(new_url(world))
    assert response.status_code == 200
    page = text(response)
    assert 'enctype="multipart/form-data"' in page
    assert 'name="submit"' in page and 'name="draft"' in page
    assert 'type="file"' in page and "multiple" in page
    assert ALLOWED_DESCRIPTION in page
    for code in ("K1", "K2", "S1", "B1"):
        assert f"{code}:" in page


def test_apprentice_submits_evidence_with_files_from_the_form(world, cast):
    client = signed_in(cast.apprentice)
    data = form_data(world, "K1", "S1", files=[pdf("Board paper.pdf"), png("chart.png")], submit="1")
    response = client.post(new_url(world), data)

    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response.url == f"/evidence/{evidence.pk}/"
    assert evidence.status == Evidence.Status.SUBMITTED
    assert sorted(evidence.current.ksbs.values_list("code", flat=True)) == ["K1", "S1"]
    assert sorted(evidence.current.files.values_list("name", "content_type")) == [
        ("Board paper.pdf", "application/pdf"),
        ("chart.png", "image/png"),
    ]
    assert len(files_under()) == 2
    page = text(client.get(response.url))
    assert "Submitted. Your practice tutor has been asked to review it." in page
    assert "Board paper.pdf" in page and "chart.png" in page


def test_apprentice_saves_a_draft_from_the_form(world, cast):
    client = signed_in(cast.apprentice)
    response = client.post(new_url(world), form_data(world, files=[pdf()], draft="1"))
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert evidence.status == Evidence.Status.DRAFT
    assert "Saved as a draft" in text(client.get(response.url))


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024


BAD_FORMS = {
    "future-date": (
        lambda w: form_data(w, "K1", occurred_on=(timezone.localdate() + timedelta(days=1)).isoformat()),
        "The activity cannot be dated in the future.",
    ),
    "submit-without-ksbs": (
        lambda w: form_data(w),
        "Choose at least one KSB this evidence shows before submitting it.",
    ),
    "html-disguised-as-pdf": (
        lambda w: form_data(w, "K1", files=[disguised("evil.pdf", HTML_BYTES)]),
        f"evil.pdf is not a file type we accept. Upload {ALLOWED_DESCRIPTION}.",
    ),
    "svg-disguised-as-pdf": (
        lambda w: form_data(w, "K1", files=[disguised("logo.pdf", SVG_BYTES)]),
        "logo.pdf is not a file type we accept.",
    ),
    "refused-file-among-valid-ones": (
        lambda w: form_data(w, "K1", files=[pdf("ok.pdf"), disguised("evil.pdf", HTML_BYTES), png()]),
        "evil.pdf is not a file type we accept.",
    ),
    "oversize": (
        lambda w: form_data(w, "K1", files=[pdf("huge.pdf", PDF_BYTES + b"%" * 4096)]),
        "files can be at most",
    ),
    "zero-byte": (lambda w: form_data(w, "K1", files=[disguised("empty.pdf", b"")]), "empty"),
    "missing-title": (lambda w: form_data(w, "K1", title=""), "This field is required."),
    "missing-reflection": (lambda w: form_data(w, "K1", reflection=""), "This field is required."),
    "blank-reflection": (lambda w: form_data(w, "K1", reflection="   "), "This field is required."),
    "bad-date": (lambda w: form_data(w, "K1", occurred_on="31/02/2026"), "Enter a valid date."),
}


@pytest.mark.parametrize("case", BAD_FORMS)
def test_bad_input_shows_a_specific_message_and_saves_nothing(world, cast, case, small_limit, tmp_path):
    build, message = BAD_FORMS[case]
    response = signed_in(cast.apprentice).post(new_url(world), {**build(world), "submit": "1"})
    assert response.status_code == 400
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert nothing_stored(tmp_path)


def test_a_ksb_from_another_standard_version_cannot_be_chosen(world, cast, tmp_path):
    foreign = KSBFactory(standard=StandardFactory(code="ST0480", version="1.1"), code="K9", kind="K")
    data = {**form_data(world, "K1"), "ksbs": [ksb(world, "K1").pk, foreign.pk], "submit": "1"}
    response = signed_in(cast.apprentice).post(new_url(world), data)
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert nothing_stored(tmp_path)


@pytest.mark.parametrize("member", SEE_BUT_NOT_THE_APPRENTICE)
def test_only_the_apprentice_adds_evidence_on_the_site(world, cast, member, tmp_path):
    client = signed_in(getattr(cast, member))
    assert client.get(new_url(world)).status_code == 403
    response = client.post(new_url(world), form_data(world, "K1", files=[pdf()], submit="1"))
    assert response.status_code == 403
    assert nothing_stored(tmp_path)


# --- the tutor's review queue and feedback -----------------------------------------------------------------


def test_the_review_queue_lists_submitted_evidence_oldest_first_and_no_drafts(world, cast):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False) as clock:
        middle = add(world, cast, "K1", title="Middle one", submit=False)
        clock.shift(timedelta(days=1))
        add(world, cast, "K2", title="Oldest one")
        clock.shift(timedelta(days=1))
        services.evidence_submit(evidence=middle, by=cast.apprentice)
        clock.shift(timedelta(days=1))
        add(world, cast, "S1", title="Newest one")
        add(world, cast, "B1", title="Still a draft", submit=False)
        accept(add(world, cast, "K1", title="Already accepted"), cast.tutor)
        needs_work(add(world, cast, "K1", title="Sent back"), cast.tutor)
        add(
            world,
            cast,
            "K1",
            title="Other apprentice's",
            enrolment=world.other_enrolment,
            by=cast.other_apprentice,
        )

    response = signed_in(cast.tutor).get("/portfolio/review/")
    assert response.status_code == 200
    page = text(response)
    positions = [page.index(title) for title in ("Oldest one", "Middle one", "Newest one")]
    assert positions == sorted(positions)
    for absent in ("Still a draft", "Already accepted", "Sent back", "Other apprentice's"):
        assert absent not in page
    assert [e.current.title for e in response.context["page_obj"]] == [
        "Oldest one",
        "Middle one",
        "Newest one",
    ]

    other = text(signed_in(cast.other_tutor).get("/portfolio/review/"))
    assert "Other apprentice's" in other and "Oldest one" not in other


@pytest.mark.parametrize("member", ("apprentice", "line_manager", "other_apprentice"))
def test_the_review_queue_is_for_practice_tutors(world, cast, member):
    assert signed_in(getattr(cast, member)).get("/portfolio/review/").status_code == 403


def test_the_tutor_records_a_judgement_per_ksb_and_the_apprentice_sees_it(world, cast, submitted):
    k1, k2 = ksb(world, "K1"), ksb(world, "K2")
    tutor = signed_in(cast.tutor)
    page = text(tutor.get(f"/evidence/{submitted.pk}/"))
    assert f'name="agree_{k1.pk}"' in page and f'name="agree_{k2.pk}"' in page
    assert f'name="comment_{k2.pk}"' in page

    response = tutor.post(
        f"/evidence/{submitted.pk}/feedback/",
        {
            "decision": "accepted",
            "comment": "A strong board paper.",
            f"agree_{k1.pk}": "yes",
            f"comment_{k1.pk}": "Clear on strategy.",
            f"agree_{k2.pk}": "no",
            f"comment_{k2.pk}": "Finance is not shown here.",
        },
    )

    assert response.status_code == 302 and response.url == "/portfolio/review/"
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.ACCEPTED
    feedback = Feedback.objects.get()
    assert (feedback.reviewer, feedback.decision, feedback.comment) == (
        cast.tutor,
        "accepted",
        "A strong board paper.",
    )
    assert sorted(KSBJudgement.objects.values_list("ksb__code", "agreed", "comment")) == [
        ("K1", True, "Clear on strategy."),
        ("K2", False, "Finance is not shown here."),
    ]

    seen = text(signed_in(cast.apprentice).get(f"/evidence/{submitted.pk}/"))
    assert "A strong board paper." in seen
    assert "K1: agreed — Clear on strategy." in seen
    assert "K2: not shown — Finance is not shown here." in seen
    assert "Tara Tutor" in seen
    coverage = text(signed_in(cast.apprentice).get(f"/enrolments/{world.enrolment.pk}/ksb-coverage/"))
    assert "25% covered" in coverage


def test_asking_for_more_work_on_the_site_needs_a_comment(world, cast, submitted):
    k1, k2 = ksb(world, "K1"), ksb(world, "K2")
    url = f"/evidence/{submitted.pk}/feedback/"
    judgements = {f"agree_{k1.pk}": "no", f"agree_{k2.pk}": "no"}
    response = signed_in(cast.tutor).post(url, {"decision": "needs_work", "comment": "  ", **judgements})
    assert response.status_code == 400
    assert "Say what more is needed; the apprentice sees your comment." in text(response)
    assert not Feedback.objects.exists()

    response = signed_in(cast.tutor).post(
        url, {"decision": "needs_work", "comment": "Add the outcome for the board.", **judgements}
    )
    assert response.status_code == 302
    seen = text(signed_in(cast.apprentice).get(f"/evidence/{submitted.pk}/"))
    assert "Add the outcome for the board." in seen
    assert "Revise in response to the feedback" in seen


@pytest.mark.parametrize("member", ("apprentice", "line_manager", "director", "module_lead", "assessor"))
def test_only_the_practice_tutor_uses_the_feedback_form(world, cast, submitted, member):
    client = signed_in(getattr(cast, member))
    assert client.get(f"/evidence/{submitted.pk}/feedback/").status_code == 403
    k1, k2 = ksb(world, "K1"), ksb(world, "K2")
    data = {"decision": "accepted", f"agree_{k1.pk}": "yes", f"agree_{k2.pk}": "yes"}
    assert client.post(f"/evidence/{submitted.pk}/feedback/", data).status_code == 403
    assert 'name="decision"' not in text(client.get(f"/evidence/{submitted.pk}/"))
    assert not Feedback.objects.exists()


def test_revising_on_the_site_creates_a_new_version_and_keeps_the_old_one(world, cast, submitted):
    needs_work(submitted, cast.tutor, comment="Add the outcome.")
    client = signed_in(cast.apprentice)
    old_file = submitted.current.files.get()
    assert "Saving creates version 2" in text(client.get(f"/evidence/{submitted.pk}/edit/"))

    data = form_data(world, "K1", "K2", title="Board paper with outcome", files=[png()], submit="1")
    data["remove_files"] = [str(old_file.pk)]
    response = client.post(f"/evidence/{submitted.pk}/edit/", data)

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.SUBMITTED
    assert submitted.current.number == 2 and submitted.current.title == "Board paper with outcome"
    assert list(submitted.current.files.values_list("name", flat=True)) == ["diagram.png"]
    assert list(submitted.versions.get(number=1).files.all()) == [old_file]
    page = text(client.get(f"/evidence/{submitted.pk}/"))
    assert "Version 2" in page and "Version 1" in page and "Add the outcome." in page


def test_accepted_evidence_cannot_be_edited_on_the_site(world, cast, submitted):
    accept(submitted, cast.tutor)
    client = signed_in(cast.apprentice)
    response = client.post(
        f"/evidence/{submitted.pk}/edit/", form_data(world, "K1", title="Sneaky", submit="1")
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.ACCEPTED and submitted.current.title == "Board paper"

    assert client.post(f"/evidence/{submitted.pk}/revise/").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.DRAFT and submitted.current.number == 2


def test_deleting_a_draft_on_the_site(world, cast, draft, django_capture_on_commit_callbacks, tmp_path):
    client = signed_in(cast.apprentice)
    assert client.get(f"/evidence/{draft.pk}/delete/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/{draft.pk}/delete/")
    assert response.status_code == 302 and response.url == f"/enrolments/{world.enrolment.pk}/portfolio/"
    assert nothing_stored(tmp_path)


def test_submitted_evidence_is_not_deleted_on_the_site(world, cast, submitted):
    response = signed_in(cast.apprentice).post(f"/evidence/{submitted.pk}/delete/")
    assert response.status_code == 302
    assert Evidence.objects.filter(pk=submitted.pk).exists()
    assert len(files_under()) == 1


# --- downloads ----------------------------------------------------------------------------------------------


def assert_safe_download(response, *, filename: str, content_type: str, data: bytes) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == content_type
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == data


@pytest.mark.parametrize("member", ("apprentice", "tutor", "line_manager", "director", "assessor"))
def test_files_download_as_attachments_that_are_never_sniffed(world, cast, submitted, member):
    stored = submitted.current.files.get()
    response = signed_in(getattr(cast, member)).get(f"/evidence/{submitted.pk}/files/{stored.pk}/")
    assert_safe_download(response, filename="board-paper.pdf", content_type="application/pdf", data=PDF_BYTES)


def test_a_file_is_served_under_its_sanitised_name_and_detected_type(world, cast):
    evidence = add(world, cast, "K1", files=[png('chart"; x=.html.pdf')])
    stored = evidence.current.files.get()
    response = signed_in(cast.tutor).get(f"/evidence/{evidence.pk}/files/{stored.pk}/")
    assert_safe_download(response, filename="chart_ x_.html.png", content_type="image/png", data=PNG_BYTES)


def test_a_stored_html_file_would_still_only_download(world, cast, submitted):
    """Belt and braces: even a row claiming text/html (say, from an old import) downloads, sandboxed."""
    EvidenceFile.objects.filter(version=submitted.current).update(content_type="text/html", name="page.html")
    stored = submitted.current.files.get()
    response = signed_in(cast.tutor).get(f"/evidence/{submitted.pk}/files/{stored.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_of_other_evidence_is_not_found_through_this_evidence(world, cast, submitted):
    other = add(world, cast, "K1", title="Other", files=[png()])
    other_file = other.current.files.get()
    response = signed_in(cast.apprentice).get(f"/evidence/{submitted.pk}/files/{other_file.pk}/")
    assert response.status_code == 404


# --- who sees what ------------------------------------------------------------------------------------------


def evidence_routes(world, evidence):
    file_id = evidence.current.files.get().pk
    enrolment, cohort = world.enrolment.pk, world.cohort.pk
    return [
        ("get", f"/evidence/{evidence.pk}/"),
        ("get", f"/evidence/{evidence.pk}/files/{file_id}/"),
        ("get", f"/evidence/{evidence.pk}/edit/"),
        ("post", f"/evidence/{evidence.pk}/edit/"),
        ("get", f"/evidence/{evidence.pk}/feedback/"),
        ("post", f"/evidence/{evidence.pk}/feedback/"),
        ("post", f"/evidence/{evidence.pk}/submit/"),
        ("get", f"/evidence/{evidence.pk}/revise/"),
        ("post", f"/evidence/{evidence.pk}/revise/"),
        ("get", f"/evidence/{evidence.pk}/delete/"),
        ("post", f"/evidence/{evidence.pk}/delete/"),
        ("get", f"/enrolments/{enrolment}/portfolio/"),
        ("get", f"/enrolments/{enrolment}/portfolio/new/"),
        ("get", f"/enrolments/{enrolment}/portfolio/export/"),
        ("get", f"/enrolments/{enrolment}/portfolio/share/"),
        ("post", f"/enrolments/{enrolment}/portfolio/share/"),
        ("get", f"/enrolments/{enrolment}/ksb-coverage/"),
        ("get", f"/cohorts/{cohort}/ksb-heatmap/"),
    ]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_evidence_files_and_portfolio_pages(world, cast, submitted, outsider):
    client = signed_in(getattr(cast, outsider))
    data = {"decision": "accepted", "recipient": "Sneaky", "days": 7, **form_data(world, "K1")}
    for method, url in evidence_routes(world, submitted):
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.SUBMITTED and submitted.versions.count() == 1
    assert not Feedback.objects.exists() and not PortfolioShare.objects.exists()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_evidence_through_the_api(world, cast, submitted, outsider, api):
    client = api.as_user(getattr(cast, outsider))
    for url in (
        f"/api/v1/evidence/{submitted.pk}/",
        f"/api/v1/evidence/{submitted.pk}/file/",
        f"/api/v1/enrolments/{world.enrolment.pk}/ksb-coverage/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/api/v1/evidence/{submitted.pk}/feedback/", {"decision": "accepted"}, format="json"
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(world, cast, submitted):
    for method, url in evidence_routes(world, submitted):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/login/" in response.url, url


@pytest.mark.parametrize("member", SEE_BUT_NOT_THE_APPRENTICE)
def test_a_draft_is_seen_only_by_the_apprentice(world, cast, draft, member, api):
    client = signed_in(getattr(cast, member))
    file_id = draft.current.files.get().pk
    assert client.get(f"/evidence/{draft.pk}/").status_code == 404
    assert client.get(f"/evidence/{draft.pk}/files/{file_id}/").status_code == 404
    assert "Unfinished draft" not in text(client.get(f"/enrolments/{world.enrolment.pk}/portfolio/"))
    assert api.as_user(getattr(cast, member)).get(f"/api/v1/evidence/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/evidence/{draft.pk}/file/").status_code == 404

    apprentice = signed_in(cast.apprentice)
    assert apprentice.get(f"/evidence/{draft.pk}/").status_code == 200
    assert apprentice.get(f"/evidence/{draft.pk}/files/{file_id}/").status_code == 200
    assert "Unfinished draft" in text(apprentice.get(f"/enrolments/{world.enrolment.pk}/portfolio/"))


# --- share links --------------------------------------------------------------------------------------------


def share_url(world) -> str:
    return f"/enrolments/{world.enrolment.pk}/portfolio/share/"


@pytest.mark.parametrize("member", ("tutor", "director"))
def test_the_tutor_or_director_shares_the_portfolio_with_a_link_that_works_signed_out(
    world, cast, submitted, draft, member
):
    response = signed_in(getattr(cast, member)).post(
        share_url(world), {"recipient": "Ann Assessor <ann@epao.test>", "days": 14}
    )
    assert response.status_code == 200
    share = PortfolioShare.objects.get()
    assert share.created_by == getattr(cast, member)
    assert abs(share.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    assert f"/shared/portfolio/{share.token}/" in text(response)

    visitor = Client()
    page = visitor.get(f"/shared/portfolio/{share.token}/")
    assert page.status_code == 200
    assert "Board paper" in text(page)
    assert "Unfinished draft" not in text(page)
    assert page["X-Robots-Tag"] == "noindex"
    assert 'name="decision"' not in text(page)

    download = visitor.get(f"/shared/portfolio/{share.token}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert PDF_BYTES in contents.values()
    assert PNG_BYTES not in contents.values()  # the draft's file is not shared
    share.refresh_from_db()
    assert share.last_used_at is not None


def test_an_expired_link_is_not_found(world, cast, submitted):
    share = services.share_create(enrolment=world.enrolment, by=cast.tutor, recipient="Ann", days=7)
    visitor = Client()
    assert visitor.get(f"/shared/portfolio/{share.token}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert visitor.get(f"/shared/portfolio/{share.token}/").status_code == 404
        assert visitor.get(f"/shared/portfolio/{share.token}/download/").status_code == 404


def test_a_link_set_to_expire_in_the_past_is_not_found(world, cast, submitted):
    share = services.share_create(enrolment=world.enrolment, by=cast.tutor, recipient="Ann", days=7)
    PortfolioShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"/shared/portfolio/{share.token}/").status_code == 404
    assert Client().get(f"/shared/portfolio/{share.token}/download/").status_code == 404


def test_a_revoked_link_is_not_found(world, cast, submitted):
    share = services.share_create(enrolment=world.enrolment, by=cast.director, recipient="Ann", days=7)
    response = signed_in(cast.tutor).post(
        f"/enrolments/{world.enrolment.pk}/portfolio/share/{share.pk}/revoke/"
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert Client().get(f"/shared/portfolio/{share.token}/").status_code == 404
    assert Client().get(f"/shared/portfolio/{share.token}/download/").status_code == 404


def test_an_unknown_token_is_not_found(db):
    assert Client().get("/shared/portfolio/not-a-real-token/").status_code == 404
    assert Client().get("/shared/portfolio/not-a-real-token/download/").status_code == 404


@pytest.mark.parametrize("member", ("apprentice", "line_manager", "module_lead", "assessor"))
def test_other_parties_cannot_create_or_revoke_links(world, cast, submitted, member):
    client = signed_in(getattr(cast, member))
    assert client.get(share_url(world)).status_code == 403
    assert client.post(share_url(world), {"recipient": "Friend", "days": 90}).status_code == 403
    assert not PortfolioShare.objects.exists()

    share = services.share_create(enrolment=world.enrolment, by=cast.tutor, recipient="Ann", days=7)
    assert (
        client.post(f"/enrolments/{world.enrolment.pk}/portfolio/share/{share.pk}/revoke/").status_code == 403
    )
    share.refresh_from_db()
    assert share.is_usable


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (90, True), (91, False)])
def test_a_link_lasts_from_1_to_90_days(world, cast, days, ok):
    response = signed_in(cast.tutor).post(share_url(world), {"recipient": "Ann", "days": days})
    assert response.status_code == (200 if ok else 400)
    assert PortfolioShare.objects.exists() is ok


# --- API: evidence ------------------------------------------------------------------------------------------

EVIDENCE_URL = "/api/v1/evidence/"
EVIDENCE_FIELDS = {
    "id",
    "enrolment",
    "title",
    "kind",
    "occurred_on",
    "reflection",
    "status",
    "version",
    "ksbs",
    "files",
}


def api_data(world, *codes: str, **overrides) -> dict:
    data = {
        "enrolment": world.enrolment.pk,
        "title": "Board paper",
        "reflection": REFLECTION,
        "ksbs": ksb_ids(world, *codes),
    }
    data.update(overrides)
    return data


def test_the_evidence_list_is_scoped(world, cast, submitted, draft, api):
    theirs = add(world, cast, "K1", title="Theirs", enrolment=world.other_enrolment, by=cast.other_apprentice)

    def ids(user) -> set[int]:
        response = api.as_user(user).get(EVIDENCE_URL)
        assert response.status_code == 200
        assert response.json()["count"] == len(response.json()["results"])
        return {row["id"] for row in response.json()["results"]}

    assert ids(cast.apprentice) == {submitted.pk, draft.pk}
    for member in SEE_BUT_NOT_THE_APPRENTICE:
        assert ids(getattr(cast, member)) == {submitted.pk}, member
    assert ids(cast.other_apprentice) == {theirs.pk}
    assert ids(cast.other_tutor) == {theirs.pk}
    assert ids(cast.other_manager) == {theirs.pk}
    assert ids(cast.other_director) == {theirs.pk}
    assert api.as_user(None).get(EVIDENCE_URL).status_code == 401


def test_the_evidence_list_filters_by_enrolment_and_status(world, cast, submitted, draft, api):
    client = api.as_user(cast.apprentice)
    rows = client.get(EVIDENCE_URL, {"status": "draft"}).json()["results"]
    assert [row["id"] for row in rows] == [draft.pk]
    rows = client.get(EVIDENCE_URL, {"enrolment": world.other_enrolment.pk}).json()["results"]
    assert rows == []


def test_the_apprentice_creates_evidence_with_files_through_the_api(world, cast, api):
    response = api.as_user(cast.apprentice).post(
        EVIDENCE_URL,
        api_data(world, "K1", "S1", file=[pdf("board-paper.pdf"), png("chart.png")]),
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) >= EVIDENCE_FIELDS
    evidence = Evidence.objects.get()
    assert data["id"] == evidence.pk and data["enrolment"] == world.enrolment.pk
    assert (data["title"], data["status"], data["version"]) == ("Board paper", "submitted", 1)
    assert sorted(data["ksbs"]) == ["K1", "S1"]
    assert data["occurred_on"] == timezone.localdate().isoformat()
    files = sorted(data["files"], key=lambda f: f["name"])
    assert [(f["name"], f["content_type"], f["size"]) for f in files] == [
        ("board-paper.pdf", "application/pdf", len(PDF_BYTES)),
        ("chart.png", "image/png", len(PNG_BYTES)),
    ]
    assert files[0]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert len(files_under()) == 2


def test_a_single_file_and_a_draft_through_the_api(world, cast, api):
    response = api.as_user(cast.apprentice).post(
        EVIDENCE_URL, api_data(world, file=pdf(), submit="false"), format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert len(response.json()["files"]) == 1


API_HOSTILE = {
    "html-disguised-as-pdf": lambda: disguised("evil.pdf", HTML_BYTES),
    "svg-disguised-as-pdf": lambda: disguised("logo.pdf", SVG_BYTES),
    "exe": lambda: disguised("setup.pdf", b"MZ\x90\x00" + bytes(60)),
    "oversize": lambda: pdf("huge.pdf", PDF_BYTES + b"%" * 4096),
    "zero-byte": lambda: disguised("empty.pdf", b""),
}


@pytest.mark.parametrize("sample", API_HOSTILE)
def test_a_bad_file_through_the_api_is_400_and_nothing_is_stored(
    world, cast, api, sample, small_limit, tmp_path
):
    response = api.as_user(cast.apprentice).post(
        EVIDENCE_URL, api_data(world, "K1", file=[pdf("fine.pdf"), API_HOSTILE[sample]()]), format="multipart"
    )
    assert response.status_code == 400, response.content
    assert nothing_stored(tmp_path)


def test_a_refused_file_type_names_the_allowed_types_in_the_api(world, cast, api, tmp_path):
    response = api.as_user(cast.apprentice).post(
        EVIDENCE_URL, api_data(world, "K1", file=disguised("evil.pdf", HTML_BYTES)), format="multipart"
    )
    assert response.status_code == 400
    messages = [message for value in response.json().values() for message in value]
    assert any(ALLOWED_DESCRIPTION in message for message in messages), response.json()
    assert nothing_stored(tmp_path)


def test_a_refused_file_is_reported_against_the_file_field_the_client_sent(world, cast, api):
    """api.md: bad input is 400 ``{"field": ["message"]}``; the multipart field is ``file``."""
    response = api.as_user(cast.apprentice).post(
        EVIDENCE_URL, api_data(world, "K1", file=disguised("evil.pdf", HTML_BYTES)), format="multipart"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"file"}, response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ksbs": []}, "ksbs"),  # submitting needs a KSB
        ({"title": ""}, "title"),
        ({"reflection": ""}, "reflection"),
        ({"occurred_on": "2099-01-01"}, "occurred_on"),
    ],
)
def test_bad_evidence_through_the_api_is_400_on_the_field(world, cast, api, change, field, tmp_path):
    data = {**api_data(world, "K1", file=pdf()), **change}
    response = api.as_user(cast.apprentice).post(EVIDENCE_URL, data, format="multipart")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert nothing_stored(tmp_path)


def test_a_ksb_from_another_standard_through_the_api_is_400(world, cast, api, tmp_path):
    foreign = KSBFactory(standard=StandardFactory(code="ST0480", version="1.1"), code="K9", kind="K")
    data = {**api_data(world, "K1", file=pdf()), "ksbs": [ksb(world, "K1").pk, foreign.pk]}
    response = api.as_user(cast.apprentice).post(EVIDENCE_URL, data, format="multipart")
    assert response.status_code == 400
    assert "ksbs" in response.json()
    assert nothing_stored(tmp_path)


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("tutor", 403),
        ("line_manager", 403),
        ("director", 403),
        ("other_apprentice", 404),
        ("other_tutor", 404),
    ],
)
def test_only_the_apprentice_creates_evidence_through_the_api(world, cast, api, member, expected, tmp_path):
    response = api.as_user(getattr(cast, member)).post(
        EVIDENCE_URL, api_data(world, "K1", file=pdf()), format="multipart"
    )
    assert response.status_code == expected
    assert nothing_stored(tmp_path)


def test_signed_out_api_calls_are_401(world, cast, submitted, api, tmp_path):
    client = api.as_user(None)
    assert client.post(EVIDENCE_URL, api_data(world, "K1", file=pdf()), format="multipart").status_code == 401
    assert client.get(f"{EVIDENCE_URL}{submitted.pk}/").status_code == 401
    assert client.get(f"{EVIDENCE_URL}{submitted.pk}/file/").status_code == 401
    assert client.post(f"{EVIDENCE_URL}{submitted.pk}/feedback/", {"decision": "accepted"}).status_code == 401
    assert client.get(f"/api/v1/enrolments/{world.enrolment.pk}/ksb-coverage/").status_code == 401
    assert Evidence.objects.count() == 1


def test_evidence_detail_through_the_api(world, cast, submitted, api):
    response = api.as_user(cast.tutor).get(f"{EVIDENCE_URL}{submitted.pk}/")
    assert response.status_code == 200
    assert set(response.json()) >= EVIDENCE_FIELDS
    assert response.json()["ksbs"] == ["K1", "K2"]
    assert api.as_user(cast.tutor).get(f"{EVIDENCE_URL}not-a-number/").status_code == 404
    assert api.as_user(cast.tutor).get(f"{EVIDENCE_URL}999999/").status_code == 404


def test_the_tutor_gives_feedback_through_the_api(world, cast, submitted, api):
    url = f"{EVIDENCE_URL}{submitted.pk}/feedback/"
    response = api.as_user(cast.tutor).post(url, {"decision": "accepted", "comment": "Good."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["accepted_at"]
    feedback = Feedback.objects.get()
    assert (feedback.reviewer, feedback.comment) == (cast.tutor, "Good.")

    again = api.as_user(cast.tutor).post(url, {"decision": "needs_work", "comment": "More."}, format="json")
    assert again.status_code == 409
    assert Feedback.objects.count() == 1


def test_asking_for_more_work_through_the_api_needs_a_comment(world, cast, submitted, api):
    url = f"{EVIDENCE_URL}{submitted.pk}/feedback/"
    response = api.as_user(cast.tutor).post(url, {"decision": "needs_work"}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    bad = api.as_user(cast.tutor).post(url, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()
    assert not Feedback.objects.exists()

    response = api.as_user(cast.tutor).post(
        url, {"decision": "needs_work", "comment": "More."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "needs_work"
    assert api.as_user(cast.tutor).post(url, {"decision": "accepted"}, format="json").status_code == 409


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("apprentice", 403),
        ("line_manager", 403),
        ("director", 403),
        ("module_lead", 403),
        ("assessor", 403),
        ("admin", 403),
        ("other_tutor", 404),
        ("other_apprentice", 404),
    ],
)
def test_only_the_practice_tutor_gives_feedback_through_the_api(
    world, cast, submitted, api, member, expected
):
    response = api.as_user(getattr(cast, member)).post(
        f"{EVIDENCE_URL}{submitted.pk}/feedback/", {"decision": "accepted"}, format="json"
    )
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.SUBMITTED


def test_feedback_on_a_draft_through_the_api_is_404_for_the_tutor(world, cast, draft, api):
    response = api.as_user(cast.tutor).post(
        f"{EVIDENCE_URL}{draft.pk}/feedback/", {"decision": "accepted"}, format="json"
    )
    assert response.status_code == 404


def test_the_file_endpoint_downloads_safely(world, cast, api):
    evidence = add(world, cast, "K1", files=[pdf("board-paper.pdf"), png("chart.png")])
    files = {f.content_type: f for f in evidence.current.files.all()}
    client = api.as_user(cast.line_manager)

    first = client.get(f"{EVIDENCE_URL}{evidence.pk}/file/")
    assert_safe_download(first, filename="board-paper.pdf", content_type="application/pdf", data=PDF_BYTES)
    chosen = client.get(f"{EVIDENCE_URL}{evidence.pk}/file/", {"id": files["image/png"].pk})
    assert_safe_download(chosen, filename="chart.png", content_type="image/png", data=PNG_BYTES)
    assert client.get(f"{EVIDENCE_URL}{evidence.pk}/file/", {"id": 999999}).status_code == 404


def test_the_file_endpoint_is_404_without_a_file(world, cast, api):
    evidence = add(world, cast, "K1")
    assert api.as_user(cast.apprentice).get(f"{EVIDENCE_URL}{evidence.pk}/file/").status_code == 404


def test_the_file_endpoint_does_not_serve_another_evidences_file(world, cast, submitted, api):
    other = add(world, cast, "K1", title="Other", files=[png()])
    other_file = other.current.files.get()
    response = api.as_user(cast.apprentice).get(f"{EVIDENCE_URL}{submitted.pk}/file/", {"id": other_file.pk})
    assert response.status_code == 404


# --- API: KSB coverage --------------------------------------------------------------------------------------


def test_ksb_coverage_contract_and_values(world, cast, api):
    evidence = add(world, cast, "K1", "S1", title="Accepted")
    review(evidence, cast.tutor, agree=("K1",), disagree=("S1",))
    accept(add(world, cast, "K1", title="More K1"), cast.tutor)
    add(world, cast, "B1", title="Awaiting")

    response = api.as_user(cast.line_manager).get(f"/api/v1/enrolments/{world.enrolment.pk}/ksb-coverage/")
    assert response.status_code == 200
    rows = response.json()
    assert isinstance(rows, list) and len(rows) == 4
    for row in rows:
        assert {"code", "kind", "covered", "evidence_count"} <= set(row)
    by_code = {row["code"]: row for row in rows}
    assert {code: (r["kind"], r["covered"], r["evidence_count"]) for code, r in by_code.items()} == {
        "K1": ("K", True, 2),
        "K2": ("K", False, 0),
        "S1": ("S", False, 0),
        "B1": ("B", False, 0),
    }
    assert [row["code"] for row in rows] == [
        "K2",
        "S1",
        "B1",
        "K1",
    ]  # gaps first, then claimed, then accepted
    assert [by_code[c]["status"] for c in ("K2", "S1", "B1", "K1")] == [
        "none",
        "claimed",
        "claimed",
        "accepted",
    ]


def test_ksb_coverage_is_404_for_a_bad_or_hidden_enrolment(world, cast, api):
    client = api.as_user(cast.apprentice)
    assert client.get(f"/api/v1/enrolments/{world.other_enrolment.pk}/ksb-coverage/").status_code == 404
    assert client.get("/api/v1/enrolments/abc/ksb-coverage/").status_code == 404
    assert client.get("/api/v1/enrolments/999999/ksb-coverage/").status_code == 404
