"""Progress reviews: caseload, the sample's reviews, their forms and PDF; and their API."""

from __future__ import annotations

from benchmarks.targets.base import API, PAGE, Target

TARGETS: list[Target] = [
    # Progress reviews: the sample enrolment has about a dozen signed reviews (about monthly; the last twenty weeks
    # ago, so it is overdue) and the next awaiting the apprentice's and line manager's signatures; the tutor's
    # second apprentice (enrolment 1) has no open review.
    Target("caseload", PAGE, "tutor", lambda w: "/caseload/"),
    Target(
        "caseload: overdue by coverage", PAGE, "tutor", lambda w: "/caseload/?state=overdue&sort=-coverage"
    ),
    Target("reviews overdue", PAGE, "director", lambda w: "/reviews/overdue/"),
    Target(
        "reviews: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/reviews/"
    ),
    Target(
        "review schedule form", PAGE, "tutor", lambda w: f"/enrolments/{w.enrolments[1].pk}/reviews/schedule/"
    ),
    Target(
        "review record form", PAGE, "tutor", lambda w: f"/enrolments/{w.enrolments[1].pk}/reviews/record/"
    ),
    Target(
        "review record: awaiting",
        PAGE,
        "tutor",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/reviews/record/",
    ),
    Target(
        "review: apprentice, to sign",
        PAGE,
        "apprentice",
        lambda w: f"/reviews/{w.sample_awaiting_review.pk}/",
    ),
    Target("review: tutor, signed", PAGE, "tutor", lambda w: f"/reviews/{w.sample_review.pk}/"),
    Target(
        "review sign form", PAGE, "line_manager", lambda w: f"/reviews/{w.sample_awaiting_review.pk}/sign/"
    ),
    Target(
        "review decline form",
        PAGE,
        "apprentice",
        lambda w: f"/reviews/{w.sample_awaiting_review.pk}/decline/",
    ),
    Target("review addendum form", PAGE, "tutor", lambda w: f"/reviews/{w.sample_review.pk}/addendum/"),
    Target("review PDF", PAGE, "apprentice", lambda w: f"/reviews/{w.sample_review.pk}/pdf/"),
    Target("api reviews: tutor", API, "tutor", lambda w: "/api/v1/reviews/"),
    Target("api reviews: director, 200", API, "director", lambda w: "/api/v1/reviews/?page_size=200"),
    Target("api review", API, "apprentice", lambda w: f"/api/v1/reviews/{w.sample_review.pk}/"),
]
