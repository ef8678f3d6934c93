"""The Bundle as read: checked against the FHIR models, every resource of a type mesochart
imports, every reference resolved inside the Bundle. Each resource keeps its FHIR path
(``Bundle.entry[3].resource``) for the messages that refuse it."""

from collections import defaultdict
from dataclasses import dataclass

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from mesochart.interop.importer.errors import ImportRefused, refuse

IMPORTED = (
    "Patient",
    "Organization",
    "Location",
    "Practitioner",
    "PractitionerRole",
    "AllergyIntolerance",
    "MedicationStatement",
    "Condition",
    "Questionnaire",
    "QuestionnaireResponse",
    "Consent",
    "CarePlan",
    "Medication",
    "Procedure",
    "MedicationAdministration",
    "BodyStructure",
    "Provenance",
    "AdverseEvent",
    "Observation",
    "Media",
)


@dataclass
class Entry:
    url: str
    path: str
    resource: dict

    @property
    def kind(self) -> str:
        return self.resource["resourceType"]

    def at(self, *steps) -> str:
        """The FHIR path of an element of this resource: ``at("dosage", "dose")``."""
        path = self.path
        for step in steps:
            path += f"[{step}]" if isinstance(step, int) else f".{step}"
        return path


class Source:
    def __init__(self, bundle):
        self.entries = _entries(bundle)
        self.by_url = {entry.url: entry for entry in self.entries}
        self.by_kind: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self.by_kind[entry.kind].append(entry)
        _check_references(self)

    def of(self, kind: str) -> list[Entry]:
        return self.by_kind.get(kind, [])

    def target(self, reference: dict | None) -> Entry | None:
        if not reference:
            return None
        return self.by_url[reference["reference"]]


def _entries(bundle) -> list[Entry]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        refuse("Bundle.resourceType", "must be Bundle")
    if bundle.get("type") != "collection":
        refuse("Bundle.type", "must be collection (a patient's record as mesochart exports it)")
    raw = bundle.get("entry")
    if not isinstance(raw, list) or not raw:
        refuse("Bundle.entry", "must list the record's resources")
    entries, problems = [], []
    for index, item in enumerate(raw):
        path = f"Bundle.entry[{index}]"
        resource = item.get("resource") if isinstance(item, dict) else None
        url = item.get("fullUrl") if isinstance(item, dict) else None
        if not isinstance(resource, dict) or not isinstance(url, str):
            problems.append((path, "needs a fullUrl and a resource"))
            continue
        kind = resource.get("resourceType")
        if kind not in IMPORTED:
            problems.append((f"{path}.resource.resourceType", f"mesochart does not import {kind}"))
            continue
        problems += _validation_problems(f"{path}.resource", resource)
        entries.append(Entry(url, f"{path}.resource", resource))
    if problems:
        raise ImportRefused(problems)
    urls = [entry.url for entry in entries]
    if len(set(urls)) != len(urls):
        refuse("Bundle.entry.fullUrl", "must be unique")
    if sum(entry.kind == "Patient" for entry in entries) != 1:
        refuse("Bundle.entry", "must hold exactly one Patient")
    return entries


def _validation_problems(path: str, resource: dict) -> list[tuple[str, str]]:
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValidationError as error:
        return [
            (_join(path, problem["loc"]), problem["msg"].rstrip(".").lower())
            for problem in error.errors()
        ]
    except ValueError as error:
        return [(path, str(error).splitlines()[0])]
    return []


def _join(path: str, loc) -> str:
    for step in loc:
        if step in ("__root__",):
            continue
        path += f"[{step}]" if isinstance(step, int) else f".{step}"
    return path


def _check_references(source: Source) -> None:
    problems = []
    for entry in source.entries:
        for path, value in _references(entry.resource, entry.path):
            if value not in source.by_url:
                problems.append((path, f"no resource {value} in the Bundle"))
    if problems:
        raise ImportRefused(problems)


def _references(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield f"{path}.reference", item
            else:
                yield from _references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _references(item, f"{path}[{index}]")
