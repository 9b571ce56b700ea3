"""The reporting step of the benchmark seeder: directors' RAG overrides (one apprentice in ten, a few with an
earlier override since replaced or removed) and a finished audit pack for the sample enrolment."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile

from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from reporting.models import RAG, AuditPackJob, RAGOverride

OVERRIDE_EVERY = 10


def reporting_data(w: World) -> None:
    overrides = []
    for i, enrolment in enumerate(w.enrolments):
        if i % OVERRIDE_EVERY:
            continue
        director = w.directors[[p.pk for p in w.programmes].index(enrolment.programme_id)]
        overrides.append(
            RAGOverride(
                enrolment=enrolment,
                rag=RAG.AMBER,
                reason="Employer reports a restructure; watching closely.",
                by=director,
                at=w.now - timedelta(days=40),
            )
        )
        overrides.append(
            RAGOverride(
                enrolment=enrolment,
                rag=(RAG.RED, "", RAG.GREEN)[(i // OVERRIDE_EVERY) % 3],
                reason="Reviewed with the tutor after the latest progress review.",
                by=director,
                at=w.now - timedelta(days=3),
            )
        )
    create_rows(w, RAGOverride, overrides)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", '{"files": []}')
    (job,) = create_rows(
        w,
        AuditPackJob,
        [
            AuditPackJob(
                enrolment=w.sample_enrolment,
                requested_by=w.director,
                status=AuditPackJob.Status.DONE,
                progress=100,
                step="Ready",
                file_name="audit-pack.zip",
                finished_at=w.now,
            )
        ],
    )
    job.file.save(f"benchmarks/{job.token}.zip", ContentFile(buffer.getvalue()), save=True)
    w.sample_audit_pack = job
