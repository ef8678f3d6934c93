"""The Bundle of a patient: every resource their record holds, read in a fixed number of
queries whatever the length of their history (and for a page of patients at once, for the
bulk export), and checked against the FHIR models."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from fhir.resources.R4B import get_fhir_model_class

from mesochart.accounts.models import Clinic, Membership, User
from mesochart.consent.models import Consent, QuestionnaireResponse
from mesochart.formulary.models import CocktailVersion, Lot
from mesochart.interop.fhir import (
    care,
    history,
    media,
    medication,
    outcomes,
    people,
    questionnaires,
    sessions,
)
from mesochart.interop.fhir.codes import GRID_POINT
from mesochart.interop.fhir.ids import Refs
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Allergy, Condition, Medication
from mesochart.photos.models import Photo
from mesochart.planning.models import Plan
from mesochart.treatments.models import AdverseEvent, SessionStatus, TreatmentSession


class InvalidResource(Exception):
    """A resource the export built does not conform: a defect of the export, never data."""


def patient_bundle(patient) -> dict:
    """One patient's Bundle (their organisation read with them, or once more here)."""
    return next(patient_bundles([patient]))


def patient_bundles(patients: list) -> Iterator[dict]:
    """The Bundle of each of ``patients`` (of one organisation), in order: their records are
    read for all of them at once, in the same fixed number of queries as for one."""
    records = Records(patients)
    for patient in patients:
        yield _bundle(patient, records)


class Records:
    """Everything the Bundles of a page of patients hold, grouped by patient."""

    def __init__(self, patients: list):
        ids = [patient.pk for patient in patients]
        self.allergies = _by_patient(Allergy.objects.filter(patient__in=ids).order_by("pk"))
        self.medications = _by_patient(Medication.objects.filter(patient__in=ids).order_by("pk"))
        self.conditions = _by_patient(Condition.objects.filter(patient__in=ids).order_by("pk"))
        self.plans = _by_patient(
            Plan.objects.filter(patient__in=ids)
            .prefetch_related("sessions", "regions")
            .order_by("pk")
        )
        self.signed = _by_patient(
            TreatmentSession.objects.filter(patient__in=ids, status=SessionStatus.SIGNED)
            .select_related("signed_origin")
            .prefetch_related("products__lot", "amendments")
            .order_by("started_at", "pk")
        )
        self.events = _by_patient(
            AdverseEvent.objects.filter(patient__in=ids).prefetch_related("lots").order_by("pk")
        )
        self.consents = _by_patient(
            Consent.objects.filter(patient__in=ids).select_related("clinic").order_by("pk")
        )
        self.responses = _by_patient(
            QuestionnaireResponse.objects.filter(patient__in=ids).order_by("submitted_at", "pk")
        )
        self.outcomes = _by_patient(
            OutcomeValue.objects.filter(patient__in=ids)
            .select_related("clinic_item")
            .order_by("pk")
        )
        self.photos = _by_patient(
            photo
            for photo in Photo.objects.filter(patient__in=ids).order_by("taken_at", "pk")
            if media.allowed(photo, self.consents.get(photo.patient_id, []))
        )
        everything = [s for rows in self.signed.values() for s in rows]
        events = [e for rows in self.events.values() for e in rows]
        plans = [p for rows in self.plans.values() for p in rows]
        self.lots = {
            lot.pk: lot
            for lot in Lot.objects.filter(pk__in=_lot_ids(everything, events))
            .select_related("product")
            .prefetch_related("product__composition__ingredient")
        }
        self.versions = {
            version.pk: version
            for version in CocktailVersion.objects.filter(pk__in=_version_ids(everything, plans))
            .select_related("cocktail")
            .prefetch_related("components__product")
        }
        responses = [r for rows in self.responses.values() for r in rows]
        values = [v for rows in self.outcomes.values() for v in rows]
        photos = [p for rows in self.photos.values() for p in rows]
        consents = [c for rows in self.consents.values() for c in rows]
        user_ids = _user_ids(everything, plans, events, responses, values, photos, consents)
        self.users = {
            user.pk: user
            for user in User.objects.filter(pk__in=user_ids).select_related("credential")
        }
        organisations = {patient.organisation_id for patient in patients}
        self.memberships = defaultdict(list)
        for membership in (
            Membership.objects.filter(
                user_id__in=user_ids, clinic__organisation_id__in=organisations
            )
            .select_related("clinic")
            .order_by("pk")
        ):
            self.memberships[membership.user_id].append(membership)
        clinic_ids = (
            {patient.clinic_id for patient in patients}
            | {s.clinic_id for s in everything}
            | {e.clinic_id for e in events}
            | {m.clinic_id for rows in self.memberships.values() for m in rows}
        )
        self.clinics = {clinic.pk: clinic for clinic in Clinic.objects.filter(pk__in=clinic_ids)}


def _by_patient(rows) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.patient_id].append(row)
    return grouped


def _lot_ids(signed, events) -> set[int]:
    return {row.lot_id for s in signed for row in s.products.all()} | {
        lot.pk for event in events for lot in event.lots.all()
    }


def _version_ids(signed, plans) -> set[int]:
    return {s.cocktail_version_id for s in signed} | {
        p.cocktail_version_id for p in plans if p.cocktail_version_id
    }


def _user_ids(signed, plans, events, responses, values, photos, consents) -> set[int]:
    named = (
        {c.witness_id for c in consents}
        | {p.taken_by_id for p in photos}
        | {v.rater_id for v in values}
        | {v.recorded_by_id for v in values if v.amends_id}
        | {r.collected_by_id for r in responses}
        | {s.practitioner_id for s in signed}
        | {s.signed_by_id for s in signed}
        | {a.by_id for s in signed for a in s.amendments.all()}
        | {p.created_by_id for p in plans}
        | {p.approved_by_id for p in plans}
        | {e.recorded_by_id for e in events}
    )
    return named - {None}


def _bundle(patient, records: Records) -> dict:
    refs = Refs(patient.organisation.slug)
    subject = refs.ref("Patient", patient.pk)
    plans = records.plans.get(patient.pk, [])
    signed = records.signed.get(patient.pk, [])
    events = records.events.get(patient.pk, [])
    responses = records.responses.get(patient.pk, [])
    values = records.outcomes.get(patient.pk, [])
    photos = records.photos.get(patient.pk, [])
    consents = records.consents.get(patient.pk, [])
    named = _user_ids(signed, plans, events, responses, values, photos, consents)
    users = [records.users[pk] for pk in sorted(named)]
    memberships = [m for user in users for m in records.memberships.get(user.pk, [])]
    clinic_ids = (
        {patient.clinic_id}
        | {s.clinic_id for s in signed}
        | {e.clinic_id for e in events}
        | {m.clinic_id for m in memberships}
    )
    recorded = {s.plan_session_id: s.pk for s in signed if s.plan_session_id}
    indication = {p.pk: p.indication for p in plans}
    resources = [
        people.patient(refs, patient),
        people.organization(refs, patient.organisation),
        *(people.location(refs, records.clinics[pk]) for pk in sorted(clinic_ids)),
        *(people.practitioner(refs, user, _credential(user)) for user in users),
        *(people.practitioner_role(refs, membership) for membership in memberships),
        *(history.allergy(refs, row, subject) for row in records.allergies.get(patient.pk, [])),
        *(
            history.medication_statement(refs, row, subject)
            for row in records.medications.get(patient.pk, [])
        ),
        *(history.condition(refs, row, subject) for row in records.conditions.get(patient.pk, [])),
        *(
            questionnaires.questionnaire(refs, version)
            for version in sorted({row.questionnaire_version for row in responses})
        ),
        *(questionnaires.response(refs, row, subject) for row in responses),
        *(care.consent(refs, row, subject) for row in consents),
        *(care.consent_signature(refs, row, subject) for row in consents),
        *(care.care_plan(refs, plan, subject, recorded) for plan in plans),
        *(area for plan in plans for area in care.plan_areas(refs, plan, subject)),
        *(
            medication.cocktail(refs, records.versions[pk])
            for pk in sorted(_version_ids(signed, plans))
        ),
        *(medication.lot(refs, records.lots[pk]) for pk in sorted(_lot_ids(signed, events))),
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
    procedures = {s.pk for s in signed}
    resources += [outcomes.observation(refs, v, subject, procedures) for v in values]
    resources += [outcomes.provenance(refs, v) for v in values if v.amends_id]
    resources += [media.media(refs, photo, subject, procedures) for photo in photos]
    for resource in resources:
        check(resource)
    return {
        "resourceType": "Bundle",
        "id": refs.id("Bundle", f"patient-{patient.pk}"),
        "type": "collection",
        "timestamp": datetime.now(UTC).isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }


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
    points are decimals under fixed sub-extension names (`sessions.grids`, `care.plan_areas`):
    the first point of each shape (the sub-extensions it carries) stands for the rest."""
    if resource["resourceType"] == "BodyStructure":
        resource = {**resource, "extension": _one_point_of_each_shape(resource["extension"])}
    signature = (resource["resourceType"], shape(resource))
    if signature in _VALID_SHAPES:
        return
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValueError as error:
        raise InvalidResource(f"{resource['resourceType']}/{resource['id']}: {error}") from error
    if len(_VALID_SHAPES) < _MAX_SHAPES:
        _VALID_SHAPES.add(signature)


def _one_point_of_each_shape(extensions: list[dict]) -> list[dict]:
    """Every extension but the grid points, and the first point of each set of parts."""
    kept: dict[tuple, dict] = {}
    for extension in extensions:
        parts = extension.get("extension") if extension["url"] == GRID_POINT else None
        key = tuple(part["url"] for part in parts) if parts else (extension["url"], id(extension))
        kept.setdefault(key, extension)
    return list(kept.values())
