"""Clinical photos in real Chromium: take a photo through Chromium's fake camera on the
capture page with the baseline showing as a ghost, then compare two dates of the view with
the slider (overlay and wipe), aligned automatically."""

from datetime import timedelta

import cv2
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesochart.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Console, give_totp, shoot, sign_in
from mesochart.photos import actions
from mesochart.photos.models import Photo
from mesochart.testing import photos as support
from mesochart.testing.images import similarity, textured

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 20_000


@pytest.fixture
def camera_page(browser, console: Console, settings, tmp_path):
    """A Chromium whose camera is the fake device (a test pattern), already allowed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "photos")},
        },
    }
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    console.watch(context)
    yield context.new_page()
    context.close()
    chromium.close()


def _photos(practice):
    """A baseline of the face, front, 8 weeks ago, and a later one, moved and turned."""
    membership = practice.actor(practice.nurse)
    earlier_pixels = textured(11)
    h, w = earlier_pixels.shape[:2]
    later_pixels = cv2.warpAffine(
        earlier_pixels,
        similarity(4, 1.06, (35, -20), (w / 2, h / 2)),
        (w, h),
        borderValue=(128, 128, 128),
    )
    fields = {"area": "face", "view": "front"}
    earlier = actions.take_photo(
        membership, practice.patient, support.jpeg(pixels=earlier_pixels), fields
    )
    Photo.objects.filter(pk=earlier.pk).update(taken_at=timezone.now() - timedelta(weeks=8))
    later = actions.take_photo(
        membership, practice.patient, support.jpeg(pixels=later_pixels), fields
    )
    return earlier, later


def test_capture_with_a_ghost_then_compare_two_dates(camera_page, site, practice, console):
    page = camera_page
    _photos(practice)
    give_totp(practice.practitioner)
    sign_in(page, site, practice.practitioner.username)

    page.goto(f"{site}/photos/patient/{practice.patient.pk}/capture/?area=face&view=oblique_left")
    expect(page.get_by_role("heading", level=1)).to_have_text("Face: 45° left")
    expect(page.locator(".instruction")).to_contain_text("Turn your head to the right")
    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_role("button", name="Take photo")).to_be_enabled()
    page.get_by_role("button", name="Take photo").click()
    # Chromium's fake camera shows a flat test pattern: the quality check says why it is
    # poor, and the photo is kept only with a reason.
    expect(page.locator(".errors")).to_contain_text("Photo: blurred")
    console.errors[:] = [e for e in console.errors if "status of 422" not in e]
    page.get_by_label("Keep it anyway, because").fill("fake camera in the test")
    page.get_by_role("button", name="Start camera").click()
    page.get_by_role("button", name="Take photo").click()
    expect(page.locator(".messages")).to_contain_text("Photo saved: 45° left")
    assert Photo.objects.filter(view="oblique_left").count() == 1

    page.goto(f"{site}/photos/patient/{practice.patient.pk}/capture/?area=face&view=front")
    ghost = page.locator("#ghost")
    expect(ghost).to_be_visible()
    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_role("button", name="Take photo")).to_be_enabled()
    page.locator("#ghost-opacity").fill("70")
    expect(ghost).to_have_css("opacity", "0.7")
    shoot(page, "photos-capture-ghost")

    page.goto(f"{site}/photos/patient/{practice.patient.pk}/")
    page.get_by_role("link", name="Compare first and latest").first.click()
    expect(page.locator("#alignment-status")).to_contain_text("Aligned automatically")
    later_layer = page.locator(".compare .later")
    page.locator("#compare-slider").fill("30")
    expect(later_layer).to_have_css("opacity", "0.3")
    shoot(page, "photos-compare-overlay")
    page.get_by_role("radio", name="Wipe").check()
    page.locator("#compare-slider").fill("50")
    expect(later_layer).to_have_css("clip-path", "inset(0px 0px 0px 50%)")
    shoot(page, "photos-compare-wipe")
    page.get_by_role("radio", name="Side by side").check()
    expect(page.locator("#compare")).to_have_attribute("data-mode", "side")
