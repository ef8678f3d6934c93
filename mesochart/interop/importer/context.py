"""What an import carries from one resource family to the next: the organisation it writes
into, the Bundle, the row each resource became, and what was created (for the audit row)."""

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar, overload

from django.utils import timezone

from mesochart.interop.importer.errors import refuse
from mesochart.interop.importer.source import Entry, Source
from mesochart.patients.models import Patient

T = TypeVar("T")


class Context:
    def __init__(self, organisation, source: Source, files: Mapping[str, bytes] | None = None):
        self.organisation = organisation
        self.source = source
        # The files beside the Bundle (a whole-record zip's photos/), by their path there.
        self.files: Mapping[str, bytes] = files or {}
        # Names of the files stored in the photo storage so far: deleted if refused.
        self.stored: list[str] = []
        # Bundle fullUrl → the row its resource became (of any model; `row` checks the kind).
        self.rows: dict[str, Any] = {}
        self.created: Counter = Counter()
        self.now = timezone.now()
        self._patient: Patient | None = None  # the Patient, once `people` has created it
        self.current: Entry | None = None
        # Procedure fullUrl → the plan session a CarePlan activity says it recorded.
        self.plan_sessions: dict[str, Any] = {}

    @property
    def patient(self) -> Patient:
        """The Bundle's patient, once its Patient resource is read (the first step)."""
        if self._patient is None:
            refuse("Bundle.entry", "must hold a Patient")
        return self._patient

    @patient.setter
    def patient(self, row: Patient) -> None:
        self._patient = row

    def each(self, kind: str):
        """The entries of ``kind``, each named as the one being read (for unexpected shapes)."""
        for entry in self.source.of(kind):
            self.current = entry
            yield entry

    def keep(self, entry: Entry, row, created: bool = True):
        self.rows[entry.url] = row
        if created:
            self.created[row._meta.label] += 1
        return row

    @overload
    def row(self, reference: dict | None, path: str, kind: type[T]) -> T: ...
    @overload
    def row(self, reference: dict | None, path: str, kind: None = None) -> Any: ...
    def row(self, reference: dict | None, path: str, kind: type | None = None) -> Any:
        """The row a reference's resource became; ``kind``: the model it must be."""
        if not reference:
            refuse(path, "is required")
        row = self.rows.get(reference["reference"])
        if row is None or (kind is not None and not isinstance(row, kind)):
            refuse(f"{path}.reference", "does not name a resource of the type required here")
        return row

    def first_practitioner(self):
        """Who stands for rows the Bundle names no author of (a cocktail version)."""
        for entry in self.source.of("Practitioner"):
            return self.rows[entry.url]
        refuse("Bundle.entry", "must hold a Practitioner")

    def counted(self, label: str, number: int = 1) -> None:
        self.created[label] += number


def moment(value: str | None, path: str) -> datetime:
    if not isinstance(value, str):
        refuse(path, "must be a date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        refuse(path, "must be a date and time")
    if timezone.is_naive(parsed):
        refuse(path, "must carry its time zone")
    return parsed


def day(value: str | None, path: str) -> date:
    if not isinstance(value, str):
        refuse(path, "must be a date")
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        refuse(path, "must be a date")


def code_in(concept: dict | None, system: str | None) -> str | None:
    """The code of ``system`` in a CodeableConcept, or None."""
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == system:
            return coding.get("code")
    return None


def extension(resource: dict, url: str) -> dict | None:
    return next((e for e in resource.get("extension", []) if e.get("url") == url), None)
