"""The whole-record zip prints every session record from rows read for all of them at once:
as many queries for twelve sessions as for two."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesochart.interop.ehi import write_patient_archive
from mesochart.testing.sessions import signed_history
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

REGIONS = [
    {
        "view": "neck-submental",
        "region": "submental",
        "volume_ml": 0.2,
        "depth_mm": 4,
        "points": [[1 + i * 0.5, 1] for i in range(8)],
    }
]


def _history(practice, ready, count):
    signed_history(ready, count)
    TreatmentSession.objects.update(signed_by=practice.practitioner, regions=REGIONS)


def _queries(practice) -> int:
    with CaptureQueriesContext(connection) as done:
        write_patient_archive(practice.patient, io.BytesIO())
    return len(done.captured_queries)


def test_the_zip_reads_as_many_queries_for_twelve_sessions_as_for_two(
    practice, ready, django_assert_max_num_queries
):
    ready.signed()  # one signed as a practitioner signs, its totals computed in full
    _history(practice, ready, 1)
    two = _queries(practice)
    _history(practice, ready, 10)

    with django_assert_max_num_queries(two):
        write_patient_archive(practice.patient, io.BytesIO())
