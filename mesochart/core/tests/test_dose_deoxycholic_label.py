"""The deoxycholic acid label (KYBELLA / Belkyra, NDA 206333), checked on the shipped formulary.

0.2 mL per injection 1 cm apart, at most 50 injections and 10 mL per session, at most 6
sessions at least 1 month apart, submental only, no dilution or admixture.
"""

from datetime import date, timedelta

import pytest

from mesochart.core.dose import check
from mesochart.core.limits import Origin, Severity
from mesochart.core.plan_file import parse_plan, result_to_dict
from mesochart.core.reference import load_shipped_products

PRODUCTS = load_shipped_products()
DCA = "deoxycholic-acid-10mg-ml"
LABEL = "[LABEL] Deoxycholic acid injection 10 mg/mL (KYBELLA / Belkyra), NDA 206333"


def submental_session(
    count=50, each_ml=0.2, area="submental", cocktail=None, history=(), day="2026-11-03"
):
    return {
        "date": day,
        "area": area,
        "technique": "papule",
        "patient": {"weight_kg": 62.5},
        "cocktail": cocktail or [{"product": DCA, "volume_ml": round(count * each_ml, 6)}],
        "points": {"count": count, "volume_ml_each": each_ml, "depth_mm": 4, "spacing_cm": 1.0},
        "history": [{"date": d, "products": [DCA]} for d in history],
    }


def check_file(data):
    return check(parse_plan(data, PRODUCTS.get))


def the_only_label_finding(result, rule):
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, result.findings
    finding = found[0]
    assert finding.severity is Severity.BLOCK
    assert finding.origin is Origin.LABEL
    assert finding.source == LABEL
    assert finding.product == DCA
    assert result.blocked
    return finding


def test_fifty_injections_of_0_2_ml_deoxycholic_acid_pass():
    result = check_file(submental_session())
    assert result.findings == ()
    assert not result.blocked
    assert str(result.totals["deoxycholic-acid"].amount) == "100.0 milligram"


def test_fifty_one_injections_block_on_the_injection_count():
    finding = the_only_label_finding(
        check_file(submental_session(count=51)), "injections_per_session"
    )
    assert (finding.actual.magnitude, finding.limit.magnitude) == (51, 50)
    assert "51 injections" in finding.message
    assert "at most 50" in finding.message


def test_0_25_ml_per_injection_blocks_on_the_volume_per_injection():
    result = check_file(submental_session(count=40, each_ml=0.25))
    finding = the_only_label_finding(result, "volume_per_injection")
    assert str(finding.actual) == "0.25 milliliter"
    assert str(finding.limit) == "0.2 milliliter"


def test_10_2_ml_in_one_session_blocks_on_the_session_volume():
    # 51 × 0.2 mL: the only way to reach 10.2 mL without more than 0.2 mL per injection.
    result = check_file(submental_session(count=51))
    finding = the_only_label_finding(result, "volume_per_session")
    assert finding.actual.magnitude == pytest.approx(10.2)
    assert finding.limit.magnitude == 10
    assert "10.2 mL" in finding.message


def test_a_second_product_in_the_same_syringe_blocks_as_admixture():
    cocktail = [
        {"product": DCA, "volume_ml": 9.0},
        {"product": "lidocaine-1pct", "volume_ml": 1.0},
    ]
    result = check_file(submental_session(cocktail=cocktail))
    finding = the_only_label_finding(result, "admixture_forbidden")
    assert "lidocaine-1pct" in finding.message
    assert [f.rule for f in result.findings] == ["admixture_forbidden"]


def test_the_thigh_is_not_a_labelled_area():
    finding = the_only_label_finding(check_file(submental_session(area="thigh")), "allowed_areas")
    assert "'thigh'" in finding.message
    assert "submental" in finding.message


def test_a_session_27_days_after_the_last_blocks():
    result = check_file(submental_session(history=["2026-10-07"]))
    finding = the_only_label_finding(result, "min_interval_months")
    assert (finding.actual.magnitude, finding.limit.magnitude) == (27, 31)
    assert "not before 2026-11-07" in finding.message


def test_a_session_one_calendar_month_after_the_last_passes():
    assert check_file(submental_session(history=["2026-10-03"])).findings == ()


@pytest.mark.parametrize(
    ("last", "day", "blocked"),
    [
        ("2027-01-31", "2027-02-28", False),  # one month after 31 January is 28 February
        ("2027-01-31", "2027-02-27", True),
        ("2028-01-31", "2028-02-29", False),  # leap year
        ("2026-02-01", "2026-03-01", False),  # 28 days is a month in February
        ("2026-03-01", "2026-03-29", True),  # but not in March
    ],
)
def test_one_month_is_a_calendar_month(last, day, blocked):
    assert check_file(submental_session(history=[last], day=day)).blocked is blocked


def six_monthly_sessions_before(day):
    return [(day - timedelta(days=35 * n)).isoformat() for n in range(1, 7)]


def test_a_seventh_session_blocks():
    history = six_monthly_sessions_before(date(2026, 11, 3))
    result = check_file(submental_session(history=history))
    finding = the_only_label_finding(result, "max_sessions_per_course")
    assert (finding.actual.magnitude, finding.limit.magnitude) == (7, 6)
    assert "session 7" in finding.message


def test_a_sixth_session_passes():
    history = six_monthly_sessions_before(date(2026, 11, 3))[:5]
    assert check_file(submental_session(history=history)).findings == ()


def test_injections_closer_than_1_cm_block():
    data = submental_session()
    data["points"]["spacing_cm"] = 0.8
    finding = the_only_label_finding(check_file(data), "spacing")
    assert "0.8 cm" in finding.message


def test_every_finding_names_its_rule_and_source_in_the_json_result():
    data = submental_session(count=51, area="thigh", history=["2026-10-20"])
    rendered = result_to_dict(check_file(data))
    assert rendered["blocked"] is True
    assert {f["rule"] for f in rendered["findings"]} == {
        "allowed_areas",
        "injections_per_session",
        "min_interval_months",
        "volume_per_session",
    }
    assert {f["source"] for f in rendered["findings"]} == {LABEL}
