"""The access matrix: every URL pattern, every member of the cast, the status each must get.

Adding a page or endpoint means adding one line to ``ROUTES`` (or, for the admin, nothing: every admin page
follows one rule). A URL pattern without a line fails ``test_every_url_pattern_has_a_line_in_the_matrix``.

The objects the URLs point at are built once for the module (``module_world``). Each member's request runs inside
a savepoint that is rolled back, so an action one member performs (revoking an invitation, say) never changes
what the next member sees; every refused write must also leave the database exactly as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services

MEMBERS = (
    "apprentice",
    "line_manager",
    "tutor",
    "other_apprentice",
    "other_manager",
    "other_tutor",
    "director",
    "other_director",
    "module_lead",
    "assessor",
    "admin",
    "anonymous",
)
# The people on the test enrolment, and the director and administrator who manage it.
PARTIES = ("apprentice", "line_manager", "tutor", "module_lead", "assessor")
MANAGERS = ("director", "admin")
# People with a role elsewhere who must not learn the enrolment exists.
OUTSIDERS = ("other_apprentice", "other_manager", "other_tutor", "other_director")
STAFF = ("tutor", "module_lead", "assessor")


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(MEMBERS, status)


def signed_in(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    return every(status) | {"anonymous": anonymous}


def enrolment_scoped(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    """Seen by the enrolment's parties and managers; a 404 for outsiders."""
    return (
        dict.fromkeys(PARTIES + MANAGERS, status) | dict.fromkeys(OUTSIDERS, 404) | {"anonymous": anonymous}
    )


def enrolment_managed(status: int = 200) -> dict[str, int]:
    """Only the programme director and administrator may act; parties see a 403, outsiders a 404."""
    return enrolment_scoped(403) | dict.fromkeys(MANAGERS, status)


def inviters(status: int = 200) -> dict[str, int]:
    return signed_in(403) | dict.fromkeys(("director", "other_director", "admin"), status)


def plan_signers(status: int, *, anonymous: int = 302) -> dict[str, int]:
    """The apprentice, line manager and programme director sign; other parties (and the admin) may not."""
    signers = ("apprentice", "line_manager", "director")
    return enrolment_scoped(403, anonymous=anonymous) | dict.fromkeys(signers, status)


def apprentice_only(status: int) -> dict[str, int]:
    """Only the apprentice adds and changes their portfolio; other parties see a 403, outsiders a 404."""
    return enrolment_scoped(403) | {"apprentice": status}


def sharers(status: int) -> dict[str, int]:
    """The practice tutor and the programme director (and administrator) share the portfolio."""
    return enrolment_scoped(403) | dict.fromkeys(("tutor", "director", "admin"), status)


def evidence_url(suffix: str):
    return lambda o: f"/evidence/{o.evidence.pk}/{suffix}"


def otj_url(suffix: str):
    return lambda o: f"/otj/{o.otj_entry.pk}/{suffix}"


def api_otj(suffix: str):
    return lambda o: f"/api/v1/otj-entries/{o.otj_entry.pk}/{suffix}"


def otj_deciders(status: int, *, anonymous: int = 302) -> dict[str, int]:
    """Only the enrolment's line manager confirms or queries hours; other parties see a 403, outsiders a 404."""
    return enrolment_scoped(403, anonymous=anonymous) | {"line_manager": status}


def submission_url(suffix: str):
    return lambda o: f"/submissions/{o.submission.pk}/{suffix}"


def review_url(suffix: str):
    return lambda o: f"/reviews/{o.review.pk}/{suffix}"


def review_signers(status: int, *, anonymous: int = 302) -> dict[str, int]:
    """The apprentice, line manager and practice tutor sign a review; other parties (and managers) may not."""
    return enrolment_scoped(403, anonymous=anonymous) | dict.fromkeys(
        ("apprentice", "line_manager", "tutor"), status
    )


def cohort_dashboard_readers(*, anonymous: int = 302) -> dict[str, int]:
    """The programme's director (and administrator) and the tutor (own caseload rows); a 404 for everyone else."""
    return every(404) | dict.fromkeys(("director", "admin", "tutor"), 200) | {"anonymous": anonymous}


def api_plan(suffix: str):
    return lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/training-plan/{suffix}"


@dataclass(frozen=True)
class Route:
    """One URL pattern: how to build a real URL for it, and what each member gets."""

    path: str | Callable[["Objects"], str]
    expect: dict[str, int]
    method: str = "get"
    data: dict = field(default_factory=dict)

    def url(self, objects: "Objects") -> str:
        return self.path(objects) if callable(self.path) else self.path


@dataclass
class Objects:
    """Real objects the URLs point at, all belonging to the cast's enrolment."""

    world: object
    invitation: object
    pending_invitation: object
    plan: object
    evidence: object
    share: object
    otj_entry: object = None  # a pending off-the-job entry (see otj_entry_and_link)
    otj_token: str = ""  # a one-click confirmation link's token covering it
    submission: object = None  # assignment 1 of the module run, marked with an annotated copy and released
    review: object = None  # progress review 2, awaiting signatures (see progress_reviews)
    signed_review: object = None  # progress review 1, signed by all three
    sbp_submission: object = None  # gateway/EPA/completion rows, see epa_objects
    completion_record: object = None
    completion_batch: object = None
    audit_pack: object = None  # a finished audit pack of the enrolment, requested by the director

    def __getattr__(self, name):
        return getattr(self.world, name)


def enrolment_url(suffix: str = "") -> Callable[[Objects], str]:
    return lambda o: f"/enrolments/{o.enrolment.pk}/{suffix}"


ROUTES: dict[str, Route] = {
    # Sign-in and account (django-allauth). Pages for an unfinished flow redirect; bad keys render an error page.
    "account_login": Route("/accounts/login/", every(302) | {"anonymous": 200}),
    "account_logout": Route("/accounts/logout/", signed_in(200)),
    "account_inactive": Route("/accounts/inactive/", every(200)),
    "account_signup": Route(
        "/accounts/signup/", every(302) | {"anonymous": 200}
    ),  # the "sign-up closed" page
    "account_reauthenticate": Route("/accounts/reauthenticate/", signed_in(200)),
    # Re-authentication by emailed code (django-allauth 65.22+): only mid-flow, so it redirects.
    "account_request_reauthentication_code": Route("/accounts/reauthenticate/code/", signed_in(200)),
    "account_confirm_reauthentication_code": Route("/accounts/reauthenticate/code/confirm/", every(302)),
    "account_email": Route("/accounts/email/", signed_in(200)),
    "account_email_verification_sent": Route("/accounts/confirm-email/", every(200)),
    "account_change_password": Route("/accounts/password/change/", signed_in(200)),
    "account_set_password": Route("/accounts/password/set/", every(302)),  # everyone already has one
    "account_reset_password": Route("/accounts/password/reset/", every(200)),
    "account_confirm_login_code": Route("/accounts/login/code/confirm/", every(302)),
    "account_confirm_email": Route("/accounts/confirm-email/not-a-real-key/", every(200)),
    "account_reset_password_from_key_done": Route("/accounts/password/reset/key/done/", every(200)),
    "account_reset_password_from_key": Route("/accounts/password/reset/key/zz-not-a-real-key/", every(200)),
    "account_reset_password_done": Route("/accounts/password/reset/done/", every(200)),
    "mfa_index": Route("/accounts/2fa/", signed_in(200)),
    "mfa_authenticate": Route("/accounts/2fa/authenticate/", every(302)),  # only mid-login
    "mfa_reauthenticate": Route("/accounts/2fa/reauthenticate/", every(302)),
    "mfa_activate_totp": Route("/accounts/2fa/totp/activate/", every(302)),  # asks to re-authenticate first
    "mfa_deactivate_totp": Route("/accounts/2fa/totp/deactivate/", signed_in(404)),  # nobody has TOTP yet
    "mfa_view_recovery_codes": Route("/accounts/2fa/recovery-codes/", signed_in(404)),
    "mfa_generate_recovery_codes": Route("/accounts/2fa/recovery-codes/generate/", every(302)),
    "mfa_download_recovery_codes": Route("/accounts/2fa/recovery-codes/download/", signed_in(404)),
    # API v1
    "api-token": Route("/api/v1/auth/token/", every(400), method="post"),  # no credentials given
    "api-me": Route("/api/v1/me/", signed_in(200, anonymous=401)),
    "programme-list": Route("/api/v1/programmes/", signed_in(200, anonymous=401)),
    "programme-detail": Route(
        lambda o: f"/api/v1/programmes/{o.programme.pk}/", enrolment_scoped(anonymous=401)
    ),
    "cohort-list": Route("/api/v1/cohorts/", signed_in(200, anonymous=401)),
    "cohort-detail": Route(
        lambda o: f"/api/v1/cohorts/{o.cohort.pk}/",
        enrolment_scoped(anonymous=401) | {"apprentice": 404, "line_manager": 404},  # staff roles only
    ),
    "enrolment-list": Route("/api/v1/enrolments/", signed_in(200, anonymous=401)),
    "enrolment-detail": Route(
        lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/", enrolment_scoped(anonymous=401)
    ),
    "api-schema": Route("/api/schema/", every(200)),
    "api-docs": Route("/api/docs/", every(200)),
    # Pages
    "home": Route("/", signed_in(200)),
    "account_settings": Route("/account/", signed_in(200)),
    "invitation_list": Route("/people/invitations/", inviters(200)),
    "invitation_create": Route("/people/invite/", inviters(200)),
    "invitation_revoke": Route(
        lambda o: f"/people/invitations/{o.invitation.pk}/revoke/",
        inviters(302) | {"other_director": 404},  # only the inviter's programme team sees it
        method="post",
    ),
    "invitation_accept": Route(lambda o: f"/invitations/{o.pending_invitation.token}/", every(200)),
    "enrolment_list": Route("/enrolments/", signed_in(200)),
    "enrolment_create": Route("/enrolments/new/", inviters(200)),
    "enrolment_detail": Route(enrolment_url(), enrolment_scoped()),
    "enrolment_status_change": Route(enrolment_url("status/"), enrolment_managed()),
    "enrolment_employer_change": Route(enrolment_url("employer/"), enrolment_managed()),
    "programme_detail": Route(lambda o: f"/programmes/{o.programme.pk}/", enrolment_scoped()),
    # The training plan: version 1 awaits signatures; version 2 is a draft only the directors see.
    "training_plan": Route(enrolment_url("training-plan/"), enrolment_scoped()),
    "training_plan_sign": Route(enrolment_url("training-plan/sign/"), plan_signers(200)),
    "training_plan_edit": Route(enrolment_url("training-plan/draft/"), enrolment_managed()),
    "training_plan_send": Route(enrolment_url("training-plan/send/"), enrolment_managed()),
    "training_plan_discard": Route(enrolment_url("training-plan/discard/"), enrolment_managed()),
    "training_plan_versions": Route(enrolment_url("training-plan/versions/"), enrolment_scoped()),
    "training_plan_version": Route(enrolment_url("training-plan/versions/1/"), enrolment_scoped()),
    "training_plan_pdf": Route(enrolment_url("training-plan/versions/1/pdf/"), enrolment_scoped()),
    "training_plan_diff": Route(
        enrolment_url("training-plan/compare/"),
        enrolment_scoped(302) | dict.fromkeys(MANAGERS, 200),  # parties see one version: nothing to compare
    ),
    "plans_awaiting": Route("/training-plans/awaiting/", inviters(200)),
    # Portfolio evidence: one piece awaits the tutor's review; the director has shared the portfolio.
    "portfolio": Route(enrolment_url("portfolio/"), enrolment_scoped()),
    "evidence_create": Route(enrolment_url("portfolio/new/"), apprentice_only(200)),
    "portfolio_export": Route(enrolment_url("portfolio/export/"), enrolment_scoped()),
    "portfolio_shares": Route(enrolment_url("portfolio/share/"), sharers(200)),
    "portfolio_share_revoke": Route(
        lambda o: f"/enrolments/{o.enrolment.pk}/portfolio/share/{o.share.pk}/revoke/",
        sharers(302),
        method="post",
    ),
    "ksb_coverage": Route(enrolment_url("ksb-coverage/"), enrolment_scoped()),
    "cohort_heatmap": Route(
        lambda o: f"/cohorts/{o.cohort.pk}/ksb-heatmap/",
        enrolment_scoped() | {"apprentice": 404, "line_manager": 404},  # staff roles only
    ),
    "evidence_detail": Route(evidence_url(""), enrolment_scoped()),
    "evidence_edit": Route(evidence_url("edit/"), apprentice_only(302)),  # awaiting review: back to the page
    "evidence_submit": Route(evidence_url("submit/"), apprentice_only(302), method="post"),
    "evidence_revise": Route(evidence_url("revise/"), apprentice_only(200)),
    "evidence_delete": Route(evidence_url("delete/"), apprentice_only(200)),
    "evidence_feedback": Route(evidence_url("feedback/"), enrolment_scoped(403) | {"tutor": 200}),
    "evidence_file": Route(
        lambda o: f"/evidence/{o.evidence.pk}/files/{o.evidence.current.files.get().pk}/", enrolment_scoped()
    ),
    "review_queue": Route("/portfolio/review/", signed_in(403) | {"tutor": 200, "other_tutor": 200}),
    "shared_portfolio": Route(lambda o: f"/shared/portfolio/{o.share.token}/", every(200)),
    "shared_portfolio_download": Route(lambda o: f"/shared/portfolio/{o.share.token}/download/", every(200)),
    "evidence-list": Route("/api/v1/evidence/", signed_in(200, anonymous=401)),
    "evidence-detail": Route(lambda o: f"/api/v1/evidence/{o.evidence.pk}/", enrolment_scoped(anonymous=401)),
    "evidence-file": Route(
        lambda o: f"/api/v1/evidence/{o.evidence.pk}/file/", enrolment_scoped(anonymous=401)
    ),
    "evidence-feedback": Route(
        lambda o: f"/api/v1/evidence/{o.evidence.pk}/feedback/",
        enrolment_scoped(403, anonymous=401) | {"tutor": 400},  # no decision given
        method="post",
    ),
    "api-ksb-coverage": Route(
        lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/ksb-coverage/", enrolment_scoped(anonymous=401)
    ),
    # The OTJ ledger: one pending entry, and a one-click confirmation link for it.
    "otj_ledger": Route(enrolment_url("otj/"), enrolment_scoped()),
    "otj_entry_create": Route(enrolment_url("otj/new/"), apprentice_only(200)),
    "otj_export_csv": Route(enrolment_url("otj/export.csv"), enrolment_scoped()),
    "otj_export_pdf": Route(enrolment_url("otj/export.pdf"), enrolment_scoped()),
    "otj_entry_detail": Route(otj_url(""), enrolment_scoped()),
    "otj_entry_edit": Route(otj_url("edit/"), apprentice_only(200)),
    "otj_entry_delete": Route(otj_url("delete/"), apprentice_only(200)),
    "otj_entry_correction": Route(otj_url("correction/"), apprentice_only(200)),
    "otj_entry_confirm": Route(otj_url("confirm/"), otj_deciders(302), method="post"),
    "otj_entry_reject": Route(otj_url("query/"), otj_deciders(200)),
    "otj_queue": Route("/otj/confirm/", signed_in(200)),  # everyone sees their own (often empty) queue
    "otj_confirm_link": Route(lambda o: f"/otj/confirm/link/{o.otj_token}/", every(200)),  # no sign-in needed
    "otj-entry-list": Route("/api/v1/otj-entries/", signed_in(200, anonymous=401)),
    "otj-entry-detail": Route(api_otj(""), enrolment_scoped(anonymous=401)),
    "otj-entry-confirm": Route(api_otj("confirm/"), otj_deciders(200, anonymous=401), method="post"),
    "otj-entry-reject": Route(
        api_otj("reject/"), otj_deciders(400, anonymous=401), method="post"
    ),  # no reason
    "otj-activity-type-list": Route("/api/v1/otj-activity-types/", signed_in(200, anonymous=401)),
    "api-otj-summary": Route(
        lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/otj/", enrolment_scoped(anonymous=401)
    ),
    "api-training-plan": Route(api_plan(""), enrolment_scoped(anonymous=401)),
    "api-training-plan-sign": Route(api_plan("sign/"), plan_signers(400, anonymous=401), method="post"),
    "api-training-plan-versions": Route(api_plan("versions/"), enrolment_scoped(anonymous=401)),
    "api-training-plan-version": Route(api_plan("versions/1/"), enrolment_scoped(anonymous=401)),
    "api-training-plan-pdf": Route(api_plan("versions/1/pdf/"), enrolment_scoped(anonymous=401)),
    # Progress reviews: review 1 is signed, review 2 awaits signatures (nobody has signed it yet).
    "caseload": Route("/caseload/", signed_in(403) | {"tutor": 200, "other_tutor": 200}),
    "reviews_overdue": Route("/reviews/overdue/", inviters(200)),
    "enrolment_reviews": Route(enrolment_url("reviews/"), enrolment_scoped()),
    "review_schedule": Route(enrolment_url("reviews/schedule/"), enrolment_scoped(403) | {"tutor": 200}),
    "review_record": Route(enrolment_url("reviews/record/"), enrolment_scoped(403) | {"tutor": 200}),
    "review_detail": Route(review_url(""), enrolment_scoped()),
    "review_sign": Route(review_url("sign/"), review_signers(200)),
    "review_decline": Route(
        review_url("decline/"), enrolment_scoped(403) | {"apprentice": 200, "line_manager": 200}
    ),
    "review_addendum": Route(
        lambda o: f"/reviews/{o.signed_review.pk}/addendum/", enrolment_scoped(403) | {"tutor": 200}
    ),
    "review_pdf": Route(review_url("pdf/"), enrolment_scoped()),
    "review-list": Route("/api/v1/reviews/", signed_in(200, anonymous=401)),
    "review-detail": Route(lambda o: f"/api/v1/reviews/{o.review.pk}/", enrolment_scoped(anonymous=401)),
    "review-sign": Route(
        lambda o: f"/api/v1/reviews/{o.review.pk}/sign/", review_signers(400, anonymous=401), method="post"
    ),  # no name or password given
    # Module assessment: assignment 1 is submitted, marked and released; only the module lead marks.
    "enrolment_modules": Route(enrolment_url("modules/"), enrolment_scoped()),
    "enrolment_timetable_ics": Route(enrolment_url("timetable.ics"), enrolment_scoped()),
    "assignment_submit": Route(
        lambda o: f"/enrolments/{o.enrolment.pk}/assignments/{o.submission.assignment_id}/submit/",
        apprentice_only(200),
    ),
    "submission_detail": Route(submission_url(""), enrolment_scoped()),
    "submission_file": Route(submission_url("file/"), enrolment_scoped()),
    "submission_annotated_file": Route(submission_url("annotated/"), enrolment_scoped()),
    "submission_mark": Route(submission_url("mark/"), enrolment_scoped(403) | {"module_lead": 200}),
    "marking_queue": Route("/marking/", signed_in(403) | {"module_lead": 200}),
    "marking_overview": Route(
        "/modules/marking/",
        signed_in(403) | dict.fromkeys(("director", "other_director", "module_lead", "admin"), 200),
    ),
    "module_run_detail": Route(lambda o: f"/module-runs/{o.module_run.pk}/", enrolment_scoped()),
    "module_run_release": Route(
        lambda o: f"/module-runs/{o.module_run.pk}/release/", enrolment_scoped(403) | {"module_lead": 200}
    ),
    "module_run_setup": Route(
        lambda o: f"/cohorts/{o.cohort.pk}/modules/{o.module_run.module_id}/run/", enrolment_managed()
    ),
    "submission-list": Route("/api/v1/submissions/", signed_in(200, anonymous=401)),
    "submission-detail": Route(
        lambda o: f"/api/v1/submissions/{o.submission.pk}/", enrolment_scoped(anonymous=401)
    ),
    "submission-file": Route(
        lambda o: f"/api/v1/submissions/{o.submission.pk}/file/", enrolment_scoped(anonymous=401)
    ),
    "submission-mark": Route(
        lambda o: f"/api/v1/submissions/{o.submission.pk}/mark/",
        enrolment_scoped(403, anonymous=401) | {"module_lead": 400},  # no mark given
        method="post",
    ),
    # Reporting: directors see every row of their cohorts, tutors their caseload's rows, everyone else a 404.
    "dashboard": Route(
        "/dashboard/",
        signed_in(403) | dict.fromkeys(("director", "other_director", "admin", "tutor", "other_tutor"), 200),
    ),
    "dashboard_learner_records": Route(
        "/dashboard/learner-records.csv",
        signed_in(403) | dict.fromkeys(("director", "other_director", "admin", "tutor", "other_tutor"), 200),
    ),
    **{
        name: Route(lambda o, suffix=suffix: f"/cohorts/{o.cohort.pk}/{suffix}", cohort_dashboard_readers())
        for name, suffix in (
            ("cohort_dashboard", "dashboard/"),
            ("cohort_dashboard_csv", "dashboard.csv"),
            ("cohort_dashboard_xlsx", "dashboard.xlsx"),
            ("cohort_learner_records", "learner-records.csv"),
        )
    },
    "api-cohort-progress": Route(
        lambda o: f"/api/v1/cohorts/{o.cohort.pk}/progress/", cohort_dashboard_readers(anonymous=401)
    ),
    "rag_override": Route(enrolment_url("rag/"), enrolment_managed()),
    "audit_pack_start": Route(enrolment_url("audit-pack/"), enrolment_managed()),
    "audit_pack_status": Route(lambda o: f"/audit-packs/{o.audit_pack.token}/", enrolment_managed()),
    "audit_pack_download": Route(
        lambda o: f"/audit-packs/{o.audit_pack.token}/download/", enrolment_managed()
    ),
    "api-cohort-module-runs": Route(
        lambda o: f"/api/v1/cohorts/{o.cohort.pk}/module-runs/", enrolment_scoped(anonymous=401)
    ),
    # Gateway, EPA and completion: the enrolment is active (checklist not met), its EPA row names the assessor, an
    # SBP is submitted and a completion record with its PDF exists (see epa_objects).
    "gateway": Route(enrolment_url("gateway/"), enrolment_scoped()),
    "gateway_english_maths": Route(
        enrolment_url("gateway/english-maths/"),
        enrolment_scoped(403) | {"tutor": 200, "director": 200, "admin": 200},
    ),
    "gateway_sbp": Route(enrolment_url("gateway/sbp/"), apprentice_only(200)),
    "gateway_sbp_agree": Route(
        enrolment_url("gateway/sbp/agree/"),
        enrolment_scoped(302) | {"apprentice": 403, "tutor": 403, "module_lead": 403},
        method="post",
        data={"party": "employer"},
    ),
    "gateway_sign": Route(
        enrolment_url("gateway/sign/"), enrolment_scoped(403) | {"line_manager": 200, "director": 200}
    ),
    "cohort_gateway": Route(
        lambda o: f"/cohorts/{o.cohort.pk}/gateway/",
        enrolment_scoped() | {"apprentice": 404, "line_manager": 404},
    ),
    "epa_detail": Route(enrolment_url("epa/"), enrolment_scoped()),
    "epa_assign": Route(enrolment_url("epa/assessor/"), enrolment_managed()),
    "epa_sbp_submit": Route(enrolment_url("epa/sbp/"), apprentice_only(200)),
    "epa_sbp_file": Route(
        lambda o: f"/enrolments/{o.enrolment.pk}/epa/sbp/{o.sbp_submission.pk}/file/", enrolment_scoped()
    ),
    "epa_schedule": Route(enrolment_url("epa/schedule/"), enrolment_scoped(403) | {"assessor": 200}),
    "epa_grade": Route(enrolment_url("epa/grade/"), enrolment_scoped(403) | {"assessor": 200}),
    "epa_release": Route(enrolment_url("epa/release/"), enrolment_scoped(403) | {"assessor": 200}),
    "completion_issue": Route(enrolment_url("completion/issue/"), enrolment_managed(302)),  # already issued
    "completion_detail": Route(
        lambda o: f"/completion-records/{o.completion_record.pk}/", enrolment_scoped()
    ),
    "completion_pdf": Route(
        lambda o: f"/completion-records/{o.completion_record.pk}/pdf/", enrolment_scoped()
    ),
    "completion_revoke": Route(
        lambda o: f"/completion-records/{o.completion_record.pk}/revoke/", enrolment_managed()
    ),
    "cohort_completion": Route(
        lambda o: f"/cohorts/{o.cohort.pk}/completion/",
        enrolment_scoped() | {"apprentice": 404, "line_manager": 404},
    ),
    "completion_batch": Route(
        lambda o: f"/completion-batches/{o.completion_batch.pk}/",
        enrolment_managed(403) | {"apprentice": 404, "line_manager": 404} | dict.fromkeys(MANAGERS, 200),
    ),
    "verify_certificate": Route(lambda o: f"/verify/{o.completion_record.verification_code}/", every(200)),
    "api-gateway": Route(
        lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/gateway/", enrolment_scoped(anonymous=401)
    ),
    "api-gateway-sign": Route(
        lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/gateway/sign/",
        enrolment_scoped(403, anonymous=401) | {"line_manager": 400, "director": 400},  # no name or password
        method="post",
    ),
    "api-epa": Route(lambda o: f"/api/v1/enrolments/{o.enrolment.pk}/epa/", enrolment_scoped(anonymous=401)),
    "completion-record-list": Route("/api/v1/completion-records/", signed_in(200, anonymous=401)),
    "completion-record-detail": Route(
        lambda o: f"/api/v1/completion-records/{o.completion_record.pk}/", enrolment_scoped(anonymous=401)
    ),
    "completion-record-pdf": Route(
        lambda o: f"/api/v1/completion-records/{o.completion_record.pk}/pdf/", enrolment_scoped(anonymous=401)
    ),
    "api-verify": Route(lambda o: f"/api/v1/verify/{o.completion_record.verification_code}/", every(200)),
}

# The admin: one rule for every page. Only administrators get in; everyone else is sent to the admin login.
ADMIN_FOR_ADMINISTRATOR = {
    "admin:login": 302,  # already signed in: on to the index
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # needs a field to complete
    "admin:view_on_site": 302,  # on to the enrolment's page
    "admin:catch_all": 404,
    # Progress reviews are recorded and signed on the site and kept for the auditor.
    "admin:tutors_progressreview_add": 403,
    "admin:tutors_progressreview_delete": 403,
    **{f"admin:{m._meta.app_label}_{m._meta.model_name}_object": 302 for m in admin.site._registry},
    # Read-only by design: enrolments change through their services, emails are kept as sent.
    "admin:programmes_enrolment_add": 403,
    "admin:programmes_enrolment_delete": 403,
    "admin:accounts_outboxemail_add": 403,
    "admin:training_plans_trainingplan_add": 403,  # drafted, sent and signed on the site
    "admin:training_plans_trainingplan_delete": 403,  # kept for ever
    # Portfolio evidence is added and reviewed on the site and kept for the auditor.
    "admin:portfolios_evidence_add": 403,
    "admin:portfolios_evidence_delete": 403,
    "admin:portfolios_evidenceversion_add": 403,
    "admin:portfolios_evidenceversion_delete": 403,
    "admin:portfolios_portfolioshare_add": 403,
    # OTJ entries are logged and confirmed on the site, kept for the auditor; activity types are retired, not deleted.
    "admin:otj_offthejobentry_add": 403,
    "admin:otj_offthejobentry_delete": 403,
    "admin:otj_otjactivitytype_delete": 403,
    # Submissions and marks are made on the site and kept for the auditor (marks change with a reason there).
    "admin:assessments_submission_add": 403,
    "admin:assessments_submission_delete": 403,
    "admin:assessments_mark_add": 403,
    "admin:assessments_mark_delete": 403,
    # RAG overrides are made on the dashboard with a reason and kept; audit packs are built from the dashboard.
    "admin:reporting_ragoverride_add": 403,
    "admin:reporting_ragoverride_delete": 403,
    "admin:reporting_auditpackjob_add": 403,
    "admin:reporting_progresssnapshot_add": 403,  # worked out from the records, never typed in
    "admin:reporting_progresssnapshot_delete": 403,
}
ADMIN_FOR_OTHERS = {"admin:login": 200}


def walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern_name(pattern)}", pattern


def pattern_name(pattern: URLPattern) -> str:
    """The URL name; the admin's two kinds of unnamed pattern get a stable one."""
    if pattern.name:
        return pattern.name
    if "(?P<url>.*)" in str(pattern.pattern):
        return "catch_all"
    model_admin = getattr(pattern.callback, "model_admin", None)
    if model_admin is not None and str(pattern.pattern) == "<path:object_id>/":
        return f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_object"  # redirects to change
    return ""


PATTERNS = list(walk(get_resolver().url_patterns))
OWN = [(route, name) for route, name, _ in PATTERNS if not name.startswith("admin:")]
ADMIN = [(route, name, pattern) for route, name, pattern in PATTERNS if name.startswith("admin:")]


def test_every_url_pattern_has_a_line_in_the_matrix():
    missing = [f"{name or '(unnamed)'} {route}" for route, name in OWN if name not in ROUTES]
    assert not missing, "Add these URL patterns to ROUTES in tests/test_access_matrix.py: " + ", ".join(
        missing
    )
    unnamed = [route for route, name, _ in PATTERNS if not name or name.endswith(":")]
    assert not unnamed, f"Name these URL patterns: {unnamed}"


def test_the_matrix_has_no_stale_lines():
    names = {name for _route, name in OWN}
    assert not set(ROUTES) - names, f"ROUTES lists URLs that no longer exist: {set(ROUTES) - names}"
    for name, route in ROUTES.items():
        assert set(route.expect) == set(MEMBERS), f"{name} must give a status for every cast member"


def test_the_matrix_has_a_cast_of_insiders_and_outsiders():
    assert set(PARTIES) | set(MANAGERS) | set(OUTSIDERS) | {"anonymous"} == set(MEMBERS)


@pytest.fixture
def world(module_world, db):
    """The module's one world: built once, every request below rolled back (see ``module_db``)."""
    return module_world


@pytest.fixture(scope="module")
def objects(module_world, module_storage):
    """Every object the URLs point at, built once for the module (about a second's work)."""
    world, cast = module_world, module_world.cast
    invitation = services.invitation_send(
        invited_by=cast.director,
        email="invited@example.test",
        full_name="Ivy Invited",
        organisation=world.employer,
    )
    pending = services.invitation_send(
        invited_by=cast.director,
        email="pending@example.test",
        full_name="Pat Pending",
        organisation=world.employer,
    )
    evidence, share = submitted_evidence_and_share(world, cast)
    objects = Objects(world, invitation, pending, training_plan_with_draft(world, cast), evidence, share)
    objects.otj_entry, objects.otj_token = otj_entry_and_link(world, cast)
    objects.submission = released_submission(world, cast)
    objects.signed_review, objects.review = progress_reviews(world, cast)
    objects.sbp_submission, objects.completion_record, objects.completion_batch = epa_objects(world, cast)
    objects.audit_pack = reporting_objects(world, cast)
    return objects


def reporting_objects(world, cast):
    """A RAG override on the enrolment and a finished audit pack of it (both the director's)."""
    from tests.reporting.helpers import finished_audit_pack, override

    override(world.enrolment, cast.director)
    return finished_audit_pack(world.enrolment, cast.director)


def epa_objects(world, cast):
    """An SBP submission, a completion record with its PDF, and a bulk-issue batch, stored directly (fast)."""
    from tests.assessments.epa.epa_objects import epa_rows

    return epa_rows(world, cast)


def progress_reviews(world, cast):
    """Review 1 signed by all three; review 2 submitted and awaiting signatures; the programme reviews termly."""
    from datetime import date

    from tests.tutors.helpers import signed_review, submitted_review
    from tutors.models import ReviewPolicy

    ReviewPolicy.objects.create(programme=world.programme)
    first = signed_review(world.enrolment, cast, held_on=date(2026, 3, 2))
    return first, submitted_review(world.enrolment, cast.tutor, held_on=date(2026, 6, 1))


def released_submission(world, cast):
    """Assignment 1 of the cast's module run, submitted, marked with an annotated copy, and released."""
    from assessments import services as assessment
    from tests.assessments.helpers import pdf, release, set_up_run, submit

    set_up_run(world)
    submission = submit(world)
    assessment.submission_mark(
        submission=submission,
        by=cast.module_lead,
        mark=64,
        feedback="Clear.",
        annotated_file=pdf("marked.pdf"),
    )
    release(world)
    return submission


def otj_entry_and_link(world, cast):
    """A pending OTJ entry (stored directly: the plan here still awaits signatures) and a confirm link for it."""
    from django.utils import timezone

    from portfolios.otj import services as otj_services
    from portfolios.otj.models import OffTheJobEntry, OTJActivityType

    entry = OffTheJobEntry.objects.create(
        enrolment=world.enrolment,
        date=timezone.localdate(),
        hours=2,
        activity_type=OTJActivityType.objects.get(code="reading"),
        description="Read the module papers on public value.",
        logged_by=cast.apprentice,
    )
    token = otj_services.confirmation_link_create(
        manager=cast.line_manager, enrolment=world.enrolment, entries=[entry]
    )
    return entry, token


def submitted_evidence_and_share(world, cast):
    """A piece of evidence awaiting the tutor's review, with a PDF attached, and a share link for an assessor."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from portfolios import services as portfolio

    ksb = world.programme.standard.ksbs.first()
    evidence = portfolio.evidence_create(
        enrolment=world.enrolment,
        by=cast.apprentice,
        fields=portfolio.EvidenceFields(
            title="Board paper",
            kind="work_product",
            occurred_on=timezone.localdate(),
            reflection="I led it.",
            ksb_ids=[ksb.pk],
        ),  # fmt: skip
        files=[SimpleUploadedFile("paper.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        submit=True,
    )
    share = portfolio.share_create(enrolment=world.enrolment, by=cast.director, recipient="Assessor", days=7)
    return evidence, share


def training_plan_with_draft(world, cast):
    """Version 1 sent for signature, and a draft version 2, so every training-plan page has something to show."""
    from decimal import Decimal

    from programmes.training_plans import services as plan_services

    world.programme.standard.otj_minimum_hours = Decimal("400")
    world.programme.standard.save()
    values = plan_services.fields_from_records(world.enrolment)
    values.epao_name = "Assessors Ltd"
    first = plan_services.plan_save_draft(enrolment=world.enrolment, by=cast.director, values=values)
    plan_services.plan_send(plan=first, by=cast.director)
    values.support = "Weekly drop-in with the practice tutor."
    plan_services.plan_save_draft(
        enrolment=world.enrolment, by=cast.director, values=values, change_summary="Support arrangements"
    )
    return first


def request_as(client, user, method: str, url: str, data: dict):
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_access(name, client, cast, objects):
    route = ROUTES[name]
    url = route.url(objects)
    assert get_resolver().resolve(url.split("?")[0]).url_name == name.split(":")[-1]
    got = {
        member: request_as(client, user, route.method, url, route.data).status_code
        for member, user in cast.members().items()
        if member in MEMBERS
    }
    assert got == route.expect, f"{route.method.upper()} {url}"


# ---- the admin ---------------------------------------------------------------------------------------------


def admin_example(model):
    """An existing row for an admin model's object pages (the cast's world has one of most)."""
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from rest_framework.authtoken.models import Token, TokenProxy

    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        return obj
    makers = {
        Group: lambda: Group.objects.create(name="Auditors"),
        TokenProxy: lambda: TokenProxy.objects.get(pk=Token.objects.create(user=admin_user()).pk),
        IntervalSchedule: lambda: IntervalSchedule.objects.create(every=1, period="days"),
        ClockedSchedule: lambda: ClockedSchedule.objects.create(clocked_time="2026-01-01T09:00:00Z"),
        CrontabSchedule: lambda: CrontabSchedule.objects.create(minute="0", hour="6"),
        SolarSchedule: lambda: SolarSchedule.objects.create(event="sunrise", latitude=51.5, longitude=-0.1),
        PeriodicTask: lambda: PeriodicTask.objects.create(
            name="Example",
            task="accounts.tasks.send_invitation_email",
            interval=admin_example(IntervalSchedule),
        ),
    }
    if model in makers:
        return makers[model]()
    from accounts.models import OutboxEmail

    if model is OutboxEmail:
        return OutboxEmail.objects.create(to="someone@example.test", subject="Hello", body="Hello")
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    if model is EmailAddress:
        user = admin_user()
        return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if model is Authenticator:
        return Authenticator.objects.create(
            user=admin_user(),
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "00" * 20, "used_mask": 0},
        )
    from reporting.models import ProgressSnapshot

    if model is ProgressSnapshot:
        from programmes.models import Enrolment
        from reporting.services import progress_refresh

        progress_refresh(enrolments=Enrolment.objects.all())
        return ProgressSnapshot.objects.order_by("pk").first()
    raise AssertionError(f"Teach admin_example() to make a {model.__name__} for the admin access matrix")


def admin_user():
    from accounts.models import User

    return User.objects.get(email="admin@example.test")


def admin_model(short_name: str):
    """The registered model an admin URL name belongs to (``programmes_enrolment_change`` → Enrolment)."""
    for model in admin.site._registry:
        if short_name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    if short_name == "auth_user_password_change":
        from accounts.models import User

        return User
    return None


def admin_url(name: str, objects: Objects) -> str:
    short = name.removeprefix("admin:")
    if short == "catch_all":
        return "/admin/no-such-page/"
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "programmes"})
    if short == "view_on_site":
        from django.contrib.contenttypes.models import ContentType

        enrolment = objects.enrolment
        return reverse(name, args=[ContentType.objects.get_for_model(enrolment).pk, enrolment.pk])
    model = admin_model(short)
    if model is None:
        return reverse(name)
    obj = admin_example(model)
    if short.endswith("_simple_history"):
        return reverse(name, args=[obj.pk, obj.history.order_by("pk").first().pk])
    if short.endswith(("_changelist", "_add")):
        return reverse(name)
    if short.endswith("_object"):
        return reverse(name.removesuffix("_object") + "_change", args=[obj.pk]).removesuffix("change/")
    return reverse(name, args=[obj.pk])


def test_the_admin_has_a_rule_for_every_page():
    registered = {f"admin:{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    for _route, name, pattern in ADMIN:
        model_admin = getattr(pattern.callback, "model_admin", None)
        if model_admin is not None:
            assert any(name.startswith(prefix) for prefix in registered), name
    stale = set(ADMIN_FOR_ADMINISTRATOR) - {name for _r, name, _p in ADMIN}
    assert not stale, f"ADMIN_FOR_ADMINISTRATOR names admin pages that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted({name for _route, name, _pattern in ADMIN}))
def test_admin_access(name, client, cast, objects):
    url = admin_url(name, objects)
    for member, user in cast.members().items():
        response = request_as(client, user, "get", url, {})
        if member == "admin":
            expected = ADMIN_FOR_ADMINISTRATOR.get(name, 200)
            assert response.status_code == expected, f"administrator: GET {url}"
            if name == "admin:view_on_site":
                assert response["Location"].endswith(f"/enrolments/{objects.enrolment.pk}/")
        else:
            expected = ADMIN_FOR_OTHERS.get(name, 302)
            assert response.status_code == expected, f"{member}: GET {url}"
            if expected == 302 and name != "admin:logout":
                assert response["Location"].startswith("/admin/login/"), f"{member}: GET {url}"
