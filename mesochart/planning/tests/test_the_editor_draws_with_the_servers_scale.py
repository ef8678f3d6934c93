"""The chart editor draws a region with the scale the server computes (issue 13, item 6): the
rule lives once, in the region template, and the page, the print and the editor share it."""

import json
import re

from mesochart.planning import actions
from mesochart.planning.areas import get_view
from mesochart.testing.plans import ApiCaller, new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

ABDOMEN = get_view("body-front").region("abdomen")


def drawing(practice, region="abdomen", **measured):
    return ApiCaller(practice.nurse).post(f"/areas/body-front/{region}/drawing", measured)


def test_a_measured_abdomen_is_drawn_at_its_measured_scale(practice):
    answer = drawing(practice, width_cm=30, height_cm=20).json()
    assert answer == {
        "factors": [30 / ABDOMEN.width_cm, 20 / ABDOMEN.height_cm],
        "problem": None,
    }


def test_a_width_without_its_height_is_drawn_at_the_templates_size_and_says_why(practice):
    answer = drawing(practice, width_cm=30).json()
    assert answer["factors"] == [1.0, 1.0]
    assert answer["problem"] == {
        "field": "height_cm",
        "rule": "is needed with the other measurement",
        "message": "is needed with the other measurement",
    }


def test_the_reason_is_in_the_language_the_page_asks_for(practice):
    caller = ApiCaller(practice.nurse)
    caller.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    answer = caller.post("/areas/body-front/abdomen/drawing", {"width_cm": 0, "height_cm": 20})
    problem = answer.json()["problem"]
    assert (problem["field"], problem["rule"]) == ("width_cm", "must be greater than 0")
    assert problem["message"] == "doit être supérieur à 0"


def test_a_region_the_view_does_not_have_is_not_found(practice):
    assert drawing(practice, region="no-such-region").status_code == 404


def test_the_plan_page_sends_each_region_with_the_scale_it_is_drawn_with(practice, client_for):
    plan = new_plan(practice)
    regions = [
        {
            "view": "body-front",
            "region": "abdomen",
            "width_cm": 30,
            "height_cm": 20,
            "spacing_cm": 2,
            "pattern": "square",
            "points": [[1.0, 2.0]],
        }
    ]
    actions.save_regions(practice.actor(practice.practitioner), plan, regions)
    page = client_for(practice.practitioner).get(f"/plans/{plan.pk}/").content.decode()
    block = re.search(r'<script [^>]*id="pl-regions"[^>]*>(.*?)</script>', page, re.S)
    (region,) = json.loads(block[1])
    assert region["factors"] == [30 / ABDOMEN.width_cm, 20 / ABDOMEN.height_cm]
