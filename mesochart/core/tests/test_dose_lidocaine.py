"""Lidocaine by weight (Xylocaine MPF label): 4.5 mg/kg up to 300 mg, with epinephrine 7 mg/kg up
to 500 mg; the shipped 1% is 10 mg/mL and 2% is 20 mg/mL."""

from datetime import date

import pytest

from mesochart.core.dose import Component, Plan, Points, check
from mesochart.core.limits import Origin, Severity
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import ML, Q_

PRODUCTS = load_shipped_products()
LIDOCAINE_LABEL = "[LABEL] Lidocaine (Xylocaine MPF)"


def session(weight_kg, **volumes_ml):
    """A face session of 100 points with the given product volumes (slug with _ for -)."""
    components = tuple(
        Component(PRODUCTS[slug.replace("_", "-")], Q_(volume, ML))
        for slug, volume in volumes_ml.items()
    )
    total_ml = sum(volumes_ml.values())
    return Plan(
        date=date(2026, 11, 3),
        area="face",
        technique="nappage",
        components=components,
        points=Points(100, Q_(total_ml / 100, ML), depth_mm=2, spacing_cm=1),
        weight_kg=weight_kg,
    )


def lidocaine_findings(result):
    return [f for f in result.findings if f.rule == "dose_per_kg"]


@pytest.mark.parametrize(
    ("weight_kg", "volume_ml", "blocked"),
    [
        (60, 27.0, False),  # 270 mg = 4.5 mg/kg × 60 kg: exactly at the limit
        (60, 26.9, False),
        (60, 27.1, True),
        (62.3, 28.035, False),  # 280.35 mg: at the limit, with decimals binary floats round
        (62.3, 28.04, True),
    ],
)
def test_plain_lidocaine_1_percent_at_under_and_over_4_5_mg_per_kg(weight_kg, volume_ml, blocked):
    result = check(session(weight_kg, lidocaine_1pct=volume_ml))
    assert result.blocked is blocked
    assert len(lidocaine_findings(result)) == int(blocked)


def test_a_finding_over_the_limit_shows_the_dose_the_limit_and_the_label():
    result = check(session(60, lidocaine_1pct=27.1))
    (finding,) = lidocaine_findings(result)
    assert finding.severity is Severity.BLOCK
    assert finding.origin is Origin.LABEL
    assert finding.source == LIDOCAINE_LABEL
    assert finding.ingredient == "lidocaine"
    assert finding.actual == Q_(271, "mg")
    assert finding.limit == Q_(270, "mg")
    assert "4.5 mg/kg × 60 kg = 270 mg" in finding.message


def test_lidocaine_2_percent_holds_twice_the_lidocaine_per_ml():
    assert not check(session(60, lidocaine_2pct=13.5)).blocked
    assert check(session(60, lidocaine_2pct=13.6)).blocked


def test_a_heavy_patient_is_capped_at_300_mg_without_epinephrine():
    # 80 kg × 4.5 mg/kg = 360 mg, but the label caps plain lidocaine at 300 mg.
    assert not check(session(80, lidocaine_1pct=30)).blocked
    (finding,) = lidocaine_findings(check(session(80, lidocaine_1pct=30.5)))
    assert finding.limit == Q_(300, "mg")
    assert "at most 300 mg" in finding.message


@pytest.mark.parametrize(
    ("weight_kg", "volume_ml", "blocked"),
    [(60, 42.0, False), (60, 41.9, False), (60, 42.1, True)],
)
def test_lidocaine_with_epinephrine_is_allowed_7_mg_per_kg(weight_kg, volume_ml, blocked):
    result = check(session(weight_kg, lidocaine_1pct_epinephrine=volume_ml))
    assert result.blocked is blocked


def test_a_heavy_patient_is_capped_at_500_mg_with_epinephrine():
    # 80 kg × 7 mg/kg = 560 mg, capped at 500 mg.
    assert not check(session(80, lidocaine_1pct_epinephrine=50)).blocked
    (finding,) = lidocaine_findings(check(session(80, lidocaine_1pct_epinephrine=50.5)))
    assert finding.limit == Q_(500, "mg")


def test_lidocaine_from_every_product_in_the_syringe_counts_against_the_plain_limit():
    # 15 mL + 15 mL of 1% = 300 mg: within 7 mg/kg × 60 = 420 mg, beyond 4.5 mg/kg × 60 = 270 mg.
    result = check(session(60, lidocaine_1pct=15, lidocaine_1pct_epinephrine=15))
    assert result.totals["lidocaine"].amount == Q_(300, "mg")
    assert [f.product for f in lidocaine_findings(result)] == ["lidocaine-1pct"]


def test_missing_weight_is_a_blocking_finding_not_a_pass():
    result = check(session(None, lidocaine_1pct=1))
    (finding,) = lidocaine_findings(result)
    assert result.blocked
    assert finding.actual is None
    assert "weight is needed" in finding.message


def test_totals_report_mg_and_mg_per_kg():
    total = check(session(62.5, lidocaine_1pct=5)).totals["lidocaine"]
    assert total.amount == Q_(50, "mg")
    assert total.per_kg == Q_(0.8, "mg/kg")
