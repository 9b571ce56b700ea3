"""A director's RAG override (reason kept, history never lost) and the audit pack built in Celery."""

import json
import zipfile
from datetime import date
from io import BytesIO

import pytest

from core.errors import ActionNotAllowed, DomainError
from reporting import services
from reporting.models import AuditPackJob, RAGOverride
from reporting.tasks import build_audit_pack
from tests.signing import plan_proof
from tests.tutors.helpers import signed_review

# --- overrides -------------------------------------------------------------------------------------------------


def test_a_director_overrides_a_rating_with_a_reason_that_is_kept(world, cast):
    first = services.rag_override_set(
        enrolment=world.enrolment, by=cast.director, rag="red", reason="Employer restructure announced."
    )
    second = services.rag_override_set(
        enrolment=world.enrolment, by=cast.director, rag="", reason="Restructure over, back to computed."
    )

    history = list(RAGOverride.objects.filter(enrolment=world.enrolment).order_by("at", "id"))
    assert history == [first, second]
    assert (first.rag, first.reason, first.by) == ("red", "Employer restructure announced.", cast.director)
    assert second.is_clear


def test_an_override_needs_a_reason(world, cast):
    with pytest.raises(DomainError) as error:
        services.rag_override_set(enrolment=world.enrolment, by=cast.director, rag="red", reason="  bad ")

    assert error.value.field == "reason"
    assert not RAGOverride.objects.exists()


def test_removing_an_override_that_is_not_there_is_refused(world, cast):
    with pytest.raises(DomainError):
        services.rag_override_set(
            enrolment=world.enrolment, by=cast.director, rag="", reason="Nothing to remove here."
        )


@pytest.mark.parametrize("member", ["tutor", "line_manager", "other_director"])
def test_only_a_director_of_the_programme_overrides(world, cast, member):
    with pytest.raises(ActionNotAllowed):
        services.rag_override_set(
            enrolment=world.enrolment, by=getattr(cast, member), rag="red", reason="I think this is red."
        )


def test_the_override_page_saves_and_returns_to_the_dashboard(client, world, cast):
    client.force_login(cast.director)
    back = f"/cohorts/{world.cohort.pk}/dashboard/?rag=red"

    response = client.post(
        f"/enrolments/{world.enrolment.pk}/rag/",
        {"rag": "amber", "reason": "Catch-up plan agreed with the employer.", "next": back},
    )

    assert response.status_code == 302 and response["Location"] == back
    assert RAGOverride.objects.get().rag == "amber"
    page = client.get(f"/enrolments/{world.enrolment.pk}/rag/").content.decode()
    assert "Catch-up plan agreed with the employer." in page  # in the history


def test_the_override_page_shows_errors_and_saves_nothing(client, world, cast):
    client.force_login(cast.director)

    response = client.post(f"/enrolments/{world.enrolment.pk}/rag/", {"rag": "red", "reason": ""})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not RAGOverride.objects.exists()


def test_the_override_page_refuses_to_send_people_elsewhere(client, world, cast):
    client.force_login(cast.director)

    response = client.post(
        f"/enrolments/{world.enrolment.pk}/rag/",
        {"rag": "red", "reason": "Employer raised a concern today.", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/cohorts/{world.cohort.pk}/dashboard/"


@pytest.mark.parametrize(("member", "status"), [("tutor", 403), ("apprentice", 403), ("other_director", 404)])
def test_only_directors_post_an_override(client, world, cast, member, status):
    client.force_login(getattr(cast, member))

    response = client.post(
        f"/enrolments/{world.enrolment.pk}/rag/", {"rag": "red", "reason": "I think it is red."}
    )

    assert response.status_code == status
    assert not RAGOverride.objects.exists()


# --- audit packs ---------------------------------------------------------------------------------------------


@pytest.fixture
def plan_signed(world, cast):
    """A training plan signed by all three parties."""
    from decimal import Decimal

    from programmes.training_plans import services as plan_services

    world.programme.standard.otj_minimum_hours = Decimal("400")
    world.programme.standard.save()
    values = plan_services.fields_from_records(world.enrolment)
    values.epao_name = "Assessors Ltd"
    plan = plan_services.plan_save_draft(enrolment=world.enrolment, by=cast.director, values=values)
    plan_services.plan_send(plan=plan, by=cast.director)
    for user in (cast.apprentice, cast.line_manager, cast.director):
        plan_services.plan_sign(plan=plan, by=user, proof=plan_proof(plan, user))
    return plan


def test_a_director_starts_an_audit_pack_and_celery_builds_the_zip(
    client, world, cast, plan_signed, django_capture_on_commit_callbacks
):
    signed_review(world.enrolment, cast, held_on=date(2026, 3, 2))
    client.force_login(cast.director)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/enrolments/{world.enrolment.pk}/audit-pack/")

    job = AuditPackJob.objects.get()
    assert response["Location"] == f"/audit-packs/{job.token}/"
    assert (job.status, job.progress) == ("done", 100)
    status_page = client.get(f"/audit-packs/{job.token}/").content.decode()
    assert "Download the audit pack" in status_page
    download = client.get(f"/audit-packs/{job.token}/download/")
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(BytesIO(b"".join(download.streaming_content))) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        ledger = archive.read("otj/otj-ledger.csv").decode("utf-8-sig")
    assert any(n.startswith("training-plan/") and n.endswith("-v1.pdf") for n in names)
    assert any(n.startswith("otj/") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("reviews/") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("portfolio-index") for n in names)
    assert "module-results.csv" in names
    assert ledger.startswith("id,date,hours")
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json"}


def test_the_status_page_refreshes_itself_while_the_pack_is_built(client, world, cast):
    job = AuditPackJob.objects.create(
        enrolment=world.enrolment, requested_by=cast.director, progress=25, step="OTJ"
    )
    client.force_login(cast.director)

    page = client.get(f"/audit-packs/{job.token}/").content.decode()

    assert 'http-equiv="refresh"' in page
    assert 'value="25"' in page
    assert client.get(f"/audit-packs/{job.token}/download/").status_code == 404


def test_building_twice_does_nothing_the_second_time(world, cast, plan_signed):
    job = AuditPackJob.objects.create(enrolment=world.enrolment, requested_by=cast.director)

    assert build_audit_pack(job.pk) == "done"
    assert build_audit_pack(job.pk) == "skipped"


def test_starting_while_one_is_queued_returns_the_same_job(world, cast):
    first = services.audit_pack_start(enrolment=world.enrolment, by=cast.director)

    assert services.audit_pack_start(enrolment=world.enrolment, by=cast.director) == first


def test_a_failed_build_says_so(world, cast, monkeypatch):
    from reporting import tasks

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "write_pack", broken)
    job = AuditPackJob.objects.create(enrolment=world.enrolment, requested_by=cast.director)

    assert build_audit_pack(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "disk full" in job.error


@pytest.mark.parametrize(
    ("member", "status"), [("tutor", 403), ("line_manager", 403), ("other_director", 404)]
)
def test_only_directors_start_or_read_audit_packs(client, world, cast, member, status):
    from tests.reporting.helpers import finished_audit_pack

    job = finished_audit_pack(world.enrolment, cast.director)
    client.force_login(getattr(cast, member))

    assert client.post(f"/enrolments/{world.enrolment.pk}/audit-pack/").status_code == status
    assert client.get(f"/audit-packs/{job.token}/download/").status_code == status
    assert AuditPackJob.objects.count() == 1
