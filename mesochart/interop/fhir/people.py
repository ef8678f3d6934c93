"""Patient, Organization, Location, Practitioner and PractitionerRole."""

from mesochart.interop.fhir.codes import LICENCE, RECORD_NUMBER
from mesochart.interop.fhir.ids import Refs

GENDER = {"female": "female", "male": "male", "intersex": "other"}


def patient(refs: Refs, row) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": refs.id("Patient", row.pk),
        "identifier": [{"system": RECORD_NUMBER, "value": row.record_number}],
        "active": row.voided_at is None,
        "name": [{"family": row.family_name, "given": [row.given_name]}],
        "gender": GENDER.get(row.sex_at_birth, "unknown"),
        "birthDate": row.date_of_birth.isoformat(),
        "managingOrganization": refs.ref("Organization", row.organisation_id),
    }
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", row.phone), ("email", row.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if row.address:
        resource["address"] = [{"text": row.address}]
    return resource


def organization(refs: Refs, row) -> dict:
    return {
        "resourceType": "Organization",
        "id": refs.id("Organization", row.pk),
        "identifier": [
            {"system": "https://mesochart.org/fhir/NamingSystem/organisation", "value": row.slug}
        ],
        "active": True,
        "name": row.name,
    }


def location(refs: Refs, row) -> dict:
    resource = {
        "resourceType": "Location",
        "id": refs.id("Location", row.pk),
        "status": "active",
        "name": row.name,
        "managingOrganization": refs.ref("Organization", row.organisation_id),
    }
    if row.address:
        resource["address"] = {"text": row.address}
    return resource


def practitioner(refs: Refs, user, credential) -> dict:
    resource = {
        "resourceType": "Practitioner",
        "id": refs.id("Practitioner", user.pk),
        "active": user.is_active,
        "name": [_name(user)],
    }
    if credential is not None:
        resource["qualification"] = [
            {
                "identifier": [{"system": LICENCE, "value": credential.licence_number}],
                "code": {"text": credential.profession},
                "period": {"end": credential.expires_on.isoformat()},
                "issuer": {"display": credential.issuing_body},
            }
        ]
    return resource


def practitioner_role(refs: Refs, membership) -> dict:
    return {
        "resourceType": "PractitionerRole",
        "id": refs.id("PractitionerRole", membership.pk),
        "active": membership.active,
        "practitioner": refs.ref("Practitioner", membership.user_id),
        "organization": refs.ref("Organization", membership.clinic.organisation_id),
        "location": [refs.ref("Location", membership.clinic_id)],
        "code": [{"text": membership.get_role_display()}],
    }


def _name(user) -> dict:
    name = {"text": user.get_full_name() or user.get_username()}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    return name
