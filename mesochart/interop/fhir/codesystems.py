"""mesochart's own FHIR CodeSystems, made from the enumerations the records use, so the
published codes are always the ones an export contains (served at /api/v1/fhir/CodeSystem/)."""

from mesochart.consent.questionnaire import CHOICE_LABELS
from mesochart.core.measures import MEASURES
from mesochart.interop.fhir.codes import LOCAL, PROCEDURE
from mesochart.interop.fhir.outcomes import CLINIC_ITEM_CODE, CLINIC_ITEM_DISPLAY
from mesochart.outcomes.models import Context, RaterRole
from mesochart.photos.poses import AREAS
from mesochart.planning.areas import views
from mesochart.planning.models import Indication, Technique
from mesochart.treatments.models import AmendmentKind, Causality, EventType, Seriousness

TITLES = {
    "procedure": "Procedures",
    "technique": "Mesotherapy injection techniques",
    "indication": "Indications of a treatment plan",
    "event": "Adverse events after mesotherapy",
    "causality": "Causality of an adverse event (WHO-UMC categories)",
    "seriousness": "What made an adverse event serious (the outcomes of FDA MedWatch 3500)",
    "amendment": "Kinds of amendment to a signed record",
    "chart-view": "Charts (face, body and scalp views) that points are placed on",
    "region": "Regions of the charts",
    "answer": "Answers to the health questionnaire's closed questions",
    "measure": "Outcome measures (reference.md gives no LOINC code for them)",
    "measure-item": "Items of the composite outcome scales (MEASURE.ITEM)",
    "measure-level": "Levels of the ordinal outcome scales (MEASURE.LEVEL)",
    "outcome-context": "When an outcome value was taken",
    "rater-role": "Who rated an outcome value",
    "photo-area": "Areas a clinical photo is taken of",
    "photo-view": "Standard views of each photo area, each with its pose (AREA.VIEW)",
}


def _concepts(name: str) -> list[tuple[str, str]]:
    choices = {
        "technique": Technique,
        "indication": Indication,
        "event": EventType,
        "causality": Causality,
        "seriousness": Seriousness,
        "amendment": AmendmentKind,
        "outcome-context": Context,
        "rater-role": RaterRole,
    }
    if name in choices:
        return [(code, str(label)) for code, label in choices[name].choices]
    if name == "answer":
        return list(CHOICE_LABELS.items())
    if name.startswith("measure"):
        return _measures(name)
    if name.startswith("photo-"):
        return _photos(name)
    if name == "procedure":
        return [(PROCEDURE["code"], PROCEDURE["display"])]
    if name == "chart-view":
        return [(slug, view.name) for slug, view in sorted(views().items())]
    regions = {r.slug: r.name for view in views().values() for r in view.regions}
    return sorted(regions.items())


def code_system(name: str) -> dict:
    """The CodeSystem resource ``name``; KeyError for one mesochart does not publish."""
    concepts = _concepts(name) if name in TITLES else None
    if concepts is None:
        raise KeyError(name)
    return {
        "resourceType": "CodeSystem",
        "id": f"mesochart-{name}",
        "url": f"{LOCAL}/{name}",
        "name": "Mesochart" + "".join(part.title() for part in name.split("-")),
        "title": TITLES[name],
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts],
    }


def _measures(name: str) -> list[tuple[str, str]]:
    if name == "measure":
        shipped = [(m.code, m.name) for m in MEASURES]
        return [*shipped, (CLINIC_ITEM_CODE, CLINIC_ITEM_DISPLAY)]
    if name == "measure-item":
        return [(f"{m.code}.{i.code}", i.label) for m in MEASURES for i in m.items]
    return [(f"{m.code}.{level.code}", level.label) for m in MEASURES for level in m.levels]


def _photos(name: str) -> list[tuple[str, str]]:
    if name == "photo-area":
        return [(area.code, str(area.label)) for area in AREAS.values()]
    return [
        (f"{area.code}.{view.code}", f"{area.label}, {view.label}")
        for area in AREAS.values()
        for view in area.views
    ]
