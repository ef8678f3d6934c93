"""An imported patient's plans reach analytics at once: the import derives their series in
its own transaction, as recording the values one by one would have."""

from mesochart.analytics import series_table
from mesochart.analytics.models import MeasureSeries
from mesochart.interop.fhir.bundle import patient_bundle
from mesochart.interop.importer.actions import import_patient_bundle

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_imported_plans_series_match_their_values(practice, course, receiving):
    imported = import_patient_bundle(receiving, patient_bundle(practice.patient))

    series = MeasureSeries.objects.get(patient=imported.patient, measure="fat_thickness")
    original = MeasureSeries.objects.get(patient=practice.patient, measure="fat_thickness")
    assert (series.baseline, series.site) == (original.baseline, original.site)
    assert series.last_session_day == original.last_session_day is not None
    assert series_table.stale() == []
