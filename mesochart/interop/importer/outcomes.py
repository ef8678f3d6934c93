"""Observation: an outcome value, read back as `interop.fhir.outcomes` writes it, its measure
one of `core.measures` or a clinic's own item (the version its definition names, matched in
the receiving clinic or created there); a composite's total recomputed from its components by
`core.scores` (computed, never typed) and refused if it differs. Provenance on an Observation:
the amendment that replaced one value by another."""

from decimal import Decimal

from mesochart.core import clinic_items, measures
from mesochart.core.measures import Kind
from mesochart.core.scores import score
from mesochart.interop.fhir.codes import LOCAL
from mesochart.interop.fhir.outcomes import (
    ABSENT_SYSTEM,
    BLINDED,
    CLINIC_ITEM,
    CLINIC_ITEM_CODE,
    ORDINAL_CODING,
    PLAN_AREA,
    RATER_ROLE,
)
from mesochart.interop.importer.context import Context, code_in, day, extension, moment
from mesochart.interop.importer.errors import refuse
from mesochart.outcomes.models import ClinicItem, OutcomeValue, RaterRole
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession

DIFFERS = "differs from the total of its components (a composite is computed, never typed)"


def import_outcomes(context: Context) -> None:
    for entry in context.each("Observation"):
        context.keep(entry, _value(context, entry))
    for entry in context.each("Provenance"):
        target = context.source.target((entry.resource.get("target") or [None])[0])
        if target is not None and target.kind == "Observation":
            _amendment(context, entry)


def _value(context: Context, entry) -> OutcomeValue:
    resource = entry.resource
    plan = context.row((resource.get("basedOn") or [None])[0], entry.at("basedOn", 0), Plan)
    item = _clinic_item(context, entry, plan)
    code = item.code if item else code_in(resource.get("code"), f"{LOCAL}/measure")
    measure = item.measure() if item else measures.get(code or "")
    if measure is None:
        refuse(entry.at("code", "coding"), f"{code} is not a measure mesochart records")
    performer = context.row((resource.get("performer") or [None])[0], entry.at("performer", 0))
    role = _extension_value(resource, RATER_ROLE, "valueCoding") or {}
    if role.get("code") not in RaterRole.values:
        refuse(entry.at("extension"), f"needs the rater-role, one of {', '.join(RaterRole.values)}")
    session = None
    if resource.get("partOf"):
        session = context.row(resource["partOf"][0], entry.at("partOf", 0), TreatmentSession)
    fields = {
        "clinic": plan.clinic,
        "patient": context.patient,
        "plan": plan,
        "session": session,
        "context": code_in(_category(resource), f"{LOCAL}/outcome-context") or "",
        "measure": measure.code,
        "area": _extension_value(resource, PLAN_AREA, "valueString") or "",
        "site": (resource.get("bodySite") or {}).get("text", ""),
        "measured_on": day(resource.get("effectiveDateTime"), entry.at("effectiveDateTime")),
        "rater": None if isinstance(performer, Patient) else performer,
        "rater_role": role["code"],
        "blinded": bool(_extension_value(resource, BLINDED, "valueBoolean")),
        "recorded_by": performer
        if not isinstance(performer, Patient)
        else context.first_practitioner(),
        "recorded_at": moment(resource.get("issued"), entry.at("issued")),
        "coding": _extension_value(resource, ORDINAL_CODING, "valueCode") or "",
        "clinic_item": item,
    }
    return OutcomeValue.objects.create(**fields, **_reading(entry, measure))


def _category(resource: dict) -> dict:
    """The category that names the context (the other is FHIR's exam or survey)."""
    for concept in resource.get("category", []):
        if code_in(concept, f"{LOCAL}/outcome-context"):
            return concept
    return {}


def _reading(entry, measure) -> dict:
    """What the value holds: a quantity, a level, a composite's items and total, or why it
    was not measured."""
    resource = entry.resource
    absent = resource.get("dataAbsentReason")
    if absent and code_in(absent, ABSENT_SYSTEM) == "not-performed":
        return {"not_measured_reason": absent.get("text") or "not measured"}
    if measure.kind == Kind.COMPOSITE:
        return _composite(entry, measure)
    if measure.kind == Kind.ORDINAL:
        return {"level": _level(entry, measure)}
    quantity = resource.get("valueQuantity")
    if not quantity or quantity.get("value") is None:
        refuse(entry.at("valueQuantity"), f"is required for {measure.name}")
    value = Decimal(str(quantity["value"])).quantize(Decimal("0.01"))
    if (measure.minimum is not None and value < measure.minimum) or (
        measure.maximum is not None and value > measure.maximum
    ):
        refuse(entry.at("valueQuantity", "value"), f"is outside the range of {measure.name}")
    return {"value": value}


def _level(entry, measure) -> str:
    concept = entry.resource.get("valueCodeableConcept") or {}
    coded = code_in(concept, f"{LOCAL}/measure-level")
    if coded:
        level = measure.level(coded.removeprefix(f"{measure.code}."))
    else:  # a clinic's own levels, named by their label
        level = next((lv for lv in measure.levels if lv.label == concept.get("text")), None)
    if level is None:
        refuse(entry.at("valueCodeableConcept"), f"is not a level of {measure.name}")
    return level.code


def _composite(entry, measure) -> dict:
    items = {}
    for index, component in enumerate(entry.resource.get("component", [])):
        code = code_in(component.get("code"), f"{LOCAL}/measure-item") or ""
        item = measure.item(code.removeprefix(f"{measure.code}."))
        if item is None:
            refuse(entry.at("component", index, "code"), f"is not an item of {measure.name}")
        if component.get("valueInteger") is not None:
            items[item.code] = component["valueInteger"]
    result = score(measure, items)
    if any(f.field.removeprefix("items.") in items for f in result.findings):
        refuse(entry.at("component"), f"holds a score outside its item's range ({measure.name})")
    given = (entry.resource.get("valueQuantity") or {}).get("value")
    total = None if given is None else Decimal(str(given)).quantize(Decimal("0.01"))
    if total != (None if result.total is None else result.total.quantize(Decimal("0.01"))):
        refuse(entry.at("valueQuantity", "value"), DIFFERS)
    return {"value": total, "items": result.items, "band": result.band}


def _clinic_item(context: Context, entry, plan) -> ClinicItem | None:
    """The version of the clinic's own item the value answered, as its definition says: the
    receiving clinic's own version if it is the same, else created there (a version it holds
    with another definition is refused)."""
    definition = extension(entry.resource, CLINIC_ITEM)
    if definition is None:
        if code_in(entry.resource.get("code"), f"{LOCAL}/measure") == CLINIC_ITEM_CODE:
            refuse(entry.at("extension"), "needs the clinic-item extension (its definition)")
        return None
    path = entry.at("extension", entry.resource["extension"].index(definition))
    parts: dict[str, list] = {}
    for part in definition.get("extension", []):
        value = next(v for k, v in part.items() if k.startswith("value"))
        parts.setdefault(part.get("url"), []).append(value)

    def one(name: str, default=None):
        return (parts.get(name) or [default])[0]

    item = clinic_items.ItemDefinition(
        slug=one("slug", ""),
        question=one("question", ""),
        response=one("response", ""),
        better=one("better", ""),
        maximum=one("maximum"),
        low_anchor=one("low-anchor", ""),
        high_anchor=one("high-anchor", ""),
        levels=tuple(parts.get("level", [])),
    )
    findings = clinic_items.check(item)
    if findings:
        refuse(f"{path}.extension", f"{findings[0].field} {findings[0].rule}")
    version = one("version", 1)
    fields = {
        "question": item.question,
        "response": item.response,
        "better": item.better,
        "maximum": item.maximum,
        "low_anchor": item.low_anchor,
        "high_anchor": item.high_anchor,
        "levels": list(item.levels),
    }
    held = ClinicItem.objects.filter(clinic=plan.clinic, slug=item.slug, version=version).first()
    if held is not None:
        if any(getattr(held, name) != value for name, value in fields.items()):
            refuse(
                f"{path}.extension", f"version {version} of {item.slug} differs from the one here"
            )
        return held
    earlier = ClinicItem.objects.filter(clinic=plan.clinic, slug=item.slug, version__lt=version)
    previous = earlier.order_by("-version").first()
    if previous is not None and hasattr(previous, "superseded_by"):
        previous = None  # a later version here already supersedes it
    created = ClinicItem.objects.create(
        clinic=plan.clinic,
        slug=item.slug,
        version=version,
        supersedes=previous,
        created_by=context.first_practitioner(),
        **fields,
    )
    context.counted("outcomes.ClinicItem")
    return created


def _extension_value(resource: dict, url: str, key: str):
    found = extension(resource, url)
    return found.get(key) if found else None


def _amendment(context: Context, entry) -> None:
    """Link the amending value to the one it replaced, with who, when and why."""
    resource = entry.resource
    amending = context.row(resource["target"][0], entry.at("target", 0), OutcomeValue)
    [what] = resource.get("entity") or [{}]
    original = context.row(what.get("what"), entry.at("entity", 0, "what"), OutcomeValue)
    if original.patient_id != amending.patient_id or original.measure != amending.measure:
        refuse(entry.at("entity", 0, "what"), "must be a value of the same measure")
    amending.amends = original
    amending.amend_reason = ((resource.get("reason") or [{}])[0]).get("text", "")
    amending.recorded_by = context.row(
        (resource.get("agent") or [{}])[0].get("who"), entry.at("agent", 0, "who")
    )
    amending.recorded_at = moment(resource.get("recorded"), entry.at("recorded"))
    amending.save(update_fields=["amends", "amend_reason", "recorded_by", "recorded_at"])
    context.keep(entry, amending, created=False)
