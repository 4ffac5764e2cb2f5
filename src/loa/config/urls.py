"""URL map of Loa: the shell, each module under its own prefix, the admin and the health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from loa.api.v1 import api
from loa.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("units/", include("loa.units.urls")),
    path("sources/", include("loa.sources.urls")),
    path("articles/", include("loa.articles.urls")),
    path("analysis/", include("loa.analysis.urls")),
    path("analytics/", include("loa.analytics.urls")),
    path("alerts/", include("loa.alerts.urls")),
    path("outbox/", include("loa.outbox.urls")),
    path("incidents/", include("loa.incidents.urls")),
    path("claims/", include("loa.claims.urls")),
    path("digests/", include("loa.digests.urls")),
    path("reports/", include("loa.reports.urls")),
    path("directives/", include("loa.directives.urls")),
    path("events/", include("loa.events.urls")),
    path("plans/", include("loa.plans.urls")),
    path("opinion/", include("loa.opinion.urls")),
    path("people/", include("loa.people.urls")),
    path("study/", include("loa.study.urls")),
    path("evaluation/", include("loa.evaluation.urls")),
    path("accounts/", include("loa.accounts.urls")),
    path("system/", include("loa.core.urls")),
    path("admin/", admin.site.urls),
    # The read API, its OpenAPI schema (openapi.json) and docs page (docs).
    path("api/v1/", api.urls),
]
