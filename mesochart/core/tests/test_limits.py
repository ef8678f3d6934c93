"""Limits: a clinic may make any limit stricter, never looser than a label; general limits."""

from datetime import date

import pytest

from mesochart.core.dose import Component, Plan, Points, Product, Vehicle, check
from mesochart.core.limits import (
    GENERAL_LIMITS,
    KONDA_THAPPA,
    Limit,
    LimitKind,
    LimitOverrideError,
    Origin,
    Severity,
    check_override,
    combine_limits,
)
from mesochart.core.reference import load_shipped_products
from mesochart.core.units import Q_

PRODUCTS = load_shipped_products()
DCA = PRODUCTS["deoxycholic-acid-10mg-ml"]
PCDC = PRODUCTS["pcdc-lipolysis"]
LIDOCAINE = PRODUCTS["lidocaine-1pct"]


def clinic(kind, **values):
    return Limit(kind, source="Main Street clinic protocol 2026", origin="clinic", **values)


def shipped(product, kind):
    (limit,) = [limit for limit in product.limits if limit.kind == kind]
    return limit


def submental_plan(product, volume_ml=8.0, count=40):
    return Plan(
        date=date(2026, 11, 3),
        area="submental",
        technique="papule",
        components=(Component(product, Q_(volume_ml, "mL")),),
        points=Points(count, Q_(volume_ml / count, "mL"), depth_mm=4, spacing_cm=1),
        weight_kg=70,
    )


def test_a_clinic_may_lower_the_session_volume_and_it_then_blocks_with_the_clinic_as_source():
    stricter = DCA.with_clinic_limits((clinic("volume_per_session", maximum=Q_(8, "mL")),))
    assert not check(submental_plan(stricter, volume_ml=8.0)).blocked
    result = check(submental_plan(stricter, volume_ml=9.0, count=45))
    (finding,) = result.findings
    assert result.blocked
    assert finding.origin is Origin.CLINIC
    assert finding.source == "Main Street clinic protocol 2026"


@pytest.mark.parametrize(
    ("kind", "values", "reason"),
    [
        ("volume_per_session", {"maximum": Q_(12, "mL")}, "maximum is looser"),
        ("volume_per_injection", {"maximum": Q_(0.25, "mL")}, "maximum is looser"),
        ("injections_per_session", {"count": 60}, "count is looser"),
        ("max_sessions_per_course", {"count": 8}, "count is looser"),
        ("allowed_areas", {"names": {"submental", "thigh"}}, "allows areas the label does not"),
        ("spacing", {"minimum": Q_(0.5, "cm")}, "minimum is looser"),
        ("volume_per_session", {"maximum": Q_(10, "mL"), "severity": "warn"}, "only warns"),
    ],
)
def test_a_clinic_may_not_loosen_a_deoxycholic_acid_label_limit(kind, values, reason):
    with pytest.raises(LimitOverrideError) as refused:
        DCA.with_clinic_limits((clinic(kind, **values),))
    message = str(refused.value)
    assert reason in message
    assert kind in message
    assert "NDA 206333" in message
    assert "never looser" in message


def test_a_clinic_may_lengthen_the_one_month_interval():
    check_override(shipped(DCA, "min_interval_months"), clinic("min_interval_months", months=2))


def test_a_clinic_may_not_shorten_a_labelled_interval():
    two_months = Limit("min_interval_months", source="a label", origin="label", months=2)
    with pytest.raises(LimitOverrideError, match=r"min_interval_months months 1.*months is looser"):
        check_override(two_months, clinic("min_interval_months", months=1))


def test_lidocaine_per_kg_and_cap_may_each_only_go_down():
    label = shipped(LIDOCAINE, "dose_per_kg")

    def per_kg(mg_per_kg, cap_mg):
        return clinic(
            "dose_per_kg",
            ingredient="lidocaine",
            per_kg=Q_(mg_per_kg, "mg/kg"),
            maximum=Q_(cap_mg, "mg"),
        )

    check_override(label, per_kg(4, 250))
    with pytest.raises(LimitOverrideError, match="amount per kg is looser"):
        check_override(label, per_kg(5, 300))
    with pytest.raises(LimitOverrideError, match="maximum is looser"):
        check_override(label, per_kg(4.5, 350))


def test_a_clinic_may_loosen_a_paper_warning_it_considers_too_cautious():
    looser = clinic("volume_per_injection", maximum=Q_(0.4, "mL"), severity="warn")
    product = PCDC.with_clinic_limits((looser,))
    assert shipped(product, "volume_per_injection").max_value == 0.4


def test_a_clinic_limit_on_something_the_label_does_not_limit_is_added():
    extra = clinic("max_depth_mm", maximum=Q_(3, "mm"))
    combined = combine_limits(DCA.limits, (extra,))
    assert combined[-1] is extra
    assert len(combined) == len(DCA.limits) + 1


def test_two_clinic_limits_for_the_same_thing_are_refused():
    twice = (
        clinic("volume_per_session", maximum=Q_(8, "mL")),
        clinic("volume_per_session", maximum=Q_(9, "mL")),
    )
    with pytest.raises(LimitOverrideError, match="two clinic limits"):
        combine_limits(DCA.limits, twice)


def test_an_override_must_come_from_the_clinic():
    label_copy = shipped(DCA, "volume_per_session")
    with pytest.raises(LimitOverrideError, match="origin 'clinic'"):
        combine_limits(DCA.limits, (label_copy,))


def test_a_label_limit_blocks_and_a_paper_limit_warns_by_default():
    label = Limit("volume_per_session", source="x", origin="label", maximum=Q_(1, "mL"))
    paper = Limit("volume_per_session", source="x", origin="paper", maximum=Q_(1, "mL"))
    assert (label.severity, paper.severity) == (Severity.BLOCK, Severity.WARN)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"kind": "volume_per_session"}, "needs maximum"),
        ({"kind": "volume_per_session", "maximum": Q_(10, "mg")}, "not in a unit"),
        ({"kind": "volume_per_session", "maximum": Q_(10, "mL"), "days": 3}, "does not take"),
        (
            {
                "kind": "dose_per_kg",
                "ingredient": "x",
                "per_kg": Q_(4, "mg"),
                "maximum": Q_(1, "mg"),
            },
            "mass per kg",
        ),
        ({"kind": "min_interval_days", "days": 0}, "whole number >= 1"),
        ({"kind": "min_interval_days", "days": 28.5}, "whole number >= 1"),
        ({"kind": "concentration_range", "ingredient": "x"}, "needs minimum or maximum"),
        ({"kind": "allowed_areas", "names": set()}, "needs names"),
    ],
)
def test_a_malformed_limit_is_refused(values, problem):
    with pytest.raises(ValueError, match=problem):
        Limit(source="x", origin="label", **values)


def plan_of(product, depth_mm=4.0):
    return Plan(
        date=date(2026, 11, 3),
        area="abdomen",
        technique="point-by-point",
        components=(Component(product, Q_(2, "mL")),),
        points=Points(20, Q_(0.1, "mL"), depth_mm=depth_mm, spacing_cm=2),
    )


VITAMIN_C = PRODUCTS["vitamin-c"]


def test_general_limits_cite_konda_and_thappa():
    assert {limit.source for limit in GENERAL_LIMITS} == {KONDA_THAPPA}


def test_injecting_deeper_than_4_mm_warns_without_blocking():
    assert check(plan_of(VITAMIN_C, depth_mm=4)).findings == ()
    result = check(plan_of(VITAMIN_C, depth_mm=6))
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.product) == ("max_depth_mm", "warn", None)
    assert not result.blocked


def test_an_unrecorded_depth_is_a_warning():
    (finding,) = check(plan_of(VITAMIN_C, depth_mm=None)).findings
    assert "depth is needed" in finding.message


@pytest.mark.parametrize("vehicle", [Vehicle.ALCOHOL, Vehicle.OIL])
def test_an_alcohol_or_oil_based_product_blocks(vehicle):
    oily = Product("oily", "Oily vitamin", vehicle=vehicle)
    (finding,) = check(plan_of(oily)).findings
    assert finding.rule is LimitKind.FORBIDDEN_VEHICLES
    assert finding.product == "oily"
    assert finding.severity is Severity.BLOCK


def test_a_clinic_may_run_stricter_general_limits():
    stricter = (clinic("max_depth_mm", maximum=Q_(2, "mm")),)
    result = check(plan_of(VITAMIN_C, depth_mm=3), general_limits=stricter)
    assert result.blocked
