from django.urls import path

from mesochart.consent.views import consent, screening, tablet

app_name = "consent"
patient = "patients/<int:pk>/"
urlpatterns = [
    path(patient, screening.overview, name="patient"),
    path(f"{patient}questionnaire/", tablet.questionnaire, name="questionnaire"),
    path(f"{patient}tablet/", tablet.tablet_start, name="tablet_start"),
    path(
        f"{patient}responses/<int:response_pk>/write-back/",
        screening.write_back,
        name="write_back",
    ),
    path(f"{patient}screenings/new/", screening.screen, name="screen"),
    path(
        f"{patient}screenings/<int:screening_pk>/",
        screening.screening_detail,
        name="screening",
    ),
    path(
        f"{patient}screenings/<int:screening_pk>/acknowledge/",
        screening.acknowledge,
        name="acknowledge",
    ),
    path(f"{patient}readiness/", screening.readiness, name="readiness"),
    path(f"{patient}consents/", consent.consents, name="consents"),
    path(f"{patient}consents/new/", consent.consent_new, name="consent_new"),
    path(f"{patient}consents/<int:consent_pk>/", consent.consent_detail, name="consent"),
    path(
        f"{patient}consents/<int:consent_pk>/signature.png",
        consent.signature,
        name="signature",
    ),
    path(f"{patient}consents/<int:consent_pk>/pdf/", consent.pdf, name="pdf"),
    path(f"{patient}consents/<int:consent_pk>/withdraw/", consent.withdraw, name="withdraw"),
    path(f"{patient}photo-consent/", consent.photo_consent, name="photo_consent"),
    path("tablet/", tablet.tablet_page, name="tablet"),
    path("tablet/exit/", tablet.tablet_exit, name="tablet_exit"),
    path(
        "tablet/done/<int:pk>/<str:task>/",
        tablet.tablet_done,
        name="tablet_done",
    ),
    path("templates/", consent.templates, name="templates"),
    path("templates/new/", consent.template_edit, name="template_new"),
    path("templates/<int:template_pk>/", consent.template_edit, name="template"),
    path("policy/", screening.policy, name="policy"),
]
