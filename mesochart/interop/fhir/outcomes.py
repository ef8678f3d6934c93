"""Observation: one per outcome value, every row kept (an amended value and the value that
amends it, linked by a Provenance, as a session's amendments are). A composite's total is the
value and its items the components; units in UCUM; codes from mesochart's own CodeSystems
(`measure`, `measure-item`, `measure-level`, `outcome-context`, `rater-role`): reference.md
gives no LOINC code for any of these scales. A clinic's own item carries its definition in an
extension, since its code is the clinic's and is not published."""

from mesochart.core import clinic_items, measures
from mesochart.core.measures import Kind
from mesochart.interop.fhir.codes import (
    AMENDMENT_CORRECTION,
    LOCAL,
    local,
    ucum_quantity,
)
from mesochart.interop.fhir.ids import Refs
from mesochart.outcomes.models import Context, RaterRole

CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
EXT = "https://mesochart.org/fhir/StructureDefinition"
RATER_ROLE = f"{EXT}/rater-role"
BLINDED = f"{EXT}/blinded"
PLAN_AREA = f"{EXT}/plan-area"
ORDINAL_CODING = f"{EXT}/ordinal-coding"
CLINIC_ITEM = f"{EXT}/clinic-item"
# A clinic's own items share one published code; the item is named by the extension.
CLINIC_ITEM_CODE = "clinic-item"
CLINIC_ITEM_DISPLAY = "A clinic's own patient-reported item"
NOT_COMPUTED = "an item is missing: the total is not computed"
CONTEXTS = dict(Context.choices)
RATER_ROLES = dict(RaterRole.choices)


def measure_of(value):
    """The `core.measures.Measure` a value was recorded as (its clinic item's, for one)."""
    if value.clinic_item_id:
        return value.clinic_item.measure()
    return measures.get(value.measure)


def observation(refs: Refs, value, patient_ref: dict, procedures: set[int]) -> dict:
    """``procedures``: the ids of the sessions the Bundle holds as Procedures."""
    measure = measure_of(value)
    name = measure.name if measure else value.measure
    resource: dict = {
        "resourceType": "Observation",
        "id": refs.id("Observation", value.pk),
        "extension": _extensions(value),
        "basedOn": [refs.ref("CarePlan", value.plan_id)],
        "status": "amended" if value.amends_id else "final",
        "category": [
            {
                "coding": [
                    {
                        "system": CATEGORY_SYSTEM,
                        "code": "survey" if measure and measure.patient_reported else "exam",
                    }
                ]
            },
            local(
                "outcome-context", value.context, str(CONTEXTS.get(value.context, value.context))
            ),
        ],
        "code": {"coding": [_code(value, name)], "text": name},
        "subject": patient_ref,
        "effectiveDateTime": value.measured_on.isoformat(),
        "issued": value.recorded_at.isoformat(),
        "performer": [refs.ref("Practitioner", value.rater_id) if value.rater_id else patient_ref],
    }
    if value.session_id in procedures:
        resource["partOf"] = [refs.ref("Procedure", value.session_id)]
    resource |= _value(value, measure)
    if value.band:
        resource["interpretation"] = [{"text": value.band}]
    if value.site:
        resource["bodySite"] = {"text": value.site}
    if measure and measure.kind == Kind.COMPOSITE and not value.not_measured_reason:
        resource["component"] = [_component(measure, item, value.items) for item in measure.items]
    return resource


def _code(value, name: str) -> dict:
    if value.clinic_item_id:
        return {
            "system": f"{LOCAL}/measure",
            "code": CLINIC_ITEM_CODE,
            "display": CLINIC_ITEM_DISPLAY,
        }
    return {"system": f"{LOCAL}/measure", "code": value.measure, "display": name}


def _extensions(value) -> list[dict]:
    role = str(RATER_ROLES.get(value.rater_role, value.rater_role))
    found = [
        {
            "url": RATER_ROLE,
            "valueCoding": {
                "system": f"{LOCAL}/rater-role",
                "code": value.rater_role,
                "display": role,
            },
        },
        {"url": BLINDED, "valueBoolean": value.blinded},
    ]
    if value.area:
        found.append({"url": PLAN_AREA, "valueString": value.area})
    if value.coding:
        found.append({"url": ORDINAL_CODING, "valueCode": value.coding})
    if value.clinic_item_id:
        found.append(clinic_item(value.clinic_item))
    return found


def clinic_item(item) -> dict:
    """The definition of the version of a clinic's own item a value answered."""
    parts = [
        {"url": "slug", "valueString": item.slug},
        {"url": "version", "valueInteger": item.version},
        {"url": "question", "valueString": item.question},
        {"url": "response", "valueCode": item.response},
        {"url": "better", "valueCode": item.better},
    ]
    if item.response == clinic_items.SCALE:
        parts += [
            {"url": "maximum", "valueInteger": item.maximum},
            {"url": "low-anchor", "valueString": item.low_anchor},
            {"url": "high-anchor", "valueString": item.high_anchor},
        ]
    parts += [{"url": "level", "valueString": label} for label in item.levels]
    return {"url": CLINIC_ITEM, "extension": parts}


def _value(value, measure) -> dict:
    if value.not_measured_reason:
        return _absent("not-performed", value.not_measured_reason)
    if value.value is not None:
        unit = measure.unit if measure else ""
        return {"valueQuantity": ucum_quantity(value.value, unit)}
    if value.level:
        level = measure.level(value.level) if measure else None
        label = level.label if level else value.level
        if value.clinic_item_id:  # the clinic's levels are named by their label alone
            return {"valueCodeableConcept": {"text": label}}
        coding = {
            "system": f"{LOCAL}/measure-level",
            "code": f"{value.measure}.{value.level}",
            "display": label,
        }
        return {"valueCodeableConcept": {"coding": [coding], "text": label}}
    return _absent("unknown", NOT_COMPUTED)


def _absent(code: str, text: str) -> dict:
    return {"dataAbsentReason": {"coding": [{"system": ABSENT_SYSTEM, "code": code}], "text": text}}


def _component(measure, item, rated: dict) -> dict:
    code = {
        "coding": [
            {
                "system": f"{LOCAL}/measure-item",
                "code": f"{measure.code}.{item.code}",
                "display": item.label,
            }
        ]
    }
    if item.code in rated:
        return {"code": code, "valueInteger": int(rated[item.code])}
    return {"code": code, **_absent("not-asked", "not rated")}


def provenance(refs: Refs, value) -> dict:
    """The amendment of an outcome value: who replaced which value, when and why."""
    resource = {
        "resourceType": "Provenance",
        "id": refs.id("Provenance", f"outcome-{value.pk}"),
        "target": [refs.ref("Observation", value.pk)],
        "recorded": value.recorded_at.isoformat(),
        "activity": local("amendment", *AMENDMENT_CORRECTION),
        "agent": [{"who": refs.ref("Practitioner", value.recorded_by_id)}],
        "entity": [{"role": "revision", "what": refs.ref("Observation", value.amends_id)}],
    }
    if value.amend_reason:
        resource["reason"] = [{"text": value.amend_reason}]
    return resource
