"""The progress page shows the plan's photos before and after: for each view, the first and
the latest taken for the plan (for one of its regions or sessions), reached through
`photos.access` and audited as a read of those photos."""

from mesochart.audit.models import AuditEvent
from mesochart.conftest import signed_in
from mesochart.photos import actions as photo_actions
from mesochart.testing import photos as support

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _take(ready, seed, **fields):
    fields = {"area": "face", "view": "front", **fields}
    return photo_actions.take_photo(ready.nurse, ready.practice.patient, support.jpeg(seed), fields)


def test_the_first_and_latest_photo_of_each_view_of_the_plan_are_shown_and_audited(ready):
    region = ready.plan.regions.first().pk
    before, middle, after = (_take(ready, seed, plan_region=region) for seed in (1, 2, 3))
    not_of_the_plan = _take(ready, 4)
    page = signed_in(ready.practice.nurse).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    body = page.content.decode()
    assert "Before and after" in body and "Face · Front" in body
    assert f"/photos/{before.pk}/thumbnail.jpg" in body
    assert f"/photos/{after.pk}/thumbnail.jpg" in body
    assert f"/photos/{middle.pk}/" not in body and f"/photos/{not_of_the_plan.pk}/" not in body
    read = AuditEvent.objects.filter(action="read", category="photo").latest("pk")
    assert read.detail["what"] == "progress before/after"
    assert read.detail["photo_ids"] == [before.pk, after.pk]
    assert read.patient_id == ready.practice.patient.pk


def test_a_plan_with_no_photos_says_so_and_reads_none(ready):
    page = signed_in(ready.practice.nurse).get(f"/outcomes/plan/{ready.plan.pk}/progress/")
    assert "No photos taken for this plan yet." in page.content.decode()
    assert not AuditEvent.objects.filter(action="read", category="photo").exists()
