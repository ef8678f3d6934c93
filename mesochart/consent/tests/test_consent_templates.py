"""Consent templates per indication and per product: each save is a new version, audited with
the hash of its wording; only admins and practitioners write them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.models import ConsentTemplate, ConsentTemplateVersion
from mesochart.testing.consent import actor_of, template

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


def test_saving_again_makes_the_next_version(practice):
    first = template(practice)
    second = template(practice, risks="Swelling for up to a week.")
    assert (first.number, second.number) == (1, 2)
    assert ConsentTemplate.objects.get().latest() == second
    assert ConsentTemplateVersion.objects.get(pk=first.pk).risks.startswith("Swelling, bruising")
    assert all(v.is_intact() for v in ConsentTemplateVersion.objects.all())
    event = AuditEvent.objects.filter(object_type="consenttemplateversion").last()
    assert event.detail["content_sha256"] == second.content_sha256


def test_a_product_template_names_a_product_of_the_formulary(practice):
    template(practice, "lidocaine-1pct", scope="product")
    with pytest.raises(ValidationError) as refused:
        template(practice, "snake-oil", scope="product")
    assert refused.value.message_dict == {
        "subject": ["is not a product of this formulary (its name or its slug)"]
    }


def test_every_part_is_required(practice):
    with pytest.raises(ValidationError) as refused:
        template(practice, risks="", aftercare="   ")
    assert refused.value.message_dict == {
        "risks": ["is required"],
        "aftercare": ["is required"],
    }


@pytest.mark.parametrize("role", ["nurse", "reception"])
def test_nurses_and_reception_do_not_write_consent_wording(practice, role):
    with pytest.raises(PermissionDenied):
        actions.save_template(
            actor_of(practice.users[role]),
            {"scope": "indication", "subject": "lipolysis", "title": "x"},
        )


def test_the_page_saves_a_new_version_of_an_existing_template(practice, client_for):
    first = template(practice)
    client = client_for(practice.admin)
    url = f"/consent/templates/{first.template.pk}/"
    assert "Swelling, bruising" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "scope": "product",  # ignored: a version keeps its template's subject
            "subject": "other",
            "title": "Lipolysis consent",
            "risks": "Swelling.",
            "alternatives": "None.",
            "expected_sessions": "Two to four.",
            "aftercare": "Cool packs.",
        },
    )
    assert response.status_code == 302
    latest = ConsentTemplate.objects.get().latest()
    assert (latest.number, latest.template.subject) == (2, "lipolysis")


def test_a_template_is_named_by_the_indications_or_the_products_own_words(practice):
    by_indication = template(practice, "Body contouring / fat reduction")
    by_product = template(practice, "lidocaine 1% (10 mg/mL)", scope="product")
    assert by_indication.template.subject == "body_contouring"  # what plans name
    assert by_product.template.subject == "lidocaine-1pct"


def test_the_templates_page_says_what_each_is_for_in_words(practice, client_for):
    template(practice, "body_contouring")
    template(practice, "lidocaine-1pct", scope="product")
    page = client_for(practice.practitioner).get("/consent/templates/").content.decode()
    assert "Indication: Body contouring / fat reduction" in page
    assert "Product: Lidocaine 1% (10 mg/mL)" in page
    assert "body_contouring" not in page and "lidocaine-1pct" not in page
