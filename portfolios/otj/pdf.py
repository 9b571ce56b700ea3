"""The OTJ ledger PDF for an auditor: the requirement and its working, the position, and every entry with who
confirmed it, when and how."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph

from core.pdf import STYLES, PDFDocument, grid, para, section, shorten, text, uk_date, uk_datetime
from portfolios.otj.models import OffTheJobEntry
from portfolios.otj.selectors import OTJPosition
from programmes import off_the_job as otj_policy
from programmes.models import Enrolment

DESCRIPTION_LIMIT = 160


class OTJLedgerPDF(PDFDocument):
    """An apprentice's off-the-job ledger with confirmations, for audit."""

    pagesize = landscape(A4)
    margin_mm = 14
    top_margin_mm = 14

    def __init__(
        self,
        enrolment: Enrolment,
        position: OTJPosition,
        entries: Iterable[OffTheJobEntry],
        *,
        generated_at: datetime | None = None,
    ) -> None:
        self.enrolment, self.position, self.entries = enrolment, position, entries
        self.generated_at = generated_at or timezone.now()

    def filename(self) -> str:
        return f"otj-ledger-{slugify(self.enrolment.apprentice.full_name) or 'apprentice'}.pdf"

    def title(self) -> str:
        return f"Off-the-job training ledger: {self.enrolment.apprentice.full_name}"

    def subject(self) -> str:
        return self.enrolment.apprentice.full_name

    def footer(self) -> str:
        return (
            f"{settings.INSTITUTION_NAME} \u00b7 off-the-job ledger for {self.enrolment.apprentice.full_name}"
        )

    def story(self) -> list:
        e, p = self.enrolment, self.position
        q = otj_policy.q
        story = [
            Paragraph("Off-the-job training ledger", STYLES["title"]),
            para(
                f"<b>{text(settings.INSTITUTION_NAME)}</b> \u00b7 generated {text(uk_datetime(self.generated_at))}"
            ),
        ]
        story += section(
            "Apprentice",
            [
                ("Apprentice", e.apprentice.full_name),
                ("Employer and line manager", f"{e.employer.name}; {e.line_manager.full_name}"),
                ("Programme", e.programme.name),
                ("Practical period", f"{uk_date(e.start_date)} to {uk_date(e.planned_end_date)}"),
                ("Contracted hours", f"{q(e.contracted_weekly_hours)} a week"),
            ],
        )
        story += section(
            "Position",
            [
                ("Rule applied", p.requirement.rule.name),
                ("Minimum", f"{q(p.required_hours)} h: {p.requirement.explanation}"),
                ("Confirmed by the employer", f"{q(p.confirmed_hours)} h"),
                ("Awaiting confirmation", f"{q(p.pending_hours)} h (not counted)"),
                ("Expected to date", p.expected_explanation),
                (
                    "Status",
                    f"{p.status_label}"
                    + (
                        f" ({p.percent_of_expected}% of expected)"
                        if p.percent_of_expected is not None
                        else ""
                    ),
                ),
                ("Forecast", " ".join(p.forecast)),
                (
                    "Logged late",
                    f"{p.late_entries} entries logged more than {settings.OTJ_LATE_LOG_DAYS} days after",
                ),
            ],
        )
        story.append(Paragraph("Entries", STYLES["h2"]))
        rows = [("Date", "Hours", "Activity", "Description", "KSBs", "Logged", "Status", "Decision")]
        for entry in self.entries:
            decision = ""
            if entry.decided_at:
                decision = f"{entry.decided_by.full_name if entry.decided_by else ''}, {uk_datetime(entry.decided_at)}"
                decision += f" ({entry.get_decided_via_display()})"
                if entry.rejection_reason:
                    decision += f": {entry.rejection_reason}"
            logged = uk_date(timezone.localdate(entry.logged_at)) + (" LATE" if entry.is_late else "")
            rows.append(
                (
                    uk_date(entry.date),
                    q(entry.hours),
                    str(entry.activity_type),
                    shorten(entry.description, DESCRIPTION_LIMIT),
                    ", ".join(k.code for k in entry.ksbs.all()),
                    logged,
                    entry.get_status_display(),
                    decision,
                )
            )
        if len(rows) == 1:
            story.append(para("No entries have been logged yet."))
        else:
            story.append(grid(rows, [22, 13, 38, 85, 22, 24, 24, 41]))
        return story
