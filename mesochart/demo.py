"""The synthetic demo practice: two clinics, one staff member per role, invented patients.

Idempotent: running it again changes nothing that exists. Every name, number and date is
made up; the random generator is seeded so every install shows the same practice.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts.models import Clinic, Credential, Membership, Organisation, User
from mesochart.accounts.roles import Role
from mesochart.patients.models import Allergy, Medication, Patient

DEMO_PASSWORD = "demo-mesochart-2026"  # noqa: S105 - published on purpose: demo only
# A fixed, published TOTP key so demo users can add it to an authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    clinic: str
    two_factor: bool


STAFF = [
    ("admin", "Ada", "Marlowe", Role.ADMIN, "Harbour Street"),
    ("dr.rivera", "Elena", "Rivera", Role.PRACTITIONER, "Harbour Street"),
    ("nurse.okafor", "Chidi", "Okafor", Role.NURSE, "Harbour Street"),
    ("reception", "Sam", "Lindqvist", Role.RECEPTION, "Harbour Street"),
    ("dr.chen", "Wei", "Chen", Role.PRACTITIONER, "Riverside"),
]
GIVEN = [
    "Amara",
    "Björn",
    "Chloé",
    "Dmitri",
    "Eilidh",
    "Farah",
    "Gaspard",
    "Hana",
    "Iker",
    "Joanna",
    "Kofi",
    "Léa",
    "Mateo",
    "Noor",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sione",
    "Talia",
    "Uma",
    "Viktor",
    "Wren",
    "Ximena",
    "Yusuf",
    "Zofia",
]
FAMILY = [
    "Abernathy",
    "Bouchard",
    "Castellano",
    "Delacroix",
    "Eriksen",
    "Fontaine",
    "Garnier",
    "Halloran",
    "Ibarra",
    "Jovanović",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Ó Súilleabháin",
    "Petrov",
    "Quaresma",
    "Rahman",
    "Santoro",
    "Takahashi",
    "Urquhart",
    "Vasquez",
    "Whitfield",
    "Yilmaz",
    "Zimmermann",
]


def _user(username, first, last) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.mesochart.invalid",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_demo(patients_per_clinic: int = 40, progress=None) -> list[DemoLogin]:
    """Create the demo practice if it is missing; return the logins to print."""
    org, _ = Organisation.objects.get_or_create(
        slug="demo-practice", defaults={"name": "Demo Aesthetic Practice"}
    )
    clinics = {
        name: Clinic.objects.get_or_create(
            organisation=org, name=name, defaults={"time_zone": "Europe/London"}
        )[0]
        for name in ("Harbour Street", "Riverside")
    }
    logins = []
    for username, first, last, role, clinic_name in STAFF:
        user = _user(username, first, last)
        Membership.objects.get_or_create(
            user=user, clinic=clinics[clinic_name], defaults={"role": role}
        )
        two_factor = role in (Role.ADMIN, Role.PRACTITIONER)
        if two_factor:
            TOTPDevice.objects.get_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
            )
        if role == Role.PRACTITIONER:
            Credential.objects.get_or_create(
                user=user,
                defaults={
                    "profession": "Physician",
                    "licence_number": f"DEMO-{user.pk:05d}",
                    "issuing_body": "Demo Medical Council (fictitious)",
                    "expires_on": date(2030, 12, 31),
                    "may_administer_prescription_medicines": True,
                },
            )
        logins.append(DemoLogin(username, role.label, clinic_name, two_factor))
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    for clinic in clinics.values():
        existing = Patient.objects.filter(clinic=clinic).count()
        for _ in range(existing, patients_per_clinic):
            _demo_patient(rng, org, clinic)
            if progress is not None:
                progress(1)
    return logins


def _demo_patient(rng: random.Random, org, clinic) -> Patient:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    patient = Patient(
        organisation=org,
        clinic=clinic,
        record_number=org.allocate_record_number(),
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex_at_birth=rng.choice(["female", "female", "male"]),
        email=f"{given}.{family}@example.invalid".lower().replace(" ", ""),
        phone=f"+44 7700 9{rng.randrange(10000, 99999)}",
        weight_kg=rng.randrange(480, 1050) / 10,
        weight_measured_on=date(2026, 10, 1),
        height_cm=rng.randrange(150, 195),
        fitzpatrick_type=rng.choice(["I", "II", "III", "IV"]),
    )
    patient.refresh_search_keys()
    patient.save()
    if rng.random() < 0.2:
        Allergy.objects.create(
            patient=patient,
            substance=rng.choice(["soy", "lidocaine", "penicillin", "latex"]),
            reaction="rash",
            severity="moderate",
        )
    if rng.random() < 0.1:
        Medication.objects.create(
            patient=patient, name="apixaban", dose="5 mg twice daily", anticoagulant=True
        )
    return patient
