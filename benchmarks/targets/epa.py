"""Gateway, EPA and completion: the gateway pages, the assessor's EPA pages, completion records; and their API."""

from __future__ import annotations

from benchmarks.targets.base import API, PAGE, Target

TARGETS: list[Target] = [
    # Gateway, EPA and completion (benchmarks/seeding/epa.py): the sample enrolment is active; the sample EPA
    # enrolment is assessed by the first assessor; the administrator acts for the provider on other programmes.
    Target("gateway: director", PAGE, "director", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/"),
    Target(
        "gateway: apprentice", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/"
    ),
    Target(
        "gateway English and maths form",
        PAGE,
        "director",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/english-maths/",
    ),
    Target(
        "gateway SBP form", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/sbp/"
    ),
    Target(
        "gateway sign form",
        PAGE,
        "line_manager",
        lambda w: f"/enrolments/{w.sample_enrolment.pk}/gateway/sign/",
    ),
    Target("cohort gateway", PAGE, "director", lambda w: f"/cohorts/{w.sample_cohort.pk}/gateway/"),
    Target("EPA: assessor", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target("EPA: admin", PAGE, "admin", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target(
        "EPA assessor form", PAGE, "admin", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/assessor/"
    ),
    Target("EPA SBP form", PAGE, "apprentice", lambda w: f"/enrolments/{w.sample_enrolment.pk}/epa/sbp/"),
    Target(
        "EPA SBP file",
        PAGE,
        "assessor",
        lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/sbp/{w.sample_sbp_submission.pk}/file/",
    ),
    Target(
        "EPA schedule form",
        PAGE,
        "assessor",
        lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/schedule/",
    ),
    Target(
        "EPA grade form", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/grade/"
    ),
    Target(
        "EPA release", PAGE, "assessor", lambda w: f"/enrolments/{w.sample_epa_enrolment.pk}/epa/release/"
    ),
    Target(
        "completion issue", PAGE, "admin", lambda w: f"/enrolments/{w.sample_enrolment.pk}/completion/issue/"
    ),
    Target("completion record", PAGE, "admin", lambda w: f"/completion-records/{w.sample_completion.pk}/"),
    Target("completion PDF", PAGE, "admin", lambda w: f"/completion-records/{w.sample_completion.pk}/pdf/"),
    Target(
        "completion revoke form",
        PAGE,
        "admin",
        lambda w: f"/completion-records/{w.sample_completion.pk}/revoke/",
    ),
    Target("cohort completion", PAGE, "director", lambda w: f"/cohorts/{w.sample_cohort.pk}/completion/"),
    Target(
        "completion batch", PAGE, "director", lambda w: f"/completion-batches/{w.sample_completion_batch.pk}/"
    ),
    Target("verify page", PAGE, None, lambda w: f"/verify/{w.sample_completion.verification_code}/"),
    Target("api gateway", API, "director", lambda w: f"/api/v1/enrolments/{w.sample_enrolment.pk}/gateway/"),
    Target("api EPA", API, "assessor", lambda w: f"/api/v1/enrolments/{w.sample_epa_enrolment.pk}/epa/"),
    Target("api completion records: admin", API, "admin", lambda w: "/api/v1/completion-records/"),
    Target(
        "api completion record",
        API,
        "admin",
        lambda w: f"/api/v1/completion-records/{w.sample_completion.pk}/",
    ),
    Target(
        "api completion PDF",
        API,
        "admin",
        lambda w: f"/api/v1/completion-records/{w.sample_completion.pk}/pdf/",
    ),
    Target("api verify", API, None, lambda w: f"/api/v1/verify/{w.sample_completion.verification_code}/"),
]
