"""The planning tests' fixtures; their builders are in `mesochart.testing.plans`."""

from datetime import date
from decimal import Decimal

import pytest

from mesochart.testing.plans import DCA, PCDC, cocktail


@pytest.fixture
def dca_version(practice):
    return cocktail(practice.actor(practice.practitioner), "Kybella", **{DCA: 10})


@pytest.fixture
def pcdc_version(practice):
    return cocktail(practice.actor(practice.practitioner), "Lipo mix", **{PCDC: 10})


@pytest.fixture
def weighed(practice):
    practice.patient.weight_kg = Decimal("62.5")
    practice.patient.weight_measured_on = date(2026, 1, 5)
    practice.patient.save()
    return practice.patient
