"""Pages for gateway, the end-point assessment, completion records and public verification."""

from django.urls import path

from assessments.epa import completion_views, views

urlpatterns = [
    path("enrolments/<int:pk>/gateway/", views.gateway_page, name="gateway"),
    path(
        "enrolments/<int:pk>/gateway/english-maths/",
        views.gateway_english_maths,
        name="gateway_english_maths",
    ),
    path("enrolments/<int:pk>/gateway/sbp/", views.gateway_sbp, name="gateway_sbp"),
    path("enrolments/<int:pk>/gateway/sbp/agree/", views.gateway_sbp_agree, name="gateway_sbp_agree"),
    path("enrolments/<int:pk>/gateway/sign/", views.gateway_sign, name="gateway_sign"),
    path("cohorts/<int:pk>/gateway/", views.cohort_gateway, name="cohort_gateway"),
    path("enrolments/<int:pk>/epa/", views.epa_detail, name="epa_detail"),
    path("enrolments/<int:pk>/epa/assessor/", views.epa_assign, name="epa_assign"),
    path("enrolments/<int:pk>/epa/sbp/", views.epa_sbp_submit, name="epa_sbp_submit"),
    path("enrolments/<int:pk>/epa/sbp/<int:submission_id>/file/", views.epa_sbp_file, name="epa_sbp_file"),
    path("enrolments/<int:pk>/epa/schedule/", views.epa_schedule, name="epa_schedule"),
    path("enrolments/<int:pk>/epa/grade/", views.epa_grade, name="epa_grade"),
    path("enrolments/<int:pk>/epa/release/", views.epa_release, name="epa_release"),
    path("enrolments/<int:pk>/completion/issue/", views.completion_issue, name="completion_issue"),
    path("completion-records/<int:pk>/", completion_views.completion_detail, name="completion_detail"),
    path("completion-records/<int:pk>/pdf/", completion_views.completion_pdf, name="completion_pdf"),
    path("completion-records/<int:pk>/revoke/", completion_views.completion_revoke, name="completion_revoke"),
    path("cohorts/<int:pk>/completion/", completion_views.cohort_completion, name="cohort_completion"),
    path("completion-batches/<int:pk>/", completion_views.completion_batch, name="completion_batch"),
    path("verify/<str:code>/", completion_views.verify_certificate, name="verify_certificate"),
]
