"""The whole organisation as FHIR Bulk Data: one NDJSON file per resource type.

Patients are read in pages and each one's resources written out before the next is read,
so memory stays flat however many patients there are; resources several patients share
(the organisation, its clinics, staff, cocktails and lots) are written once.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from mesochart.interop.fhir.bundle import patient_bundles
from mesochart.patients.models import Patient

SHARED = {"Organization", "Location", "Practitioner", "PractitionerRole", "Medication"}
PAGE = 200


def export_organisation(
    organisation, folder: Path, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Write ``folder/<Type>.ndjson`` and a Bulk Data ``manifest.json``; the count per type."""
    folder.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    files: dict = {}
    counts: dict[str, int] = {}
    seen: set[str] = set()
    try:
        for page in _pages(organisation):
            for bundle in patient_bundles(page):
                _write(bundle, files, counts, seen, folder)
            if progress:
                progress(len(page))
    finally:
        for handle in files.values():
            handle.close()
    _write_manifest(folder, started, counts)
    return counts


def _write(bundle: dict, files: dict, counts: dict, seen: set, folder: Path) -> None:
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        if kind in SHARED:
            if resource["id"] in seen:
                continue
            seen.add(resource["id"])
        if kind not in files:
            files[kind] = (folder / f"{kind}.ndjson").open("w", encoding="utf-8")
            counts[kind] = 0
        files[kind].write(json.dumps(resource, ensure_ascii=False) + "\n")
        counts[kind] += 1


def _write_manifest(folder: Path, started: datetime, counts: dict[str, int]) -> None:
    manifest = {
        "transactionTime": started.isoformat(),
        "requiresAccessToken": False,
        "output": [
            {"type": kind, "url": f"{kind}.ndjson", "count": count}
            for kind, count in sorted(counts.items())
        ],
        "error": [],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _pages(organisation):
    """Every current patient, a page at a time in record order (no long-lived cursor)."""
    last = 0
    while True:
        page = list(
            Patient.objects.current()
            .filter(organisation=organisation, pk__gt=last)
            .select_related("organisation", "clinic")
            .order_by("pk")[:PAGE]
        )
        if not page:
            return
        yield page
        last = page[-1].pk
