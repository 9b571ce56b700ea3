"""Portfolio export (portfolios.export, portfolios.pdf): the ZIP with index.pdf, manifest.json and the evidence
files, the KSB coverage rows behind it, and the index PDF.

Evidence is made through portfolios.services, as the apprentice and the practice tutor would; uploaded files land
in a temporary directory (STORAGES overridden per test). The PDF is rendered uncompressed (``compress=False``)
where a test reads its text from the raw bytes.
"""

import hashlib
import io
import json
import os
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolios import services
from portfolios.export import build_portfolio_zip, coverage_rows, export_evidence, portfolio_zip_response
from portfolios.models import Evidence, EvidenceFile, Feedback, KSBJudgement
from portfolios.pdf import PortfolioIndexPDF
from programmes.models import KSB, Enrolment

PDF_HEAD = b"%PDF-1.4\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


# --- helpers -----------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Uploaded files go to a fresh temporary directory; Django 5.2 resets default_storage on the change."""
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert default_storage.location == os.path.abspath(tmp_path)
    return tmp_path


def pdf_upload(name: str, payload: bytes = b"1 0 obj\n<<>>\nendobj\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_HEAD + payload, content_type="application/pdf")


def png_upload(name: str, payload: bytes = b"\x00\x00\x00\rIHDR" + bytes(range(40))) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_HEAD + payload, content_type="image/png")


def ksb_ids(world, *codes: str) -> list[int]:
    standard = world.programme.standard
    return [KSB.objects.get(standard=standard, code=code).pk for code in codes]


def add(
    world,
    cast,
    title: str,
    codes: tuple[str, ...],
    occurred_on: date,
    *,
    files=(),
    reflection: str = "What I did, what I learned, and how it shows the KSBs.",
    kind: str = Evidence.Kind.WORK_PRODUCT,
    submit: bool = True,
) -> Evidence:
    fields = services.EvidenceFields(
        title=title, kind=kind, occurred_on=occurred_on, reflection=reflection, ksb_ids=ksb_ids(world, *codes)
    )
    return services.evidence_create(
        enrolment=world.enrolment, by=cast.apprentice, fields=fields, files=list(files), submit=submit
    )


def review(
    world, cast, evidence: Evidence, decision: str, *, agreed: dict[str, bool] | None = None, comment=""
):
    judgements = [
        services.Judgement(ksb_id=pk, agreed=ok)
        for code, ok in (agreed or {}).items()
        for pk in ksb_ids(world, code)
    ]
    return services.evidence_feedback(
        evidence=evidence, by=cast.tutor, decision=decision, comment=comment, judgements=judgements
    )


def read_zip(enrolment) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    build_portfolio_zip(enrolment, fileobj=buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def pdf_text(data: bytes) -> list[str]:
    """The text lines an uncompressed reportlab PDF shows: ``(...) Tj`` strings joined until ``T*``/``ET``."""
    lines, line = [], []
    for shown, operator in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*|\bET\b)", data):
        if operator:
            lines.append("".join(line))
            line = []
        else:
            line.append(re.sub(rb"\\([()\\])", rb"\1", shown).decode("latin-1"))
    return [text for text in lines if text]


REPORT_A = b"board report, first upload " * 50
REPORT_B = b"board report, second upload with the same name " * 50
SECRET = b"a file whose uploaded name tried to climb out of its folder"
REFLECTION = "First line of my account.\nSecond line & <more> to say.\n\nAfter a blank line."


@pytest.fixture
def portfolio(world, cast):
    """Three exported pieces (one accepted with a KSB not agreed, one sent back, one accepted) and a draft."""
    report = add(
        world,
        cast,
        "Board report on service redesign",
        ("K1", "K2"),
        date(2025, 11, 3),
        files=[
            pdf_upload("report.pdf", REPORT_A),
            pdf_upload("report.pdf", REPORT_B),
            png_upload("photo.png"),
        ],
        reflection=REFLECTION,
    )
    review(world, cast, report, "accepted", agreed={"K1": True, "K2": False})
    evil = add(
        world,
        cast,
        "../../etc/passwd \\ notes/ ..",
        ("S1",),
        date(2025, 10, 20),
        files=[pdf_upload("../../secret.pdf", SECRET)],
        kind=Evidence.Kind.REFLECTIVE_ACCOUNT,
    )
    review(world, cast, evil, "needs_work", comment="Say more about the outcome.")
    workshop = add(world, cast, "Team workshop", ("K1",), date(2026, 1, 10))
    review(world, cast, workshop, "accepted")
    draft = add(
        world,
        cast,
        "Unfinished draft",
        ("B1",),
        date(2025, 12, 1),
        files=[pdf_upload("draft.pdf")],
        submit=False,
    )
    return {"report": report, "evil": evil, "workshop": workshop, "draft": draft}


# --- the evidence and coverage -----------------------------------------------------------------------------


def test_uploads_land_in_the_temporary_storage(portfolio, storage):
    stored = EvidenceFile.objects.filter(version__evidence=portfolio["report"]).first()
    assert stored.file.path.startswith(os.path.abspath(storage))
    assert os.path.exists(stored.file.path)


def test_export_evidence_is_every_non_draft_in_date_order(world, portfolio):
    exported = export_evidence(world.enrolment)
    assert [e.pk for e in exported] == [portfolio[k].pk for k in ("evil", "report", "workshop")]
    report = exported[1]
    assert [k.code for k in report.current.ksbs.all()] == ["K1", "K2"]
    assert [f.name for f in report.current.files.all()] == ["report.pdf", "report.pdf", "photo.png"]


def test_coverage_rows_accepted_claimed_and_none(world, portfolio):
    rows = {row["code"]: row for row in coverage_rows(world.enrolment)}
    assert [row["code"] for row in coverage_rows(world.enrolment)] == ["K1", "K2", "S1", "B1"]
    report, evil, workshop = portfolio["report"], portfolio["evil"], portfolio["workshop"]
    assert rows["K1"]["status"] == "accepted"
    assert rows["K1"]["evidence"] == [report.pk, workshop.pk]
    assert rows["K2"] | {"statement": ""} == {
        "code": "K2",
        "kind": "K",
        "statement": "",
        "status": "claimed",  # claimed by accepted evidence, but the tutor did not agree it
        "evidence": [report.pk],
    }
    assert rows["S1"]["status"] == "claimed" and rows["S1"]["evidence"] == [evil.pk]
    assert rows["B1"]["status"] == "none" and rows["B1"]["evidence"] == []  # only a draft claims it


def test_coverage_follows_the_latest_feedback_on_the_current_version(world, cast):
    evidence = add(world, cast, "Stakeholder map", ("S1",), date(2025, 10, 1))
    review(world, cast, evidence, "needs_work", comment="Add the outcome.")
    fields = services.EvidenceFields(
        title="Stakeholder map",
        kind=Evidence.Kind.WORK_PRODUCT,
        occurred_on=date(2025, 10, 1),
        reflection="Now with the outcome.",
        ksb_ids=ksb_ids(world, "S1", "B1"),
    )
    services.evidence_update(evidence=evidence, by=cast.apprentice, fields=fields)
    assert export_evidence(world.enrolment) == []  # version 2 is a draft again
    assert {row["code"]: row["status"] for row in coverage_rows(world.enrolment)}["S1"] == "none"
    services.evidence_submit(evidence=evidence, by=cast.apprentice)
    review(world, cast, evidence, "accepted", agreed={"S1": True, "B1": False})
    rows = {row["code"]: row for row in coverage_rows(world.enrolment)}
    assert (rows["S1"]["status"], rows["S1"]["evidence"]) == ("accepted", [evidence.pk])
    assert (rows["B1"]["status"], rows["B1"]["evidence"]) == ("claimed", [evidence.pk])
    [exported] = export_evidence(world.enrolment)
    assert exported.current.number == 2


def test_only_the_latest_feedback_on_a_version_counts(world, cast):
    """The services give one feedback per version; should a version ever carry two, the later one decides."""
    evidence = add(world, cast, "Budget paper", ("K2",), date(2025, 10, 5))
    review(world, cast, evidence, "accepted", agreed={"K2": True})
    assert {row["code"]: row["status"] for row in coverage_rows(world.enrolment)}["K2"] == "accepted"
    evidence.refresh_from_db()
    later = Feedback.objects.create(
        version=evidence.current,
        reviewer=cast.tutor,
        decision="accepted",
        created_at=evidence.accepted_at + timedelta(minutes=5),
    )
    KSBJudgement.objects.create(feedback=later, ksb_id=ksb_ids(world, "K2")[0], agreed=False)
    row = {row["code"]: row for row in coverage_rows(world.enrolment)}["K2"]
    assert (row["status"], row["evidence"]) == ("claimed", [evidence.pk])


def queries(func, enrolment_pk: int) -> int:
    enrolment = Enrolment.objects.get(pk=enrolment_pk)
    with CaptureQueriesContext(connection) as context:
        func(enrolment)
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_evidence(world, cast):
    def add_pieces(start: int, count: int) -> None:
        for i in range(start, start + count):
            evidence = add(
                world,
                cast,
                f"Piece {i}",
                ("K1", "S1"),
                date(2025, 10, 1) + timedelta(days=i),
                files=[pdf_upload(f"piece-{i}.pdf"), png_upload(f"piece-{i}.png")],
            )
            if i % 2 == 0:
                review(world, cast, evidence, "accepted", agreed={"K1": True, "S1": False})

    def zip_into_memory(enrolment) -> None:
        build_portfolio_zip(enrolment, fileobj=io.BytesIO())

    functions = (export_evidence, coverage_rows, zip_into_memory)
    add_pieces(0, 2)
    with_two = [queries(func, world.enrolment.pk) for func in functions]
    add_pieces(2, 6)
    assert len(export_evidence(world.enrolment)) == 8
    with_eight = [queries(func, world.enrolment.pk) for func in functions]
    assert with_two == with_eight
    assert with_two[0] <= 3 and with_two[1] <= 4


# --- the ZIP -----------------------------------------------------------------------------------------------


def test_the_zip_holds_the_index_the_manifest_and_the_files(world, portfolio):
    archive = read_zip(world.enrolment)
    assert archive.testzip() is None
    assert archive.read("index.pdf").startswith(b"%PDF")
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["apprentice"] == {"name": "Ada Apprentice", "email": "apprentice@example.test"}
    assert manifest["programme"] == "Senior Leader"
    assert manifest["standard"] == {"code": "ST0480", "version": "1.2", "level": 7, "title": "Senior leader"}
    generated = datetime.fromisoformat(manifest["generated_at"])
    assert generated.utcoffset() == timedelta(0)
    evidence = manifest["evidence"]
    assert [(e["id"], e["number"]) for e in evidence] == [
        (portfolio["evil"].pk, 1),
        (portfolio["report"].pk, 2),
        (portfolio["workshop"].pk, 3),
    ]
    report = evidence[1]
    assert report | {"files": []} == {
        "id": portfolio["report"].pk,
        "number": 2,
        "title": "Board report on service redesign",
        "kind": "work_product",
        "occurred_on": "2025-11-03",
        "status": "accepted",
        "version": 1,
        "ksbs": ["K1", "K2"],
        "reflection": REFLECTION,
        "files": [],
    }
    assert evidence[0]["status"] == "needs_work" and evidence[0]["kind"] == "reflective_account"
    assert manifest["coverage"] == coverage_rows(world.enrolment)
    coverage = {row["code"]: row for row in manifest["coverage"]}
    assert coverage["K1"]["status"] == "accepted" and portfolio["report"].pk in coverage["K1"]["evidence"]
    assert coverage["K2"]["status"] == "claimed" and coverage["K2"]["evidence"] == [portfolio["report"].pk]
    assert coverage["B1"]["status"] == "none" and coverage["B1"]["evidence"] == []
    names = set(archive.namelist())
    listed = {f["path_in_zip"] for e in evidence for f in e["files"]}
    assert names == {"index.pdf", "manifest.json"} | listed
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_each_file_in_the_zip_is_the_upload_with_its_recorded_hash(world, portfolio):
    archive = read_zip(world.enrolment)
    manifest = json.loads(archive.read("manifest.json"))
    report = manifest["evidence"][1]
    uploads = [PDF_HEAD + REPORT_A, PDF_HEAD + REPORT_B, PNG_HEAD + b"\x00\x00\x00\rIHDR" + bytes(range(40))]
    assert [f["name"] for f in report["files"]] == ["report.pdf", "report.pdf", "photo.png"]
    assert [f["content_type"] for f in report["files"]] == ["application/pdf", "application/pdf", "image/png"]
    for entry, upload in zip(report["files"], uploads, strict=True):
        data = archive.read(entry["path_in_zip"])
        assert data == upload
        assert entry["size"] == len(upload)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    for entry in (f for e in manifest["evidence"] for f in e["files"]):
        assert hashlib.sha256(archive.read(entry["path_in_zip"])).hexdigest() == entry["sha256"]


@pytest.mark.db_agnostic  # ZIP paths and PDF text, whatever the database
def test_duplicate_file_names_in_a_folder_are_numbered(world, portfolio):
    manifest = json.loads(read_zip(world.enrolment).read("manifest.json"))
    paths = [f["path_in_zip"] for f in manifest["evidence"][1]["files"]]
    assert paths == [
        "evidence/02-board-report-on-service-redesign/report.pdf",
        "evidence/02-board-report-on-service-redesign/report-2.pdf",
        "evidence/02-board-report-on-service-redesign/photo.png",
    ]


@pytest.mark.db_agnostic  # ZIP paths and PDF text, whatever the database
def test_hostile_titles_and_file_names_give_safe_paths(world, portfolio):
    archive = read_zip(world.enrolment)
    manifest = json.loads(archive.read("manifest.json"))
    [secret] = manifest["evidence"][0]["files"]
    assert manifest["evidence"][0]["title"] == "../../etc/passwd \\ notes/ .."
    assert secret["path_in_zip"] == "evidence/01-etcpasswd-notes/secret.pdf"
    assert archive.read(secret["path_in_zip"]) == PDF_HEAD + SECRET
    for name in archive.namelist():
        assert not name.startswith("/") and "\\" not in name and ":" not in name
        assert ".." not in name.split("/") and "" not in name.split("/")
        assert name in ("index.pdf", "manifest.json") or re.fullmatch(r"evidence/\d\d-[a-z0-9-]+/[^/]+", name)


def test_drafts_are_not_exported(world, portfolio):
    archive = read_zip(world.enrolment)
    manifest = json.loads(archive.read("manifest.json"))
    assert portfolio["draft"].pk not in [e["id"] for e in manifest["evidence"]]
    assert not [name for name in archive.namelist() if "draft" in name or "unfinished" in name]
    assert b"Unfinished draft" not in archive.read("index.pdf")
    pdf = PortfolioIndexPDF(
        world.enrolment, export_evidence(world.enrolment), coverage_rows(world.enrolment), compress=False
    )
    assert b"Unfinished draft" not in pdf.render()[2]


def test_large_files_are_copied_whole(world, cast):
    payload = os.urandom(3 * 1024 * 1024 + 17)  # more than one copy chunk
    add(
        world,
        cast,
        "Recorded presentation",
        ("S1",),
        date(2025, 12, 2),
        files=[pdf_upload("talk.pdf", payload)],
    )
    archive = read_zip(world.enrolment)
    manifest = json.loads(archive.read("manifest.json"))
    [entry] = manifest["evidence"][0]["files"]
    assert archive.read(entry["path_in_zip"]) == PDF_HEAD + payload
    assert entry["sha256"] == hashlib.sha256(PDF_HEAD + payload).hexdigest()


def test_an_empty_portfolio_still_exports(world):
    archive = read_zip(world.enrolment)
    assert archive.namelist() == ["index.pdf", "manifest.json"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["evidence"] == []
    assert {row["status"] for row in manifest["coverage"]} == {"none"}


def test_the_response_is_a_zip_download(world, portfolio):
    response = portfolio_zip_response(world.enrolment)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-ada-apprentice.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    # Not response.close(): outside a request it fires request_finished, which closes the test's DB connection.
    assert int(response["Content-Length"]) == len(body)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert {"index.pdf", "manifest.json"} <= set(archive.namelist())
    renamed = portfolio_zip_response(world.enrolment, filename="export.zip")
    assert renamed["Content-Disposition"] == 'attachment; filename="export.zip"'


# --- the index PDF -----------------------------------------------------------------------------------------


@pytest.mark.db_agnostic  # ZIP paths and PDF text, whatever the database
def test_the_index_pdf_shows_the_portfolio(world, portfolio, settings):
    settings.INSTITUTION_NAME = "University of Westmoor"
    long_statement = "Leads strategic change " + "across complex organisations " * 10 + "UNSHOWN-TAIL"
    KSB.objects.filter(standard=world.programme.standard, code="K2").update(statement=long_statement)
    filename, content_type, data = PortfolioIndexPDF(
        world.enrolment, export_evidence(world.enrolment), coverage_rows(world.enrolment), compress=False
    ).render()
    assert filename == "portfolio-index-ada-apprentice.pdf"
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data and b"/Helvetica" not in data  # Vera embedded, no core fonts
    lines = pdf_text(data)
    text = " ".join(" ".join(lines).split())
    for expected in [
        "Portfolio index",
        "University of Westmoor",
        "Ada Apprentice",
        "Senior Leader",
        "ST0480 v1.2 Senior leader (Level 7)",
        "Northshire County Council",
        "Evidence list",
        "Board report on service redesign",
        "Work product",
        "3 November 2025",
        "More work needed",
        "report.pdf",
        "photo.png",
        "KSB mapping",
        "Accepted",
        "Claimed",
        "Leads strategic change",
        "Reflective accounts",
        "../../etc/passwd \\ notes/ ..",
        "Page 1 of",
    ]:
        assert expected in text, expected
    assert "UNSHOWN-TAIL" not in text  # statements are shortened
    # the reflection, escaped and with its line breaks kept
    assert "First line of my account." in lines
    assert "Second line & <more> to say." in lines
    assert "After a blank line." in lines
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    assert pages and all(total == pages[0][1] for _, total in pages)
    assert [int(n) for n, _ in pages] == list(range(1, int(pages[0][1]) + 1))


@pytest.mark.db_agnostic  # ZIP paths and PDF text, whatever the database
def test_the_index_pdf_of_an_empty_portfolio(world):
    _, _, data = PortfolioIndexPDF(
        world.enrolment, [], coverage_rows(world.enrolment), compress=False
    ).render()
    text = " ".join(pdf_text(data))
    assert "No evidence has been submitted yet." in text
    assert "4 KSBs: 0 accepted" in text
