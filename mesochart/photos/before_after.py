"""Before and after: for each view photographed, the first and the latest photo.

Used by the outcomes progress page on the photos of one plan (`photos.access.plan_photos`);
the page shows the thumbnails, each opening the full image through its audited view.
"""

from dataclasses import dataclass

from django.urls import reverse

from mesochart.photos.models import Photo
from mesochart.photos.poses import PhotoArea, PhotoView, find


@dataclass(frozen=True)
class BeforeAfter:
    area: PhotoArea
    view: PhotoView
    before: Photo
    after: Photo | None  # None while the view has one photo only


def pairs(photos) -> list[BeforeAfter]:
    """``photos`` in the order they were taken (the model's ordering)."""
    by_view: dict[tuple[str, str], list[Photo]] = {}
    for photo in photos:
        by_view.setdefault((photo.area, photo.view), []).append(photo)
    result = []
    for (area, view), taken in by_view.items():
        found = find(area, view)
        if found:
            for photo in {taken[0], taken[-1]}:
                # What the page links to; the template reads them off the photo.
                photo.thumb_url = reverse("photos:thumbnail", args=[photo.pk])  # type: ignore[attr-defined]
                photo.image_url = reverse("photos:image", args=[photo.pk])  # type: ignore[attr-defined]
            after = taken[-1] if len(taken) > 1 else None
            result.append(BeforeAfter(found[0], found[1], taken[0], after))
    return result


def shown(result: list[BeforeAfter]) -> list[Photo]:
    return [p for pair in result for p in (pair.before, pair.after) if p is not None]
