"""Shared steps for the progress-review tests: write a complete draft, submit it, have all three sign."""

from datetime import date, timedelta

from tests.signing import review_proof
from tutors import services


def complete_fields(enrolment, *, held_on: date, **changes) -> services.ReviewFields:
    ksb = enrolment.programme.standard.ksbs.order_by("order", "code").first()
    values = services.ReviewFields(
        held_on=held_on,
        training_since="Completed the Leadership module online weeks and the campus days.",
        otj_replan="Two extra study afternoons a month until the hours catch up.",
        progress="On track against the plan; strong evidence for K1.",
        modules="Leadership: assignment 1 passed.",
        support_needs="None.",
        wellbeing="Managing workload well.",
        circumstances="No changes.",
        safeguarding_concern="",
        next_review_on=held_on + timedelta(days=70),
        ratings=[services.RatingInput(ksb.pk, "developing", "Good start.")],
        actions=[
            services.ActionInput(
                "Draft the stakeholder map for the service redesign.",
                "apprentice",
                held_on + timedelta(days=30),
            )
        ],
    )
    for name, value in changes.items():
        setattr(values, name, value)
    return values


def submitted_review(enrolment, tutor, *, held_on: date, **changes):
    review = services.review_save_draft(
        enrolment=enrolment, by=tutor, values=complete_fields(enrolment, held_on=held_on, **changes)
    )
    return services.review_submit(review=review, by=tutor)


def sign_as(review, user, **extra):
    overrides = {key: extra.pop(key) for key in ("full_name", "password", "code", "role") if key in extra}
    return services.review_sign(
        review=review, by=user, proof=review_proof(review, user, extra.get("addendum"), **overrides), **extra
    )


def signed_review(enrolment, cast, *, held_on: date, **changes):
    review = submitted_review(enrolment, cast.tutor, held_on=held_on, **changes)
    for user in (cast.tutor, cast.apprentice, cast.line_manager):
        sign_as(review, user)
    review.refresh_from_db()
    return review
