"""The tables analytics owns: `MeasureSeries` and its `FollowUp` values, a read model derived
from outcome values and signed sessions, so that an analysis matches its time point in one
query (an index seek per patient) instead of reading and sorting every value in Python.

They hold only what is derived (which baseline, which last session, how many days after
it each later value was measured); names, groupings and the patient's state are joined
live when an analysis reads them. `analytics.series_table` writes them, inside the
transaction of every action that records a value or signs a session.
"""

from django.db import models

from mesochart.accounts.models import Clinic
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan
from mesochart.treatments.models import TreatmentSession


class MeasureSeries(models.Model):
    """One plan's values of one measure, at the site of its latest baseline, as an analysis
    reads them: the baseline, the plan's last signed session (by start, then pk) and its
    day in the clinic's time zone (set when the clinic is created; no action changes it),
    and the patient's pseudonymous key (`rows.pseudonym`: a new ``ANALYTICS_PSEUDONYM_KEY``
    needs ``mesochart analytics rebuild``, which ``check`` would report)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    patient_key = models.CharField(max_length=16)
    measure = models.CharField(max_length=40)
    site = models.CharField(max_length=200, blank=True)
    area = models.CharField(max_length=100, blank=True)
    baseline_on = models.DateField()
    baseline = models.FloatField()
    last_session = models.ForeignKey(
        TreatmentSession, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_session_day = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "measure"], name="measure_series_of_plan")
        ]
        indexes = [
            models.Index(fields=["clinic", "measure", "baseline_on"], name="measure_series_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.measure} of plan {self.plan_id}"


class FollowUp(models.Model):
    """A value of the series measured on or after its last session's day, at its site:
    ``days`` after that day. One row per value (two on one day are both kept)."""

    series = models.ForeignKey(MeasureSeries, on_delete=models.CASCADE, related_name="follow_ups")
    days = models.IntegerField()
    value = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["series", "days", "value"], name="follow_up_of_series")]

    def __str__(self) -> str:
        return f"{self.value} at {self.days} days"
