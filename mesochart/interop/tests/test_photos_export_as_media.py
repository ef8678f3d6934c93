"""A photo the patient allowed for the clinical record (a treatment consent stood when it was
taken) leaves as a Media resource naming its file in the whole-record zip with its size and
hashes, and comes back with that file; a photo taken when no consent stood leaves nothing."""

import base64
import copy
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from click.testing import CliRunner

from mesochart.audit.models import Action, AuditEvent
from mesochart.cli import main
from mesochart.interop.export import export_patient_archive
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.fhir.codes import CONTENT_HASH, LOCAL, SNOMED
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.importer.errors import ImportRefused
from mesochart.interop.tests.test_fhir_import import normalised
from mesochart.interop.tests.validators import medplum_problems
from mesochart.photos import actions, storage
from mesochart.photos.models import Photo
from mesochart.planning.models import PlanRegion
from mesochart.testing import photos as support
from mesochart.testing.sessions import TODAY

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def photographed(practice, course):
    """Two photos of the signed session's course, and one taken the day before the patient
    signed any treatment consent."""
    membership = practice.actor(practice.nurse)

    def take(seed, **fields):
        fields = {"area": "face", "view": "front", **fields}
        return actions.take_photo(membership, practice.patient, support.jpeg(seed), fields)

    with time_machine.travel(TODAY - timedelta(days=1), tick=False):
        before = take(3, view="profile_left")
    allowed = [take(1, session=course.pk), take(2, area="abdomen", view="front")]
    return allowed, before


def _media(bundle):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]


def _archive(practice) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    admin = practice.actor(practice.admin)
    export_patient_archive(admin, practice.patient.pk, buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_an_allowed_photo_is_media_naming_its_file_size_and_hashes(
    practice, course, photographed, tmp_path
):
    (face, _), _ = photographed
    bundle = patient_bundle(practice.patient)

    first, second = _media(bundle)
    [procedure] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
    ]
    data = storage.read(face.image_name)
    content = first["content"]
    assert content["url"] == f"photos/{face.sha256}.jpg"
    assert content["size"] == face.size_bytes == len(data)
    assert base64.b64decode(content["hash"]) == hashlib.sha1(data).digest()  # noqa: S324
    assert content["extension"] == [{"url": CONTENT_HASH, "valueString": face.sha256}]
    assert first["view"]["coding"][0] == {
        "system": f"{LOCAL}/photo-view", "code": "face.front", "display": "Face, Front",
    }  # fmt: skip
    assert first["bodySite"]["coding"][0]["system"] == SNOMED  # face: 89545001
    assert first["partOf"] == [{"reference": f"urn:uuid:{procedure['id']}"}]
    assert (first["width"], first["height"]) == (face.width_px, face.height_px)
    assert "partOf" not in second
    assert medplum_problems([bundle], tmp_path) == []


def test_a_photo_taken_when_no_consent_stood_leaves_nothing(practice, course, photographed):
    _, before = photographed

    text = json.dumps(patient_bundle(practice.patient))
    archive = _archive(practice)

    assert len(_media(json.loads(text))) == 2
    assert before.sha256 not in text and "profile_left" not in text
    photos = [n for n in archive.namelist() if n.startswith("photos/")]
    assert len(photos) == 2
    assert before.sha256 not in {hashlib.sha256(archive.read(n)).hexdigest() for n in photos}
    audited = AuditEvent.objects.filter(action=Action.EXPORT, patient_id=practice.patient.pk)
    detail = audited.get().detail
    assert (detail["photos"], detail["withheld"]) == (2, 1)


def test_the_whole_record_zip_holds_each_allowed_photos_file_as_stored(
    practice, course, photographed
):
    allowed, _ = photographed

    archive = _archive(practice)

    bundle = json.loads(archive.read("fhir/bundle.json"))
    for media, photo in zip(_media(bundle), allowed, strict=True):
        data = archive.read(media["content"]["url"])
        assert hashlib.sha256(data).hexdigest() == photo.sha256
    assert "photos/<sha256>.jpg" in archive.read("README.md").decode()


def test_two_photos_of_the_same_bytes_share_one_file_in_the_zip(practice, course, photographed):
    allowed, _ = photographed
    again = actions.take_photo(
        practice.actor(practice.nurse),
        practice.patient,
        support.jpeg(1),
        {"area": "face", "view": "oblique_left"},
    )
    assert again.sha256 == allowed[0].sha256

    archive = _archive(practice)

    names = archive.namelist()
    assert names.count(f"photos/{again.sha256}.jpg") == 1
    urls = [m["content"]["url"] for m in _media(json.loads(archive.read("fhir/bundle.json")))]
    assert urls.count(f"photos/{again.sha256}.jpg") == 2


def test_photos_come_back_with_their_files_from_the_whole_record_zip(
    practice, course, photographed, staffed
):
    archive = _archive(practice)
    exported = json.loads(archive.read("fhir/bundle.json"))
    files = {n: archive.read(n) for n in archive.namelist() if n.startswith("photos/")}

    imported = import_patient_bundle(staffed, copy.deepcopy(exported), files=files)

    assert normalised(patient_bundle(imported.patient)) == normalised(exported)
    photos = Photo.objects.filter(patient=imported.patient).order_by("taken_at", "pk")
    assert [storage.read(p.image_name) for p in photos] == list(files.values())
    assert photos[0].session.patient == imported.patient


def test_a_photo_whose_file_is_not_given_is_refused_and_nothing_is_stored(
    practice, course, photographed, receiving, tmp_path
):
    exported = patient_bundle(practice.patient)
    index = next(
        i for i, e in enumerate(exported["entry"]) if e["resource"]["resourceType"] == "Media"
    )
    held = sorted(p for p in (tmp_path / "photos").rglob("*") if p.is_file())
    url = exported["entry"][index]["resource"]["content"]["url"]
    files = {
        m["content"]["url"]: storage.read(p.image_name)
        for m, p in zip(_media(exported), photographed[0], strict=True)
        if m["content"]["url"] != url
    }

    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(receiving, exported, files=files)

    assert refused.value.lines() == [
        f"Bundle.entry[{index}].resource.content.url: the photo's file {url} is not in the "
        "import (import the whole-record zip)"
    ]
    assert sorted(p for p in (tmp_path / "photos").rglob("*") if p.is_file()) == held


def test_a_photo_file_changed_in_the_zip_is_refused(practice, course, photographed, receiving):
    archive = _archive(practice)
    exported = json.loads(archive.read("fhir/bundle.json"))
    files = {n: archive.read(n) for n in archive.namelist() if n.startswith("photos/")}
    first = _media(exported)[0]["content"]["url"]
    files[first] = support.jpeg(9)

    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(receiving, exported, files=files)

    [line] = refused.value.lines()
    assert line.endswith(".content.url: its SHA-256 is not the content-sha256 extension's")


def test_the_console_imports_the_whole_record_zip_and_refuses_a_path_outside_it(
    practice, course, photographed, receiving, tmp_path
):
    good, bad = tmp_path / "record.zip", tmp_path / "evil.zip"
    runner = CliRunner()
    where = ["--organisation", "test-practice"]
    exported = runner.invoke(main, ["export", "patient", "MC-000001", *where, "--zip", str(good)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../outside.txt", "x")
        archive.writestr("fhir/bundle.json", "{}")

    done = runner.invoke(main, ["import", "fhir", str(good), "--organisation", "receiving"])
    refused = runner.invoke(main, ["import", "fhir", str(bad), "--organisation", "receiving"])

    assert done.exit_code == 0, done.output
    assert Photo.objects.filter(patient__organisation=receiving).count() == 2
    assert refused.exit_code == 2
    assert "FILE: holds ../outside.txt, a path outside its folder" in refused.output


def test_the_photo_codes_are_published(practice, course, photographed, client):
    codings = [
        coding
        for media in _media(patient_bundle(practice.patient))
        for concept in (media["view"], media["bodySite"])
        for coding in concept["coding"]
        if coding["system"].startswith(f"{LOCAL}/")
    ]

    assert {c["system"] for c in codings} == {f"{LOCAL}/photo-view", f"{LOCAL}/photo-area"}
    for coding in codings:
        name = coding["system"].removeprefix(f"{LOCAL}/")
        published = client.get(f"/api/v1/fhir/CodeSystem/{name}").json()["concept"]
        assert {"code": coding["code"], "display": coding["display"]} in published


def test_a_photo_of_a_plan_area_comes_back_linked_to_that_area(practice, course, staffed):
    area = PlanRegion.objects.get(plan__patient=practice.patient)
    membership = practice.actor(practice.nurse)
    fields = {"area": "face", "view": "front", "plan_region": area.pk}
    actions.take_photo(membership, practice.patient, support.jpeg(4), fields)
    archive = _archive(practice)
    exported = json.loads(archive.read("fhir/bundle.json"))
    files = {n: archive.read(n) for n in archive.namelist() if n.startswith("photos/")}

    imported = import_patient_bundle(staffed, copy.deepcopy(exported), files=files)

    photo = Photo.objects.get(patient=imported.patient)
    assert photo.plan_region.plan.patient == imported.patient
    assert (photo.plan_region.view, photo.plan_region.region) == (area.view, area.region)
