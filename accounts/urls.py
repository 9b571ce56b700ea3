from django.urls import path

from accounts import views

urlpatterns = [
    path("people/invitations/", views.invitation_list, name="invitation_list"),
    path("people/invite/", views.invitation_create, name="invitation_create"),
    path("people/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
