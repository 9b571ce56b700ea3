from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api.views import ObtainTokenView
from assessments.api import CohortModuleRunsView, SubmissionViewSet
from home.api import MeView
from portfolios.api import EvidenceViewSet, KSBCoverageView
from portfolios.otj.api import OTJActivityTypeViewSet, OTJEntryViewSet, OTJSummaryView
from programmes.api.views import CohortViewSet, EnrolmentViewSet, ProgrammeViewSet
from programmes.training_plans.urls import api_urlpatterns as plan_api_urls
from reporting.api import CohortProgressView
from tutors.api import ReviewViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("reviews", ReviewViewSet, basename="review")
router.register("otj-entries", OTJEntryViewSet, basename="otj-entry")
router.register("otj-activity-types", OTJActivityTypeViewSet, basename="otj-activity-type")
router.register("submissions", SubmissionViewSet, basename="submission")

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("enrolments/<str:pk>/ksb-coverage/", KSBCoverageView.as_view(), name="api-ksb-coverage"),
    path("enrolments/<str:pk>/otj/", OTJSummaryView.as_view(), name="api-otj-summary"),
    path("cohorts/<str:pk>/module-runs/", CohortModuleRunsView.as_view(), name="api-cohort-module-runs"),
    path("cohorts/<str:pk>/progress/", CohortProgressView.as_view(), name="api-cohort-progress"),
    *plan_api_urls,
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
    path("", include("home.urls")),
    path("", include("accounts.urls")),
    path("", include("programmes.urls")),
    path("", include("programmes.training_plans.urls")),
    path("", include("portfolios.urls")),
    path("", include("portfolios.otj.urls")),
    path("", include("tutors.urls")),
    path("", include("assessments.urls")),
    # Gateway, end-point assessment, completion records and public verification (pages and API).
    path("", include("assessments.epa.urls")),
    path("api/v1/", include("assessments.epa.api")),
    path("", include("reporting.urls")),
]
