"""The completion certificate PDF: one document, one renderer (``render() -> (filename, content_type, bytes)``).

A ``core.pdf.PDFDocument`` (embedded fonts, escaped user text), with the wording fixed on the completion record
when it was issued (so re-rendering says the same thing), a QR code plus the short URL of the public verification
page, and, on a second page, the gateway sign-offs behind it through the base's signature log.
``invariant`` output: the same record renders to the same bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from assessments.epa.grading import GRADE_LABELS
from assessments.epa.models import CompletionRecord, GatewaySignOff
from core.pdf import STYLES, PDFDocument, para, style, text, uk_date

NAVY = colors.HexColor("#1d2b53")


def verify_path(code: str) -> str:
    return reverse("verify_certificate", args=[code])


def verify_url(record: CompletionRecord) -> str:
    """The short public URL the QR code encodes and the certificate prints."""
    return settings.SITE_URL + verify_path(record.verification_code)


def qr_drawing(value: str, size: float = 34 * mm) -> Drawing:
    """A QR code of ``value`` as a platypus flowable; its one widget's ``value`` is what the code encodes."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


class CompletionCertificatePDF(PDFDocument):
    """A CMI-style certificate of completion for one completion record."""

    margin_mm = 22
    top_margin_mm = 22
    border = 10 * mm
    numbered = False  # a certificate carries no page footer
    invariant = True

    def __init__(self, record: CompletionRecord) -> None:
        self.record = record
        self.qr_value = verify_url(record)

    def filename(self) -> str:
        return f"certificate-{self.record.certificate_number}.pdf"

    def title(self) -> str:
        return f"Certificate {self.record.certificate_number}"

    def author(self) -> str:
        return self.record.provider_name

    def styles(self) -> dict:
        centred = {"alignment": TA_CENTER}
        return {
            "institution": style("institution", 13, bold=True, textColor=NAVY, **centred),
            "title": style("cert-title", 24, bold=True, textColor=NAVY, spaceBefore=6, **centred),
            "lead": style("lead", 11, **centred),
            "name": style("name", 22, bold=True, spaceBefore=4, spaceAfter=4, **centred),
            "standard": style("standard", 13, bold=True, **centred),
            "grade": style("grade", 14, bold=True, textColor=NAVY, spaceBefore=6, **centred),
            "cell": style("cert-cell", 9.5),
            "small": style("small", 8, textColor=colors.grey, **centred),
        }

    def decorate(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(2)
        canvas.rect(self.border, self.border, width - 2 * self.border, height - 2 * self.border)
        canvas.setLineWidth(0.5)
        inset = self.border + 2 * mm
        canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)
        canvas.restoreState()

    def story(self) -> list:
        r, s = self.record, self.styles()
        facts = [
            (
                "Standard",
                f"{r.standard_title}, {r.standard_code} version {r.standard_version}, Level {r.standard_level}",
            ),
            ("Overall grade", GRADE_LABELS.get(r.overall_grade, r.overall_grade)),
            ("Achievement date", uk_date(r.achievement_date)),
            ("Learning start date", uk_date(r.start_date)),
            ("Employer", r.employer_name),
            ("Training provider", r.provider_name),
            ("Awards", "<br/>".join(text(award) for award in r.awards)),
            ("Certificate number", r.certificate_number),
            ("Date of issue", uk_date(r.issued_on)),
        ]
        rows = [
            [
                Paragraph(f"<b>{text(label)}</b>", s["cell"]),
                Paragraph(value if label == "Awards" else text(value), s["cell"]),
            ]
            for label, value in facts
        ]
        table = Table(rows, colWidths=[45 * mm, 105 * mm], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.lightgrey),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        verify = Table(
            [
                [
                    qr_drawing(self.qr_value),
                    Paragraph(
                        "Check this certificate is genuine and current at<br/>"
                        f"<b>{text(self.qr_value)}</b><br/>or scan the code. You can upload this PDF there to "
                        "confirm it is the copy that was issued.",
                        s["cell"],
                    ),
                ]
            ],
            colWidths=[40 * mm, 110 * mm],
            hAlign="CENTER",
        )
        verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return [
            Paragraph(text(r.provider_name), s["institution"]),
            Spacer(1, 4 * mm),
            Paragraph("Certificate of completion", s["title"]),
            Spacer(1, 6 * mm),
            Paragraph("This is to certify that", s["lead"]),
            Paragraph(text(r.apprentice_name), s["name"]),
            Paragraph("has successfully completed the apprenticeship", s["lead"]),
            Paragraph(
                text(f"{r.standard_title} ({r.standard_code}, Level {r.standard_level})"), s["standard"]
            ),
            Paragraph(
                text(f"Overall grade: {GRADE_LABELS.get(r.overall_grade, r.overall_grade)}"), s["grade"]
            ),
            Spacer(1, 8 * mm),
            table,
            Spacer(1, 8 * mm),
            verify,
            Spacer(1, 4 * mm),
            Paragraph(text(f"Issued by {r.provider_name} on {uk_date(r.issued_on)}."), s["small"]),
        ]

    def flowables(self) -> list:
        """The certificate, then (when there are any) the gateway sign-offs on a page of their own."""
        signoffs = GatewaySignOff.objects.filter(enrolment_id=self.record.enrolment_id).select_related(
            "signed_by"
        )
        if not signoffs:
            return self.story()
        return [
            *self.story(),
            PageBreak(),
            Paragraph("Gateway sign-off", STYLES["h2"]),
            para(
                text(
                    f"{self.record.apprentice_name} was put forward for end-point assessment with these sign-offs."
                )
            ),
            # A certificate is shown to others (employers, the public verification page): where each signer was
            # (address and browser) stays in the platform's own records.
            self.signature_log_table(signoffs, dict(GatewaySignOff.Role.choices), with_address=False),
        ]


__all__ = ["CompletionCertificatePDF", "qr_drawing", "verify_url"]
