"""Outcomes in real Chromium: record a baseline Cellulite Severity Scale and a thigh
circumference on the plan's outcomes page, two signed sessions, a follow-up, then the
progress page shows the chart of each measure with both values and the plain-language line."""

from datetime import UTC, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from mesochart.e2e.conftest import SCREENSHOTS, capture, give_totp, shoot, sign_in
from mesochart.testing.sessions import TODAY, Ready
from mesochart.treatments.models import LotUse, SessionProduct, TreatmentSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def two_signed_sessions(ready):
    """Two signed sessions of the plan (2 and 30 March), written directly: the session pages
    have their own browser test."""
    practitioner = ready.practice.practitioner
    days = [datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 30, 10, tzinfo=UTC)]
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            clinic=ready.practice.clinic, patient=ready.practice.patient, plan=ready.plan,
            cocktail_version=ready.version, practitioner=practitioner, status="signed",
            started_at=day, signed_at=day, signed_by=practitioner, content_hash="a" * 64,
            areas=["submental"], created_by=practitioner,
        )
        for day in days
    )  # fmt: skip
    rows = SessionProduct.objects.bulk_create(
        SessionProduct(session=s, product=ready.lot.product, lot=ready.lot, volume_drawn_ml=4)
        for s in sessions
    )
    zone = ready.practice.clinic.time_zone
    LotUse.objects.bulk_create(
        u for s, r in zip(sessions, rows, strict=True) for u in LotUse.for_signed(s, [r], zone)
    )


def record(page, measure, day, context, site, value=None, items=None):
    form = page.locator("form.oc-form")
    form.get_by_label("Measure", exact=True).select_option(label=measure)
    form.get_by_label("When", exact=True).select_option(value=context)
    form.get_by_label("Measured on").fill(day)
    form.get_by_label("Site (marked landmark)").fill(site)
    if value is not None:
        form.get_by_label("Value (measure's unit)").fill(value)
    for label, score in (items or {}).items():
        form.get_by_label(f"{measure} {label}").fill(score)
    form.get_by_role("button", name="Record value").click()
    # Recorded through htmx: the list is swapped in and the form emptied for the next value.
    expect(page.locator("#oc-values .messages")).to_contain_text("Value recorded.")
    expect(form.get_by_label("Measured on")).to_have_value("")


def test_record_baseline_and_follow_up_and_see_progress(page, site, practice, console):
    with time_machine.travel(TODAY, tick=False):
        ready = Ready(practice)
        two_signed_sessions(ready)
    give_totp(practice.practitioner)
    with time_machine.travel(datetime(2026, 5, 25, 9, tzinfo=UTC)):
        sign_in(page, site, practice.practitioner.username)
        page.goto(f"{site}/outcomes/plan/{ready.plan.pk}/")
        css = {
            "Number of evident depressions": "2",
            "Depth of depressions": "2",
            "Morphological appearance of skin surface alterations": "2",
            "Grade of laxity, flaccidity or sagging skin": "1",
            "Classification scale by Nürnberger and Müller": "2",
        }
        record(page, "Cellulite Severity Scale", "2026-03-01", "baseline", "left thigh", items=css)
        record(page, "Circumference", "2026-03-01", "baseline", "left thigh, 3 marks", "58.0")
        values = page.locator("table.oc-values")
        expect(values).to_contain_text("9.00 points moderate".replace(".00", ""))
        record(page, "Circumference", "2026-05-25", "follow_up", "left thigh, 3 marks", "55.5")
        css["Depth of depressions"] = "1"
        css["Number of evident depressions"] = "1"
        record(page, "Cellulite Severity Scale", "2026-05-25", "follow_up", "left thigh", items=css)

        form = page.locator("form.oc-form")
        form.get_by_label("Measure", exact=True).select_option(label="GAIS (investigator)")
        form.get_by_label("When", exact=True).select_option(value="follow_up")
        form.get_by_label("Measured on").fill("2026-05-25")
        form.get_by_label("Level").select_option(label="Much improved")
        form.get_by_label("GAIS coding").select_option(value="1-5")
        form.get_by_role("button", name="Record value").click()
        expect(page.locator("table.oc-values")).to_contain_text("Much improved (1-5 coding: 2)")
        shoot(page, "outcomes-values")
        page.get_by_role("link", name="Progress page").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Progress")
        # By its heading: the fat thickness taken before approval cites "circumference" too.
        heading = page.get_by_role("heading", name="Circumference (left thigh, 3 marks)")
        circumference = page.locator("section.oc-series", has=heading)
        expect(circumference.locator(".oc-sentence")).to_have_text(
            "Circumference (left thigh, 3 marks) 2.5 cm less than at baseline, 8 weeks after "
            "the last of 2 sessions. (-4.3 %) Better."
        )
        expect(circumference.locator("canvas")).to_have_count(1)
        expect(circumference.locator(".oc-chart")).to_have_attribute("data-drawn", "true")
        expect(circumference.locator("table.oc-points tbody tr")).to_have_count(2)
        css_series = page.locator("section.oc-series", has_text="Cellulite Severity Scale")
        expect(css_series.locator(".oc-sentence")).to_contain_text("2 points less than at baseline")
        expect(page.locator(".oc-legend-session").first).to_contain_text("lots DCA-001")
        gais = page.locator("section.oc-series", has_text="GAIS (investigator)")
        expect(gais.locator(".oc-sentence")).to_contain_text("one value so far (Much improved")
        expect(gais.locator(".oc-chart")).to_have_attribute("data-drawn", "true")

        # Hovering the chart on the second session's marker shows its cocktail and lot.
        chart = circumference.locator(".oc-chart")
        marker_px = chart.evaluate("box => box.uplot.valToPos(1774828800, 'x')")  # 30 March
        chart.scroll_into_view_if_needed()
        over = circumference.locator(".u-over").bounding_box()
        page.mouse.move(over["x"] + marker_px - 20, over["y"] + over["height"] / 2)
        page.mouse.move(over["x"] + marker_px, over["y"] + over["height"] / 2)
        expect(circumference.locator(".oc-hover")).to_contain_text(
            "Session 2, 30 Mar 2026: Kybella v1; lots DCA-001"
        )
        shoot(page, "outcomes-progress")
        capture(circumference, SCREENSHOTS / "outcomes-progress-circumference.png")
