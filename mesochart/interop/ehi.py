"""The whole record of one patient as one zip, in the spirit of ONC's EHI export: the FHIR
Bundle as JSON and as NDJSON per resource type, every consent, session record and
adverse-event report as the PDF the practice prints, and a README that says what each file
is."""

import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from mesochart.consent.actions.signing import verify
from mesochart.consent.models import Consent
from mesochart.consent.pdf import consent_pdf
from mesochart.interop.fhir import media
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.photos.models import Photo
from mesochart.treatments.events import report_pdf_document
from mesochart.treatments.models import AdverseEvent, Amendment, SessionProduct, TreatmentSession
from mesochart.treatments.preflight import history_rows
from mesochart.treatments.record_pdf import Batch, session_record_pdf

README = """# The record of one patient, exported by mesochart

- `fhir/bundle.json`: the whole record as one HL7 FHIR R4 Bundle (type `collection`);
  docs/fhir.md of mesochart says which resource holds what.
- `fhir/<ResourceType>.ndjson`: the same resources, one per line, one file per type (the
  FHIR Bulk Data format).
- `documents/consent-*.pdf`: each signed consent as printed, with its integrity check.
- `documents/session-*.pdf`: each session record as printed: the points on each area's
  chart, products, lots, volumes, dose totals, amendments, the signature and the record's
  SHA-256 (a session still in draft is marked DRAFT — NOT SIGNED).
- `documents/adverse-event-*.pdf`: each adverse-event report (MedWatch 3500 fields).
- `photos/<sha256>.jpg`: each photo the patient allowed for the clinical record (a treatment
  consent stood when it was taken), as stored: its Media resource names it in `content.url`,
  with its size, SHA-1 (`hash`) and SHA-256 (`content-sha256` extension). A photo taken
  when no treatment consent stood is not exported, nor anything about it.

A signed session's SHA-256 is in its Procedure's extension
`https://mesochart.org/fhir/StructureDefinition/content-sha256`, and the content it signs
beside it in `…/signed-content` (base64 of the JSON as hashed): its SHA-256 is that hash. A
consent's signed text is in its Consent's `sourceAttachment`, with that text's SHA-256 in the
`content-sha256` extension.
"""


@dataclass(frozen=True)
class ArchiveSummary:
    resources: int
    documents: int
    photos: int = 0
    unreadable: int = 0  # allowed photos whose stored file is lost or altered: not written


def write_patient_archive(patient, target) -> ArchiveSummary:
    """Write the archive into ``target`` (a path or a binary file object)."""
    bundle = patient_bundle(patient)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for entry in bundle["entry"]:
        by_type[entry["resource"]["resourceType"]].append(entry["resource"])
    documents = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", README)
        archive.writestr("fhir/bundle.json", json.dumps(bundle, indent=2, ensure_ascii=False))
        for kind, resources in sorted(by_type.items()):
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in resources)
            archive.writestr(f"fhir/{kind}.ndjson", lines)
        for consent in Consent.objects.filter(patient=patient).order_by("pk"):
            name = f"documents/consent-{consent.pk}-{consent.signed_at:%Y-%m-%d}.pdf"
            archive.writestr(name, consent_pdf(consent, verify(consent)))
            documents += 1
        batch = Batch(history=history_rows(patient.pk))
        for session in _sessions(patient):
            name = f"documents/session-{session.pk}-{session.started_at:%Y-%m-%d}.pdf"
            archive.writestr(name, session_record_pdf(session, batch))
            documents += 1
        for event in AdverseEvent.objects.filter(patient=patient).order_by("pk"):
            archive.writestr(f"documents/adverse-event-{event.pk}.pdf", report_pdf_document(event))
            documents += 1
        photos, unreadable = _photos(archive, patient, bundle)
    return ArchiveSummary(len(bundle["entry"]), documents, photos, unreadable)


def _sessions(patient) -> list:
    """The patient's current sessions with what their records print read for all at once;
    sessions of one plan share its row, of one cocktail version its row (whose ``parts``,
    with their products and limits, are then read once)."""
    sessions = list(
        TreatmentSession.objects.filter(patient=patient)
        .current()
        .select_related("clinic", "patient", "plan", "plan_session", "cocktail_version__cocktail")
        .select_related("practitioner", "signed_by", "signed_origin")
        .prefetch_related(
            Prefetch("products", SessionProduct.objects.select_related("lot__product", "product")),
            Prefetch("amendments", Amendment.objects.select_related("by")),
        )
        .order_by("started_at", "pk")
    )
    plans: dict[int, object] = {}
    versions: dict[int, object] = {}
    for session in sessions:
        session.plan = plans.setdefault(session.plan_id, session.plan)
        session.cocktail_version = versions.setdefault(
            session.cocktail_version_id, session.cocktail_version
        )
    return sessions


def _photos(archive: zipfile.ZipFile, patient, bundle: dict) -> tuple[int, int]:
    """The files of the photos the Bundle holds as Media, each checked against its SHA-256
    (stored JPEGs: written without compressing them again). Two photos of the same bytes
    share their file, named by that digest: it is written once."""
    paths = {
        entry["resource"]["content"]["url"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Media"
    }
    written = unreadable = 0
    for photo in Photo.objects.filter(patient=patient).order_by("taken_at", "pk"):
        path = media.file_path(photo)
        if path not in paths:
            continue
        data = media.verified_image(photo)
        if data is None:
            unreadable += 1
            continue
        archive.writestr(path, data, compress_type=zipfile.ZIP_STORED)
        paths.discard(path)
        written += 1
    return written, unreadable
