from django.urls import path

from assessments import views

urlpatterns = [
    path("enrolments/<int:pk>/modules/", views.enrolment_modules, name="enrolment_modules"),
    path("enrolments/<int:pk>/timetable.ics", views.enrolment_timetable_ics, name="enrolment_timetable_ics"),
    path(
        "enrolments/<int:pk>/assignments/<int:assignment_id>/submit/",
        views.assignment_submit,
        name="assignment_submit",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/file/", views.submission_file, name="submission_file"),
    path(
        "submissions/<int:pk>/annotated/", views.submission_annotated_file, name="submission_annotated_file"
    ),
    path("submissions/<int:pk>/mark/", views.submission_mark, name="submission_mark"),
    path("marking/", views.marking_queue, name="marking_queue"),
    path("modules/marking/", views.marking_overview, name="marking_overview"),
    path("module-runs/<int:pk>/", views.module_run_detail, name="module_run_detail"),
    path("module-runs/<int:pk>/release/", views.module_run_release, name="module_run_release"),
    path("cohorts/<int:pk>/modules/<int:module_id>/run/", views.module_run_setup, name="module_run_setup"),
]
