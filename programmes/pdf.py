"""PDF documents. One document, one renderer: each PDF is a class whose ``render()`` returns
``(filename, content_type, bytes)``, built with reportlab platypus, fonts embedded, user text escaped.

Rendering only reads: it never writes to the database, so a PDF can be produced as often as people ask.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from django.conf import settings
from django.utils.text import slugify
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portfolios.otj import policy as otj_policy
from programmes import plan_services
from programmes.plan_models import PlanSignature, TrainingPlan

FONT, FONT_BOLD = "Vera", "VeraBd"
LONDON = ZoneInfo("Europe/London")
GLYPH_FALLBACKS = {"\u2192": "->"}  # characters Vera lacks; the rest of our wording is within its set
PARTY_LABELS = {"apprentice": "Apprentice", "employer": "Employer", "provider": "Provider"}


def register_fonts() -> None:
    """Register the Vera TrueType fonts shipped with reportlab (embedded as subsets); safe to call repeatedly."""
    if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def text(value) -> str:
    """User text made safe for Paragraph markup: escaped, line breaks kept, glyphs Vera lacks replaced."""
    value = "" if value is None else str(value)
    for char, fallback in GLYPH_FALLBACKS.items():
        value = value.replace(char, fallback)
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def uk_date(value: date | str | None) -> str:
    if not value:
        return "not set"
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{uk_date(local.date())} at {local:%H:%M:%S} {local.tzname()}"


def shorten(value: str, limit: int = 60) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


def style(name: str, size: float, *, bold: bool = False, **options) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT_BOLD if bold else FONT, fontSize=size, leading=size * 1.35, **options
    )


STYLES = {
    "title": style("title", 16, bold=True, spaceAfter=4),
    "h2": style("h2", 12, bold=True, spaceBefore=10, spaceAfter=4),
    "h3": style("h3", 10, bold=True, spaceBefore=4),
    "body": style("body", 9.5, spaceAfter=4),
    "cell": style("cell", 8),
    "alert": style("alert", 10, bold=True, textColor=colors.red),
}


class NumberedCanvas(Canvas):
    """Draws each page's footer once the page count is known: "Page X of Y" with the version and hash."""

    footer_text = ""

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = FONT  # otherwise each page starts in the unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._saved_states: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._saved_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._saved_states:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.grey)
            self.drawString(20 * mm, 12 * mm, self.footer_text)
            self.drawRightString(
                A4[0] - 20 * mm, 12 * mm, f"Page {self._pageNumber} of {len(self._saved_states)}"
            )
            super().showPage()
        super().save()


class TrainingPlanPDF:
    """One version of a training plan; the last page is its signature log and integrity check."""

    content_type = "application/pdf"

    def __init__(self, plan: TrainingPlan, *, compress: bool = True, invariant: bool = False) -> None:
        register_fonts()
        self.plan, self.content = plan, plan.content
        self.compress, self.invariant = compress, invariant

    def filename(self) -> str:
        name = self.content["parties"]["apprentice"]["name"] or self.plan.enrolment.apprentice.full_name
        return f"training-plan-{slugify(name) or 'apprentice'}-v{self.plan.version}.pdf"

    def render(self) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        plan, margin = self.plan, 20 * mm
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=18 * mm,
            bottomMargin=margin,
            title=f"{self.content['title']}, version {plan.version}",
            author=settings.INSTITUTION_NAME,
            subject=self.content["parties"]["apprentice"]["name"],
            pageCompression=1 if self.compress else 0,
            invariant=1 if self.invariant else 0,
            initialFontName=FONT,
        )
        footer = (
            f"{settings.INSTITUTION_NAME} \u00b7 training plan for {self.content['parties']['apprentice']['name']}"
            f" \u00b7 version {plan.version} \u00b7 SHA-256 {(plan.content_hash or 'not yet sent')[:16]}"
        )
        doc.build(self.story(), canvasmaker=type("PlanCanvas", (NumberedCanvas,), {"footer_text": footer}))
        return self.filename(), self.content_type, buffer.getvalue()

    # --- the plan ------------------------------------------------------------------------------------------

    def story(self) -> list:
        c, plan = self.content, self.plan
        programme, parties, otj = c["programme"], c["parties"], c["otj"]
        status = (
            f"Version {plan.version} \u00b7 {plan.get_status_display()} \u00b7 {plan.get_revision_display()}"
        )
        if plan.sent_at:
            status += f" \u00b7 sent {uk_date(plan.sent_at.astimezone(LONDON).date())}"
        story = [
            Paragraph(text(c["title"]), STYLES["title"]),
            para(f"<b>{text(settings.INSTITUTION_NAME)}</b>"),
            para(text(status)),
        ]
        if plan.change_summary:
            story.append(para(f"<b>What changed:</b> {text(plan.change_summary)}"))
        story += section(
            "Programme",
            [
                ("Programme", programme["name"]),
                ("Standard", programme["standard"]),
                ("Cohort", programme["cohort"]),
                ("Awards", "\n".join(programme["awards"])),
            ],
        )
        story += section(
            "The parties",
            [
                ("Apprentice", person(parties["apprentice"])),
                ("Employer", parties["employer"]),
                ("Line manager", person(parties["line_manager"])),
                ("Provider", parties["provider"]),
                ("Programme directors", ", ".join(parties["programme_directors"]) or "None"),
                ("Practice tutor", person(parties["practice_tutor"])),
                ("End-point assessment organisation", parties["epao"] or "Not yet named"),
            ],
        )
        story += section(
            "Dates, hours and off-the-job training",
            [
                ("Learning start date", uk_date(c["dates"]["start_date"])),
                ("Planned end of the practical period", uk_date(c["dates"]["planned_end_date"])),
                ("Contracted hours a week", c["hours"]["contracted_weekly_hours"]),
                ("Planned off-the-job hours", hours(otj["planned_hours"])),
                ("Rule applied", otj["rule_name"]),
                ("How it is worked out", "\n".join(filter(None, [otj["explanation"], otj.get("note")]))),
            ],
        )
        schedule = [
            (
                item["module"],
                "\nto ".join(uk_date(day) for day in item["online"].split(" to ")),
                "\n".join(uk_date(day) for day in item["campus"]),
                item["how"],
                item["led_by"],
            )
            for item in c["schedule"]
        ]
        story.append(Paragraph("Delivery schedule", STYLES["h2"]))
        headings = ("Module", "Online", "On campus", "How", "Led by")
        story.append(
            grid([headings, *schedule], [34, 40, 34, 36, 26]) if schedule else para("No modules yet.")
        )
        story.append(Paragraph("Commitments", STYLES["h2"]))
        for party, wording in c["commitments"].items():
            story.append(
                KeepTogether(
                    [Paragraph(text(PARTY_LABELS.get(party, party)), STYLES["h3"]), para(text(wording))]
                )
            )
        prior = c["prior_learning"]
        story += section(
            "Recognition of prior learning",
            [("Hours recognised", f"{prior['hours']} h"), ("Evidence", prior["notes"] or "None")],
        )
        story += [Paragraph("Support arrangements", STYLES["h2"]), para(text(c["support"]))]
        story += [Paragraph("How to complain", STYLES["h2"]), para(text(c["complaints"]))]
        return [*story, PageBreak(), *self.signature_log()]

    # --- the signature log (last page) ---------------------------------------------------------------------

    def signature_log(self) -> list:
        plan = self.plan
        base = plan_services.signing_version(plan)
        story = [Paragraph("Signature log", STYLES["h2"])]
        if plan.revision == TrainingPlan.Revision.MINOR:
            story.append(
                para(
                    f"Version {plan.version} is a minor revision (sessions rescheduled) that needs no new "
                    f"signatures: it rests on the signatures of version {base.version}, shown below."
                )
            )
        rows = [("Role", "Signed by", "Signed at (UK time)", "From", "Method")]
        for sig in base.signatures.select_related("signed_by"):
            rows.append(
                (
                    sig.get_role_display(),
                    f"{sig.signed_by.full_name}\ntyped: {sig.typed_name}",
                    uk_datetime(sig.signed_at),
                    f"IP {sig.ip_address or 'not recorded'}\n{shorten(sig.user_agent) or 'browser not recorded'}",
                    "authenticator code" if sig.method == "mfa" else sig.method,
                )
            )
        story.append(grid(rows, [32, 40, 38, 38, 22]) if len(rows) > 1 else para("No signatures yet."))
        if plan.status == TrainingPlan.Status.DRAFT:
            story.append(para("<b>This is a draft:</b> it has not been sent for signature."))
        outstanding = [
            f"{PlanSignature.Role(role).label} "
            f"({', '.join(u.full_name for u in plan_services.signers_for(plan, role)) or 'nobody assigned'})"
            for role in plan_services.outstanding_roles(plan)
        ]
        if outstanding:
            story.append(para(f"<b>Signatures outstanding:</b> {text('; '.join(outstanding))}"))
        story.append(Spacer(1, 6))
        if plan.content_hash:
            story.append(
                para(f"<b>SHA-256 of version {plan.version}'s content, recorded when it was sent:</b>")
            )
            story.append(Paragraph(text(plan.content_hash), STYLES["cell"]))
            problems = plan_services.integrity_problems(plan)
            if problems:
                story.append(Paragraph(text("INVALID: " + " ".join(problems)), STYLES["alert"]))
            else:
                story.append(para("The stored content matches this hash and every signature above."))
        return story


# --- building blocks ---------------------------------------------------------------------------------------


def para(markup: str) -> Paragraph:
    """A body paragraph from markup whose user text the caller has already escaped."""
    return Paragraph(markup, STYLES["body"])


def person(details: dict) -> str:
    extra = ", ".join(d for d in (details.get("job_title"), details.get("email")) if d)
    return (details.get("name") or "Not assigned") + (f" ({extra})" if extra else "")


def hours(planned: str | None) -> str:
    """Planned hours as the display-rounding setting says, with the exact figure when that differs."""
    if planned is None:
        return "not set"
    shown, exact = otj_policy.display(Decimal(planned)), otj_policy.q(Decimal(planned))
    return f"{shown} h" if shown == exact else f"{shown} h (exactly {exact} h)"


def grid(rows: list, widths_mm: list[float], *, header: bool = True) -> Table:
    """A table of plain text (escaped here): a shaded heading row, or (``header=False``) a bold label column."""
    cell = STYLES["cell"]
    data = [
        [
            Paragraph(f"<b>{text(v)}</b>" if (i == 0 if header else j == 0) else text(v), cell)
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the table's own default is the unembedded Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")))
    table.setStyle(TableStyle(commands))
    return table


def section(heading: str, rows: list[tuple[str, str]]) -> list:
    """A heading over a two-column table of labels (in bold) and values, kept on one page."""
    table = grid(rows, [55, 115], header=False)
    return [KeepTogether([Paragraph(text(heading), STYLES["h2"]), table])]
