from django.urls import path

from tutors import views

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("reviews/overdue/", views.reviews_overdue, name="reviews_overdue"),
    path("enrolments/<int:pk>/reviews/", views.enrolment_reviews, name="enrolment_reviews"),
    path("enrolments/<int:pk>/reviews/schedule/", views.review_schedule, name="review_schedule"),
    path("enrolments/<int:pk>/reviews/record/", views.review_record, name="review_record"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/sign/", views.review_sign, name="review_sign"),
    path("reviews/<int:pk>/decline/", views.review_decline, name="review_decline"),
    path("reviews/<int:pk>/addendum/", views.review_addendum, name="review_addendum"),
    path("reviews/<int:pk>/pdf/", views.review_pdf, name="review_pdf"),
]
