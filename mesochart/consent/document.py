"""The consent document: rendered once from the templates, the patient and the plan, as plain
text, and stored exactly as the patient saw and signed it.

Plain text on purpose: it is what the SHA-256 covers, byte for byte (UTF-8), and it reads the
same on the tablet, in the PDF and in the database. The document includes the patient, the
plan (indication, area, cocktail and its products), the clinic's wording for the indication and
for each product, and the label's adverse events for the products in the cocktail (sourced
figures only, `adverse_events`).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from mesochart.consent.adverse_events import label_adverse_events
from mesochart.consent.facts import Target
from mesochart.consent.models import ConsentTemplate, ConsentTemplateVersion, TemplateScope
from mesochart.consent.plans import area_words
from mesochart.core.volumes import ml_number
from mesochart.lib import l10n
from mesochart.patients.models import Patient
from mesochart.planning.models import indication_label


def declaration() -> str:
    return _(
        "I have read this document, or had it read to me. I have been able to ask questions, and "
        "they were answered. I understand the risks, the alternatives and the aftercare described "
        "above. I understand that I may withdraw my consent at any time, and that withdrawing it "
        "does not affect my care. I consent to the treatment described above."
    )


@dataclass(frozen=True)
class Prepared:
    """A document ready to sign; ``sha256`` is what the signing page sends back."""

    target: Target
    text: str
    sha256: str
    template_versions: tuple[ConsentTemplateVersion, ...]
    product_slugs: tuple[str, ...]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest_versions(clinic, target: Target, language: str) -> list[ConsentTemplateVersion]:
    """The newest wording in ``language`` (else in the default language) for the indication
    (required) and for each product (optional)."""
    templates = {
        (t.scope, t.subject): t
        for t in ConsentTemplate.objects.filter(clinic=clinic).prefetch_related("versions")
    }
    indication = templates.get((TemplateScope.INDICATION, target.indication))
    latest = indication.offered_to(language) if indication else None
    if latest is None:
        raise ValidationError(
            {
                "indication": [
                    _(
                        "has no consent template at this clinic for '%(indication)s': an admin or "
                        "practitioner writes one first"
                    )
                    % {"indication": indication_label(target.indication)}
                ]
            }
        )
    chosen = [latest]
    for slug in target.product_slugs:
        template = templates.get((TemplateScope.PRODUCT, slug))
        version = template.offered_to(language) if template else None
        if version is not None:
            chosen.append(version)
    return chosen


def prepare(clinic, patient: Patient, target: Target, on: date) -> Prepared:
    """The document in the patient's language: their version of each template, and the
    headings and declaration translated."""
    versions = latest_versions(clinic, target, patient.language)
    with translation.override(patient.language):
        text = render(clinic, patient, target, versions, on)
    return Prepared(target, text, sha256_text(text), tuple(versions), tuple(target.product_slugs))


def render(clinic, patient: Patient, target: Target, versions, on: date) -> str:
    components = target.components
    version = target.cocktail_version
    lines = [
        _("CONSENT TO MESOTHERAPY TREATMENT"),
        f"{clinic.name}, {clinic.organisation.name}",
        "",
        _("Patient: %(name)s") % {"name": f"{patient.given_name} {patient.family_name.upper()}"},
        _("Date of birth: %(day)s") % {"day": l10n.day(patient.date_of_birth)},
        _("Record number: %(number)s") % {"number": patient.record_number},
        _("Indication: %(indication)s") % {"indication": _(indication_label(target.indication))},
        _("Treatment area: %(area)s") % {"area": area_words(target.area)},
        _("Cocktail: %(name)s, version %(number)s")
        % {"name": version.cocktail.name, "number": version.number},
        *(f"  - {c.product.name}: {_ml(c.volume_ml)} mL" for c in components),
        _("Prepared on: %(day)s") % {"day": l10n.day(on)},
        _("Wording: %(versions)s")
        % {
            "versions": "; ".join(
                _("%(title)s (version %(number)s)") % {"title": v.shown_title, "number": v.number}
                for v in versions
            )
        },
        "",
        _("1. RISKS"),
        *_sections(versions, "risks"),
        "",
        _("2. SIDE EFFECTS REPORTED ON THE PRODUCT LABEL"),
        *_label_events(components),
        "",
        _("3. ALTERNATIVES"),
        *_sections(versions, "alternatives"),
        "",
        _("4. EXPECTED NUMBER OF SESSIONS"),
        *_sections(versions, "expected_sessions"),
        "",
        _("5. AFTERCARE"),
        *_sections(versions, "aftercare"),
        "",
        _("6. DECLARATION"),
        declaration(),
    ]
    return "\n".join(_clean(line) for line in lines) + "\n"


def _sections(versions, field: str) -> list[str]:
    lines: list[str] = []
    for version in versions:
        if len(versions) > 1:
            lines.append(f"{version.shown_title}:")
        lines.extend(getattr(version, field).strip().splitlines())
    return lines


def _label_events(components) -> list[str]:
    lines = []
    for component in components:
        for event in label_adverse_events(component.product):
            lines.append(
                f"  - {component.product.name}: {event.event}, {event.frequency} "
                + _("(source: %(source)s)") % {"source": event.source}
            )
    return lines or [
        "  "
        + _(
            "None of the products in this cocktail has adverse-event figures from its label in "
            "mesochart's reference; the risks above are the clinic's own wording."
        )
    ]


def _ml(volume) -> str:
    return ml_number(volume)


def _clean(line: str) -> str:
    """No trailing spaces and no carriage returns: the hash covers what is shown."""
    return line.replace("\r", "").rstrip()
