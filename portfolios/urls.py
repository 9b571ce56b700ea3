from django.urls import path

from portfolios import views

urlpatterns = [
    path("enrolments/<int:pk>/portfolio/", views.portfolio, name="portfolio"),
    path("enrolments/<int:pk>/portfolio/new/", views.evidence_create, name="evidence_create"),
    path("enrolments/<int:pk>/portfolio/export/", views.portfolio_export, name="portfolio_export"),
    path("enrolments/<int:pk>/portfolio/share/", views.portfolio_shares, name="portfolio_shares"),
    path(
        "enrolments/<int:pk>/portfolio/share/<int:share_id>/revoke/",
        views.portfolio_share_revoke,
        name="portfolio_share_revoke",
    ),
    path("enrolments/<int:pk>/ksb-coverage/", views.ksb_coverage, name="ksb_coverage"),
    path("cohorts/<int:pk>/ksb-heatmap/", views.cohort_heatmap, name="cohort_heatmap"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/submit/", views.evidence_submit, name="evidence_submit"),
    path("evidence/<int:pk>/revise/", views.evidence_revise, name="evidence_revise"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("evidence/<int:pk>/feedback/", views.evidence_feedback, name="evidence_feedback"),
    path("evidence/<int:pk>/files/<int:file_id>/", views.evidence_file, name="evidence_file"),
    path("portfolio/review/", views.review_queue, name="review_queue"),
    path("shared/portfolio/<str:token>/", views.shared_portfolio, name="shared_portfolio"),
    path(
        "shared/portfolio/<str:token>/download/",
        views.shared_portfolio_download,
        name="shared_portfolio_download",
    ),
]
