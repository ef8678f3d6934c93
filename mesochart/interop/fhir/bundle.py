"""The Bundle of one patient: every resource their record holds, read in a fixed number of
queries whatever the length of their history, and checked against the FHIR models."""

from datetime import UTC, datetime

from fhir.resources.R4B import get_fhir_model_class

from mesochart.accounts.models import Clinic, Membership, User
from mesochart.consent.models import Consent
from mesochart.formulary.models import CocktailVersion, Lot
from mesochart.interop.fhir import care, history, medication, people, sessions
from mesochart.interop.fhir.ids import Refs
from mesochart.planning.models import Plan
from mesochart.treatments.models import AdverseEvent, SessionStatus, TreatmentSession


class InvalidResource(Exception):
    """A resource the export built does not conform: a defect of the export, never data."""


def patient_bundle(patient) -> dict:
    refs = Refs(patient.organisation.slug)
    subject = refs.ref("Patient", patient.pk)
    plans = list(Plan.objects.filter(patient=patient).prefetch_related("sessions").order_by("pk"))
    signed = list(
        TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)
        .prefetch_related("products", "amendments")
        .order_by("started_at", "pk")
    )
    events = list(
        AdverseEvent.objects.filter(patient=patient).prefetch_related("lots").order_by("pk")
    )
    consents = list(Consent.objects.filter(patient=patient).select_related("clinic").order_by("pk"))
    lot_ids = sorted(
        {row.lot_id for s in signed for row in s.products.all()}
        | {lot.pk for event in events for lot in event.lots.all()}
    )
    lots = (
        Lot.objects.filter(pk__in=lot_ids)
        .select_related("product")
        .prefetch_related("product__composition__ingredient")
    )
    versions = (
        CocktailVersion.objects.filter(
            pk__in={s.cocktail_version_id for s in signed}
            | {p.cocktail_version_id for p in plans if p.cocktail_version_id}
        )
        .select_related("cocktail")
        .prefetch_related("components__product")
    )
    user_ids = (
        {s.practitioner_id for s in signed}
        | {s.signed_by_id for s in signed}
        | {a.by_id for s in signed for a in s.amendments.all()}
        | {p.created_by_id for p in plans}
        | {e.recorded_by_id for e in events}
    )
    users = User.objects.filter(pk__in=user_ids).select_related("credential").order_by("pk")
    memberships = list(
        Membership.objects.filter(
            user_id__in=user_ids, clinic__organisation_id=patient.organisation_id
        )
        .select_related("clinic")
        .order_by("pk")
    )
    clinic_ids = (
        {patient.clinic_id}
        | {s.clinic_id for s in signed}
        | {e.clinic_id for e in events}
        | {m.clinic_id for m in memberships}
    )
    clinics = Clinic.objects.filter(pk__in=clinic_ids).order_by("pk")
    recorded = {s.plan_session_id: s.pk for s in signed if s.plan_session_id}
    indication = {p.pk: p.indication for p in plans}

    resources = [
        people.patient(refs, patient),
        people.organization(refs, patient.organisation),
        *(people.location(refs, clinic) for clinic in clinics),
        *(people.practitioner(refs, user, _credential(user)) for user in users),
        *(people.practitioner_role(refs, membership) for membership in memberships),
        *(history.allergy(refs, row, subject) for row in patient.allergies.all()),
        *(history.medication_statement(refs, r, subject) for r in patient.medications.all()),
        *(history.condition(refs, row, subject) for row in patient.conditions.all()),
        *(care.consent(refs, row, subject) for row in consents),
        *(care.care_plan(refs, plan, subject, recorded) for plan in plans),
        *(medication.cocktail(refs, version) for version in versions),
        *(medication.lot(refs, lot) for lot in lots),
    ]
    for session in signed:
        session_lots = sorted({row.lot_id for row in session.products.all()})
        resources.append(sessions.procedure(refs, session, subject, session_lots))
        resources += sessions.administrations(
            refs, session, subject, indication.get(session.plan_id, "")
        )
        resources += sessions.grids(refs, session, subject)
        resources += sessions.provenances(refs, session, list(session.amendments.all()))
    resources += [care.adverse_event(refs, event, subject) for event in events]
    for resource in resources:
        check(resource)
    bundle = {
        "resourceType": "Bundle",
        "id": refs.id("Bundle", f"patient-{patient.pk}"),
        "type": "collection",
        "timestamp": datetime.now(UTC).isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }
    return bundle


def _credential(user):
    try:
        return user.credential
    except User.credential.RelatedObjectDoesNotExist:
        return None


# Shapes of resources already validated in this process: see `check`.
_VALID_SHAPES: set = set()
_MAX_SHAPES = 10_000


def shape(value):
    """What validity depends on, for resources these builders write: the keys at every
    level, each leaf's type, and whether a string is empty (the values themselves are codes
    from enumerations, ISO dates and times, uuids and numbers, each valid by construction)."""
    if isinstance(value, dict):
        return tuple(sorted((key, shape(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("[]", frozenset(shape(item) for item in value))
    return (type(value).__name__, value == "")


def check(resource: dict) -> None:
    """Structure and types, by the ``fhir.resources`` model of the resource's type.

    A long history repeats a handful of shapes thousands of times (every grid point, every
    session's Procedure): each shape is validated once per process, which keeps a 50-session
    export within its time while every shape a record takes is still checked. A grid's
    points are written by one comprehension of one shape (`sessions.grids`): its first point
    (after the chart view) stands for the rest."""
    if resource["resourceType"] == "BodyStructure":
        resource = {**resource, "extension": resource["extension"][:2]}
    signature = (resource["resourceType"], shape(resource))
    if signature in _VALID_SHAPES:
        return
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValueError as error:
        raise InvalidResource(f"{resource['resourceType']}/{resource['id']}: {error}") from error
    if len(_VALID_SHAPES) < _MAX_SHAPES:
        _VALID_SHAPES.add(signature)
