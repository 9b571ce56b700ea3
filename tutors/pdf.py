"""The progress review record as a PDF: the signed content, addenda, and the signature log with the fingerprint.

One document, one renderer: a ``core.pdf.PDFDocument``, whose fonts, page template and signature log it uses.
The safeguarding concern appears only when the renderer is told the reader may see it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.text import slugify
from reportlab.platypus import Paragraph, Spacer

from core.pdf import STYLES, PDFDocument, grid, para, section, shorten, text, uk_date
from tutors import services
from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature

RATING_LABELS = dict(ReviewKSBRating.Rating.choices)
OWNER_LABELS = dict(ReviewAction.Owner.choices)


def draft_content(review: ProgressReview) -> dict:
    """What a draft would say if submitted now (without an OTJ snapshot): for the tutor's own preview."""
    return services.build_content(review, {})


class ProgressReviewPDF(PDFDocument):
    """One progress review record."""

    def __init__(self, review: ProgressReview, *, include_safeguarding: bool, compress: bool = True) -> None:
        self.review, self.include_safeguarding, self.compress = review, include_safeguarding, compress
        self.content = review.content if review.content is not None else draft_content(review)

    def filename(self) -> str:
        name = self.content["apprentice"]["name"] or "apprentice"
        return f"progress-review-{slugify(name) or 'apprentice'}-{self.review.number}.pdf"

    def title(self) -> str:
        return f"Progress review {self.review.number}"

    def subject(self) -> str:
        return self.content["apprentice"]["name"]

    def footer(self) -> str:
        review = self.review
        return (
            f"{settings.INSTITUTION_NAME} \u00b7 progress review {review.number} for "
            f"{self.content['apprentice']['name']} \u00b7 SHA-256 {(review.content_hash or 'not yet submitted')[:16]}"
        )

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
        story += self.previous_actions()
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

    def previous_actions(self) -> list:
        previous = [
            (a["description"], OWNER_LABELS.get(a["owner"], a["owner"]), uk_date(a["due_on"]),
             uk_date(a["done_on"]) if a["done_on"] else "Still open")
            for a in self.content["previous_actions"]
        ]  # fmt: skip
        return [
            Paragraph("Actions from the last review", STYLES["h2"]),
            grid([("Action", "Owner", "Due", "Done"), *previous], [80, 30, 30, 30])
            if previous
            else para("No actions were open from an earlier review."),
        ]

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
        signatures = [
            sig
            for sig in sorted(review.signatures.all(), key=lambda s: (s.signed_at, s.pk))
            # leave out a signature on content that was later declined and corrected
            if sig.addendum_id is not None or sig.content_hash == review.content_hash
        ]
        story.append(
            self.signature_log_table(
                signatures,
                dict(ReviewSignature.Role.choices),
                signed=("Signed", self.signed_part),
            )
        )
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

    def signed_part(self, signature: ReviewSignature) -> str:
        if signature.addendum is not None:
            return f"Addendum {signature.addendum.number}"
        return f"Review {self.review.number}"
