"""The demo's photos: two of the submental patient's face, front, through the photos action,
so the gallery, the comparison and the record's export (FHIR Media) have something to show.
Never a real patient: each picture is random grey blocks, sharp and evenly lit, which the
quality checks accept."""

import io

import numpy as np
from PIL import Image

from mesochart.accounts.actor import Actor
from mesochart.photos import actions
from mesochart.photos.models import Photo
from mesochart.planning.models import Plan


def synthetic_jpeg(seed: int) -> bytes:
    """A 480 × 360 JPEG of random grey blocks (seeded, so the demo is the same each time)."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(40, 215, (36, 48), dtype=np.uint8)
    grey = np.kron(blocks, np.ones((10, 10), dtype=np.uint8))
    out = io.BytesIO()
    Image.fromarray(np.dstack([grey] * 3)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def photos(practitioner: Actor, plan_title: str) -> None:
    """Before and at the plan's first signed session; nothing when the demo has them."""
    plan = Plan.objects.filter(clinic=practitioner.clinic, title=plan_title).first()
    if plan is None or Photo.objects.filter(patient=plan.patient).exists():
        return
    session = plan.treatment_sessions.filter(status="signed").order_by("started_at").first()
    front = {"area": "face", "view": "front"}
    actions.take_photo(practitioner, plan.patient, synthetic_jpeg(1), front)
    if session is not None:
        at_session = {**front, "session": session.pk}
        actions.take_photo(practitioner, plan.patient, synthetic_jpeg(2), at_session)
