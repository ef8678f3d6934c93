"""A French practitioner reads the whole analysis in French: the form's choices, the time
point, the missing data, the tests, their assumptions and notes, the responder threshold and
the group names mesochart makes itself. The API answers in English whoever asks, as all of
it does (only an error's ``detail`` follows Accept-Language)."""

import html

from mesochart.accounts.models import User
from mesochart.analytics.tests.conftest import analysis_url, cocktail, cohort
from mesochart.conftest import signed_in

ENGLISH = [
    "Welch's t-test", "paired t-test", "days after the last session", "completers only",
    "groups are independent", "No test is meaningful", "circumference down by", "pairs n=",
    "Hedges' g", "Cocktail and version", ">paired-t<", ">mann-whitney<", "no signed session",
]  # fmt: skip


def french_page(practice, **extra) -> str:
    User.objects.filter(pk=practice.practitioner.pk).update(language="fr")
    page = signed_in(practice.practitioner).get(f"/analytics/?{analysis_url(**extra)}")
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def test_the_analysis_page_speaks_french_throughout(two_cocktails):
    membership = two_cocktails.actor(two_cocktails.practitioner)
    cohort(membership, cocktail(membership, "Thigh C"), [-1.0, -2.0, -0.5], tag="c")
    page = french_page(two_cocktails)
    for french in [
        "ANOVA à un facteur",  # three cocktails
        "test t apparié · paires n=8",
        "28 jours après la dernière séance, valeur la plus proche à ±7 jours",
        "patients ayant terminé uniquement : les patients sans suivi",
        "les groupes sont indépendants",
        "Aucun test n'a de sens avec moins de 5 patients dans un groupe (plus petit groupe : 3)",
        "tour (circonférence) en baisse d'au moins 2 cm",
        "g de Hedges (apparié, d_z)",
        ">test t de Welch<",  # the choices of the form
        ">test des rangs signés de Wilcoxon<",
        '"axis": "Variation (cm)"',  # the plot's axis
    ]:
        assert french in page
    assert [english for english in ENGLISH if english in page] == []


def test_the_groups_mesochart_names_are_in_french_too(two_cocktails):
    by_sex = french_page(two_cocktails, grouping="sex")
    assert "<td>Féminin</td>" in by_sex and "<td>female</td>" not in by_sex
    by_deviation = french_page(two_cocktails, grouping="deviation")
    assert "<td>comme prévu</td>" in by_deviation


def test_the_api_answers_in_english_whatever_the_callers_language(two_cocktails):
    User.objects.filter(pk=two_cocktails.practitioner.pk).update(language="fr")
    url = f"/api/v1/analytics/analysis?{analysis_url()}"
    answer = signed_in(two_cocktails.practitioner).get(url, headers={"accept_language": "fr"})
    assert answer.json()["between"]["test"] == "Welch's t-test"
    assert answer.json()["groups"][0]["within"]["groups"] == [{"name": "pairs", "n": 8}]
    assert answer.json()["time_point"] == (
        "28 days after the last session, nearest value within ±7 days"
    )
