"""A treatment plan in real Chromium: body front → abdomen measured at 30 × 20 cm, a 2 cm
grid, one point removed, totals that follow, the series and its follow-ups, the baseline the
protocol names, approval and the .ics."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mesochart.e2e.conftest import capture, give_totp, shoot, sign_in
from mesochart.formulary import actions as formulary_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def points_shown(page) -> int:
    return int(page.locator('[data-bind="points"]').inner_text())


def test_a_practitioner_charts_an_abdomen_and_approves_the_plan(page, site, practice, tmp_path):
    membership = practice.actor(practice.practitioner)
    formulary_actions.create_cocktail(
        membership, {"name": "Lipo mix"}, [{"product": "pcdc-lipolysis", "volume_ml": Decimal(10)}]
    )
    practice.patient.weight_kg = Decimal("70")
    practice.patient.save()
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)

    page.goto(f"{site}/patients/{practice.patient.pk}/")
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Protocol").select_option(
        label="Injection lipolysis: phosphatidylcholine/deoxycholate"
    )
    page.get_by_label("Cocktail version").select_option(label="Lipo mix v1")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Injection lipolysis")

    page.get_by_role("tab", name="Body, front").click()
    figure = page.locator('.pl-figure-wrap[data-view="body-front"]')
    abdomen = figure.locator('[data-region="abdomen"] .pl-region-shape')
    box = abdomen.bounding_box()
    abdomen.click(position={"x": box["width"] / 2, "y": box["height"] / 4})  # not the navel
    expect(page.locator("#pl-region-title")).to_contain_text("Abdomen")
    page.get_by_label("Width (cm)").fill("30")
    page.get_by_label("Height (cm)").fill("20")
    page.get_by_label("Spacing (cm)").fill("2")
    page.get_by_label("Depth per point (mm)").fill("4")
    page.get_by_label("Volume per point (mL)").fill("0.2")
    page.get_by_role("button", name="Generate grid").click()
    points = figure.locator("circle.pl-point")
    expect(points.first).to_be_visible()
    generated = points.count()
    assert generated > 80
    expect(page.locator('[data-bind="points"]')).to_have_text(str(generated))
    volume = f"{round(generated * 0.2, 3):g} mL"
    expect(page.locator('[data-bind="volume"]')).to_have_text(volume)
    expect(page.locator('[data-bind="check"] .pl-doses')).to_contain_text("Phosphatidylcholine")

    page.get_by_role("button", name="Zoom to region").click()
    page.locator(".pl-modes label", has_text="Remove").click()
    points.nth(generated // 2).click()
    expect(page.locator('[data-bind="points"]')).to_have_text(str(generated - 1))
    expect(page.locator('[data-bind="volume"]')).to_have_text(
        f"{round((generated - 1) * 0.2, 3):g} mL"
    )
    expect(page.locator(".pl-points-table tbody tr")).to_have_count(generated - 1)
    shoot(page, "plan-chart-page")
    capture(page.locator(".pl-editor"), shoot(page, "plan-chart-abdomen"))

    page.get_by_role("button", name="Save chart").click()
    expect(page.locator('[data-bind="save-state"]')).to_have_text("Saved")
    page.get_by_label("First session").fill("2026-03-02")
    page.get_by_role("button", name="Propose dates").click()
    expect(page.locator(".pl-sessions tbody tr")).to_have_count(4)
    expect(page.locator(".pl-follow-ups li")).to_have_count(3)

    # The protocol names a circumference: recorded at baseline before approval.
    plan_url = page.url
    expect(page.locator(".pl-missing-baseline")).to_contain_text("No baseline Circumference yet")
    page.get_by_role("link", name="Record the baseline on the plan's outcome values").click()
    form = page.locator("form.oc-form")
    form.get_by_label("Measure", exact=True).select_option(label="Circumference")
    form.get_by_label("When", exact=True).select_option(value="baseline")
    form.get_by_label("Measured on").fill("2026-03-01")
    form.get_by_label("Site (marked landmark)").fill("abdomen, 2 cm below the navel")
    form.get_by_label("Value (measure's unit)").fill("88.5")
    form.get_by_role("button", name="Record value").click()
    expect(page.locator("#oc-values .messages")).to_contain_text("Value recorded.")
    expect(page.locator(".oc-baselines-done")).to_be_visible()  # the panel follows the save
    page.goto(plan_url)
    expect(page.locator(".pl-missing-baseline")).to_have_count(0)

    page.get_by_role("button", name="Approve plan").click()
    expect(page.locator(".messages")).to_contain_text("The plan was approved")
    expect(page.locator(".pl-approval")).to_contain_text(f"{generated - 1} points")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    path = tmp_path / "series.ics"
    download.value.save_as(path)
    text = path.read_text()
    assert text.count("BEGIN:VEVENT") == 4
    assert "DTSTART:20260302T090000Z" in text  # 09:00 in London, a timed event

    page.get_by_role("link", name="Print chart").click()
    expect(page.locator(".pl-print-figures circle.pl-point")).to_have_count(generated - 1)
    page.emulate_media(media="print")
    shoot(page, "plan-chart-print")
