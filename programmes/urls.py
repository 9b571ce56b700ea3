from django.urls import path

from programmes import plan_views, views

urlpatterns = [
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/new/", views.enrolment_create, name="enrolment_create"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/status/", views.enrolment_status_change, name="enrolment_status_change"),
    path("enrolments/<int:pk>/employer/", views.enrolment_employer_change, name="enrolment_employer_change"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    # The tripartite commitment statement (training plan)
    path("enrolments/<int:pk>/training-plan/", plan_views.training_plan, name="training_plan"),
    path("enrolments/<int:pk>/training-plan/sign/", plan_views.training_plan_sign, name="training_plan_sign"),
    path(
        "enrolments/<int:pk>/training-plan/draft/", plan_views.training_plan_edit, name="training_plan_edit"
    ),
    path("enrolments/<int:pk>/training-plan/send/", plan_views.training_plan_send, name="training_plan_send"),
    path(
        "enrolments/<int:pk>/training-plan/discard/",
        plan_views.training_plan_discard,
        name="training_plan_discard",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/",
        plan_views.training_plan_versions,
        name="training_plan_versions",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/<int:version>/",
        plan_views.training_plan_version,
        name="training_plan_version",
    ),
    path(
        "enrolments/<int:pk>/training-plan/versions/<int:version>/pdf/",
        plan_views.training_plan_pdf,
        name="training_plan_pdf",
    ),
    path(
        "enrolments/<int:pk>/training-plan/compare/", plan_views.training_plan_diff, name="training_plan_diff"
    ),
    path("training-plans/awaiting/", plan_views.plans_awaiting, name="plans_awaiting"),
]
