"""The chart editor draws with the server's scale (issue 13, item 6): a measured abdomen's
points sit where the printed chart puts them, and a width without its height draws at the
template's size with the reason in the region panel's own words."""

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import give_totp, shoot, sign_in
from mesochart.planning import actions
from mesochart.testing.plans import new_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = [[-6.0, 104.0], [6.0, 94.0, 4.0, 0.3], [-8.0, 92.0]]  # inside the measured abdomen


def drawn(page, scope: str) -> list[tuple[str, str]]:
    circles = page.locator(f"{scope} circle.pl-point")
    return [(c.get_attribute("cx"), c.get_attribute("cy")) for c in circles.all()]


def test_the_editor_draws_the_points_where_the_printed_chart_does(page, site, practice):
    plan = new_plan(practice)
    region = {
        "view": "body-front",
        "region": "abdomen",
        "width_cm": 30,
        "height_cm": 20,
        "spacing_cm": 2,
        "pattern": "square",
        "depth_mm": 4,
        "volume_ml": 0.2,
        "points": POINTS,
    }
    actions.save_regions(practice.actor(practice.practitioner), plan, [region])
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)

    page.goto(f"{site}/plans/{plan.pk}/print/")
    printed = drawn(page, ".pl-print-figures")
    assert len(printed) == 3

    page.goto(f"{site}/plans/{plan.pk}/")
    editor = '.pl-figure-wrap[data-view="body-front"]'
    expect(page.locator(f"{editor} circle.pl-point")).to_have_count(3)
    assert drawn(page, editor) == printed
    # The point with its own depth and volume keeps them, and is marked.
    expect(page.locator(f"{editor} circle.pl-point.is-custom")).to_have_count(1)

    page.get_by_label("Height (cm)").fill("")
    expect(page.locator('[data-bind="region-error"]')).to_have_text(
        "Height (cm): is needed with the other measurement"
    )
    template_size = drawn(page, editor)
    assert template_size != printed  # drawn at the template's size, as the server says
    page.get_by_label("Height (cm)").fill("20")
    expect(page.locator('[data-bind="region-error"]')).to_have_text("")
    expect(page.locator(f"{editor} circle.pl-point").first).to_have_attribute("cx", printed[0][0])
    assert drawn(page, editor) == printed
    shoot(page, "plan-chart-server-scale")

    page.get_by_role("button", name="Save chart").click()
    expect(page.locator('[data-bind="save-state"]')).to_have_text("Saved")
    # Named in the editor, the points go back in the wire's shape, their own values kept.
    (saved,) = plan.regions.all()
    assert saved.points == POINTS
