"""The training plan as its users meet it: pages and API, the three-party signing journey, permissions."""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from programmes.models import Enrolment, EnrolmentStatusChange
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan
from tests.factories import PASSWORD
from tests.signing import plan_proof


@pytest.fixture
def pending(world):
    standard = world.programme.standard
    standard.otj_minimum_hours = Decimal("400.00")  # a 2025 start: the standard's fixed minimum applies
    standard.save(update_fields=["otj_minimum_hours"])
    enrolment = world.enrolment
    enrolment.status = Enrolment.Status.PENDING
    enrolment.save(update_fields=["status"])
    return enrolment


def draft_through_the_page(client, director, enrolment, **changes):
    client.force_login(director)
    form = client.get(f"/enrolments/{enrolment.pk}/training-plan/draft/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return client.post(f"/enrolments/{enrolment.pk}/training-plan/draft/", data)


def sign_through_the_page(client, user, enrolment, *, full_name=None, password=PASSWORD):
    """Post the sign form as ``user`` having read the current version (its version and hash ride along)."""
    client.force_login(user)
    plan = plan_services.current_plan(enrolment)
    return client.post(
        f"/enrolments/{enrolment.pk}/training-plan/sign/",
        {
            "version": plan.version,
            "content_hash": plan.content_hash,
            "full_name": full_name or user.full_name,
            "password": password,
        },
        HTTP_USER_AGENT="pytest-browser/1.0",
        REMOTE_ADDR="203.0.113.7",
    )


def test_the_three_party_journey_through_the_pages(
    client, world, cast, pending, django_capture_on_commit_callbacks
):
    response = draft_through_the_page(
        client, cast.director, pending, epao_name="Independent Assessment Partners"
    )
    assert response.status_code == 302
    draft = TrainingPlan.objects.get(enrolment=pending)
    assert draft.status == "draft" and draft.version == 1

    # The director reviews and sends; everyone who must sign is emailed a direct link.
    page = client.get(f"/enrolments/{pending.pk}/training-plan/send/")
    assert "Send for signature" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/enrolments/{pending.pk}/training-plan/send/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "awaiting_signatures"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([cast.apprentice.email, cast.line_manager.email, cast.director.email])
    assert f"/enrolments/{pending.pk}/training-plan/" in mail.outbox[0].body

    # The apprentice reads exactly what they sign and signs; training is still blocked on the other two.
    client.force_login(cast.apprentice)
    html = client.get(f"/enrolments/{pending.pk}/training-plan/").content.decode()
    assert "Sign your part" in html and draft.content_hash in html
    assert sign_through_the_page(client, cast.apprentice, pending).status_code == 302
    blocker = plan_services.training_blocker(pending)
    assert cast.line_manager.full_name in blocker and cast.director.full_name in blocker
    assert cast.apprentice.full_name not in blocker

    assert sign_through_the_page(client, cast.line_manager, pending).status_code == 302
    assert sign_through_the_page(client, cast.director, pending).status_code == 302
    draft.refresh_from_db()
    pending.refresh_from_db()
    assert draft.status == "signed"
    assert pending.status == "active"
    assert EnrolmentStatusChange.objects.filter(enrolment=pending, to_status="active").exists()
    assert plan_services.training_blocker(pending) is None

    signature = PlanSignature.objects.get(plan=draft, role="employer")
    assert signature.signed_by == cast.line_manager
    assert signature.ip_address == "203.0.113.7"
    assert signature.user_agent == "pytest-browser/1.0"
    canonical = json.dumps(draft.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert signature.content_hash == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_draft_form_shows_specific_messages_and_saves_nothing(client, world, cast, pending):
    response = draft_through_the_page(
        client, cast.director, pending, employer_commitments="  ", planned_end_date=str(pending.start_date)
    )
    assert response.status_code == 400
    assert TrainingPlan.objects.count() == 0


@pytest.mark.parametrize("name", ["apprentice", "line_manager", "tutor", "module_lead", "assessor"])
def test_parties_cannot_draft_or_send(client, world, cast, pending, name):
    client.force_login(getattr(cast, name))
    assert client.get(f"/enrolments/{pending.pk}/training-plan/draft/").status_code == 403
    assert client.post(f"/enrolments/{pending.pk}/training-plan/send/").status_code == 403


@pytest.mark.parametrize("name", ["other_apprentice", "other_manager", "other_tutor", "other_director"])
def test_outsiders_get_404_on_every_plan_page_and_endpoint(client, api, world, cast, pending, name):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    outsider = getattr(cast, name)
    client.force_login(outsider)
    base = f"/enrolments/{pending.pk}/training-plan"
    for path in [
        "/",
        "/sign/",
        "/draft/",
        "/send/",
        "/discard/",
        "/versions/",
        "/versions/1/",
        "/versions/1/pdf/",
        "/compare/",
    ]:
        assert client.get(base + path).status_code == 404, path
    api.as_user(outsider)
    api_base = f"/api/v1/enrolments/{pending.pk}/training-plan"
    for path in ["/", "/versions/", "/versions/1/", "/versions/1/pdf/"]:
        assert api.get(api_base + path).status_code == 404, path
    response = api.post(
        api_base + "/sign/", {"full_name": outsider.full_name, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 404
    assert PlanSignature.objects.count() == 0


def test_drafts_are_hidden_from_the_parties(client, api, world, cast, pending):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    client.force_login(cast.apprentice)
    assert client.get(f"/enrolments/{pending.pk}/training-plan/versions/1/").status_code == 404
    assert (
        api.as_user(cast.apprentice).get(f"/api/v1/enrolments/{pending.pk}/training-plan/").status_code == 404
    )
    html = client.get(f"/enrolments/{pending.pk}/training-plan/").content.decode()
    assert "No training plan has been sent for signature yet." in html


def test_the_api_contract_for_reading_and_signing(api, client, world, cast, pending):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    plan = plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    url = f"/api/v1/enrolments/{pending.pk}/training-plan/"

    body = api.as_user(cast.line_manager).get(url).json()
    assert body["version"] == 1
    assert body["status"] == "awaiting_signatures"
    assert body["content_hash"] == plan.content_hash
    assert body["signatures"] == []
    assert body["pdf_url"].endswith(f"/api/v1/enrolments/{pending.pk}/training-plan/versions/1/pdf/")

    read = {"version": body["version"], "content_hash": body["content_hash"]}
    wrong = api.post(
        url + "sign/", {**read, "full_name": cast.line_manager.full_name, "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400 and "password" in wrong.json()
    signed = api.post(
        url + "sign/", {**read, "full_name": cast.line_manager.full_name, "password": PASSWORD}, format="json"
    )
    assert signed.status_code == 201
    assert [(s["role"], s["signed_by"]) for s in signed.json()["signatures"]] == [
        ("employer", cast.line_manager.full_name)
    ]
    twice = api.post(
        url + "sign/", {**read, "full_name": cast.line_manager.full_name, "password": PASSWORD}, format="json"
    )
    assert twice.status_code == 409

    tutor = api.as_user(cast.tutor).post(
        url + "sign/", {**read, "full_name": cast.tutor.full_name, "password": PASSWORD}
    )
    assert tutor.status_code == 403

    pdf = api.as_user(cast.apprentice).get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    versions = api.get(url + "versions/").json()
    assert [v["version"] for v in versions["results"]] == [1]


def test_a_revision_supersedes_and_the_diff_shows_the_change(client, world, cast, pending):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    first = plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    for user in (cast.apprentice, cast.line_manager, cast.director):
        plan_services.plan_sign(plan=first, by=user, proof=plan_proof(first, user))
    new_end = pending.planned_end_date + timedelta(weeks=8)

    response = draft_through_the_page(
        client, cast.director, pending, planned_end_date=new_end.isoformat(), change_summary=""
    )
    assert response.status_code == 400
    assert "Say what changed" in response.content.decode()
    response = draft_through_the_page(
        client,
        cast.director,
        pending,
        planned_end_date=new_end.isoformat(),
        change_summary="Extended after a long illness",
    )
    assert response.status_code == 302
    client.post(f"/enrolments/{pending.pk}/training-plan/send/")
    first.refresh_from_db()
    assert first.status == "superseded"
    assert first.signatures.count() == 3
    pending.refresh_from_db()
    assert pending.planned_end_date != new_end  # only once the new version is signed

    html = client.get(f"/enrolments/{pending.pk}/training-plan/compare/?from=1&to=2").content.decode()
    assert "1 row changed" in html
    assert f"{new_end:%-d %B %Y}" in html
    versions = client.get(f"/enrolments/{pending.pk}/training-plan/versions/").content.decode()
    assert "Version 1" in versions and "Version 2" in versions


def test_directors_see_plans_awaiting_signatures_and_for_how_long(client, world, cast, pending):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    client.force_login(cast.director)
    html = client.get("/training-plans/awaiting/").content.decode()
    assert cast.apprentice.full_name in html and "0 days" in html
    client.force_login(cast.other_director)
    html = client.get("/training-plans/awaiting/").content.decode()
    assert cast.apprentice.full_name not in html
    assert "No plans are waiting for signatures" in html
    client.force_login(cast.apprentice)
    assert client.get("/training-plans/awaiting/").status_code == 403


def test_home_pages_list_plans_waiting_for_your_signature(client, world, cast, pending):
    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    plan = plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    plan_services.plan_sign(plan=plan, by=cast.apprentice, proof=plan_proof(plan, cast.apprentice))
    client.force_login(cast.line_manager)
    assert "Sign the training plan for Ada Apprentice" in client.get("/").content.decode()
    client.force_login(cast.apprentice)
    assert "Sign the training plan for" not in client.get("/").content.decode()


def test_a_change_of_employer_drafts_a_plan_revision_with_the_new_parties(client, world, cast, pending):
    from programmes import services
    from tests.factories import UserFactory

    draft_through_the_page(client, cast.director, pending, epao_name="EPAO Ltd")
    plan = plan_services.plan_send(plan=plan_services.draft_plan(pending), by=cast.director)
    new_manager = UserFactory(full_name="Nia Newmanager", organisation=world.other_employer)
    services.enrolment_change_employer(
        enrolment=pending,
        employer=world.other_employer,
        line_manager=new_manager,
        effective_on=pending.start_date + timedelta(days=30),
        by=cast.director,
    )
    draft = plan_services.draft_plan(pending)
    assert draft is not None and draft.version == 2
    assert draft.content["parties"]["employer"] == world.other_employer.name
    assert draft.content["parties"]["line_manager"]["name"] == "Nia Newmanager"
    assert "Change of employer" in draft.change_summary
    assert plan_services.classify_change(plan.content, draft.content) == "major"
