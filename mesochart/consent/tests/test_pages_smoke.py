"""Every page renders for a practitioner, full page and htmx fragment where there is one."""

import pytest

from mesochart.testing.consent import HTMX, cocktail, screen, sign, template

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_every_page_renders(practice, client_for):
    version = cocktail(practice, pcdc_lipolysis=4)
    template(practice)
    screening = screen(practice, version, anticoagulants="yes", medication_names="Warfarin")
    consent = sign(practice, version)
    client = client_for(practice.practitioner)
    pk = practice.patient.pk
    target = f"cocktail={version.pk}&area=submental&indication=lipolysis"
    pages = [
        f"/consent/patients/{pk}/",
        f"/consent/patients/{pk}/questionnaire/?area=submental",
        f"/consent/patients/{pk}/screenings/new/",
        f"/consent/patients/{pk}/screenings/{screening.pk}/",
        f"/consent/patients/{pk}/readiness/",
        f"/consent/patients/{pk}/readiness/?{target}",
        f"/consent/patients/{pk}/consents/",
        f"/consent/patients/{pk}/consents/new/",
        f"/consent/patients/{pk}/consents/new/?{target}",
        f"/consent/patients/{pk}/consents/{consent.pk}/",
        f"/consent/patients/{pk}/consents/{consent.pk}/signature.png",
        f"/consent/patients/{pk}/consents/{consent.pk}/pdf/",
        "/consent/templates/",
        "/consent/templates/new/",
        "/consent/policy/",
        f"/patients/{pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    for url in (f"/consent/patients/{pk}/readiness/?{target}", pages[3]):
        assert client.get(url, headers=HTMX).status_code == 200
