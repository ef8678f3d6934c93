"""A Procedure's signed content: the canonical JSON carried beside its SHA-256, checked
against that hash and against what the Bundle says the session was (its date, notes,
areas, doses, technique, points and lots). A session changed anywhere in the Bundle is
refused, naming the FHIR path that no longer agrees with its signature."""

import base64
import binascii
import json
from datetime import datetime
from decimal import Decimal

from mesochart.interop.fhir.codes import (
    CHART_VIEW,
    CONTENT_HASH,
    GRID_POINT,
    LOCAL,
    SIGNED_CONTENT,
    route_of,
)
from mesochart.interop.fhir.sessions import region_volume_ml
from mesochart.interop.importer.context import code_in, extension
from mesochart.interop.importer.errors import refuse
from mesochart.interop.signed import binds_lots, sha256_text

CHANGED = "differs from the signed record (its signed-content extension)"


def signed_content(entry) -> tuple[str, dict]:
    """The canonical text of a Procedure and its content, once its hash is checked."""
    resource = entry.resource
    index = {e.get("url"): i for i, e in enumerate(resource.get("extension", []))}
    if CONTENT_HASH not in index or SIGNED_CONTENT not in index:
        refuse(entry.at("extension"), "needs the content-sha256 and signed-content extensions")
    path = entry.at("extension", index[SIGNED_CONTENT], "valueBase64Binary")
    try:
        text = base64.b64decode(
            (extension(resource, SIGNED_CONTENT) or {}).get("valueBase64Binary", ""),
            validate=True,
        ).decode()
        content = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        refuse(path, "must be base64 of the signed record's canonical JSON")
    if sha256_text(text) != (extension(resource, CONTENT_HASH) or {}).get("valueString"):
        refuse(path, "its SHA-256 is not the signed record's hash (content-sha256)")
    return text, content


def check_agrees(
    entry, content: dict, given: list, grids: list, indication: str, source=None
) -> None:
    """``given``, ``grids``: the session's MedicationAdministration and BodyStructure entries,
    one per area, in the order of the signed regions; ``indication``: its plan's (the route
    follows from it and the depth); ``source``: the Bundle, whose lot Medications are
    compared with the lots each product row was signed with."""
    resource = entry.resource
    if _instant(resource.get("performedDateTime")) != _instant(content.get("started_at")):
        refuse(entry.at("performedDateTime"), CHANGED)
    notes = [text for text in (content.get("notes"), content.get("aftercare")) if text]
    if [note.get("text") for note in resource.get("note", [])] != notes:
        refuse(entry.at("note"), CHANGED)
    regions = content.get("regions") or []
    sites = [code_in(site, f"{LOCAL}/region") for site in resource.get("bodySite", [])]
    if sites != [region.get("region") for region in regions]:
        refuse(entry.at("bodySite"), CHANGED)
    lots = {row.get("lot") for row in content.get("products", [])}
    if len(resource.get("usedReference", [])) != len(lots):
        refuse(entry.at("usedReference"), CHANGED)
    if source is not None and binds_lots(content):
        check_lots(entry, content, source)
    if len(given) != len(regions) or len(grids) != len(regions):
        refuse(entry.path, "needs one MedicationAdministration and BodyStructure per signed area")
    for region, administration, grid in zip(regions, given, grids, strict=True):
        route = route_of(region.get("depth_mm", content.get("depth_mm")), indication)
        _check_area(region, content, route, administration, grid)


def used_lots(entry, content: dict) -> dict:
    """Signed lot id → (its position in ``usedReference``, the reference): ``usedReference``
    lists the lots in the ascending order of the signed lot ids."""
    used = entry.resource.get("usedReference", [])
    signed = sorted({row["lot"] for row in content.get("products", [])})
    return {lot: (index, used[index]) for index, lot in enumerate(signed)}


def check_lots(entry, content: dict, source) -> None:
    """Each product row's lot, as the Bundle gives it, is the lot (number and expiry) that
    row was signed with."""
    used = used_lots(entry, content)
    for row in content.get("products", []):
        index, reference = used[row["lot"]]
        batch = (source.target(reference).resource.get("batch") or {}) if reference else {}
        signed = (row.get("lot_number"), row.get("lot_expires_on"))
        if (batch.get("lotNumber"), batch.get("expirationDate")) != signed:
            refuse(
                entry.at("usedReference", index),
                f"{CHANGED}: lot {signed[0]} (expiring {signed[1]}) was signed for this row",
            )


def _check_area(region: dict, content: dict, route: dict, administration, grid) -> None:
    resource = administration.resource
    if _instant(resource.get("effectiveDateTime")) != _instant(content.get("started_at")):
        refuse(administration.at("effectiveDateTime"), CHANGED)
    dosage = resource.get("dosage") or {}
    if code_in(dosage.get("site"), f"{LOCAL}/region") != region.get("region"):
        refuse(administration.at("dosage", "site"), CHANGED)
    if code_in(dosage.get("route"), route["system"]) != route["code"]:
        refuse(administration.at("dosage", "route"), CHANGED)
    dose = Decimal(str((dosage.get("dose") or {}).get("value")))
    if float(dose) != float(region_volume_ml(region)):
        refuse(administration.at("dosage", "dose", "value"), CHANGED)
    if code_in(dosage.get("method"), f"{LOCAL}/technique") != (content.get("technique") or None):
        refuse(administration.at("dosage", "method"), CHANGED)
    if code_in(grid.resource.get("location"), f"{LOCAL}/region") != region.get("region"):
        refuse(grid.at("location"), CHANGED)
    extensions = grid.resource.get("extension", [])
    view = extension(grid.resource, CHART_VIEW) or {}
    if (view.get("valueCoding") or {}).get("code") != region.get("view"):
        refuse(grid.at("extension", 0, "valueCoding"), CHANGED)
    points = [(i, e) for i, e in enumerate(extensions) if e.get("url") == GRID_POINT]
    signed = region.get("points") or []
    if len(points) != len(signed):
        refuse(grid.at("extension"), f"{CHANGED}: {len(signed)} points were signed")
    for (index, point), (x, y, *_) in zip(points, signed, strict=True):
        parts = {part.get("url"): part.get("valueDecimal") for part in point.get("extension", [])}
        for position, (axis, value) in enumerate((("x-cm", x), ("y-cm", y))):
            if parts.get(axis) is None or float(parts[axis]) != float(value):
                refuse(grid.at("extension", index, "extension", position, "valueDecimal"), CHANGED)


def _instant(value):
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
