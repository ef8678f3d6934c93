"""A clinic may make any limit stricter, never looser than a label (reference.md, Limits).

A clinic limit replaces the shipped limit with the same kind and ingredient, at that clinic
only; the core's ``check_override`` decides what counts as looser.
"""

import pytest
from django.core.exceptions import ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.formulary import actions
from mesochart.formulary.engine import check_plan, core_products
from mesochart.formulary.models import Limit, Product
from mesochart.formulary.tests.conftest import (
    DCA,
    DCA_LABEL,
    LIDOCAINE_LABEL,
    face_session,
    submental_session,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def set_limit(practice, product_slug, user=None, **values):
    membership = practice.actor(user or practice.practitioner)
    product = Product.objects.get(slug=product_slug)
    data = {"severity": "block", "source": "Main Street policy 2026-03", **values}
    return actions.set_clinic_limit(membership, product, data)


def refusal(practice, product_slug, **values) -> dict:
    with pytest.raises(ValidationError) as caught:
        set_limit(practice, product_slug, **values)
    return caught.value.message_dict


def test_a_stricter_limit_is_accepted_and_used_by_the_engine(practice):
    set_limit(practice, DCA, kind="injections_per_session", count=40)
    result = check_plan(submental_session(count=45), practice.clinic)
    (finding,) = result.findings
    assert finding.rule == "injections_per_session"
    assert (finding.actual.magnitude, finding.limit.magnitude) == (45, 40)
    assert (finding.origin, finding.source) == ("clinic", "Main Street policy 2026-03")
    assert "the clinic allows at most 40" in finding.message


def test_the_clinic_limit_replaces_the_label_limit_of_the_same_kind_only(practice):
    set_limit(practice, DCA, kind="injections_per_session", count=40)
    (product,) = core_products([DCA], practice.clinic).values()
    counts = [limit for limit in product.limits if limit.kind == "injections_per_session"]
    assert [(limit.origin, limit.count) for limit in counts] == [("clinic", 40)]
    assert len(product.limits) == 8  # the other seven label limits still apply


def test_a_stricter_lidocaine_dose_per_kg_applies(practice):
    set_limit(
        practice,
        "lidocaine-1pct",
        kind="dose_per_kg",
        ingredient="lidocaine",
        per_kg="3 mg/kg",
        maximum="200 mg",
    )
    # 190 mg at 60 kg: within the label's 270 mg, over the clinic's 3 mg/kg × 60 kg = 180 mg.
    result = check_plan(face_session(60, lidocaine_1pct=19), practice.clinic)
    (finding,) = result.findings
    assert finding.limit.magnitude == pytest.approx(180)
    assert finding.origin == "clinic"


@pytest.mark.parametrize(
    ("values", "field", "label_value", "source"),
    [
        ({"kind": "injections_per_session", "count": 60}, "count", "50", DCA_LABEL),
        ({"kind": "volume_per_session", "maximum": "12 mL"}, "maximum", "10 mL", DCA_LABEL),
        ({"kind": "volume_per_injection", "maximum": "250 µL"}, "maximum", "0.2 mL", DCA_LABEL),
        (
            {"kind": "min_interval_months", "months": 1, "severity": "warn"},
            "severity",
            "blocks",
            DCA_LABEL,
        ),
        ({"kind": "allowed_areas", "names": "submental, jowls"}, "names", "submental", DCA_LABEL),
        ({"kind": "spacing", "minimum": "0.8 cm"}, "minimum", "1 cm", DCA_LABEL),
    ],
)
def test_looser_than_the_label_is_refused_naming_the_field_value_and_source(
    practice, values, field, label_value, source
):
    errors = refusal(practice, DCA, **values)
    (message,) = errors[field]
    assert message.startswith(f"is looser than the label ({label_value}; {source})")
    assert "never looser" in message
    assert not Limit.objects.filter(clinic__isnull=False).exists()


def test_a_looser_lidocaine_per_kg_is_refused(practice):
    errors = refusal(
        practice,
        "lidocaine-1pct",
        kind="dose_per_kg",
        ingredient="lidocaine",
        per_kg="5 mg/kg",
        maximum="300 mg",
    )
    assert errors["per_kg"][0].startswith(
        f"is looser than the label (4.5 mg/kg; {LIDOCAINE_LABEL})"
    )


def test_looser_through_the_api_is_a_422_naming_the_field(api_for, practice):
    response = api_for(practice.practitioner).post(
        f"/formulary/products/{DCA}/limits",
        {"kind": "injections_per_session", "count": 60, "source": "Wishful thinking"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        f"count: is looser than the label (50; {DCA_LABEL})"
    )


def test_a_paper_limit_is_a_default_the_clinic_may_loosen(practice):
    limit = set_limit(practice, "pcdc-lipolysis", kind="volume_per_injection", maximum="0.4 mL")
    assert limit.origin == "clinic"


def test_another_clinics_limit_is_not_applied(practice):
    set_limit(
        practice, DCA, user=practice.sister_practitioner, kind="injections_per_session", count=30
    )
    assert check_plan(submental_session(count=45), practice.clinic).findings == ()
    assert check_plan(submental_session(count=45), practice.sister_clinic).blocked


def test_setting_it_again_replaces_the_clinics_earlier_limit(practice):
    set_limit(practice, DCA, kind="injections_per_session", count=40)
    set_limit(practice, DCA, kind="injections_per_session", count=30)
    assert list(Limit.objects.filter(clinic=practice.clinic).values_list("count", flat=True)) == [
        30
    ]


def test_removing_it_brings_the_label_limit_back(practice):
    limit = set_limit(practice, DCA, kind="injections_per_session", count=40)
    actions.remove_clinic_limit(practice.actor(practice.practitioner), limit.product, limit.pk)
    assert check_plan(submental_session(count=45), practice.clinic).findings == ()


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        (
            {"kind": "dose_per_kg", "ingredient": "lidocaine", "maximum": "200 mg"},
            "per_kg",
            "is required for a dose_per_kg limit",
        ),
        (
            {"kind": "volume_per_session", "maximum": "10 zorks"},
            "maximum",
            "unknown unit 'zorks' in '10 zorks'",
        ),
        (
            {"kind": "volume_per_session", "maximum": "10 mg"},
            "maximum",
            "must be in a unit a volume_per_session limit understands, not '10 mg'",
        ),
        (
            {"kind": "volume_per_session", "maximum": "5 mL", "count": 3},
            "count",
            "is not used by a volume_per_session limit; leave it empty",
        ),
        ({"kind": "volume_per_session", "maximum": "5 mL", "source": " "}, "source", "is required"),
        ({"kind": "allowed_areas", "names": "Sub Mental"}, "names", "'sub mental' must be"),
    ],
)
def test_a_malformed_limit_is_refused_naming_the_field(practice, values, field, rule):
    errors = refusal(practice, "lidocaine-1pct" if "ingredient" in values else DCA, **values)
    assert errors[field][0].startswith(rule), errors


def test_saving_a_clinic_limit_is_audited(practice):
    before = AuditEvent.objects.count()
    set_limit(practice, DCA, kind="injections_per_session", count=40)
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.category, event.action, event.clinic_id) == (
        "formulary",
        "create",
        practice.clinic.pk,
    )
    assert event.detail["limit"] == "at most 40 injections per session"


def test_the_limit_page_shows_the_refusal_with_the_field(client_for, practice):
    response = client_for(practice.practitioner).post(
        f"/formulary/products/{DCA}/limits/",
        {"kind": "injections_per_session", "count": "60", "severity": "block", "source": "X"},
    )
    assert response.status_code == 200
    assert "Count: is looser than the label (50; [LABEL] Deoxycholic" in response.content.decode()


def test_the_tighten_link_starts_from_the_label_values(client_for, practice):
    response = client_for(practice.practitioner).get(
        f"/formulary/products/{DCA}/limits/", {"kind": "volume_per_session"}
    )
    assert 'value="10 mL"' in response.content.decode()


def test_a_label_tightened_later_under_a_clinic_limit_still_applies(practice):
    """A formulary update may make the label stricter than a clinic's limit: both then apply,
    so an update never leaves the looser clinic value in charge."""
    set_limit(practice, DCA, kind="injections_per_session", count=45)
    Limit.objects.filter(product__slug=DCA, kind="injections_per_session", clinic=None).update(
        count=40
    )
    (finding,) = check_plan(submental_session(count=42), practice.clinic).findings
    assert (finding.origin, finding.limit.magnitude) == ("label", 40)
    rules = check_plan(submental_session(count=46), practice.clinic).findings
    assert sorted((f.origin, f.limit.magnitude) for f in rules) == [("clinic", 45), ("label", 40)]
