"""Taken for a plan, the capture page walks every view of the photo areas the plan's regions
lie in, shows which are still missing today, and links each photo to the plan."""

from mesochart.photos.models import Photo
from mesochart.photos.plan_steps import photo_area_of
from mesochart.testing import photos as support
from mesochart.testing.photos import upload
from mesochart.testing.sessions import Ready

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_chart_regions_lie_in_the_photo_areas():
    assert photo_area_of("neck-submental", "submental") == "face"
    assert photo_area_of("body-front", "thigh-anterior-left") == "thighs"
    assert photo_area_of("body-back", "flank-right") == "abdomen"
    assert photo_area_of("scalp-top", "scalp-mid") == "scalp"
    assert photo_area_of("body-front", "arm-left") is None


def test_a_submental_plan_walks_the_face_views_and_links_each_photo(practice, client_for):
    ready = Ready(practice)
    url = f"/photos/patient/{practice.patient.pk}/capture/?plan={ready.plan.pk}"
    nurse = client_for(practice.nurse)
    body = nurse.get(url).content.decode()
    assert "Views this plan asks for" in body
    assert "Still missing for this plan: Front, 45° left, 45° right" in body
    saved = nurse.post(url, {"area": "face", "view": "front", "photo": upload(support.jpeg(3))})
    assert saved["Location"].endswith(f"?plan={ready.plan.pk}&area=face&view=oblique_left")
    photo = Photo.objects.get()
    assert photo.plan_region.plan_id == ready.plan.pk
    body = nurse.get(saved["Location"]).content.decode()
    assert "Still missing for this plan: 45° left," in body


def test_another_clinics_plan_is_not_found(practice, client_for):
    ready = Ready(practice)
    url = f"/photos/patient/{practice.patient.pk}/capture/?plan={ready.plan.pk}"
    assert client_for(practice.sister_practitioner).get(url).status_code == 404


def test_the_patients_plans_link_to_their_photo_capture(practice, client_for):
    ready = Ready(practice)
    body = client_for(practice.nurse).get(f"/patients/{practice.patient.pk}/").content.decode()
    assert f'/photos/patient/{practice.patient.pk}/capture/?plan={ready.plan.pk}"' in body
