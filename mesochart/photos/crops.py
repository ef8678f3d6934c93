"""How much of a photo a marketing copy keeps: the treated area, where the view allows it.

A marketing copy must not identify the patient. Where the treated region lies below the eyes
(the lower face, the jawline, the submental area and the neck), the copy keeps the frame
below the eye line; where the treated area lies at or beside the eyes (forehead, temples,
malar area) the view does not allow a crop that keeps the result, and the copy is whole.
Body views keep the framing guide's box; the scalp's hairline view keeps the top of the
frame; the vertex and parting close-ups show no face and stay whole.

The fractions assume the patient was framed in the capture page's guide
(`core.photo_quality.GUIDE_INSET`): our house convention, like the poses in `poses.py`, not
a sourced photographic standard. Pure Python, no Django models.
"""

from mesochart.core.photo_export import Box
from mesochart.core.photo_quality import GUIDE_INSET

# Chart regions of the face photo area that lie wholly below the eyes.
BELOW_THE_EYES = ("perioral", "chin", "jawline", "cheek", "submental", "neck")
EYE_LINE = 0.55  # of the frame's height, from the top: the guide puts the eyes above it
HAIRLINE_KEEP = 0.45  # the hairline view keeps the frame above the brows

_top, _side = GUIDE_INSET
GUIDE_BOX = Box(_side, _top, 1 - _side, 1 - _top)


def marketing_crop(area: str, view: str, region: str | None) -> Box | None:
    """The part of the frame a marketing copy keeps (left, top, right, bottom as fractions);
    None to keep it whole, because nothing identifying is in view or the view does not allow
    a crop that keeps the treated area (``region``: the chart region the photo was taken for,
    None when the photo is not linked to a plan)."""
    if area == "face":
        if region is not None and region.startswith(BELOW_THE_EYES):
            return Box(0.0, EYE_LINE, 1.0, 1.0)
        return None
    if area == "scalp":
        return Box(0.0, 0.0, 1.0, HAIRLINE_KEEP) if view == "hairline" else None
    return GUIDE_BOX


def marketing_crop_of(photo) -> Box | None:
    """`marketing_crop` for a stored photo, by the plan region it was taken for."""
    region = photo.plan_region.region if photo.plan_region_id else None
    return marketing_crop(photo.area, photo.view, region)
