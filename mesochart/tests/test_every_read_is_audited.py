"""Every page and API endpoint that shows health data writes an audit ``read`` row.

The test walks every URL pattern of the URLconf and every GET operation of the API's
OpenAPI schema, requests each as a signed-in practitioner on the synthetic demo practice,
and fails when a 200 answer wrote no successful read row (``read``, or ``print``/``export``
for documents) — and when a pattern is in none of the lists below, so nothing is missed.

How a new page joins (outcomes, photos, …):
- a page that shows health data: add its URL name and the arguments it takes, built from
  the seeded data, to `PAGES` (and seed what it needs in `_seed`);
- a page that shows none (set-up, formulary, staff, a form that only writes on POST): add
  its URL name to `NOT_HEALTH_DATA` with the reason, in a comment;
- an API GET operation: its path parameters are filled by name from `API_PARAMETERS`
  (add a new parameter name there); a path that returns no health data goes to
  `API_NOT_HEALTH_DATA` with the reason.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Clinic, Membership
from mesochart.api import api
from mesochart.audit.models import Action, AuditEvent, Outcome
from mesochart.consent.models import Consent, QuestionnaireResponse, Screening
from mesochart.demo import load_demo
from mesochart.demo.people import HARBOUR
from mesochart.demo.photos import synthetic_jpeg
from mesochart.formulary.models import Lot
from mesochart.photos import actions as photo_actions
from mesochart.photos.models import Photo, Purpose
from mesochart.planning.models import Plan
from mesochart.treatments import events
from mesochart.treatments.models import TreatmentSession

pytestmark = pytest.mark.django_db

READ_ACTIONS = {Action.READ, Action.PRINT, Action.EXPORT}

# Pages with no health data on a GET, each with its reason.
NOT_HEALTH_DATA = {
    "home",  # a redirect to the patient list
    "healthz",  # the server's liveness
    "javascript-catalog",  # the scripts' words in one language
    "accounts:login",
    "accounts:two_factor",
    "accounts:logout",  # POST signs out
    "accounts:switch_clinic",  # POST only
    "accounts:language",  # POST only: the interface language
    "accounts:staff",  # staff, not patients
    "accounts:staff_edit",
    "accounts:api_tokens",
    "accounts:password",  # one's own password change
    "accounts:clinic_tokens",  # the clinic's API tokens (admin), no patient
    "treatments:event_suspects",  # POST only
    "photos:consent",  # POST only
    "audit:report",  # the log itself (admin only); opening it is audited by its view
    "patients:create",  # an empty form
    "patients:void",  # POST only: a write, audited by its action
    "patients:history_add",  # POST only
    "patients:history_void",  # POST only
    "formulary:list",  # products, lots, cocktails: no patient
    "formulary:product_create",
    "formulary:product",
    "formulary:product_edit",
    "formulary:clinic_limit",
    "formulary:clinic_limit_remove",
    "formulary:lots",
    "formulary:lot_receive",
    "formulary:lot",
    "formulary:movement",
    "formulary:lot_hold",  # POST only: a lot put in quarantine or recalled, no patient
    "formulary:lot_release",  # POST only
    "formulary:cocktails",
    "formulary:cocktail_create",
    "formulary:cocktail_preview",
    "formulary:cocktail",
    "formulary:cocktail_edit",
    "formulary:cocktail_version",
    "planning:approve",  # POST only
    "planning:check",  # POST only: the editor's unsaved points checked, the plan page audited
    "planning:series",  # POST only
    "planning:series_move",  # POST only
    "planning:protocols",  # the clinic's protocols: no patient
    "planning:protocol_create",
    "planning:protocol_edit",
    "planning:calendar",
    "planning:aftercare_edit",  # a protocol's aftercare sheet, no patient
    "outcomes:amend",  # POST only
    "outcomes:tablet_start",  # POST only
    "outcomes:items",  # the clinic's own questions, no patient
    "outcomes:item_edit",
    "outcomes:item_retire",  # POST only
    "consent:tablet_start",  # POST only
    "consent:write_back",  # POST only
    "consent:acknowledge",  # POST only
    "consent:withdraw",  # POST only
    "consent:photo_consent",  # POST only
    "consent:tablet",  # patient mode: the patient's own task (not on in this walk)
    "consent:tablet_exit",
    "consent:tablet_done",
    "consent:templates",  # consent wording, no patient
    "consent:template_new",
    "consent:template",
    "consent:policy",
    "treatments:save",  # POST only
    "treatments:sign",  # POST only
    "treatments:amend",  # POST only
    "treatments:correct_lot",  # POST only
    "treatments:void",  # POST only
    "treatments:start",  # POST only
    "treatments:event_follow_up",  # POST only
    "treatments:recall",  # the empty search form; a recall search is audited as an export
    "scheduling:move",  # POST only
    "scheduling:cancel",  # POST only
    "scheduling:link",  # the patient's own signed link: date, time and clinic, no name
    "scheduling:feed",  # one's own feed address, no patient
    "scheduling:feed_ics",  # by secret URL; with names on (the clinic's choice) an export row
    "scheduling:setup",  # the admin's rooms, types and practitioners: no patient
    "scheduling:setup_room_add",  # POST only
    "scheduling:setup_room",  # POST only
    "scheduling:setup_room_retire",  # POST only
    "scheduling:setup_type_add",  # POST only
    "scheduling:setup_type",  # an appointment type's form, no patient
    "scheduling:setup_type_retire",  # POST only
    "scheduling:setup_options",  # POST only
    "scheduling:setup_person",  # a practitioner's hours, exceptions and leave: no patient
    "scheduling:setup_add",  # POST only
    "scheduling:setup_remove",  # POST only
}

API_NOT_HEALTH_DATA = {
    "/api/v1/openapi.json",  # the schema
    "/api/v1/docs",
    "/api/v1/fhir/CodeSystem/{name}",  # code systems, no patient
    "/api/v1/formulary/products",
    "/api/v1/outcome-items",  # the clinic's own questions, no patient
    "/api/v1/formulary/products/{slug}",
    "/api/v1/formulary/lots",
    "/api/v1/formulary/lots/{lot_id}",
    "/api/v1/formulary/cocktails",
    "/api/v1/formulary/cocktails/{slug}",
    "/api/v1/formulary/cocktails/{slug}/versions/{number}",
    "/api/v1/lots/{lot_number}/recall",  # audited as an export (detail: the lot)
    "/api/v1/lots/scan",  # a barcode read into a lot of the stock, no patient
    "/api/v1/protocols",
    "/api/v1/protocols/{protocol_id}",
    "/api/v1/areas",
    "/api/v1/areas/{view}",
    "/api/v1/areas/{view}/{region}/drawing",  # a scale from measurements sent by the caller
    "/api/v1/grid",  # arithmetic on a polygon sent by the caller
    "/api/v1/schedule",  # arithmetic on dates sent by the caller
    "/api/v1/scales",  # the outcome scales' definitions, no patient
    "/api/v1/tokens",  # the clinic's API tokens (admin), no patient
    "/api/v1/schedule/free-slots",  # free times of a practitioner, no patient
    "/api/v1/schedule/rooms",  # the clinic's rooms, no patient
    "/api/v1/schedule/appointment-types",  # the clinic's appointment types, no patient
}


@dataclass
class Seeded:
    membership: Actor
    patient: object
    plan: Plan
    draft_plan: Plan
    session: TreatmentSession
    event: object
    consent: Consent
    screening: Screening
    response: QuestionnaireResponse
    lot: Lot
    photo: Photo
    later_photo: Photo


def _take_photos(membership, patient) -> tuple[Photo, Photo]:
    """Two photos of the face, front (a comparison needs two), through the photos action,
    and the patient's consent to teaching use (for the education gallery and export)."""
    fields = {"area": "face", "view": "front"}
    photo, later = (
        photo_actions.take_photo(membership, patient, synthetic_jpeg(seed), fields)
        for seed in (1, 2)
    )
    photo_actions.set_consent(
        membership, patient, {"purpose": Purpose.EDUCATION, "decision": "grant"}
    )
    return photo, later


def _seed() -> Seeded:
    load_demo(patients_per_clinic=12)
    clinic = Clinic.objects.get(name=HARBOUR)
    membership = Actor.at(
        Membership.objects.select_related("clinic__organisation", "user")
        .filter(clinic=clinic, role="practitioner", user__email__endswith="demo.mesochart.invalid")
        .first()
    )
    session = TreatmentSession.objects.filter(clinic=clinic).select_related("plan").first()
    patient = session.patient
    onset = clinic.today() - timedelta(days=1)
    event = events.record_event(
        membership,
        patient,
        {
            "event_type": "nodule",
            "severity": "mild",
            "onset_on": onset.isoformat(),
            "causality": "possible",
            "outcome": "recovering",
            "description": "Small nodule at one injection site",
            "session": session.pk,
        },
    )
    photo, later_photo = _take_photos(membership, patient)
    return Seeded(
        membership=membership,
        patient=patient,
        plan=session.plan,
        draft_plan=next(p for p in Plan.objects.filter(clinic=clinic) if not p.approved),
        session=session,
        event=event,
        consent=Consent.objects.filter(patient=patient).first(),
        screening=Screening.objects.filter(patient=patient).first(),
        response=QuestionnaireResponse.objects.filter(patient=patient).first(),
        lot=Lot.objects.filter(clinic=clinic).first(),
        photo=photo,
        later_photo=later_photo,
    )


def _patient(s: Seeded) -> dict:
    return {"pk": s.patient.pk}


def _consent(s: Seeded) -> dict:
    return {"pk": s.patient.pk, "consent_pk": s.consent.pk}


# Pages of health data: URL name → its arguments, built from the seeded data.
PAGES = {
    "patients:list": lambda s: {},  # search results: one row with the count (PAGE_QUERIES)
    "patients:detail": _patient,
    "patients:edit": _patient,
    "planning:create": lambda s: {"patient_pk": s.patient.pk},
    "planning:detail": lambda s: {"pk": s.plan.pk},
    "planning:edit": lambda s: {"pk": s.draft_plan.pk},  # an approved plan is locked
    "planning:print": lambda s: {"pk": s.plan.pk},
    "planning:series_ics": lambda s: {"pk": s.plan.pk},
    "consent:patient": _patient,
    "consent:questionnaire": _patient,
    "consent:screen": _patient,
    "consent:screening": lambda s: {"pk": s.patient.pk, "screening_pk": s.screening.pk},
    "consent:readiness": _patient,
    "consent:consents": _patient,
    "consent:consent_new": _patient,
    "consent:consent": _consent,
    "consent:signature": _consent,
    "consent:pdf": _consent,
    "treatments:detail": lambda s: {"pk": s.session.pk},
    "treatments:timeline": lambda s: {"patient_pk": s.patient.pk},
    "treatments:event_create": lambda s: {"patient_pk": s.patient.pk},
    "treatments:event_detail": lambda s: {"pk": s.event.pk},
    "treatments:event_csv": lambda s: {"pk": s.event.pk},
    "treatments:event_pdf": lambda s: {"pk": s.event.pk},
    "planning:plan_pdf": lambda s: {"pk": s.plan.pk},
    "treatments:record_pdf": lambda s: {"pk": s.session.pk},
    "treatments:aftercare_pdf": lambda s: {"pk": s.session.pk},
    "outcomes:plan": lambda s: {"plan_pk": s.plan.pk},
    "outcomes:progress": lambda s: {"plan_pk": s.plan.pk},
    "scheduling:day": lambda s: {},
    "scheduling:week": lambda s: {},
    "scheduling:book": lambda s: {},  # the form lists the clinic's patients
    "scheduling:series": lambda s: {"plan_pk": s.plan.pk},
    "scheduling:unconfirmed": lambda s: {},
    "scheduling:appointment": lambda s: {"pk": _appointment(s).pk},
    "analytics:page": lambda s: {},  # an analysis of the clinic's outcomes (one read row)
    "analytics:csv": lambda s: {},
    "photos:gallery": lambda s: {"patient_pk": s.patient.pk},
    "photos:capture": lambda s: {"patient_pk": s.patient.pk},
    "photos:compare": lambda s: {"patient_pk": s.patient.pk},
    "photos:image": lambda s: {"pk": s.photo.pk},
    "photos:thumbnail": lambda s: {"pk": s.photo.pk},
    "photos:export": lambda s: {"pk": s.photo.pk, "purpose": Purpose.EDUCATION},
    "photos:purpose_gallery": lambda s: {"purpose": Purpose.EDUCATION},
}
# Their query strings, where a page needs one to show its data.
PAGE_QUERIES = {
    "patients:list": lambda s: "?q=a",  # search results: one row with the count
    "photos:compare": lambda s: f"?a={s.photo.pk}&b={s.later_photo.pk}",  # two dates, aligned
}


def _appointment(s: Seeded):
    """One consultation of the seeded patient tomorrow, made on first use."""
    from mesochart.scheduling.models import Appointment, AppointmentType, Kind

    if getattr(s, "appointment", None) is None:
        kind = AppointmentType.objects.create(
            clinic=s.membership.clinic, name="Walk", kind=Kind.CONSULTATION, duration_minutes=30
        )
        starts = s.session.started_at + timedelta(days=400)
        s.appointment = Appointment.objects.create(
            clinic=s.membership.clinic,
            patient=s.patient,
            practitioner=s.membership.user,
            type=kind,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            booked_by=s.membership.user,
        )
    return s.appointment


def API_PARAMETERS(seeded: Seeded) -> dict[str, object]:
    """Path parameters of the API by name, and the query strings of list operations."""
    return {
        "patient_id": seeded.patient.pk,
        "response_id": seeded.response.pk,
        "screening_id": seeded.screening.pk,
        "consent_id": seeded.consent.pk,
        "event_id": seeded.event.pk,
        "session_id": seeded.session.pk,
        "plan_id": seeded.plan.pk,
        "protocol_id": seeded.plan.protocol_id or 1,
        "lot_id": seeded.lot.pk,
        "lot_number": seeded.lot.lot_number,
        "slug": "x",
        "number": 1,
        "name": "x",
        "view": "front",
        "photo_id": seeded.photo.pk,
        "appointment_id": _appointment(seeded).pk,
    }


def API_QUERIES(seeded: Seeded) -> dict[str, str]:
    """Query strings of operations that need one to answer (a search, a plan to check)."""
    target = (
        f"?cocktail={seeded.screening.cocktail_version_id}&area={seeded.screening.area}"
        f"&indication={seeded.screening.indication}"
    )
    return {
        "/api/v1/patients": "?q=a",
        "/api/v1/patients/{patient_id}/consents/document": target,
        "/api/v1/patients/{patient_id}/readiness": target,
        "/api/v1/schedule/appointments": f"?date={_appointment(seeded).starts_at.date()}",
    }


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("api/"):
                continue  # walked through the OpenAPI schema
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _api_get_paths() -> list[str]:
    schema = api.get_openapi_schema()
    return [path for path, item in schema["paths"].items() if "get" in item]


def _reads_after(last_pk: int):
    return AuditEvent.objects.filter(
        pk__gt=last_pk, action__in=READ_ACTIONS, outcome=Outcome.SUCCESS
    )


def _last_pk() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_every_page_and_endpoint_is_listed_either_as_health_data_or_not():
    listed = PAGES.keys() | NOT_HEALTH_DATA
    unlisted = [name for name in _url_names(get_resolver().url_patterns) if name not in listed]
    assert unlisted == [], "add these URL names to PAGES or NOT_HEALTH_DATA"


def test_every_read_of_health_data_writes_an_audit_read_row(client_for):
    seeded = _seed()
    browser = client_for(seeded.membership.user)
    unaudited = []
    for name, arguments in PAGES.items():
        before = _last_pk()
        response = browser.get(
            reverse(name, kwargs=arguments(seeded)) + PAGE_QUERIES.get(name, lambda s: "")(seeded)
        )
        if response.status_code != 200:
            unaudited.append(f"{name}: {response.status_code}")
        elif not _reads_after(before).exists():
            unaudited.append(name)
    parameters, queries = API_PARAMETERS(seeded), API_QUERIES(seeded)
    for path in _api_get_paths():
        if path in API_NOT_HEALTH_DATA:
            continue
        before = _last_pk()
        url = path.format(**parameters) + queries.get(path, "")
        response = browser.get(url)
        if response.status_code != 200:
            unaudited.append(f"{path}: {response.status_code} {response.text[:100]}")
        elif not _reads_after(before).exists():
            unaudited.append(path)
    assert unaudited == [], "\n".join(unaudited)


def test_a_search_is_one_read_row_with_the_count_and_no_names(client_for):
    seeded = _seed()
    browser = client_for(seeded.membership.user)
    before = _last_pk()
    assert browser.get("/patients/?q=a").status_code == 200
    (row,) = _reads_after(before)
    assert row.patient_id is None
    assert set(row.detail) == {"search", "results"}
    assert isinstance(row.detail["results"], int)
