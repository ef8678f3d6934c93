"""A patient's key in an export is the HMAC-SHA-256 of ``organisation:patient`` under the
settings secret: stable, re-derivable by the practice, meaningless without the secret."""

import hashlib
import hmac

from mesochart.analytics.rows import pseudonym

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_key_is_the_hmac_of_organisation_and_patient(settings):
    settings.ANALYTICS_PSEUDONYM_KEY = "a practice secret"
    expected = hmac.new(b"a practice secret", b"3:41", hashlib.sha256).hexdigest()[:16]
    assert pseudonym(3, 41) == expected
    assert pseudonym(4, 41) != expected  # the same id in another organisation
