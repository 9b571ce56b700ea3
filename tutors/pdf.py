"""The progress review record as a PDF: the signed content, addenda, and the signature log with the fingerprint.

One document, one renderer (see ``programmes.pdf``, whose fonts and building blocks it reuses). The safeguarding
concern appears only when the renderer is told the reader may see it.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.text import slugify
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from programmes.pdf import (
    FONT,
    STYLES,
    NumberedCanvas,
    grid,
    para,
    register_fonts,
    section,
    shorten,
    text,
    uk_date,
    uk_datetime,
)
from tutors import services
from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature

RATING_LABELS = dict(ReviewKSBRating.Rating.choices)
OWNER_LABELS = dict(ReviewAction.Owner.choices)


def draft_content(review: ProgressReview) -> dict:
    """What a draft would say if submitted now (without an OTJ snapshot): for the tutor's own preview."""
    return services.build_content(review, {})


class ProgressReviewPDF:
    """One progress review record."""

    content_type = "application/pdf"

    def __init__(self, review: ProgressReview, *, include_safeguarding: bool, compress: bool = True) -> None:
        register_fonts()
        self.review, self.include_safeguarding, self.compress = review, include_safeguarding, compress
        self.content = review.content if review.content is not None else draft_content(review)

    def filename(self) -> str:
        name = self.content["apprentice"]["name"] or "apprentice"
        return f"progress-review-{slugify(name) or 'apprentice'}-{self.review.number}.pdf"

    def render(self) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        review, margin = self.review, 20 * mm
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=18 * mm,
            bottomMargin=margin,
            title=f"Progress review {review.number}",
            author=settings.INSTITUTION_NAME,
            subject=self.content["apprentice"]["name"],
            pageCompression=1 if self.compress else 0,
            initialFontName=FONT,
        )
        footer = (
            f"{settings.INSTITUTION_NAME} \u00b7 progress review {review.number} for "
            f"{self.content['apprentice']['name']} \u00b7 SHA-256 {(review.content_hash or 'not yet submitted')[:16]}"
        )
        doc.build(self.story(), canvasmaker=type("ReviewCanvas", (NumberedCanvas,), {"footer_text": footer}))
        return self.filename(), self.content_type, buffer.getvalue()

    def story(self) -> list:
        c, review = self.content, self.review
        story = [
            Paragraph(text(f"{c['title']} {review.number}"), STYLES["title"]),
            para(f"<b>{text(settings.INSTITUTION_NAME)}</b>"),
            para(text(f"{review.get_status_display()} \u00b7 held {uk_date(c['held_on'])}")),
        ]
        story += section(
            "The parties",
            [
                ("Apprentice", c["apprentice"]["name"]),
                ("Employer", c["employer"]),
                ("Line manager", c["line_manager"]["name"]),
                ("Practice tutor", c["practice_tutor"]["name"]),
                ("Programme", f"{c['programme']} ({c['cohort']})"),
            ],
        )
        story.append(Paragraph("Actions from the last review", STYLES["h2"]))
        previous = [
            (a["description"], OWNER_LABELS.get(a["owner"], a["owner"]), uk_date(a["due_on"]),
             uk_date(a["done_on"]) if a["done_on"] else "Still open")
            for a in c["previous_actions"]
        ]  # fmt: skip
        story.append(
            grid([("Action", "Owner", "Due", "Done"), *previous], [80, 30, 30, 30])
            if previous
            else para("No actions were open from an earlier review.")
        )
        otj = c.get("otj") or {}
        story += [Paragraph("Training since the last review", STYLES["h2"]), para(text(c["training_since"]))]
        if otj:
            story += section(
                "Off-the-job training (snapshot at the review)",
                [
                    ("Required", f"{otj['required_hours']} h"),
                    ("Delivered (confirmed)", f"{otj['confirmed_hours']} h"),
                    ("Pending confirmation", f"{otj['pending_hours']} h"),
                    ("Expected by the review", f"{otj['expected_hours_to_date']} h"),
                    ("Slippage", f"{otj['slippage_hours']} h"),
                    ("Status", otj["status_label"]),
                    ("Re-plan", c["otj_replan"] or "None needed"),
                ],
            )
        story += [Paragraph("Progress against the plan and KSBs", STYLES["h2"]), para(text(c["progress"]))]
        story += [Paragraph("Modules", STYLES["h2"]), para(text(c["modules"] or "Nothing recorded."))]
        story.append(Paragraph("KSB ratings", STYLES["h2"]))
        ratings = [
            (
                r["code"],
                shorten(r["statement"], 80),
                RATING_LABELS.get(r["rating"], r["rating"]),
                r["comment"],
            )
            for r in c["ksb_ratings"]
        ]
        story.append(
            grid([("KSB", "Statement", "Rating", "Comment"), *ratings], [14, 70, 26, 60])
            if ratings
            else para("No KSBs were rated.")
        )
        story += section(
            "Support, wellbeing and circumstances",
            [
                ("Support needs", c["support_needs"] or "None raised"),
                ("Wellbeing", c["wellbeing"] or "Nothing raised"),
                ("Changes of circumstance", c["circumstances"] or "None"),
            ],
        )
        if self.include_safeguarding:
            story += section(
                "Safeguarding (tutor and programme director only)",
                [("Concern", review.safeguarding_concern or "None recorded")],
            )
        story.append(Paragraph("Agreed actions", STYLES["h2"]))
        actions = [
            (a["description"], OWNER_LABELS.get(a["owner"], a["owner"]), uk_date(a["due_on"]))
            for a in c["actions"]
        ]
        story.append(
            grid([("Action", "Owner", "Due by"), *actions], [110, 30, 30]) if actions else para("No actions.")
        )
        story.append(para(f"<b>Next review:</b> {text(uk_date(c['next_review_on']))}"))
        story.append(para(text(c.get("time_note", ""))))
        return story + self.addenda() + self.signature_log()

    def addenda(self) -> list:
        story = []
        for addendum in self.review.addenda.all():
            story.append(Paragraph(f"Addendum {addendum.number}", STYLES["h2"]))
            story.append(para(text(addendum.text)))
            story.append(
                para(text(f"{addendum.get_status_display()} \u00b7 SHA-256 {addendum.content_hash}"))
            )
        return story

    def signature_log(self) -> list:
        review = self.review
        story = [Paragraph("Signature log", STYLES["h2"])]
        rows = [("Signed", "Role", "Signed by", "Signed at (UK time)", "From")]
        signatures = sorted(review.signatures.all(), key=lambda s: (s.signed_at, s.pk))
        for sig in signatures:
            if sig.addendum_id is None and sig.content_hash != review.content_hash:
                continue  # a signature on content that was later declined and corrected
            rows.append(
                (
                    f"Addendum {sig.addendum.number}"
                    if sig.addendum is not None
                    else f"Review {review.number}",
                    ReviewSignature.Role(sig.role).label,
                    f"{sig.signed_by.full_name}\ntyped: {sig.typed_name}",
                    uk_datetime(sig.signed_at),
                    f"IP {sig.ip_address or 'not recorded'}\n{shorten(sig.user_agent) or 'browser not recorded'}",
                )
            )
        story.append(grid(rows, [24, 26, 40, 40, 40]) if len(rows) > 1 else para("No signatures yet."))
        if review.status == ProgressReview.Status.DRAFT:
            story.append(para("<b>This is a draft:</b> it has not been submitted for signatures."))
        outstanding = services.describe_outstanding(review)
        if outstanding:
            story.append(para(f"<b>Signatures outstanding:</b> {text(outstanding)}"))
        story.append(Spacer(1, 6))
        if review.content_hash:
            story.append(
                para(f"<b>SHA-256 of review {review.number}'s content, fixed when it was submitted:</b>")
            )
            story.append(Paragraph(text(review.content_hash), STYLES["cell"]))
            problems = services.integrity_problems(review)
            if problems:
                story.append(Paragraph(text("INVALID: " + " ".join(problems)), STYLES["alert"]))
            elif review.status == ProgressReview.Status.SIGNED:
                story.append(
                    para("Complete: signed by the apprentice, the line manager and the practice tutor.")
                )
        return story
