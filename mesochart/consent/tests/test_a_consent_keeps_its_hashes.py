"""A consent keeps the SHA-256 of its document and of its signature, in the database as well
as in `sign_consent`: a row without one is refused, and the migration that adds the rule stops,
naming any such row, rather than hash bytes nobody checked when the patient signed."""

import pytest
from django.db import IntegrityError, transaction

from mesochart.consent.models import Consent
from mesochart.lib.invariants import BrokenInvariant
from mesochart.testing.consent import sign, template
from mesochart.testing.plans import DCA, cocktail
from mesochart.tests.migrating import before

MIGRATION = ("consent", "0003_signed_consents_keep_their_hashes", "0002_language")


@pytest.fixture
def consent(practice):
    template(practice, "lipolysis")
    version = cocktail(practice.actor(practice.practitioner), "Kybella", **{DCA: 10})
    return sign(practice, version)


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["document_sha256", "signature_sha256"])
def test_the_database_refuses_a_consent_without_its_hash(consent, missing):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(**{missing: ""})


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_a_consent_without_its_hash(consent):
    with before(*MIGRATION) as (old, apply):
        rows = old.get_model("consent", "Consent").objects.filter(pk=consent.pk)
        rows.update(signature_sha256="")
        with pytest.raises(
            BrokenInvariant, match=rf"no document or signature hash: {consent.pk}\."
        ):
            apply()
        rows.update(signature_sha256=consent.signature_sha256)
