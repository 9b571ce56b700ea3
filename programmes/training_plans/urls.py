"""The training plan's pages, and its API paths (``api_urlpatterns``, placed in config/urls.py's /api/v1 list)."""

from django.urls import path

from programmes.training_plans import api, views

urlpatterns = [
    # The tripartite commitment statement (training plan)
    path("enrolments/<int:pk>/training-plan/", views.training_plan, name="training_plan"),
    path("enrolments/<int:pk>/training-plan/sign/", views.training_plan_sign, name="training_plan_sign"),
    path("enrolments/<int:pk>/training-plan/draft/", views.training_plan_edit, name="training_plan_edit"),
    path("enrolments/<int:pk>/training-plan/send/", views.training_plan_send, name="training_plan_send"),
    path(
        "enrolments/<int:pk>/training-plan/discard/",
        views.training_plan_discard,
        name="training_plan_discard",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/",
        views.training_plan_versions,
        name="training_plan_versions",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/<int:version>/",
        views.training_plan_version,
        name="training_plan_version",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/<int:version>/pdf/",
        views.training_plan_pdf,
        name="training_plan_pdf",
    ),
    path("enrolments/<int:pk>/training-plan/compare/", views.training_plan_diff, name="training_plan_diff"),
    path("training-plans/awaiting/", views.plans_awaiting, name="plans_awaiting"),
]

api_urlpatterns = [
    path("enrolments/<str:pk>/training-plan/", api.TrainingPlanView.as_view(), name="api-training-plan"),
    path(
        "enrolments/<str:pk>/training-plan/sign/",
        api.TrainingPlanSignView.as_view(),
        name="api-training-plan-sign",
    ),
    path(
        "enrolments/<str:pk>/training-plan/versions/",
        api.TrainingPlanVersionListView.as_view(),
        name="api-training-plan-versions",
    ),
    path(
        "enrolments/<str:pk>/training-plan/versions/<str:version>/",
        api.TrainingPlanVersionView.as_view(),
        name="api-training-plan-version",
    ),
    path(
        "enrolments/<str:pk>/training-plan/versions/<str:version>/pdf/",
        api.TrainingPlanPDFView.as_view(),
        name="api-training-plan-pdf",
    ),
]
