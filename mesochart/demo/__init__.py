"""The synthetic demo practice: two English clinics and a French one (`demo.lyon`), staff
per role, invented patients, and enough
clinical work to show the product: stock with lots near and past expiry, versioned
cocktails, opening days, treatment plans with charts and series (some approved), screenings,
a signed consent, allergy reviews, a first session signed with a lot of the stock, two
synthetic photos (`demo.photos`), and each clinic's calendar (rooms, appointment types,
hours and a week of appointments).

Idempotent: running it again changes nothing that exists and records nothing in the audit
log. Every name, number and date is made up; the random generators are seeded and dates are
counted from the clinic's today, so every install shows the same, current-looking practice.
Everything after the patients goes through the real actions, so it is validated and audited
like work done in the application.
"""

from django.db import transaction

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership
from mesochart.demo import (
    aftercare,
    appointments,
    clinical,
    formulary,
    lyon,
    outcome_history,
    people,
)
from mesochart.demo import photos as demo_photos
from mesochart.demo.outcomes import outcome_values
from mesochart.demo.people import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, HARBOUR, DemoLogin

__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_KEY_HEX", "DemoLogin", "load_demo"]


@transaction.atomic
def load_demo(
    patients_per_clinic: int = 40, progress=None, history: bool = False
) -> list[DemoLogin]:
    """Create the demo practice if it is missing; return the logins to print.

    ``history``: also the synthetic outcome history of 80 more patients that the analytics
    page compares (`demo.outcome_history`; `mesochart demo` loads it).

    ``progress(n)`` is called once per patient created.
    """
    org, clinics = people.practice()
    logins = people.staff(clinics)
    for clinic in clinics.values():
        today = clinic.today()
        people.patients(org, clinic, patients_per_clinic, today, progress)
        staff = _staff_of(clinic)
        formulary.calendar(staff["admin"], today)
        formulary.stock(staff["practitioner"], today)
        cocktails = formulary.cocktails(staff["practitioner"])
        clinical.allergy_reviews(staff["practitioner"], today)
        if clinic.name == HARBOUR:
            clinical.templates(staff["practitioner"])
            clinical.plans(
                staff["practitioner"], staff["nurse"], staff["reception"], cocktails, today
            )
            clinical.first_session(staff["practitioner"], formulary.lot_number(clinic, "DCA"))
            aftercare.sheets(staff["practitioner"])
            outcome_values(staff["practitioner"], clinical.PLANS[0].title)
            demo_photos.photos(staff["practitioner"], clinical.PLANS[0].title)
            if history:
                outcome_history.load(staff["practitioner"])
        appointments.calendars(clinic, staff["admin"])
    _lyon(org, logins, patients_per_clinic, progress)
    return logins


def _lyon(org, logins: list, count: int, progress) -> None:
    """The French clinic: its staff, its French patients, its French consent wording, its
    stock and a French plan approved, screened and consented (no nurse there: the
    practitioner screens)."""
    clinic = lyon.clinic(org)
    today = clinic.today()
    logins += people.staff({lyon.LYON: clinic}, lyon.STAFF)
    lyon.patients(org, clinic, today, people.demo_patient, count, progress)
    staff = _staff_of(clinic)
    practitioner = staff["practitioner"]
    clinical.templates(practitioner, lyon.TEMPLATES)
    formulary.stock(practitioner, today)
    cocktails = formulary.cocktails(practitioner, lyon.COCKTAILS)
    clinical.plans(practitioner, practitioner, staff["reception"], cocktails, today, lyon.PLANS)


# The device a demo consent is signed on, as its record names it.
DEVICE = "mesochart demo (synthetic)"


def _staff_of(clinic) -> dict[str, Actor]:
    """The clinic's demo members by role (one of each the demo created there), as the actors
    of the demo's actions, on a device the records name as the demo."""
    members = Membership.objects.filter(
        clinic=clinic, user__email__endswith="@demo.mesochart.invalid"
    ).select_related("clinic__organisation", "user")
    return {m.role: Actor.at(m, user_agent=DEVICE) for m in members.order_by("-pk")}
