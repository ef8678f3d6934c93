"""The rule, enforced: photo pages and endpoints reach photos only through
``photos.access`` (and patients through ``patients.access``), never by a direct query."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
DIRECT = re.compile(r"\b(Photo|PhotoConsent|Patient)\.objects\.")
# Good: photos = patient_photos(membership, patient); photo = get_photo(membership, pk)
# Bad:  photo = Photo.objects.get(pk=pk)


def test_views_and_api_never_query_photos_directly():
    offenders = []
    for module in ("views.py", "api.py"):
        for number, line in enumerate((APP / module).read_text().splitlines(), 1):
            if DIRECT.search(line):
                offenders.append(f"{module}:{number}: {line.strip()}")
    assert offenders == []


def test_the_rule_catches_a_direct_query():
    assert DIRECT.search("photo = Photo.objects.get(pk=pk)")
    assert not DIRECT.search("photo = get_photo(membership, pk)")
