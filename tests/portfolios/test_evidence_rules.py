"""Portfolio evidence rules (portfolios.services): drafts, submission, versions, tutor feedback per KSB,
locking, deletion, and hostile uploads that must leave nothing behind — no rows and no files on disk.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core.errors import ActionNotAllowed, ConflictError, DomainError
from portfolios import selectors, services
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback, KSBJudgement
from programmes.models import Enrolment
from tests.factories import KSBFactory, StandardFactory
from tests.portfolios.evidence_helpers import (
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    SVG_BYTES,
    accept,
    add,
    coverage,
    disguised,
    fields,
    files_under,
    ksb,
    needs_work,
    nothing_stored,
    pdf,
    png,
    review,
    with_raw_name,
)

NOT_THE_APPRENTICE = (
    "line_manager",
    "tutor",
    "director",
    "other_apprentice",
    "other_tutor",
    "module_lead",
    "assessor",
    "admin",
)
NOT_THE_TUTOR = (
    "apprentice",
    "line_manager",
    "director",
    "other_tutor",
    "other_director",
    "module_lead",
    "assessor",
    "admin",
)


# --- drafts and submission ----------------------------------------------------------------------------------


def test_apprentice_saves_a_draft_with_files_stored_privately_under_generated_names(world, cast):
    evidence = add(world, cast, "K1", files=[pdf("Board paper.pdf"), png("org chart.png")], submit=False)

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.DRAFT
    assert evidence.submitted_at is None
    version = evidence.current
    assert version.number == 1 and version.title == "Board paper"
    assert list(version.ksbs.values_list("code", flat=True)) == ["K1"]
    stored = list(version.files.order_by("name"))
    assert [(f.name, f.content_type, f.size) for f in stored] == [
        ("Board paper.pdf", "application/pdf", len(PDF_BYTES)),
        ("org chart.png", "image/png", len(PNG_BYTES)),
    ]
    for file in stored:
        assert file.uploaded_by == cast.apprentice
        assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png)", file.file.name), file.file.name
        assert default_storage.exists(file.file.name)
    assert [p.read_bytes() for p in files_under()] != []
    assert sorted(p.read_bytes() for p in files_under()) == sorted([PDF_BYTES, PNG_BYTES])


def test_apprentice_submits_evidence_straight_away(world, cast):
    evidence = add(world, cast, "K1", "S1")

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.submitted_at is not None
    assert evidence.current.submitted_at == evidence.submitted_at


def test_evidence_created_and_submitted_is_returned_as_submitted(world, cast):
    """Callers (the add-evidence page picks its message from it) get the evidence as it now is."""
    evidence = add(world, cast, "K1")
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.submitted_at is not None


def test_a_draft_is_submitted_later(world, cast):
    evidence = add(world, cast, "K1", submit=False)
    assert list(selectors.review_queue(cast.tutor)) == []

    services.evidence_submit(evidence=evidence, by=cast.apprentice)

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert list(selectors.review_queue(cast.tutor)) == [evidence]


def test_submitting_needs_at_least_one_ksb(world, cast):
    with pytest.raises(DomainError, match="at least one KSB") as refused:
        add(world, cast, submit=True)
    assert refused.value.field == "ksbs"
    assert not Evidence.objects.exists()

    draft = add(world, cast, submit=False)  # a draft may have none yet
    with pytest.raises(DomainError, match="at least one KSB"):
        services.evidence_submit(evidence=draft, by=cast.apprentice)
    draft.refresh_from_db()
    assert draft.status == Evidence.Status.DRAFT


def test_submitted_evidence_cannot_be_submitted_again(world, cast):
    evidence = add(world, cast, "K1")
    with pytest.raises(ConflictError):
        services.evidence_submit(evidence=evidence, by=cast.apprentice)


def test_ksbs_must_come_from_the_enrolments_standard_version(world, cast):
    older = StandardFactory(code="ST0480", version="1.1")
    foreign = KSBFactory(standard=older, code="K1", kind="K")

    with pytest.raises(DomainError, match="standard's version") as refused:
        services.evidence_create(
            enrolment=world.enrolment,
            by=cast.apprentice,
            fields=services.EvidenceFields(
                title="Board paper",
                kind="work_product",
                occurred_on=timezone.localdate(),
                reflection="I led it.",
                ksb_ids=[ksb(world, "K2").pk, foreign.pk],
            ),
        )
    assert refused.value.field == "ksbs"
    assert not Evidence.objects.exists()

    draft = add(world, cast, "K1", submit=False)
    changed = fields(world, "K1")
    changed.ksb_ids = [foreign.pk]
    with pytest.raises(DomainError, match="standard's version"):
        services.evidence_update(evidence=draft, by=cast.apprentice, fields=changed)
    assert list(draft.current.ksbs.values_list("code", flat=True)) == ["K1"]


def test_an_unknown_ksb_is_refused(world, cast):
    bad = fields(world, "K1")
    bad.ksb_ids = [*bad.ksb_ids, 999_999]
    with pytest.raises(DomainError, match="standard's version"):
        services.evidence_create(enrolment=world.enrolment, by=cast.apprentice, fields=bad)


def test_the_activity_cannot_be_dated_in_the_future(world, cast):
    future = fields(world, "K1", occurred_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(DomainError, match="future") as refused:
        services.evidence_create(enrolment=world.enrolment, by=cast.apprentice, fields=future, submit=True)
    assert refused.value.field == "occurred_on"
    assert not Evidence.objects.exists()

    today = fields(world, "K1", occurred_on=timezone.localdate())
    assert services.evidence_create(enrolment=world.enrolment, by=cast.apprentice, fields=today)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"title": "   "}, "title"), ({"title": "x" * 201}, "title"), ({"reflection": "  "}, "reflection")],
)
def test_title_and_reflective_account_are_required(world, cast, change, field):
    bad = fields(world, "K1")
    for name, value in change.items():
        setattr(bad, name, value)
    with pytest.raises(DomainError) as refused:
        services.evidence_create(enrolment=world.enrolment, by=cast.apprentice, fields=bad)
    assert refused.value.field == field
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("member", NOT_THE_APPRENTICE)
def test_only_the_apprentice_adds_evidence(world, cast, member, tmp_path):
    with pytest.raises(ActionNotAllowed):
        add(world, cast, "K1", files=[pdf()], by=getattr(cast, member))
    assert nothing_stored(tmp_path)


@pytest.mark.parametrize("member", ("tutor", "line_manager", "director", "other_apprentice"))
def test_only_the_apprentice_changes_submits_revises_or_deletes_evidence(world, cast, member):
    someone = getattr(cast, member)
    draft = add(world, cast, "K1", submit=False)
    accepted = add(world, cast, "K2", title="Accepted")
    accept(accepted, cast.tutor)

    with pytest.raises(ActionNotAllowed):
        services.evidence_update(evidence=draft, by=someone, fields=fields(world, "K1", title="Hijacked"))
    with pytest.raises(ActionNotAllowed):
        services.evidence_submit(evidence=draft, by=someone)
    with pytest.raises(ActionNotAllowed):
        services.evidence_delete(evidence=draft, by=someone)
    with pytest.raises(ActionNotAllowed):
        services.evidence_revise(evidence=accepted, by=someone)
    draft.refresh_from_db()
    assert (draft.status, draft.current.title) == (Evidence.Status.DRAFT, "Board paper")
    assert accepted.versions.count() == 1


def test_no_evidence_once_the_apprenticeship_has_ended(world, cast):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(DomainError, match="ended"):
        add(world, cast, "K1")
    assert not Evidence.objects.exists()


# --- feedback -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", NOT_THE_TUTOR)
def test_only_the_practice_tutor_gives_feedback(world, cast, member):
    evidence = add(world, cast, "K1")
    with pytest.raises(ActionNotAllowed):
        accept(evidence, getattr(cast, member))
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert not Feedback.objects.exists()


def test_feedback_only_on_evidence_awaiting_review(world, cast):
    draft = add(world, cast, "K1", submit=False)
    with pytest.raises(ConflictError):
        accept(draft, cast.tutor)

    accepted = add(world, cast, "K1", title="Accepted")
    accept(accepted, cast.tutor)
    with pytest.raises(ConflictError):
        accept(accepted, cast.tutor)
    with pytest.raises(ConflictError):
        needs_work(accepted, cast.tutor)

    sent_back = add(world, cast, "K1", title="Sent back")
    needs_work(sent_back, cast.tutor)
    with pytest.raises(ConflictError):
        accept(sent_back, cast.tutor)
    assert Feedback.objects.count() == 2


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_asking_for_more_work_needs_a_comment(world, cast, comment):
    evidence = add(world, cast, "K1")
    with pytest.raises(DomainError, match="Say what more is needed") as refused:
        needs_work(evidence, cast.tutor, comment=comment)
    assert refused.value.field == "comment"
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert not Feedback.objects.exists()


def test_an_unknown_decision_is_refused(world, cast):
    evidence = add(world, cast, "K1")
    with pytest.raises(DomainError) as refused:
        review(evidence, cast.tutor, "maybe")
    assert refused.value.field == "decision"
    assert not Feedback.objects.exists()


def test_the_tutor_judges_only_the_ksbs_the_evidence_claims(world, cast):
    evidence = add(world, cast, "K1")
    with pytest.raises(DomainError, match="Judge only"):
        review(evidence, cast.tutor, agree=("K1", "S1"))
    assert not Feedback.objects.exists()


def test_accepting_needs_agreement_with_at_least_one_ksb(world, cast):
    evidence = add(world, cast, "K1", "K2")
    with pytest.raises(DomainError, match="at least one KSB"):
        review(evidence, cast.tutor, disagree=("K1", "K2"))
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED


def test_accepting_records_a_judgement_per_claimed_ksb(world, cast):
    evidence = add(world, cast, "K1", "K2", "S1")
    feedback = review(evidence, cast.tutor, agree=("K1",), disagree=("K2",))

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.ACCEPTED and evidence.accepted_at is not None
    assert feedback.version == evidence.current and feedback.reviewer == cast.tutor
    judgements = {j.ksb.code: j.agreed for j in KSBJudgement.objects.filter(feedback=feedback)}
    assert judgements == {"K1": True, "K2": False, "S1": True}  # S1 not judged explicitly: agreed on accept


def test_coverage_counts_only_the_ksbs_the_tutor_agreed(world, cast):
    evidence = add(world, cast, "K1", "K2", "S1")
    assert coverage(world.enrolment) == {"K1": "claimed", "K2": "claimed", "S1": "claimed", "B1": "none"}

    review(evidence, cast.tutor, agree=("K1", "S1"), disagree=("K2",))

    statuses = coverage(world.enrolment)
    assert statuses["K1"] == statuses["S1"] == "accepted"
    assert statuses["K2"] != "accepted"
    assert statuses["K2"] == "claimed"  # the accepted version still claims it; the tutor did not agree
    assert statuses["B1"] == "none"
    rows = {row.ksb.code: row for row in selectors.ksb_coverage(world.enrolment)}
    assert [e.pk for e in rows["K1"].accepted] == [evidence.pk] and rows["K1"].evidence_count == 1
    assert rows["K2"].accepted == [] and rows["K2"].evidence_count == 0


def test_a_disagreed_ksb_is_accepted_through_other_evidence(world, cast):
    first = add(world, cast, "K1", "K2", title="First")
    review(first, cast.tutor, agree=("K1",), disagree=("K2",))
    second = add(world, cast, "K2", title="Second")
    assert coverage(world.enrolment)["K2"] == "claimed"

    accept(second, cast.tutor)

    rows = {row.ksb.code: row for row in selectors.ksb_coverage(world.enrolment)}
    assert rows["K2"].status == "accepted"
    assert [e.pk for e in rows["K2"].accepted] == [second.pk]


def test_drafts_never_submitted_do_not_count_as_claimed(world, cast):
    add(world, cast, "K1", "S1", submit=False)
    assert set(coverage(world.enrolment).values()) == {"none"}


# --- versions -----------------------------------------------------------------------------------------------


def test_revising_evidence_sent_back_creates_version_2_and_keeps_version_1_and_its_feedback(world, cast):
    evidence = add(world, cast, "K1", files=[pdf()])
    first = evidence.current
    first_file = first.files.get()
    feedback = review(
        evidence, cast.tutor, Feedback.Decision.NEEDS_WORK, comment="Add the outcome.", disagree=("K1",)
    )

    services.evidence_update(
        evidence=evidence,
        by=cast.apprentice,
        fields=fields(world, "K1", "S1", title="Board paper (with outcome)"),
        add_files=[png()],
    )

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.DRAFT
    second = evidence.current
    assert second.number == 2 and second.pk != first.pk
    assert second.title == "Board paper (with outcome)"
    assert sorted(second.ksbs.values_list("code", flat=True)) == ["K1", "S1"]
    carried = second.files.get(content_type="application/pdf")
    assert (carried.file.name, carried.name, carried.sha256) == (
        first_file.file.name,
        first_file.name,
        first_file.sha256,
    )
    assert second.files.filter(content_type="image/png").count() == 1

    first.refresh_from_db()
    assert first.title == "Board paper"
    assert list(first.ksbs.values_list("code", flat=True)) == ["K1"]
    assert list(first.files.all()) == [first_file]
    assert list(first.feedback.all()) == [feedback]
    assert feedback.comment == "Add the outcome."
    assert list(feedback.judgements.values_list("ksb__code", "agreed")) == [("K1", False)]
    assert default_storage.exists(first_file.file.name)

    services.evidence_submit(evidence=evidence, by=cast.apprentice)
    accept(evidence, cast.tutor)
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.ACCEPTED
    assert list(evidence.versions.values_list("number", flat=True)) == [2, 1]


def test_a_second_edit_of_the_new_draft_does_not_create_another_version(world, cast):
    evidence = add(world, cast, "K1")
    needs_work(evidence, cast.tutor)
    services.evidence_update(
        evidence=evidence, by=cast.apprentice, fields=fields(world, "K1", title="Take 2")
    )
    services.evidence_update(
        evidence=evidence, by=cast.apprentice, fields=fields(world, "K1", title="Take 3")
    )
    assert list(evidence.versions.values_list("number", "title")) == [(2, "Take 3"), (1, "Board paper")]


def test_evidence_sent_back_is_not_resubmitted_unchanged(world, cast):
    evidence = add(world, cast, "K1")
    needs_work(evidence, cast.tutor)
    with pytest.raises(ConflictError):
        services.evidence_submit(evidence=evidence, by=cast.apprentice)


def test_files_removed_while_revising_are_left_out_of_the_new_version(world, cast):
    """The files offered for removal are the current version's; one removed is left out of the new version."""
    evidence = add(world, cast, "K1", files=[pdf(), png()])
    needs_work(evidence, cast.tutor)
    first = evidence.current
    unwanted = first.files.get(content_type="image/png")

    services.evidence_update(
        evidence=evidence,
        by=cast.apprentice,
        fields=fields(world, "K1"),
        remove_file_ids=[unwanted.pk],
    )

    evidence.refresh_from_db()
    assert evidence.current.number == 2
    assert list(evidence.current.files.values_list("content_type", flat=True)) == ["application/pdf"]
    assert first.files.count() == 2  # version 1 keeps what the tutor saw


def test_files_removed_from_a_draft_are_gone_from_it(world, cast):
    evidence = add(world, cast, "K1", files=[pdf(), png()], submit=False)
    unwanted = evidence.current.files.get(content_type="image/png")
    services.evidence_update(
        evidence=evidence, by=cast.apprentice, fields=fields(world, "K1"), remove_file_ids=[unwanted.pk]
    )
    evidence.refresh_from_db()
    assert evidence.current.number == 1
    assert list(evidence.current.files.values_list("name", flat=True)) == ["board-paper.pdf"]


def test_a_file_removed_from_a_draft_is_deleted_from_storage_once_committed(
    world, cast, django_capture_on_commit_callbacks
):
    evidence = add(world, cast, "K1", files=[pdf(), png()], submit=False)
    unwanted = evidence.current.files.get(content_type="image/png")
    kept = evidence.current.files.get(content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_update(
            evidence=evidence, by=cast.apprentice, fields=fields(world, "K1"), remove_file_ids=[unwanted.pk]
        )
    assert not default_storage.exists(unwanted.file.name)
    assert default_storage.exists(kept.file.name)


def test_a_file_removed_while_revising_stays_in_storage_for_the_earlier_version(
    world, cast, django_capture_on_commit_callbacks
):
    evidence = add(world, cast, "K1", files=[pdf(), png()])
    needs_work(evidence, cast.tutor)
    unwanted = evidence.current.files.get(content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_update(
            evidence=evidence, by=cast.apprentice, fields=fields(world, "K1"), remove_file_ids=[unwanted.pk]
        )
    assert default_storage.exists(unwanted.file.name)
    assert len(files_under()) == 2


def test_evidence_awaiting_review_cannot_change(world, cast):
    evidence = add(world, cast, "K1")
    with pytest.raises(ConflictError, match="awaiting review"):
        services.evidence_update(
            evidence=evidence, by=cast.apprentice, fields=fields(world, "K1", title="New")
        )
    with pytest.raises(ConflictError):
        services.evidence_revise(evidence=evidence, by=cast.apprentice)
    assert evidence.versions.count() == 1


def test_a_draft_is_edited_not_revised(world, cast):
    evidence = add(world, cast, "K1", submit=False)
    with pytest.raises(ConflictError):
        services.evidence_revise(evidence=evidence, by=cast.apprentice)
    services.evidence_update(
        evidence=evidence, by=cast.apprentice, fields=fields(world, "K2", title="Better")
    )
    assert list(evidence.versions.values_list("number", "title")) == [(1, "Better")]


def test_accepted_evidence_is_locked_and_a_revision_returns_it_to_review(world, cast):
    evidence = add(world, cast, "K1", "S1", files=[pdf()])
    accept(evidence, cast.tutor)
    assert coverage(world.enrolment)["K1"] == "accepted"

    with pytest.raises(ConflictError, match="locked"):
        services.evidence_update(
            evidence=evidence, by=cast.apprentice, fields=fields(world, "K1", title="Sneaky")
        )
    with pytest.raises(ConflictError):
        services.evidence_submit(evidence=evidence, by=cast.apprentice)
    evidence.refresh_from_db()
    assert evidence.current.number == 1 and evidence.current.title == "Board paper"

    services.evidence_revise(evidence=evidence, by=cast.apprentice)

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.DRAFT
    assert evidence.accepted_at is None and evidence.submitted_at is None
    assert evidence.current.number == 2
    assert evidence.current.files.count() == 1
    statuses = coverage(world.enrolment)
    assert statuses["K1"] != "accepted" and statuses["S1"] != "accepted"
    assert statuses["K1"] == "none"  # a revision counts again once it is resubmitted (as in the export)

    services.evidence_update(
        evidence=evidence, by=cast.apprentice, fields=fields(world, "K1", "S1", title="v2")
    )
    services.evidence_submit(evidence=evidence, by=cast.apprentice)
    assert list(selectors.review_queue(cast.tutor)) == [evidence]
    assert coverage(world.enrolment)["K1"] == "claimed"
    accept(evidence, cast.tutor)
    assert coverage(world.enrolment)["K1"] == "accepted"
    assert EvidenceVersion.objects.filter(evidence=evidence).count() == 2
    assert Feedback.objects.filter(version__evidence=evidence).count() == 2


# --- deletion -----------------------------------------------------------------------------------------------


def test_a_draft_is_deleted_with_its_files_once_the_transaction_commits(
    world, cast, django_capture_on_commit_callbacks
):
    evidence = add(world, cast, "K1", files=[pdf(), png()], submit=False)
    names = list(EvidenceFile.objects.values_list("file", flat=True))
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.evidence_delete(evidence=evidence, by=cast.apprentice)
    assert not Evidence.objects.exists() and not EvidenceVersion.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert all(default_storage.exists(name) for name in names)  # not before the commit
    for callback in callbacks:
        callback()
    assert files_under() == []


def test_deleting_a_draft_removes_its_files(world, cast, django_capture_on_commit_callbacks, tmp_path):
    evidence = add(world, cast, "K1", files=[pdf()], submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, by=cast.apprentice)
    assert nothing_stored(tmp_path)


def test_deleting_one_draft_keeps_other_evidence_and_its_files(
    world, cast, django_capture_on_commit_callbacks
):
    kept = add(world, cast, "K1", files=[pdf("kept.pdf")])
    draft = add(world, cast, "K1", files=[pdf("draft.pdf")], submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=draft, by=cast.apprentice)
    assert list(Evidence.objects.all()) == [kept]
    assert [Path(p).name for p in files_under()] == [Path(kept.current.files.get().file.name).name]


@pytest.mark.parametrize("state", ["submitted", "accepted", "needs_work", "revised"])
def test_evidence_a_tutor_has_seen_cannot_be_deleted(world, cast, state, django_capture_on_commit_callbacks):
    evidence = add(world, cast, "K1", files=[pdf()])
    if state in ("accepted", "revised"):
        accept(evidence, cast.tutor)
    if state == "needs_work":
        needs_work(evidence, cast.tutor)
    if state == "revised":
        services.evidence_revise(evidence=evidence, by=cast.apprentice)  # a draft again, but once submitted

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError):
        services.evidence_delete(evidence=evidence, by=cast.apprentice)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert len(files_under()) == 1


# --- hostile uploads ----------------------------------------------------------------------------------------


def hostile_samples():
    return {
        "oversize": lambda: pdf("big.pdf", PDF_BYTES + b"%" * 4096),
        "wrong-magic-bytes": lambda: disguised("report.pdf", b"\x00\x01\x02\x03 not a pdf at all" * 4),
        "html-disguised-as-pdf": lambda: disguised("report.pdf", HTML_BYTES),
        "svg-disguised-as-pdf": lambda: disguised("report.pdf", SVG_BYTES),
        "html-with-path-traversal-name": lambda: with_raw_name(
            disguised("passwd.pdf", HTML_BYTES), "../../../etc/passwd.pdf"
        ),
        "windows-path-name": lambda: with_raw_name(disguised("x.pdf", SVG_BYTES), "C:\\evil\\..\\x.pdf"),
        "zero-byte": lambda: disguised("empty.pdf", b""),
        "exe": lambda: disguised("invoice.pdf", b"MZ\x90\x00" + bytes(60)),
    }


HOSTILE = list(hostile_samples())


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024


@pytest.mark.parametrize("sample", HOSTILE)
@pytest.mark.parametrize("submit", [True, False], ids=["submit", "draft"])
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    world, cast, sample, submit, small_limit, tmp_path
):
    with pytest.raises(DomainError) as refused:
        add(world, cast, "K1", files=[hostile_samples()[sample]()], submit=submit)
    assert refused.value.field == "files"
    assert not isinstance(refused.value, ActionNotAllowed | ConflictError)
    assert nothing_stored(tmp_path)
    assert not EvidenceVersion.objects.exists()


@pytest.mark.parametrize("sample", HOSTILE)
def test_a_file_refused_among_valid_ones_stores_none_of_them(world, cast, sample, small_limit, tmp_path):
    files = [pdf("one.pdf"), hostile_samples()[sample](), png("two.png")]
    with pytest.raises(DomainError):
        add(world, cast, "K1", files=files)
    assert nothing_stored(tmp_path)


def test_the_last_file_refused_stores_none_of_the_earlier_ones(world, cast, tmp_path):
    with pytest.raises(DomainError, match="not a file type we accept"):
        add(world, cast, "K1", files=[pdf("one.pdf"), png("two.png"), disguised("three.pdf", HTML_BYTES)])
    assert nothing_stored(tmp_path)


def test_more_than_ten_files_are_refused_and_nothing_is_stored(world, cast, tmp_path):
    with pytest.raises(DomainError, match="at most 10 files"):
        add(world, cast, "K1", files=[pdf(f"part {n}.pdf") for n in range(11)])
    assert nothing_stored(tmp_path)


@pytest.mark.parametrize("sample", HOSTILE)
def test_hostile_uploads_while_revising_leave_the_evidence_as_it_was(world, cast, sample, small_limit):
    evidence = add(world, cast, "K1", files=[pdf()])
    needs_work(evidence, cast.tutor)
    before = files_under()

    with pytest.raises(DomainError):
        services.evidence_update(
            evidence=evidence,
            by=cast.apprentice,
            fields=fields(world, "K1", title="Revised"),
            add_files=[png(), hostile_samples()[sample]()],
        )

    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.NEEDS_WORK
    assert list(evidence.versions.values_list("number", flat=True)) == [1]
    assert EvidenceFile.objects.count() == 1
    assert files_under() == before


def test_a_path_in_a_valid_files_name_never_reaches_the_file_system(world, cast, tmp_path):
    upload = with_raw_name(pdf(), "../../../../outside/evil.pdf")
    evidence = add(world, cast, "K1", files=[upload])

    stored = evidence.current.files.get()
    assert stored.name == "evil.pdf"
    assert ".." not in stored.file.name and "evil" not in stored.file.name
    assert [p.name for p in files_under(tmp_path)] == [Path(stored.file.name).name]
    assert all(Path(default_storage.location) in p.parents for p in files_under(tmp_path))
    assert not (tmp_path.parent / "outside").exists()


def test_a_wrong_extension_is_corrected_to_the_detected_type(world, cast):
    evidence = add(world, cast, "K1", files=[png("diagram.pdf")])
    stored = evidence.current.files.get()
    assert (stored.name, stored.content_type) == ("diagram.png", "image/png")
    assert stored.file.name.endswith(".png")


def test_stored_files_record_their_checksum(world, cast):
    import hashlib

    evidence = add(world, cast, "K1", files=[pdf()])
    stored = evidence.current.files.get()
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    with default_storage.open(stored.file.name, "rb") as handle:
        assert handle.read() == PDF_BYTES
