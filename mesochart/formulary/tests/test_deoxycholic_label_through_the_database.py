"""The deoxycholic acid label, read from the database the reference sync filled.

Complements core/tests/test_dose_deoxycholic_label.py (which reads formulary.json): here the
products and limits come from the formulary tables through ``engine.check_plan``, as the
CLI, the API and the pages get them. Each case is the clinic's sentence.
"""

import pytest

from mesochart.formulary.engine import check_plan
from mesochart.formulary.models import Limit
from mesochart.formulary.tests.conftest import DCA, DCA_LABEL, submental_session

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db

SIX_EARLIER_SESSIONS = (
    "2026-05-01",
    "2026-06-01",
    "2026-07-01",
    "2026-08-01",
    "2026-09-01",
    "2026-10-01",
)


@pytest.mark.parametrize("at_clinic", [False, True], ids=["shipped", "at a clinic"])
def test_fifty_injections_of_0_2_ml_deoxycholic_acid_pass(practice, at_clinic):
    result = check_plan(submental_session(), practice.clinic if at_clinic else None)
    assert result.findings == ()
    assert not result.blocked
    assert result.totals["deoxycholic-acid"].value == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("case", "plan", "rule"),
    [
        ("51 injections", submental_session(count=51), "injections_per_session"),
        (
            "0.25 mL per injection",
            submental_session(count=40, each_ml=0.25),
            "volume_per_injection",
        ),
        ("10.2 mL in the session", submental_session(count=51), "volume_per_session"),
        (
            "a second product in the syringe",
            submental_session(
                cocktail=[
                    {"product": DCA, "volume_ml": 9.0},
                    {"product": "lidocaine-1pct", "volume_ml": 1.0},
                ]
            ),
            "admixture_forbidden",
        ),
        ("the thigh", submental_session(area="thigh"), "allowed_areas"),
        (
            "27 days after the last session",
            submental_session(history=["2026-10-07"]),
            "min_interval_months",
        ),
        (
            "a 7th session",
            submental_session(history=SIX_EARLIER_SESSIONS),
            "max_sessions_per_course",
        ),
    ],
)
def test_each_label_limit_blocks_with_its_rule_and_source(practice, case, plan, rule):
    result = check_plan(plan, practice.clinic)
    assert result.blocked, case
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, result.findings
    finding = found[0]
    assert finding.severity == "block"
    assert finding.origin == "label"
    assert finding.source == DCA_LABEL
    assert finding.product == DCA


def test_27_days_reports_the_days_and_the_first_allowed_date(practice):
    (finding,) = check_plan(submental_session(history=["2026-10-07"]), practice.clinic).findings
    assert (finding.actual.magnitude, finding.limit.magnitude) == (27, 31)
    assert "not before 2026-11-07" in finding.message


def test_the_engine_reads_the_limits_from_the_database(practice):
    """Change the stored label count and the check follows: nothing is read from the file."""
    Limit.objects.filter(product__slug=DCA, kind="injections_per_session", clinic=None).update(
        count=40
    )
    result = check_plan(submental_session(count=45, each_ml=0.2), practice.clinic)
    (finding,) = [f for f in result.findings if f.rule == "injections_per_session"]
    assert finding.limit.magnitude == 40
