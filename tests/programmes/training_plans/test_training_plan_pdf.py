"""The training-plan PDF (programmes.training_plans.pdf.TrainingPlanPDF): a real PDF with embedded fonts, the plan's
content, and a last-page signature log with the content hash and whether it still matches.

Rendered uncompressed (``compress=False``) so the tests can find the text in the raw bytes."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reportlab.platypus import PageBreak, Paragraph

from core.pdf import register_fonts
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan
from programmes.training_plans.pdf import TrainingPlanPDF
from tests.programmes.training_plans.test_training_plan_rules import (
    save_draft,
    send_first_version,
    sign,
    sign_all,
)

NOW = datetime(2025, 10, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _standard_minimum(world):
    world.programme.standard.otj_minimum_hours = Decimal("460")
    world.programme.standard.save()


@pytest.fixture
def signed(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    for user in (cast.apprentice, cast.line_manager, cast.director):
        sign(
            plan,
            user,
            ip_address="203.0.113.9",
            user_agent="Mozilla/5.0 (X11; Linux x86_64) " + "Gecko/" * 40,
        )
    plan.refresh_from_db()
    return plan


def render(plan, **options):
    return TrainingPlanPDF(plan, compress=False, **options).render()


def pdf_text(data: bytes) -> str:
    """The text an uncompressed PDF shows, one line per text line: ``(...) Tj`` strings joined until ``T*``/``ET``.

    reportlab writes ASCII characters as themselves, so this is enough to read names, dates and hashes."""
    lines, line = [], []
    for shown, operator in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*|\bET\b)", data):
        if operator:
            lines.append("".join(line))
            line = []
        else:
            line.append(re.sub(rb"\\([()\\])", rb"\1", shown).decode("latin-1"))
    return "\n".join(text for text in lines if text)


def text_of(plan, **options) -> str:
    """The rendered text with line wrapping undone (lines joined by spaces)."""
    return " ".join(pdf_text(render(plan, **options)[2]).split())


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_render_returns_a_named_pdf(signed):
    filename, content_type, data = TrainingPlanPDF(signed).render()
    assert filename == "training-plan-ada-apprentice-v1.pdf"
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_the_filename_is_a_slug_of_the_apprentice_and_the_version(world, cast):
    cast.apprentice.full_name = "Zoë O'Brien-Smith"
    cast.apprentice.save()
    draft = save_draft(world.enrolment, cast.director)
    assert TrainingPlanPDF(draft).filename() == "training-plan-zoe-obrien-smith-v1.pdf"


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_the_font_is_embedded_and_the_unembedded_core_fonts_are_not_used(signed):
    _, _, data = TrainingPlanPDF(signed).render()
    assert b"/FontFile2" in data
    assert b"BitstreamVeraSans" in data and b"Vera" in data
    assert b"/Helvetica" not in data and b"/Times" not in data
    register_fonts()  # registering again is harmless


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_the_plan_content_is_in_the_pdf(signed, settings):
    settings.INSTITUTION_NAME = "University of Westmoor"
    text = text_of(signed)
    for expected in [
        "Tripartite commitment statement (training plan)",
        "University of Westmoor",
        "Version 1",
        "Signed",
        "Apprentice Ada Apprentice (apprentice@example.test)",
        "Line manager Mina Manager (manager@example.test)",
        "Programme directors Dana Director",
        "Practice tutor Tara Tutor",
        "Northshire County Council",
        "ST0480 v1.2 Senior leader (Level 7)",
        "Learning start date 15 September 2025",  # dates in UK format
        "13 September 2027",
        "Planned off-the-job hours 460 h",
        "460 h standard minimum",  # ... and how they were worked out
        "Delivery schedule",
        "1. Leadership 22 September 2025 to 2 November 2025 3 November 2025 4 November 2025",
        "Lee Lead",
        "I will attend the online and campus sessions",  # each party's commitments
        "We will employ the apprentice",
        "We will deliver the modules as scheduled",
        "How to complain",
    ]:
        assert expected in text, expected


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_the_signature_log_is_on_the_last_page(signed):
    story = TrainingPlanPDF(signed).story()
    headings = [
        i for i, f in enumerate(story) if isinstance(f, Paragraph) and f.getPlainText() == "Signature log"
    ]
    assert len(headings) == 1
    assert isinstance(story[headings[0] - 1], PageBreak)
    assert not any(isinstance(f, PageBreak) for f in story[headings[0] :])
    lines = pdf_text(render(signed)[2]).splitlines()
    footers = [i for i, line in enumerate(lines) if re.fullmatch(r"Page \d+ of \d+", line)]
    assert len(footers) >= 2 and lines[footers[-1]] == f"Page {len(footers)} of {len(footers)}"
    # Each page's footer is drawn after its content, so the last page runs from the previous footer.
    assert footers[-2] < lines.index("Signature log") < footers[-1]


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_the_signature_log_shows_each_signature_and_the_full_hash(signed):
    _, _, data = render(signed)
    assert signed.content_hash.encode() in data  # the full SHA-256, searchable in the raw bytes
    for name in (b"Ada Apprentice", b"Mina Manager", b"Dana Director"):
        assert name in data
    text = " ".join(pdf_text(data).split())
    log = text[text.index("Signature log") :]
    for role, name in [
        ("Apprentice", "Ada Apprentice"),
        ("Employer (line manager)", "Mina Manager"),
        ("Provider (programme director)", "Dana Director"),
    ]:
        assert f"{role} {name} typed: {name} 1 October 2025 at 12:00:00 BST IP 203.0.113.9" in log
    assert log.count("password") == 3
    assert "Gecko/" * 12 not in log  # the user agent is shortened
    assert f"recorded when it was sent: {signed.content_hash}" in log
    assert "matches this hash" in log and "INVALID" not in log
    assert f"SHA-256 {signed.content_hash[:16]}" in text  # each page's footer carries the hash's prefix
    numbers = re.findall(r"Page (\d+) of (\d+)", text)
    assert [int(page) for page, _ in numbers] == list(range(1, len(numbers) + 1))
    assert {int(total) for _, total in numbers} == {len(numbers)} and len(numbers) >= 2


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_a_plan_awaiting_signatures_lists_who_has_still_to_sign(world, cast):
    plan = send_first_version(world.enrolment, cast.director)
    sign(plan, cast.apprentice)
    text = text_of(plan)
    assert "Awaiting signatures" in text
    assert (
        "Signatures outstanding: Employer (line manager) (Mina Manager); "
        "Provider (programme director) (Dana Director)"
    ) in text
    assert "typed: Ada Apprentice" in text
    assert plan.content_hash in text


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_a_draft_says_it_is_a_draft(world, cast):
    text = text_of(save_draft(world.enrolment, cast.director))
    assert "This is a draft" in text and "not yet sent" in text
    assert "No signatures yet" in text and "Signatures outstanding: Apprentice (Ada Apprentice)" in text


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_a_minor_revision_shows_the_signatures_it_rests_on(world, cast, signed):
    world.module_run.campus_start += timedelta(days=7)
    world.module_run.save()
    minor = plan_services.plan_send(
        plan=save_draft(world.enrolment, cast.director, change_summary="Campus days moved a week"),
        by=cast.director,
    )
    assert minor.revision == TrainingPlan.Revision.MINOR
    filename, _, data = render(minor)
    assert filename == "training-plan-ada-apprentice-v2.pdf"
    text = " ".join(pdf_text(data).split())
    assert "Version 2" in text and "What changed: Campus days moved a week" in text
    assert "minor revision" in text and "rests on the signatures of version 1" in text
    for name in ("Ada Apprentice", "Mina Manager", "Dana Director"):
        assert f"typed: {name}" in text
    assert "Signatures outstanding" not in text
    assert minor.content_hash.encode() in data and "INVALID" not in text


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_an_altered_plan_is_marked_invalid(signed):
    content = TrainingPlan.objects.get(pk=signed.pk).content
    content["otj"]["planned_hours"] = "100.00"
    TrainingPlan.objects.filter(pk=signed.pk).update(content=content)
    signed.refresh_from_db()
    text = text_of(signed)
    assert "INVALID: Version 1's stored content no longer matches the hash" in text
    assert "matches this hash and" not in text


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_user_text_is_escaped(world, cast):
    cast.apprentice.full_name = "Ada <b>Apprentice"
    cast.apprentice.save()
    commitment = "<script>alert(1)</script> & R&D <b>unclosed <para> &amp; &#x41;"
    draft = save_draft(
        world.enrolment,
        cast.director,
        apprentice_commitments=commitment,
        support="Line one\nLine two <br/>",
        epao_name="Assessors & Co <Ltd>",
    )
    plan = plan_services.plan_send(plan=draft, by=cast.director)
    TrainingPlan.objects.filter(pk=plan.pk).update(change_summary="<i>unbalanced")
    plan.refresh_from_db()
    filename, content_type, data = render(plan)
    assert filename == "training-plan-ada-bapprentice-v1.pdf" and content_type == "application/pdf"
    lines = pdf_text(data).splitlines()
    text = " ".join(" ".join(lines).split())
    assert commitment in text  # shown exactly as written, not interpreted as markup
    assert "Assessors & Co <Ltd>" in text
    assert "Ada <b>Apprentice" in text
    assert "What changed: <i>unbalanced" in text
    assert "Line one" in lines and "Line two <br/>" in lines  # line breaks kept


def test_rendering_only_reads(signed, django_assert_max_num_queries):
    history = TrainingPlan.history.count()
    with CaptureQueriesContext(connection) as queries:
        first = TrainingPlanPDF(signed, invariant=True).render()
        second = TrainingPlanPDF(signed, invariant=True).render()
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert first == second  # the same plan renders to the same bytes
    assert TrainingPlan.history.count() == history
    assert PlanSignature.objects.count() == 3
    with django_assert_max_num_queries(20):
        TrainingPlanPDF(signed).render()


@pytest.mark.db_agnostic  # the PDF's text and layout, whatever the database
def test_display_rounding_applies_to_the_planned_hours(world, cast, settings):
    plan = sign_all(
        send_first_version(
            world.enrolment,
            cast.director,
            prior_learning_hours=Decimal("10.5"),
            prior_learning_notes="CMI L5",
        ),
        cast,
    )
    settings.OTJ_DISPLAY_ROUNDING = "up"
    assert "Planned off-the-job hours 450 h (exactly 449.5 h)" in text_of(plan)
    settings.OTJ_DISPLAY_ROUNDING = "none"
    assert b"449.5 h" in render(plan)[2]
