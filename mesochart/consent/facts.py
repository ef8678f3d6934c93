"""The database translated for the pure screening core, and the plan a screening covers.

`patient_facts` reads a patient's record, `core_cocktail` a cocktail version's ingredients and
excipients (names, synonyms and allergen classes from the formulary rows), and `Target` is what
a screening and a consent are about: a cocktail version, a treatment area and an indication.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mesochart.core.dose import Category
from mesochart.core.screening import (
    Cocktail,
    Medication,
    PatientFacts,
    Product,
    RecordedStatus,
    screening_fingerprint,
)
from mesochart.core.screening_allergy import Allergy, Substance
from mesochart.formulary.models import (
    CocktailComponent,
    CocktailVersion,
    Ingredient,
)
from mesochart.patients.models import Patient, Severity, YesNoUnknown

# Ingredient categories whose products are prescription-only medicines, so that administering
# them needs the practitioner's prescription scope (`accounts.models.can_administer`): lidocaine
# (anaesthetic), deoxycholic acid, tranexamic acid, dutasteride (medication), hyaluronidase
# (enzyme). The formulary has no prescription flag of its own yet; this is the stopgap.
PRESCRIPTION_CATEGORIES = frozenset(
    {Category.MEDICATION, Category.ANAESTHETIC, Category.HORMONE, Category.ENZYME}
)
# Indications that are lipolysis under another name: planning's "body contouring / fat
# reduction" is what the default rule "BMI over 30 for lipolysis" is about.
INDICATION_ALIASES = {"body_contouring": ("lipolysis",)}
# A status the record cannot be asked about ("not applicable", e.g. after menopause) screens
# as "no"; "not asked" is no answer at all.
# Keyed by the enum, looked up by the stored text (a TextChoices member is its text).
_STATUS: dict[str, str] = {
    YesNoUnknown.YES: "yes",
    YesNoUnknown.NO: "no",
    YesNoUnknown.NOT_APPLICABLE: "no",
}


def normalise(text: str) -> str:
    """Areas and indications compare without case or surrounding spaces ("Submental ")."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Target:
    """What a screening screens and a consent covers. ``plan`` is the planning Plan it came
    from, when there is one."""

    cocktail_version: CocktailVersion
    area: str
    indication: str
    plan: object | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", normalise(self.area))
        object.__setattr__(self, "indication", normalise(self.indication))

    @property
    def components(self) -> list[CocktailComponent]:
        return list(self.cocktail_version.parts)

    @property
    def product_slugs(self) -> list[str]:
        return sorted({c.product.slug for c in self.components})

    def cocktail(self) -> Cocktail:
        return core_cocktail(self.cocktail_version, self.indication)

    def fingerprint(self) -> str:
        return screening_fingerprint(self.cocktail().slugs, self.area)

    def describe(self) -> str:
        return f"{self.cocktail_version} · {self.area} · {self.indication}"


def patient_facts(patient: Patient) -> PatientFacts:
    """Everything the record says that screening reads; voided rows are not facts."""
    return PatientFacts(
        date_of_birth=patient.date_of_birth,
        sex_at_birth=patient.sex_at_birth,
        weight_kg=_positive(patient.weight_kg),
        height_cm=_positive(patient.height_cm),
        allergies=tuple(
            Allergy(a.substance, a.reaction, a.severity if a.severity != Severity.UNKNOWN else "")
            for a in patient.allergies.filter(voided_at=None).order_by("pk")
        ),
        medications=tuple(
            Medication(m.name, m.anticoagulant, m.antiplatelet)
            for m in patient.medications.filter(voided_at=None).order_by("pk")
        ),
        conditions=tuple(c.name for c in patient.conditions.filter(voided_at=None).order_by("pk")),
        pregnancy=_status(patient.pregnancy_status, patient.pregnancy_asked_on),
        breastfeeding=_status(patient.breastfeeding_status, patient.breastfeeding_asked_on),
    )


def demographic_facts(patient: Patient) -> PatientFacts:
    """What a role without access to the clinical record may see prefilled: date of birth and
    sex at birth (which answers pregnancy for a male patient)."""
    return PatientFacts(date_of_birth=patient.date_of_birth, sex_at_birth=patient.sex_at_birth)


def _positive(value: Decimal | None) -> float | None:
    return float(value) if value is not None and value > 0 else None


def _status(value: str, asked_on: date | None) -> RecordedStatus | None:
    answer = _STATUS.get(value)
    return RecordedStatus(answer, asked_on) if answer and asked_on else None


def core_cocktail(version: CocktailVersion, indication: str = "") -> Cocktail:
    """The cocktail's ingredients and excipients for screening, each product marked as given
    for the plan's ``indication`` (the formulary does not list indications per product, so the
    plan's is the one that says what the cocktail is for: "lipolysis" for the BMI rule)."""
    products = [component.product for component in version.parts]
    ingredients = [item.ingredient for p in products for item in p.composition.all()]
    excipients = [ingredient for p in products for ingredient in p.excipients.all()]
    named = normalise(indication)
    indications = (named, *INDICATION_ALIASES.get(named, ())) if named else ()
    return Cocktail(
        ingredients=tuple(_substance(row) for row in ingredients),
        excipients=tuple(_substance(row) for row in excipients),
        products=tuple(Product(p.slug, indications) for p in products),
    )


def _substance(row: Ingredient) -> Substance:
    return Substance(
        slug=row.slug,
        name=row.name,
        synonyms=tuple(row.synonyms),
        allergen_classes=tuple(row.allergen_classes),
    )


def needs_prescription(version: CocktailVersion) -> bool:
    """Whether any product of the cocktail holds a prescription-only ingredient."""
    return any(
        item.ingredient.category in PRESCRIPTION_CATEGORIES
        for component in version.parts
        for item in component.product.composition.all()
    )
