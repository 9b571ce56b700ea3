"""The portfolio index PDF: the cover document of a portfolio export, a ``core.pdf.PDFDocument``.

One class, ``PortfolioIndexPDF``, whose ``render()`` returns ``(filename, content_type, bytes)``: the apprentice
and their standard, the evidence list, the KSB mapping table and every reflective account, with "Page X of Y"
footers. It only reads: the evidence and coverage rows are passed in (``portfolios.export`` builds them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from reportlab.platypus import Paragraph

from core.pdf import STYLES, PDFDocument, grid, para, section, shorten, style, text, uk_date, uk_datetime
from portfolios.models import Evidence
from programmes.models import KSB, Enrolment

COVERAGE_LABELS = {"accepted": "Accepted", "claimed": "Claimed", "none": "None"}
STATEMENT_LIMIT = 120
ACCOUNT_HEADING = style("account", 10, bold=True, spaceBefore=10, keepWithNext=1)
ACCOUNT_META = style("account_meta", 8.5, spaceAfter=2, keepWithNext=1)


class PortfolioIndexPDF(PDFDocument):
    """The index of an apprentice's exported portfolio: evidence list, KSB mapping and reflective accounts."""

    def __init__(
        self,
        enrolment: Enrolment,
        evidence: Sequence[Evidence],
        coverage: Sequence[dict],
        *,
        compress: bool = True,
        generated_at: datetime | None = None,
    ) -> None:
        self.enrolment, self.evidence, self.coverage = enrolment, list(evidence), list(coverage)
        self.compress = compress
        self.generated_at = generated_at or timezone.now()
        self.numbers = {item.pk: n for n, item in enumerate(self.evidence, start=1)}

    def filename(self) -> str:
        return f"portfolio-index-{slugify(self.enrolment.apprentice.full_name) or 'apprentice'}.pdf"

    def title(self) -> str:
        return f"Portfolio index: {self.enrolment.apprentice.full_name}"

    def subject(self) -> str:
        return self.enrolment.apprentice.full_name

    def footer(self) -> str:
        return f"{settings.INSTITUTION_NAME} \u00b7 portfolio index for {self.enrolment.apprentice.full_name}"

    # --- the document --------------------------------------------------------------------------------------

    def story(self) -> list:
        enrolment = self.enrolment
        standard = enrolment.programme.standard
        story = [
            Paragraph("Portfolio index", STYLES["title"]),
            para(f"<b>{text(settings.INSTITUTION_NAME)}</b>"),
        ]
        story += section(
            "Apprentice and programme",
            [
                ("Apprentice", enrolment.apprentice.full_name),
                ("Programme", enrolment.programme.name),
                (
                    "Standard",
                    f"{standard.code} v{standard.version} {standard.title} (Level {standard.level})",
                ),
                ("Employer", enrolment.employer.name),
                ("Generated", uk_datetime(self.generated_at)),
                ("Pieces of evidence", str(len(self.evidence))),
            ],
        )
        return [*story, *self.evidence_list(), *self.ksb_mapping(), *self.reflective_accounts()]

    def evidence_list(self) -> list:
        story: list = [Paragraph("Evidence list", STYLES["h2"])]
        if not self.evidence:
            return [*story, para("No evidence has been submitted yet.")]
        rows = [("No.", "Title", "Kind", "Date of activity", "Status", "Version", "KSBs claimed", "Files")]
        for item in self.evidence:
            version = item.current
            assert version is not None  # exported evidence always has a current version
            rows.append(
                (
                    str(self.numbers[item.pk]),
                    version.title,
                    version.get_kind_display(),
                    uk_date(version.occurred_on),
                    item.get_status_display(),
                    str(version.number),
                    ", ".join(ksb.code for ksb in version.ksbs.all()) or "None",
                    "\n".join(f.name for f in version.files.all()) or "None",
                )
            )
        story.append(grid(rows, [11, 33, 19, 20, 19, 17, 21, 30]))
        return story

    def ksb_mapping(self) -> list:
        story: list = [Paragraph("KSB mapping", STYLES["h2"])]
        if not self.coverage:
            return [*story, para("The standard has no KSBs recorded yet.")]
        counts = dict.fromkeys(COVERAGE_LABELS, 0)
        for row in self.coverage:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        story.append(
            para(
                f"{len(self.coverage)} KSBs: {counts['accepted']} accepted by the practice tutor, "
                f"{counts['claimed']} claimed and awaiting agreement, {counts['none']} not yet evidenced."
            )
        )
        rows = [("Code", "Kind", "Statement", "Status", "Evidence")]
        for row in self.coverage:
            rows.append(
                (
                    row["code"],
                    kind_label(row["kind"]),
                    shorten(row["statement"], STATEMENT_LIMIT),
                    COVERAGE_LABELS.get(row["status"], row["status"]),
                    ", ".join(self.evidence_number(pk) for pk in row["evidence"]) or "\u2013",
                )
            )
        story.append(grid(rows, [14, 20, 96, 18, 22]))
        return story

    def reflective_accounts(self) -> list:
        story: list = [Paragraph("Reflective accounts", STYLES["h2"])]
        if not self.evidence:
            return [*story, para("None yet.")]
        for item in self.evidence:
            version = item.current
            assert version is not None
            story += [
                Paragraph(f"{self.numbers[item.pk]}. {text(version.title)}", ACCOUNT_HEADING),
                Paragraph(
                    text(
                        f"{uk_date(version.occurred_on)} \u00b7 {version.get_kind_display()} \u00b7 "
                        f"version {version.number} \u00b7 {item.get_status_display()}"
                    ),
                    ACCOUNT_META,
                ),
                para(text(version.reflection)),
            ]
        return story

    def evidence_number(self, pk: int) -> str:
        return str(self.numbers[pk]) if pk in self.numbers else f"id {pk}"


def kind_label(kind: str) -> str:
    try:
        return KSB.Kind(kind).label
    except ValueError:
        return kind
