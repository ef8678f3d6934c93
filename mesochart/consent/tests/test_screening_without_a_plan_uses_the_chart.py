"""Issue 12 defect 2, the patient with no plan (a legacy record): the screening page offers
the chart's areas to tick, in the chart's words; no slug is ever typed, and the screening
names the regions a plan of those areas would, so it covers such a plan later."""

import re

from mesochart.consent.models import Screening
from mesochart.testing.consent import cocktail, respond

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

THIGHS = ["thigh-posterior-left", "thigh-posterior-right"]


def _page(practice, client_for):
    url = f"/consent/patients/{practice.patient.pk}/screenings/new/"
    return url, client_for(practice.practitioner)


def test_the_page_offers_the_chart_areas_and_no_area_box(practice, client_for):
    respond(practice, area="thighs")
    cocktail(practice)
    url, client = _page(practice, client_for)
    body = client.get(url).content.decode()
    assert 'type="checkbox" name="regions" value="thigh-posterior-left"' in body
    assert not re.search(r'<input[^>]*name="area"', body)
    assert "thigh-posterior-left</label>" not in body  # the label is the chart's words


def test_ticking_two_thigh_areas_screens_both(practice, client_for, django_assert_max_num_queries):
    response = respond(practice, area=", ".join(THIGHS))  # the questionnaire of those areas
    version = cocktail(practice)
    url, client = _page(practice, client_for)
    data = {"response": response.pk, "cocktail": version.pk, "indication": "lipolysis"}
    with django_assert_max_num_queries(60):
        answer = client.post(url, {**data, "regions": THIGHS})
    assert answer.status_code == 302, re.findall(
        r"error-links.{0,400}", answer.content.decode(), re.S
    )
    assert Screening.objects.get().area == "thigh-posterior-left, thigh-posterior-right"


def test_no_area_ticked_is_refused_in_the_form_words(practice, client_for):
    response = respond(practice, area="thighs")
    version = cocktail(practice)
    url, client = _page(practice, client_for)
    data = {"response": response.pk, "cocktail": version.pk, "indication": "lipolysis"}
    body = client.post(url, data).content.decode()
    assert "Treatment areas" in body and "tick at least one area" in body
    assert not Screening.objects.exists()


def test_a_made_up_area_is_refused(practice, client_for):
    response = respond(practice, area="thighs")
    version = cocktail(practice)
    url, client = _page(practice, client_for)
    data = {"response": response.pk, "cocktail": version.pk, "indication": "lipolysis"}
    body = client.post(url, {**data, "regions": ["thighs"]}).content.decode()
    assert "is not an area of the chart" in body
    assert not Screening.objects.exists()


def test_the_page_is_refused_to_another_clinic_and_to_a_junior_role(practice, client_for):
    url, _ = _page(practice, client_for)
    assert client_for(practice.outsider).get(url).status_code == 404
    # Reception collects answers but may not screen? It may collect: the matrix decides.
    from mesochart.accounts.roles import allows

    role_code = client_for(practice.reception).get(url).status_code
    assert role_code == (200 if allows("reception", "screening.collect") else 403)
