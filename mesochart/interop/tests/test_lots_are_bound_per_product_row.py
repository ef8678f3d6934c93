"""A signature binds each product row to its lot by number and expiry, not by a row id alone:
a Bundle that gives a signed session another lot of the same count is refused, and a record
signed before lots were bound still verifies and travels as it was signed."""

import base64
import copy
import json
from datetime import timedelta

import pytest
import time_machine

from mesochart.accounts.models import Organisation
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.importer.errors import ImportRefused
from mesochart.interop.signed import verify
from mesochart.testing.consent import screen
from mesochart.testing.sessions import TODAY, receive
from mesochart.treatments.content import canonical, content_hash
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def receiving(db):
    return Organisation.objects.create(name="Receiving Practice", slug="receiving")


@pytest.fixture
def two_lots(practice, ready):
    """Two signed sessions, each with its own lot."""
    first = ready.signed()
    second_lot = receive(practice, lot_number="DCA-002")
    with time_machine.travel(TODAY + timedelta(days=42), tick=False):
        screen(practice, ready.version, area="submental", indication="body_contouring")
        second = ready.signed(lot=second_lot, notes="Second pass")
    return first, second


def _entries(bundle, kind):
    return [
        (i, e["resource"])
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == kind
    ]


def test_the_signed_content_names_each_rows_lot_number_and_expiry(practice, two_lots):
    first, _ = two_lots

    [row] = canonical(first, list(first.products.all()))["products"]

    assert (row["lot_number"], row["lot_expires_on"]) == ("DCA-001", "2027-01-31")
    assert verify(first)


def test_a_session_given_another_lot_of_the_same_count_is_refused(practice, two_lots, receiving):
    exported = patient_bundle(practice.patient)
    [(index, first), (_, second)] = _entries(exported, "Procedure")
    assert len(first["usedReference"]) == len(second["usedReference"]) == 1
    first["usedReference"] = copy.deepcopy(second["usedReference"])  # DCA-002 for DCA-001

    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(receiving, exported)

    assert refused.value.lines() == [
        f"Bundle.entry[{index}].resource.usedReference[0]: differs from the signed record (its "
        "signed-content extension): lot DCA-001 (expiring 2027-01-31) was signed for this row"
    ]
    assert not TreatmentSession.objects.filter(patient__organisation=receiving).exists()


def test_a_lot_renumbered_in_its_medication_is_refused(practice, two_lots, receiving):
    exported = patient_bundle(practice.patient)
    [lot, _] = [m for _, m in _entries(exported, "Medication") if "batch" in m]
    lot["batch"]["lotNumber"] = "DCA-999"

    with pytest.raises(ImportRefused) as refused:
        import_patient_bundle(receiving, exported)

    [line] = refused.value.lines()
    assert ".usedReference[0]: differs from the signed record" in line


def test_a_record_signed_before_lots_were_bound_still_verifies_and_travels(
    practice, ready, receiving
):
    session = ready.signed()
    products = list(session.products.all())
    legacy = content_hash(session, products, bind_lots=False)
    TreatmentSession.objects.filter(pk=session.pk).update(content_hash=legacy)
    session = TreatmentSession.objects.get(pk=session.pk)
    assert verify(session)

    exported = patient_bundle(practice.patient)
    [(_, procedure)] = _entries(exported, "Procedure")
    signed = json.loads(base64.b64decode(procedure["extension"][1]["valueBase64Binary"]))
    assert "lot_number" not in signed["products"][0]
    imported = import_patient_bundle(receiving, copy.deepcopy(exported))

    [again] = TreatmentSession.objects.filter(patient=imported.patient)
    assert again.content_hash == legacy and verify(again)
