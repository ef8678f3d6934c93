"""The chart editor's live check is the server's markup in the page's language (issue 13,
item 6): the script once wrote the findings itself, in English on a French page, with the
source's code instead of its title."""

import json
import re
from datetime import date

import pytest
import time_machine
from django.utils import translation

from mesochart.formulary.finding_words import finding_words
from mesochart.planning import actions, approval
from mesochart.planning.review import review_plan
from mesochart.planning.tests.test_plan_approval import submental
from mesochart.testing.plans import new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.usefixtures("weighed")
TODAY = date(2026, 3, 2)


def check(client, plan, body):
    return client.post(
        f"/plans/{plan.pk}/check/", json.dumps(body), content_type="application/json"
    )


def items(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li.*?</li>", html, re.S)]


@time_machine.travel(TODAY)
def test_fifty_one_points_of_deoxycholic_acid_block_in_the_practitioners_language(
    practice, dca_version, client_for
):
    practice.practitioner.language = "fr"
    practice.practitioner.save(update_fields=["language"])
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    regions = submental(51)
    html = check(client_for(practice.practitioner), plan, {"regions": regions}).content.decode()

    verdict = review_plan(plan, TODAY, regions)
    block = next(f for f in verdict["findings"] if f["severity"] == "block")
    with translation.override("fr"):
        sentence = finding_words(block)
    assert sentence != block["message"]  # worded in French, not the core's English
    assert any(sentence in item for item in items(html)), items(html)
    assert "bloquant" in html and "1,632 mg/kg" in html  # French words and decimals
    assert "[LABEL]" not in html  # the source by its title, never its code


@time_machine.travel(TODAY)
def test_the_unsaved_points_are_checked_not_the_saved_ones(practice, dca_version, client_for):
    plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
    actions.save_regions(practice.actor(practice.practitioner), plan, submental(51))
    client = client_for(practice.practitioner)
    held = check(client, plan, {"regions": submental(20)}).content.decode()
    saved = check(client, plan, {"regions": None}).content.decode()
    assert 'class="pl-finding-block"' not in held
    assert 'class="pl-finding-block"' in saved


def test_a_plan_without_a_cocktail_says_what_is_missing(practice, client_for):
    plan = new_plan(practice)
    html = check(client_for(practice.practitioner), plan, {"regions": submental(3)}).content
    assert "Choose a cocktail to check the doses" in html.decode()
    assert "cocktail_version" not in html.decode()  # the page's words, not the field's name
    assert "No findings" not in html.decode()  # not checked is never a pass


def test_a_chart_not_sent_as_the_editor_sends_it_is_not_checked(practice, client_for):
    plan = new_plan(practice)
    response = check(client_for(practice.practitioner), plan, {"regions": [{"view": 3}]})
    assert response.status_code == 200
    assert "could not be checked" in response.content.decode()


def test_the_approval_shows_its_findings_in_the_same_words(practice, dca_version, client_for):
    with time_machine.travel(TODAY):
        plan = new_plan(practice, "submental-deoxycholic-acid", dca_version)
        membership = practice.actor(practice.practitioner)
        actions.save_regions(membership, plan, submental(20))
        approval.approve_plan(membership, plan, version=plan.version)
        page = client_for(practice.practitioner).get(f"/plans/{plan.pk}/").content.decode()
    approved = page[page.index('class="card pl-approval"') :]
    assert '<ul class="pl-doses">' in approved and "Deoxycholic acid" in approved
