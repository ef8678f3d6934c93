"""Code systems the export uses: the standard ones, and mesochart's own where no standard
code exists (../shared/domain/reference.md, "Coding (HL7 FHIR R4)": no SNOMED CT concept for
mesotherapy was found, so procedure and technique are local codes)."""

SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
LOCAL = "https://mesochart.org/fhir/CodeSystem"
RECORD_NUMBER = "https://mesochart.org/fhir/NamingSystem/record-number"
LICENCE = "https://mesochart.org/fhir/NamingSystem/licence"
CONTENT_HASH = "https://mesochart.org/fhir/StructureDefinition/content-sha256"
# A signed session's canonical content itself (base64 of its JSON), so that the record can
# be verified again wherever it is imported: `interop.signed`.
SIGNED_CONTENT = "https://mesochart.org/fhir/StructureDefinition/signed-content"
GRID_POINT = "https://mesochart.org/fhir/StructureDefinition/grid-point"
CHART_VIEW = "https://mesochart.org/fhir/StructureDefinition/chart-view"
# A session recorded after the fact: why, and when it was entered and signed
# (``performedDateTime`` is when it was performed).
LATE_ENTRY = "https://mesochart.org/fhir/StructureDefinition/late-entry"
AREA_ASKED = "https://mesochart.org/fhir/StructureDefinition/area-asked"
# When a signed session was signed (``performedDateTime`` is when it was performed).
SIGNED_AT = "https://mesochart.org/fhir/StructureDefinition/signed-at"
# A plan's area: its BodyStructure holds the measurements and grid settings the points were
# placed with (sub-extensions ``position``, ``spacing-cm``, ``pattern``, and when set
# ``width-cm``, ``height-cm``, ``circumference-cm``, ``depth-mm``, ``volume-ml``).
PLANNED_GRID = "https://mesochart.org/fhir/StructureDefinition/planned-grid"
# On a Media: the plan's area (its BodyStructure) the photo was taken of.
PLAN_REGION = "https://mesochart.org/fhir/StructureDefinition/plan-region"
# On an AdverseEvent: each MedWatch 3500 outcome that made it serious (`seriousness`).
SERIOUS_OUTCOME = "https://mesochart.org/fhir/StructureDefinition/serious-outcome"
# On a correction's Provenance, one per field corrected: ``field``, and ``from`` and ``to``
# as JSON text (a value may be a number, a text or a list of areas).
CORRECTION_CHANGE = "https://mesochart.org/fhir/StructureDefinition/correction-change"
# The drawn signature of a consent: a Provenance of the Consent, its ``signature`` the PNG
# (ISO-ASTM E1762 "Consent Signature"), the patient its author, the witness its attester.
CONSENT_SIGNATURE = {
    "system": "urn:iso-astm:E1762-95:2013",
    "code": "1.2.840.10065.1.12.1.7",
    "display": "Consent Signature",
}
PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
# On an AllergyIntolerance with no reaction recorded: its severity (FHIR keeps a severity
# only on a reaction, and ``criticality`` cannot tell mild from moderate).
ALLERGY_SEVERITY = "https://mesochart.org/fhir/StructureDefinition/allergy-severity"
# Who approved a plan and when (an approved plan always names both): sub-extensions
# ``approver`` (a Practitioner reference) and ``approved`` (a dateTime).
APPROVAL = "https://mesochart.org/fhir/StructureDefinition/approval"

PROCEDURE = {"system": f"{LOCAL}/procedure", "code": "mesotherapy", "display": "Mesotherapy"}

# Routes: reference.md, "Coding (HL7 FHIR R4)".
INTRADERMAL = {"system": SNOMED, "code": "372464004", "display": "Intradermal route"}
SUBCUTANEOUS = {"system": SNOMED, "code": "34206005", "display": "Subcutaneous route"}
# Mesotherapy's depth should not exceed 4 mm [PEER] Konda & Thappa, IJDVL; deeper injections
# (to 13 mm) are the variants that target fat [SEC] (reference.md, "Techniques").
INTRADERMAL_MAX_DEPTH_MM = 4

# Body sites that reference.md lists (it says to verify them before shipping: they are
# used only for these regions, every other region is coded in mesochart's own system).
BODY_SITES = {
    "scalp": ("41695006", "Scalp structure"),
    "face": ("89545001", "Face structure"),
    "buttock": ("46862004", "Buttock structure"),
    "abdomen": ("818983003", "Abdomen structure"),
    "thigh-left": ("61396006", "Left thigh structure"),
    "thigh-right": ("11207009", "Right thigh structure"),
}


def body_site(region: str, label: str) -> dict:
    """The region's SNOMED CT code when reference.md gives one, and always its local code."""
    codings = [{"system": f"{LOCAL}/region", "code": region, "display": label}]
    for key, (code, display) in BODY_SITES.items():
        if region == key or region.startswith(f"{key}-") or _sided_thigh(region) == key:
            codings.insert(0, {"system": SNOMED, "code": code, "display": display})
            break
    return {"coding": codings, "text": label}


def _sided_thigh(region: str) -> str | None:
    if region.startswith("thigh-") and region.endswith(("-left", "-right")):
        return "thigh-" + region.rsplit("-", 1)[1]
    return None


def route_of(depth_mm, indication: str) -> dict:
    """Subcutaneous for injections deeper than 4 mm and for fat reduction; else intradermal."""
    deep = depth_mm is not None and float(depth_mm) > INTRADERMAL_MAX_DEPTH_MM
    return SUBCUTANEOUS if deep or indication == "body_contouring" else INTRADERMAL


def local(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": f"{LOCAL}/{system}", "code": code, "display": str(display)}]}


def ml(value) -> dict:
    return {"value": float(value), "unit": "mL", "system": UCUM, "code": "mL"}


# An amended outcome value is a correction (the `amendment` CodeSystem's code).
AMENDMENT_CORRECTION = ("correction", "Correction")

# The units of `core.measures` in UCUM: a score's points and a count's per-area as UCUM
# annotations ({score}, {hairs}/cm2), which mean 1 and 1/cm2.
UCUM_CODES = {
    "cm": "cm",
    "mm": "mm",
    "kg": "kg",
    "kg/m²": "kg/m2",
    "points": "{score}",
    "hairs/cm²": "{hairs}/cm2",
    "%": "%",
}


def ucum_quantity(value, unit: str) -> dict:
    quantity: dict[str, object] = {"value": float(value)}
    if unit:
        quantity |= {"unit": unit, "system": UCUM, "code": UCUM_CODES.get(unit, unit)}
    return quantity
