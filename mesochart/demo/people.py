"""The demo practice's organisation, clinics, staff and invented patients."""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts.models import Clinic, Credential, Membership, Organisation, User
from mesochart.accounts.roles import Role
from mesochart.patients.models import Allergy, Medication, Patient

DEMO_PASSWORD = "demo-mesochart-2026"  # noqa: S105 - published on purpose: demo only
# A fixed, published TOTP key so demo users can add it to an authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
HARBOUR, RIVERSIDE = "Harbour Street", "Riverside"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    clinic: str
    two_factor: bool


STAFF = [
    ("admin", "Ada", "Marlowe", Role.ADMIN, HARBOUR),
    ("dr.rivera", "Elena", "Rivera", Role.PRACTITIONER, HARBOUR),
    ("nurse.okafor", "Chidi", "Okafor", Role.NURSE, HARBOUR),
    ("reception", "Sam", "Lindqvist", Role.RECEPTION, HARBOUR),
    ("dr.chen", "Wei", "Chen", Role.PRACTITIONER, RIVERSIDE),
    # Riverside's opening days are an admin's decision, so it has its own manager.
    ("manager.riverside", "Ines", "Carvalho", Role.ADMIN, RIVERSIDE),
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


def practice() -> tuple[Organisation, dict[str, Clinic]]:
    org, _ = Organisation.objects.get_or_create(
        slug="demo-practice", defaults={"name": "Demo Aesthetic Practice"}
    )
    clinics = {
        name: Clinic.objects.get_or_create(
            organisation=org, name=name, defaults={"time_zone": "Europe/London"}
        )[0]
        for name in (HARBOUR, RIVERSIDE)
    }
    return org, clinics


def staff(clinics: dict[str, Clinic], members=STAFF) -> list[DemoLogin]:
    logins = []
    for username, first, last, role, clinic_name in members:
        user = make_user(username, first, last)
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
        logins.append(DemoLogin(username, str(role.label), clinic_name, two_factor))
    return logins


def make_user(username, first, last) -> User:
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


def patients(org, clinic, count: int, today: date, progress=None) -> None:
    """Top the clinic up to ``count`` patients; each clinic has its own seeded generator."""
    rng = random.Random(f"mesochart-demo/{clinic.name}")  # noqa: S311 - synthetic data
    existing = Patient.objects.filter(clinic=clinic).count()
    for _ in range(existing):
        _draw(rng, today)  # replay, so a top-up continues the same sequence
    for _ in range(existing, count):
        demo_patient(_draw(rng, today), org, clinic)
        if progress is not None:
            progress(1)


def _draw(rng: random.Random, today: date) -> dict:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55)),
        "sex_at_birth": rng.choice(["female", "female", "male"]),
        "email": ascii_address(f"{given}.{family}@example.invalid"),
        "phone": f"+44 7700 9{rng.randrange(10000, 99999)}",
        "weight_kg": rng.randrange(480, 1050) / 10,
        # Measured in the last four months, so the dose engine's per-kg limits apply.
        "weight_measured_on": today - timedelta(days=rng.randrange(3, 120)),
        "height_cm": rng.randrange(150, 195),
        "fitzpatrick_type": rng.choice(["I", "II", "III", "IV"]),
        "allergy": rng.choice(["soy", "lidocaine", "penicillin", "latex"])
        if rng.random() < 0.2
        else None,
        "anticoagulant": rng.random() < 0.1,
    }


def ascii_address(email: str) -> str:
    """ "Léa.Ó Súilleabháin" as an address the email validator accepts: lea.osuilleabhain."""
    folded = unicodedata.normalize("NFKD", email).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "")


def demo_patient(drawn: dict, org, clinic) -> Patient:
    allergy, anticoagulant = drawn.pop("allergy"), drawn.pop("anticoagulant")
    patient = Patient(
        organisation=org, clinic=clinic, record_number=org.allocate_record_number(), **drawn
    )
    patient.refresh_search_keys()
    patient.save()
    if allergy:
        Allergy.objects.create(
            patient=patient, substance=allergy, reaction="rash", severity="moderate"
        )
    if anticoagulant:
        Medication.objects.create(
            patient=patient, name="apixaban", dose="5 mg twice daily", anticoagulant=True
        )
    return patient
