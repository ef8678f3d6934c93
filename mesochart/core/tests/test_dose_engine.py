"""The engine beyond the labels: totals, activity units, unknown strengths, paper warnings."""

from datetime import date

import pytest

from mesochart.core.dose import (
    Component,
    Ingredient,
    PastSession,
    Plan,
    Points,
    Product,
    Strength,
    check,
    mix_concentrations,
)
from mesochart.core.limits import Limit, Severity
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import Q_, parse_strength

PRODUCTS = load_shipped_products()
PCDC = PRODUCTS["pcdc-lipolysis"]
THOMAS = "[PEER] Thomas 2016, PRS GO 4:e861"
HYALURONIDASE = Ingredient("hyaluronidase", "Hyaluronidase", "enzyme")
HYALURONIDASE_1500 = Product(
    "hyaluronidase-1500", "Hyaluronidase 1500 IU/mL", (Strength(HYALURONIDASE, Q_(1500, "IU/mL")),)
)


def plan(*components, count=None, each_ml=None, history=(), weight_kg=70.0, day=(2026, 11, 3)):
    parts = tuple(Component(product, Q_(volume_ml, "mL")) for product, volume_ml in components)
    total_ml = sum(volume_ml for _, volume_ml in components)
    count = count or 10
    return Plan(
        date=date(*day),
        area="abdomen",
        technique="point-by-point",
        components=parts,
        points=Points(count, Q_(each_ml or total_ml / count, "mL"), depth_mm=4, spacing_cm=1.5),
        weight_kg=weight_kg,
        history=history,
    )


def clinic_limit(**values):
    return Limit(source="clinic protocol", origin="clinic", **values)


def test_pc_dc_totals_follow_lipostabil_strengths():
    totals = check(plan((PCDC, 3.0))).totals
    assert totals["phosphatidylcholine"].amount == Q_(150, "mg")
    assert totals["sodium-deoxycholate"].amount == Q_(75, "mg")
    assert totals["phosphatidylcholine"].per_kg.m_as("mg/kg") == pytest.approx(150 / 70)


def test_pc_dc_beyond_thomas_2016_warns_but_does_not_block():
    last = PastSession(date(2026, 10, 10), frozenset({"pcdc-lipolysis"}))
    result = check(plan((PCDC, 102.0), count=255, history=(last,)))  # 0.4 mL per puncture
    assert {f.rule for f in result.findings} == {
        "volume_per_injection",
        "dose_per_session",
        "min_interval_days",
    }
    assert {f.severity for f in result.findings} == {Severity.WARN}
    assert {f.source for f in result.findings} == {THOMAS}
    assert not result.blocked


def test_five_grams_of_phosphatidylcholine_is_at_the_limit_and_passes():
    assert check(plan((PCDC, 100.0), count=500)).findings == ()


def test_activity_ingredients_are_totalled_in_international_units():
    result = check(plan((HYALURONIDASE_1500, 2.0)))
    assert result.totals["hyaluronidase"].amount == Q_(3000, "IU")
    assert result.totals["hyaluronidase"].per_kg.units == Q_(1, "IU/kg").units


def test_a_mass_limit_on_an_activity_ingredient_is_a_finding_not_a_pass():
    limited = HYALURONIDASE_1500.with_clinic_limits(
        (clinic_limit(kind="dose_per_session", ingredient="hyaluronidase", maximum=Q_(1, "g")),)
    )
    (finding,) = check(plan((limited, 2.0))).findings
    assert finding.severity is Severity.BLOCK
    assert "cannot be worked out" in finding.message


def test_an_unknown_strength_leaves_the_total_unknown_and_a_limit_on_it_unchecked():
    ha = PRODUCTS["hyaluronic-acid-non-crosslinked"]
    limited = ha.with_clinic_limits(
        (clinic_limit(kind="dose_per_session", ingredient="hyaluronic-acid", maximum=Q_(20, "mg")),)
    )
    result = check(plan((limited, 2.0)))
    assert result.totals["hyaluronic-acid"].amount is None
    assert mix_concentrations(plan((limited, 2.0)).components) == {"hyaluronic-acid": None}
    (finding,) = result.findings
    assert finding.rule == "dose_per_session"
    assert result.blocked


def test_mix_concentrations_dilute_each_ingredient_by_the_whole_syringe():
    mix = plan((PRODUCTS["tranexamic-acid-100mg-ml"], 1.0), (PRODUCTS["lidocaine-1pct"], 4.0))
    concentrations = mix_concentrations(mix.components)
    assert concentrations["tranexamic-acid"] == Q_(20, "mg/mL")
    assert concentrations["lidocaine"] == Q_(8, "mg/mL")


@pytest.mark.parametrize(("lidocaine_ml", "blocked"), [(1.0, False), (4.0, False), (4.5, True)])
def test_a_clinic_concentration_range_for_lidocaine_in_the_mix(lidocaine_ml, blocked):
    # A clinic keeps lidocaine between 2 and 8 mg/mL in the final mix.
    lidocaine = PRODUCTS["lidocaine-1pct"].with_clinic_limits(
        (
            clinic_limit(
                kind="concentration_range",
                ingredient="lidocaine",
                minimum=Q_(2, "mg/mL"),
                maximum=Q_(8, "mg/mL"),
            ),
        )
    )
    mix = plan((PRODUCTS["tranexamic-acid-4mg-ml"], 5.0 - lidocaine_ml), (lidocaine, lidocaine_ml))
    assert check(mix).blocked is blocked


def test_too_little_lidocaine_in_the_mix_falls_below_the_clinic_minimum():
    lidocaine = PRODUCTS["lidocaine-1pct"].with_clinic_limits(
        (clinic_limit(kind="concentration_range", ingredient="lidocaine", minimum=Q_(2, "mg/mL")),)
    )
    (finding,) = check(plan((PRODUCTS["vitamin-c"], 9.0), (lidocaine, 1.0))).findings
    assert "at least 2 mg/mL" in finding.message
    assert finding.actual == Q_(1, "mg/mL")


def test_three_injections_of_0_1_ml_make_0_3_ml_despite_binary_rounding():
    tight = PRODUCTS["vitamin-c"].with_clinic_limits(
        (clinic_limit(kind="volume_per_session", maximum=Q_(0.3, "mL")),)
    )
    assert check(plan((tight, 0.1 + 0.1 + 0.1), count=3, each_ml=0.1)).findings == ()


def test_a_single_injection_has_no_spacing_to_check():
    single = Plan(
        date=date(2026, 11, 3),
        area="submental",
        technique="papule",
        components=(Component(PRODUCTS["deoxycholic-acid-10mg-ml"], Q_(0.2, "mL")),),
        points=Points(1, Q_(0.2, "mL"), depth_mm=4),
    )
    assert check(single).findings == ()


def test_findings_are_sorted_blocking_first():
    oily = Product("oily", "Oily thing", vehicle="oil")
    result = check(plan((PCDC, 4.0), (oily, 4.0), count=10))  # 0.8 mL per puncture warns
    assert [f.severity for f in result.findings] == [Severity.BLOCK, Severity.WARN]


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: plan((PCDC, 3.0), count=10, each_ml=0.2), "the points take"),
        (lambda: plan((PCDC, 1.0), (PCDC, 1.0)), "appear once"),
        (lambda: plan((PCDC, 1.0), weight_kg=0), "weight_kg"),
        (lambda: plan((PCDC, 0.0)), "greater than 0"),
        (
            lambda: Plan(date(2026, 11, 3), "abdomen", "nappage", (), Points(1, Q_(1, "mL"))),
            "at least one product",
        ),
        (lambda: Points(0, Q_(0.1, "mL")), "at least 1"),
        (lambda: Points(1, Q_(0.1, "mg")), "not a volume"),
        (lambda: Points(1, Q_(0.1, "mL"), depth_mm=-1), "depth_mm"),
        (lambda: Strength(HYALURONIDASE, Q_(5, "mg")), "not a mass or IU per volume"),
        (lambda: Strength(HYALURONIDASE, parse_strength("0 mg/mL")), "greater than 0"),
    ],
)
def test_an_impossible_plan_cannot_be_built(build, problem):
    with pytest.raises(ValueError, match=problem):
        build()


def test_history_after_the_plan_date_is_refused():
    later = PastSession(date(2026, 12, 1), frozenset({"pcdc-lipolysis"}))
    with pytest.raises(ValueError, match="after the plan date"):
        plan((PCDC, 1.0), history=(later,))
