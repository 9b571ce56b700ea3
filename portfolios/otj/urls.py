"""The OTJ ledger's pages; included from config/urls.py at the site root, beside the portfolio's."""

from django.urls import path

from portfolios.otj import views

urlpatterns = [
    path("enrolments/<int:pk>/otj/", views.otj_ledger, name="otj_ledger"),
    path("enrolments/<int:pk>/otj/new/", views.otj_entry_create, name="otj_entry_create"),
    path("enrolments/<int:pk>/otj/export.csv", views.otj_export_csv, name="otj_export_csv"),
    path("enrolments/<int:pk>/otj/export.pdf", views.otj_export_pdf, name="otj_export_pdf"),
    path("otj/<int:pk>/", views.otj_entry_detail, name="otj_entry_detail"),
    path("otj/<int:pk>/edit/", views.otj_entry_edit, name="otj_entry_edit"),
    path("otj/<int:pk>/delete/", views.otj_entry_delete, name="otj_entry_delete"),
    path("otj/<int:pk>/correction/", views.otj_entry_correction, name="otj_entry_correction"),
    path("otj/<int:pk>/confirm/", views.otj_entry_confirm, name="otj_entry_confirm"),
    path("otj/<int:pk>/query/", views.otj_entry_reject, name="otj_entry_reject"),
    path("otj/confirm/", views.otj_queue, name="otj_queue"),
    path("otj/confirm/link/<str:token>/", views.otj_confirm_link, name="otj_confirm_link"),
]
