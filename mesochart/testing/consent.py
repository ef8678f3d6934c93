"""What the screening and consent tests share: cocktails, answers, templates, a signature."""

import base64
import io
from dataclasses import replace
from decimal import Decimal

from PIL import Image, ImageDraw

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership
from mesochart.consent import actions
from mesochart.consent.document import prepare
from mesochart.consent.facts import Target
from mesochart.consent.questionnaire import CURRENT
from mesochart.formulary.actions import create_cocktail, new_cocktail_version
from mesochart.testing.api import API as API
from mesochart.testing.api import HTMX as HTMX
from mesochart.testing.api import ApiCaller as ApiCaller

PCDC = "pcdc-lipolysis"
DCA = "deoxycholic-acid-10mg-ml"
LIDOCAINE = "lidocaine-1pct"


def actor_of(user) -> Actor:
    """``user`` acting at their clinic."""
    return Actor.at(
        Membership.objects.select_related("clinic__organisation", "user").get(user=user)
    )


def cocktail(practice, name="Chin", **volumes_ml):
    """Version 1 of a cocktail of the practice's clinic; products by slug with _ for -."""
    rows = [
        {"product": slug.replace("_", "-"), "volume_ml": Decimal(str(volume))}
        for slug, volume in (volumes_ml or {DCA.replace("-", "_"): 2}).items()
    ]
    return create_cocktail(actor_of(practice.practitioner), {"name": name}, rows)


def next_version(practice, version, **volumes_ml):
    rows = [
        {"product": slug.replace("_", "-"), "volume_ml": Decimal(str(volume))}
        for slug, volume in volumes_ml.items()
    ]
    return new_cocktail_version(actor_of(practice.practitioner), version.cocktail, {}, rows)


def measured(patient, weight_kg=62, height_cm=168):
    """Weight and height on the record, so the lipolysis BMI rule can be decided."""
    patient.weight_kg, patient.height_cm = Decimal(weight_kg), Decimal(height_cm)
    patient.weight_measured_on = patient.date_of_birth.replace(year=2026)
    patient.save(update_fields=["weight_kg", "height_cm", "weight_measured_on"])
    return patient


def clear_answers(**changes) -> dict:
    """Every question answered so that no rule is met, as a form posts it, with ``changes``."""
    answers: dict = {"date_of_birth": "1985-04-12", **CURRENT.answered_no(), **changes}
    assert set(answers) <= {q.key for q in CURRENT.questions}
    return {k: v for k, v in answers.items() if v is not None}


def respond(practice, area="submental", user=None, patient=None, **changes):
    return actions.submit_response(
        actor_of(user or practice.nurse),
        patient or practice.patient,
        area=area,
        answers=clear_answers(**changes),
    )


def screen(practice, version, area="submental", indication="lipolysis", user=None, **changes):
    """A response with ``changes`` and its screening against ``version``."""
    user = user or practice.nurse
    response = respond(practice, area, user=user, **changes)
    target = Target(version, area, indication)
    return actions.run_screening(actor_of(user), practice.patient, response, target=target)


def template(practice, subject="lipolysis", scope="indication", **changes):
    data = {
        "scope": scope,
        "subject": subject,
        "title": f"{subject.capitalize()} consent",
        "risks": "Swelling, bruising and tenderness for a few days.",
        "alternatives": "No treatment; diet and exercise; surgery.",
        "expected_sessions": "Usually 2 to 4 sessions, at least one month apart.",
        "aftercare": "Cool packs; no massage for 48 hours.",
        **changes,
    }
    return actions.save_template(actor_of(practice.practitioner), data)


def signature_data_url(ink: bool = True) -> str:
    """A PNG as the signature pad sends it: a stroke on a transparent background."""
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(20, 80), (120, 30), (200, 90), (280, 40)], "#123", 4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sign(practice, version, area="submental", indication="lipolysis", user=None, **extra):
    """A consent signed on the document as the signing page shows it now."""
    user = user or practice.reception
    acting = replace(actor_of(user), user_agent="Mozilla/5.0 (iPad) tests")
    target = Target(version, area, indication)
    shown = prepare(acting.clinic, practice.patient, target, acting.clinic.today())
    data = {
        "signer_name": "Ana Lopez",
        "signature": signature_data_url(),
        "document_sha256": shown.sha256,
        **extra,
    }
    return actions.sign_consent(acting, practice.patient, target=target, data=data)
