"""The capture page walks an area's views, says the pose, and shows the baseline as a ghost."""

from mesochart.audit.models import AuditEvent

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_capture_page_shows_the_pose_and_what_is_missing(practice, client_for):
    page = client_for(practice.nurse).get(
        f"/photos/patient/{practice.patient.pk}/capture/", {"area": "face", "view": "front"}
    )
    body = page.content.decode()
    assert "Look straight at the camera" in body
    assert "Still missing" in body and "Left profile" in body
    assert "this one becomes the baseline" in body
    assert "<script>" not in body  # no inline script: the page works under a strict CSP


def test_the_baseline_of_the_view_is_the_ghost_and_its_read_is_audited(practice, client_for, take):
    baseline = take()
    take(view="oblique_left")
    body = (
        client_for(practice.nurse)
        .get(f"/photos/patient/{practice.patient.pk}/capture/", {"area": "face", "view": "front"})
        .content.decode()
    )
    assert f'id="ghost" class="ghost" src="/photos/{baseline.pk}/image.jpg"' in body
    assert "✓ taken" in body
    read = AuditEvent.objects.filter(action="read", category="photo").latest("pk")
    assert read.detail["what"] == "capture ghost"


def test_after_saving_the_page_moves_to_the_next_missing_view(practice, client_for):
    from mesochart.testing import photos as support
    from mesochart.testing.photos import upload

    response = client_for(practice.nurse).post(
        f"/photos/patient/{practice.patient.pk}/capture/",
        {"area": "abdomen", "view": "front", "photo": upload(support.jpeg(9))},
    )
    assert response["Location"].endswith("?area=abdomen&view=side_left")


def test_the_gallery_groups_photos_by_view_and_records_the_read(practice, client_for, take):
    take()
    take()
    body = (
        client_for(practice.practitioner)
        .get(f"/photos/patient/{practice.patient.pk}/")
        .content.decode()
    )
    assert "Face · Front" in body and "Compare first and latest" in body
    read = AuditEvent.objects.filter(action="read", category="photo").latest("pk")
    assert read.detail["what"] == "gallery" and len(read.detail["photo_ids"]) == 2


def test_the_patients_timeline_shows_the_days_photos_next_to_the_sessions(
    practice, client_for, take
):
    take()
    take(view="profile_left")
    body = (
        client_for(practice.nurse)
        .get(f"/sessions/patient/{practice.patient.pk}/timeline/")
        .content.decode()
    )
    assert "Photos: face" in body and "front, left profile" in body
    assert f'href="/photos/patient/{practice.patient.pk}/"' in body


def test_the_timeline_api_carries_the_photos_entry(practice, take):
    from mesochart.testing.plans import ApiCaller

    take()
    response = ApiCaller(practice.nurse).get(f"/patients/{practice.patient.pk}/timeline")
    assert response.status_code == 200, response.content[:300]
    assert [e["kind"] for e in response.json()] == ["photos"]
