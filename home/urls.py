from django.urls import path

from home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account_settings, name="account_settings"),
]
