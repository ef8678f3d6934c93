from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from mesochart.api import api
from mesochart.lib.jsi18n import PageCatalogue

urlpatterns = [
    path("", lambda request: redirect("patients:list"), name="home"),
    path("healthz", lambda request: HttpResponse("ok"), name="healthz"),
    path("jsi18n/<str:language>/", PageCatalogue.as_view(), name="javascript-catalog"),
    path("accounts/", include("mesochart.accounts.urls")),
    path("patients/", include("mesochart.patients.urls")),
    path("audit/", include("mesochart.audit.urls")),
    path("formulary/", include("mesochart.formulary.urls")),
    path("plans/", include("mesochart.planning.urls")),
    path("consent/", include("mesochart.consent.urls")),
    path("sessions/", include("mesochart.treatments.urls")),
    path("outcomes/", include("mesochart.outcomes.urls")),
    path("analytics/", include("mesochart.analytics.urls")),
    path("photos/", include("mesochart.photos.urls")),
    path("schedule/", include("mesochart.scheduling.urls")),
    path("api/v1/", api.urls),
]
