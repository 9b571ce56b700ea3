from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView, ObtainTokenView
from programmes.api.views import CohortViewSet, EnrolmentViewSet, ProgrammeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]

admin.site.site_header = "Tripartite administration"
admin.site.site_title = "Tripartite admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.urls")),
    path("", include("programmes.urls")),
]
