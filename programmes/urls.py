from django.urls import path

from programmes import views

urlpatterns = [
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/new/", views.enrolment_create, name="enrolment_create"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/status/", views.enrolment_status_change, name="enrolment_status_change"),
    path("enrolments/<int:pk>/employer/", views.enrolment_employer_change, name="enrolment_employer_change"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
]
