from django.urls import path

from reporting import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/learner-records.csv", views.dashboard_learner_records, name="dashboard_learner_records"),
    path("cohorts/<int:pk>/dashboard/", views.cohort_dashboard, name="cohort_dashboard"),
    path("cohorts/<int:pk>/dashboard.csv", views.cohort_dashboard_csv, name="cohort_dashboard_csv"),
    path("cohorts/<int:pk>/dashboard.xlsx", views.cohort_dashboard_xlsx, name="cohort_dashboard_xlsx"),
    path("cohorts/<int:pk>/learner-records.csv", views.cohort_learner_records, name="cohort_learner_records"),
    path("enrolments/<int:pk>/rag/", views.rag_override, name="rag_override"),
    path("enrolments/<int:pk>/audit-pack/", views.audit_pack_start, name="audit_pack_start"),
    path("audit-packs/<uuid:token>/", views.audit_pack_status, name="audit_pack_status"),
    path("audit-packs/<uuid:token>/download/", views.audit_pack_download, name="audit_pack_download"),
]
