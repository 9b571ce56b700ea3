"""The training plan PDF: one version of the plan, its last page the signature log and integrity check.

A ``core.pdf.PDFDocument``: the base renderer gives it the fonts, page template and signature log table.
Rendering only reads: it never writes to the database, so a PDF can be produced as often as people ask.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.text import slugify
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from core.pdf import LONDON, STYLES, PDFDocument, grid, para, section, text, uk_date
from programmes import off_the_job as otj_policy
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan

PARTY_LABELS = {"apprentice": "Apprentice", "employer": "Employer", "provider": "Provider"}


class TrainingPlanPDF(PDFDocument):
    """One version of a training plan; the last page is its signature log and integrity check."""

    def __init__(self, plan: TrainingPlan, *, compress: bool = True, invariant: bool = False) -> None:
        self.plan, self.content = plan, plan.content
        self.compress, self.invariant = compress, invariant

    def filename(self) -> str:
        name = self.content["parties"]["apprentice"]["name"] or self.plan.enrolment.apprentice.full_name
        return f"training-plan-{slugify(name) or 'apprentice'}-v{self.plan.version}.pdf"

    def title(self) -> str:
        return f"{self.content['title']}, version {self.plan.version}"

    def subject(self) -> str:
        return self.content["parties"]["apprentice"]["name"]

    def footer(self) -> str:
        return (
            f"{settings.INSTITUTION_NAME} \u00b7 training plan for {self.content['parties']['apprentice']['name']}"
            f" \u00b7 version {self.plan.version} \u00b7 SHA-256 {(self.plan.content_hash or 'not yet sent')[:16]}"
        )

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
        story.append(
            self.signature_log_table(
                base.signatures.select_related("signed_by"), dict(PlanSignature.Role.choices)
            )
        )
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


def person(details: dict) -> str:
    extra = ", ".join(d for d in (details.get("job_title"), details.get("email")) if d)
    return (details.get("name") or "Not assigned") + (f" ({extra})" if extra else "")


def hours(planned: str | None) -> str:
    """Planned hours as the display-rounding setting says, with the exact figure when that differs."""
    if planned is None:
        return "not set"
    shown, exact = otj_policy.display(Decimal(planned)), otj_policy.q(Decimal(planned))
    return f"{shown} h" if shown == exact else f"{shown} h (exactly {exact} h)"
