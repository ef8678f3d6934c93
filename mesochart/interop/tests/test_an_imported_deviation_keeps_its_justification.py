"""A session signed as a deviation keeps its findings and justification when the record is
imported into another organisation, and still verifies by the content it was signed as."""

import pytest
import time_machine

from mesochart.accounts.models import Organisation
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.importer.actions import import_patient_bundle
from mesochart.interop.signed import verify
from mesochart.testing.sessions import TODAY, Ready, proof
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession
from mesochart.treatments.tests.test_sign_a_deviation import WHY, over_the_label

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


@pytest.fixture
def ready(practice):
    with time_machine.travel(TODAY, tick=False):
        yield Ready(practice)


def test_an_imported_deviation_keeps_its_justification_and_verifies(practice, ready):
    with time_machine.travel(TODAY, tick=False):
        session = actions.sign_session(
            ready.membership,
            over_the_label(ready),
            reauthentication=proof(ready.membership),
            deviation=WHY,
        )
    receiving = Organisation.objects.create(name="Receiving Practice", slug="receiving")
    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))
    copy = TreatmentSession.objects.get(patient=imported.patient)
    assert copy.deviation_justification == WHY
    assert copy.deviation_findings == session.deviation_findings
    assert verify(copy, list(copy.products.all()))
