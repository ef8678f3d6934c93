"""Photo pages: a patient's photos, capture (camera or file), compare two dates, consent,
the files themselves, and the clinic's education and marketing galleries.

Every view fetches through ``patients.access`` / ``photos.access`` and writes through
``photos.actions``; every response that shows a photo writes a ``read`` audit row.
"""

import io
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from PIL import Image

from mesochart.accounts.actor import Actor
from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.core.photo_align import MATCH_LONG_EDGE_PX, align
from mesochart.core.photo_export import watermarked
from mesochart.lib.errors import page_lines
from mesochart.patients.access import get_patient
from mesochart.photos import actions, plan_steps
from mesochart.photos.access import (
    consent_state,
    get_photo,
    patient_photos,
    photos_for,
    plan_photos,
)
from mesochart.photos.crops import marketing_crop_of
from mesochart.photos.files import PhotoAltered, read_checked
from mesochart.photos.forms import PhotoForm
from mesochart.photos.models import OPTIONAL_PURPOSES, Purpose
from mesochart.photos.poses import AREAS, find
from mesochart.planning.access import get_plan

PRIVATE = {"Cache-Control": "private, no-store", "Content-Disposition": "inline"}


def _jpeg(data: bytes) -> HttpResponse:
    return HttpResponse(data, content_type="image/jpeg", headers=PRIVATE)


def _altered(error: PhotoAltered) -> HttpResponse:
    return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")


def audit_read(request, patient, photos: list, what: str, purpose: str = Purpose.CLINICAL):
    """The one ``read`` row of a page or answer that showed ``patient``'s photos (a list of
    Photo, perhaps empty: the page still showed the patient and their photo consents)."""
    record_read(
        request.actor,
        patient=patient,
        obj=photos[0] if len(photos) == 1 else None,
        category=Category.PHOTO,
        detail={"what": what, "purpose": purpose, "photo_ids": [p.pk for p in photos]},
    )


def _with_urls(photos: list) -> list:
    """Each photo's image and thumbnail URL and its day, worked out once for the whole list:
    a 300-photo gallery would otherwise spend most of its time reversing URLs."""
    image_url = reverse("photos:image", args=[0]).replace("/0/", "/{}/")
    thumb_url = reverse("photos:thumbnail", args=[0]).replace("/0/", "/{}/")
    for photo in photos:
        photo.image_url = image_url.format(photo.pk)
        photo.thumb_url = thumb_url.format(photo.pk)
        photo.day = photo.taken_at.date().isoformat()
    return photos


@member_required
def gallery(request, patient_pk: int):
    membership = request.membership
    patient = get_patient(membership, patient_pk, "photo.view")
    photos = _with_urls(list(patient_photos(membership, patient)))
    by_view: dict[tuple[str, str], list] = {}
    for photo in photos:
        by_view.setdefault((photo.area, photo.view), []).append(photo)
    groups = [
        {"area": AREAS[a], "view": AREAS[a].view(v), "photos": items}
        for (a, v), items in by_view.items()
        if find(a, v)
    ]
    consents = [{"purpose": p, "standing": s} for p, s in consent_state(patient)]
    audit_read(request, patient, photos, "gallery")
    return render(
        request,
        "photos/gallery.html",
        {
            "patient": patient,
            "groups": groups,
            "consents": consents,
            "areas": AREAS.values(),
            "can_take": allows(membership.role, "photo.take"),
            "can_consent": allows(membership.role, "photo.consent"),
        },
    )


def _serve(request, pk: int, which: str) -> HttpResponse:
    photo = get_photo(request.membership, pk)
    try:
        data = read_checked(request.actor, photo, which)
    except PhotoAltered as error:
        return _altered(error)
    audit_read(request, photo.patient, [photo], which)
    return _jpeg(data)


@member_required
def image(request, pk: int):
    return _serve(request, pk, "image")


@member_required
def thumbnail(request, pk: int):
    return _serve(request, pk, "thumbnail")


def _capture_context(membership, patient, area_code: str, view_code: str) -> dict:
    area = AREAS.get(area_code) or AREAS["face"]
    view = area.view(view_code) or area.views[0]
    photos = list(patient_photos(membership, patient).filter(area=area.code))
    taken = {p.view for p in photos if _clinic_day(membership, p) == _today(membership)}
    baseline = next((p for p in photos if p.view == view.code), None)
    return {
        "patient": patient,
        "area": area,
        "view": view,
        "areas": AREAS.values(),
        "baseline": baseline,
        "taken_today": taken,
        "missing": [v for v in area.views if v.code not in taken],
    }


def _today(membership):
    return timezone.now().astimezone(ZoneInfo(membership.clinic.time_zone)).date()


def _clinic_day(membership, photo):
    """The clinic's day a photo was taken on, not the server's."""
    return photo.taken_at.astimezone(ZoneInfo(membership.clinic.time_zone)).date()


def _plan_context(membership, patient, plan_pk) -> dict:
    """The views the plan asks for (`plan_steps`), each marked when taken for it today."""
    plan = get_plan(membership, plan_pk, "photo.take")
    if plan.patient_id != patient.pk:
        raise Http404("No such plan of this patient.")
    today = _today(membership)
    taken = {
        (p.area, p.view)
        for p in plan_photos(membership, plan)
        if _clinic_day(membership, p) == today
    }
    walk = [
        (step, (step.area.code, step.view.code) in taken)
        for step in plan_steps.steps(plan.regions.all())
    ]
    return {"plan": plan, "plan_steps": walk, "plan_missing": [s for s, done in walk if not done]}


def _next_step(context, photo) -> str:
    """Where the page goes after saving ``photo``: the next view still missing."""
    if "plan" in context:
        left = [
            s
            for s in context["plan_missing"]
            if (s.area.code, s.view.code) != (photo.area, photo.view)
        ]
        area, view = (left[0].area.code, left[0].view.code) if left else (photo.area, photo.view)
        return f"?plan={context['plan'].pk}&area={area}&view={view}"
    left = [
        v
        for v in context["area"].views
        if v.code not in context["taken_today"] and v.code != photo.view
    ]
    return f"?area={photo.area}&view={left[0].code if left else photo.view}"


@member_required
def capture(request, patient_pk: int):
    """The capture page (GET) and the upload it sends (POST, multipart ``photo``); with
    ``plan``, it walks the views that plan asks for."""
    membership = request.membership
    patient = get_patient(membership, patient_pk, "photo.take")
    source = request.POST if request.method == "POST" else request.GET
    plan_pk = request.GET.get("plan") or source.get("plan")
    area, view = source.get("area", ""), source.get("view", "")
    planned = _plan_context(membership, patient, plan_pk) if plan_pk else {}
    if planned and not area and planned["plan_missing"]:
        area, view = planned["plan_missing"][0].area.code, planned["plan_missing"][0].view.code
    context = _capture_context(membership, patient, area, view) | planned
    if planned:
        step = next((s for s, _done in planned["plan_steps"] if s.area == context["area"]), None)
        context["plan_region"] = step.plan_region_id if step else None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("photo")
        fields = request.POST.dict()
        if context.get("plan_region"):
            fields["plan_region"] = context["plan_region"]
        try:
            if upload is None:
                raise ValidationError({"photo": _("is required")})
            data = _read_capped(upload)
            photo = actions.take_photo(request.actor, patient, data, fields)
        except ValidationError as error:
            context["errors"] = page_lines(error, {"photo": _("Photo")}, form=PhotoForm)
            context["keep_reason_asked"] = any(
                "keep it with a reason" in e for e in context["errors"]
            )
            status = 422
        else:
            messages.success(request, _("Photo saved: %(view)s.") % {"view": context["view"].label})
            return redirect(request.path + _next_step(context, photo))
    ghost = [context["baseline"]] if context["baseline"] is not None else []
    audit_read(request, patient, ghost, "capture ghost" if ghost else "capture")
    return render(request, "photos/capture.html", context, status=status)


def _read_capped(upload) -> bytes:
    """The upload's bytes, refusing one over the cap without reading it all."""
    cap = actions.photo_intake.MAX_UPLOAD_BYTES
    if upload.size > cap:
        raise ValidationError({"photo": _("must be at most %(mb)d MB") % {"mb": cap >> 20}})
    return upload.read(cap + 1)


def _pixels(actor: Actor, photo) -> tuple[np.ndarray, float]:
    """The stored image (its hash checked) decoded at about the matching size (JPEG draft
    mode decodes at 1/2, 1/4 or 1/8 directly) and its factor to the full size."""
    image = Image.open(io.BytesIO(read_checked(actor, photo)))
    side = MATCH_LONG_EDGE_PX * image.width // max(image.size)
    image.draft("RGB", (side, side * image.height // image.width))
    array = np.asarray(image.convert("RGB"))
    return array, array.shape[1] / photo.width_px


def comparison(actor: Actor, earlier_pk, later_pk):
    """The two photos (same patient, same view, earlier first) and their alignment."""
    earlier, later = get_photo(actor, earlier_pk), get_photo(actor, later_pk)
    if (earlier.patient_id, earlier.area, earlier.view) != (
        later.patient_id,
        later.area,
        later.view,
    ):
        raise ValidationError({"later": _("must be the same patient's same view")})
    if later.taken_at < earlier.taken_at:
        earlier, later = later, earlier
    (pixels_a, factor_a), (pixels_b, factor_b) = (
        _pixels(actor, earlier),
        _pixels(actor, later),
    )
    return earlier, later, align(pixels_a, pixels_b, factor_a, factor_b)


@member_required
def compare(request, patient_pk: int):
    membership = request.membership
    patient = get_patient(membership, patient_pk, "photo.view")
    photos = list(patient_photos(membership, patient))
    a, b = request.GET.get("a"), request.GET.get("b")
    context = {"patient": patient, "photos": photos}
    if a and b:
        try:
            earlier, later, alignment = comparison(request.actor, a, b)
        except ValidationError as error:
            context["errors"] = page_lines(error)
        except PhotoAltered as error:
            context["errors"] = [str(error)]
            audit_read(request, patient, photos, "compare choice")
            return render(request, "photos/compare.html", context, status=409)
        else:
            if earlier.patient_id != patient.pk:
                raise Http404
            found = find(earlier.area, earlier.view)
            context.update(
                earlier=earlier,
                later=later,
                alignment=alignment,
                view=found[1] if found else None,
            )
            audit_read(request, patient, [earlier, later], "compare")
            return render(request, "photos/compare.html", context)
    audit_read(request, patient, photos, "compare choice")
    return render(request, "photos/compare.html", context)


@member_required
@require_POST
def consent(request, patient_pk: int):
    patient = get_patient(request.membership, patient_pk, "photo.consent")
    try:
        actions.set_consent(request.actor, patient, request.POST.dict())
    except ValidationError as error:
        for line in page_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Photo consent updated."))
    return redirect("photos:gallery", patient_pk=patient.pk)


def _purpose(code: str) -> Purpose:
    if code not in {p.value for p in OPTIONAL_PURPOSES}:
        raise Http404("No such purpose.")
    return Purpose(code)


@member_required
def purpose_gallery(request, purpose: str):
    """The clinic's education or marketing gallery: de-identified copies only."""
    purpose = _purpose(purpose)
    photos = list(photos_for(request.membership, purpose).order_by("-taken_at")[:300])
    actions.record_gallery_read(request.actor, photos, "purpose gallery", purpose)
    return render(request, "photos/purpose_gallery.html", {"purpose": purpose, "photos": photos})


@member_required
def export(request, pk: int, purpose: str):
    """One de-identified, watermarked copy of a photo for ``purpose`` (consent standing)."""
    purpose = _purpose(purpose)
    photo = get_photo(request.membership, pk, purpose)
    try:
        crop = marketing_crop_of(photo) if purpose == Purpose.MARKETING else None
        name = request.membership.clinic.name
        data = watermarked(read_checked(request.actor, photo), name, crop=crop)
    except PhotoAltered as error:
        return _altered(error)
    actions.record_export(request.actor, photo, purpose)
    return _jpeg(data)
