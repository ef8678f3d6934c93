"""A synthetic outcome history for the analytics page (issue 17): one cellulite protocol, two
cocktails, 40 patients on each, four weekly sessions, CSS and thigh circumference at
baseline and at follow-ups 4 and 12 weeks after the last session; some patients are lost
to follow-up.

SYNTHETIC: every patient ("Synthetic cohort NNN"), value and difference between the
cocktails is made up by a seeded generator; it shows the page, it proves nothing about any
product. The protocol is the demo's own, not a recommendation. Unlike the rest of the demo it
is bulk-inserted (a few queries, not 80 × 20 audited actions) so `mesochart demo` stays quick;
the rows are therefore not in the audit log (their analytics series are derived at the
end, as the actions would), and its sessions carry no lots and no content
hash of a signed record (their notes say so). Idempotent: nothing happens if the protocol exists.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mesochart.accounts.models import Organisation
from mesochart.analytics import series_table
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.demo.formulary import CAFFEINE, PCDC
from mesochart.formulary.actions.cocktails import create_cocktail
from mesochart.formulary.models import Cocktail
from mesochart.outcomes.models import OutcomeValue
from mesochart.patients.models import Patient
from mesochart.planning.models import Plan, Protocol
from mesochart.treatments.content import content_hash
from mesochart.treatments.models import TreatmentSession

SLUG = "synthetic-cellulite-thighs"
LABEL = "SYNTHETIC demo outcome history: made up, not a real session or result."
SITE = "left thigh, 10 cm above the patella (marked)"
AREA = "thighs"
# Made-up effects per cocktail: mean and SD of the change in CSS points and in cm at 4 weeks.
COCKTAILS = (
    ("Cellulite caffeine (synthetic)", CAFFEINE, (-1.2, 1.6), (-0.6, 1.4)),
    ("Cellulite PC/DC (synthetic)", PCDC, (-2.6, 1.8), (-1.9, 1.6)),
)
PER_COCKTAIL = 40
SESSIONS = 4
FOLLOW_UPS_DAYS = (28, 84)
LOST = 0.15  # share with no 4-week follow-up; a further share misses the 12-week one


@transaction.atomic
def load(practitioner) -> None:
    clinic = practitioner.clinic
    if Protocol.objects.filter(clinic=clinic, slug=SLUG).exists():
        return
    rng = random.Random("mesochart-demo/outcome-history")  # noqa: S311 - synthetic data
    today = clinic.today()
    protocol = Protocol.objects.create(
        clinic=clinic, slug=SLUG, name="Cellulite, thighs (synthetic demo)",
        indication="cellulite", phases=[{"count": SESSIONS, "every_days": 7}], note=LABEL,
    )  # fmt: skip
    versions = [_cocktail(practitioner, name, slug) for name, slug, _css, _cm in COCKTAILS]
    patients = _patients(clinic, rng, today)
    plans = Plan.objects.bulk_create(
        Plan(clinic=clinic, patient=p, title="Cellulite, thighs (synthetic)",
             indication="cellulite",
             protocol=protocol, cocktail_version=versions[i // PER_COCKTAIL],
             first_date=today, notes=LABEL,
             created_by=practitioner.user)
        for i, p in enumerate(patients)
    )  # fmt: skip
    sessions, values = [], []
    for i, plan in enumerate(plans):
        arm = COCKTAILS[i // PER_COCKTAIL]
        first = today - timedelta(days=rng.randrange(130, 260))
        plan.first_date = first
        # Approved the day before its first session, by the practitioner (an approved plan
        # always names its approver: the plan page and the PDF show it).
        # Written as drafts, approved here once the time is known (the database holds an
        # approved plan to its approver and time).
        plan.status, plan.approved_by = "approved", practitioner.user
        plan.approved_at = timezone.make_aware(datetime.combine(first - timedelta(days=1), time(9)))
        days = [first + timedelta(days=7 * k) for k in range(SESSIONS)]
        sessions += [_session(plan, practitioner, day) for day in days]
        values += _values(plan, practitioner, rng, arm, first, days[-1], today)
    Plan.objects.bulk_update(plans, ["first_date", "status", "approved_by", "approved_at"])
    TreatmentSession.objects.bulk_create(sessions)
    for session in sessions:  # each record's own digest, as signing would store it
        session.content_hash = content_hash(session, [])
    TreatmentSession.objects.bulk_update(sessions, ["content_hash"])
    OutcomeValue.objects.bulk_create(values)
    series_table.refresh(plan.pk for plan in plans)
    record(
        practitioner.user,
        Action.CREATE,
        Category.OUTCOME,
        clinic=clinic,
        detail={
            "demo": LABEL,
            "patients": len(patients),
            "sessions": len(sessions),
            "outcome_values": len(values),
        },
    )


def _cocktail(practitioner, name: str, slug: str):
    found = Cocktail.objects.filter(clinic=practitioner.clinic, name=name).first()
    if found is not None:
        return found.versions.order_by("-number").first()
    components = [{"product": slug, "volume_ml": Decimal(5)}]
    return create_cocktail(practitioner, {"name": name, "note": LABEL}, components)


def _patients(clinic, rng, today) -> list[Patient]:
    count = PER_COCKTAIL * len(COCKTAILS)
    org = Organisation.objects.select_for_update().get(pk=clinic.organisation_id)
    start = org.next_record_number
    Organisation.objects.filter(pk=org.pk).update(next_record_number=start + count)
    patients = []
    for n in range(count):
        patient = Patient(
            organisation_id=org.pk, clinic=clinic,
            record_number=f"{org.record_number_prefix}-{start + n:06d}",
            given_name="Synthetic", family_name=f"cohort {n + 1:03d}",
            date_of_birth=today - timedelta(days=rng.randrange(365 * 22, 365 * 62)),
            sex_at_birth=rng.choice(["female"] * 9 + ["male"]),
            fitzpatrick_type=rng.choice(["I", "II", "III", "IV", "V"]),
        )  # fmt: skip
        patient.refresh_search_keys()
        patients.append(patient)
    return Patient.objects.bulk_create(patients)


def _session(plan, practitioner, day):
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    return TreatmentSession(
        clinic=plan.clinic, patient=plan.patient, plan=plan, cocktail_version=plan.cocktail_version,
        practitioner=practitioner.user, status="signed", started_at=moment, signed_at=moment,
        signed_by=practitioner.user, areas=[AREA], notes=LABEL, created_by=practitioner.user,
        content_hash="pending",  # the record's digest once it has its id (`load`)
    )  # fmt: skip


def _css_items(total: int) -> dict[str, int]:
    """Items A–E (0–3 each) adding up to ``total``, filled evenly."""
    items = dict.fromkeys("ABCDE", 0)
    for k in range(total):
        items["ABCDE"[k % 5]] += 1
    return items


def _band(total: int) -> str:
    if total == 0:
        return ""
    return "mild" if total <= 5 else "moderate" if total <= 10 else "severe"


def _values(plan, practitioner, rng, arm, first, last, today) -> list[OutcomeValue]:
    _name, _slug, (css_mean, css_sd), (cm_mean, cm_sd) = arm
    css0 = rng.randrange(7, 14)
    cm0 = round(rng.gauss(58, 5), 1)
    seen = [(first - timedelta(days=7), "baseline", 0.0)]
    lost = rng.random()
    for n, days in enumerate(FOLLOW_UPS_DAYS):
        if lost < LOST * (n + 1) or last + timedelta(days=days) > today:
            break
        seen.append((last + timedelta(days=days + rng.randrange(-5, 6)), "follow_up", 1 + n / 4))
    rows = []
    css_change, cm_change = rng.gauss(css_mean, css_sd), rng.gauss(cm_mean, cm_sd)
    for day, context, scale in seen:
        css = max(0, min(15, round(css0 + scale * css_change)))
        common = {"clinic": plan.clinic, "patient": plan.patient, "plan": plan,
                  "context": context, "area": AREA, "site": SITE, "measured_on": day,
                  "rater": practitioner.user, "rater_role": "practitioner",
                  "recorded_by": practitioner.user}  # fmt: skip
        rows.append(OutcomeValue(measure="css", value=Decimal(css), items=_css_items(css),
                                 band=_band(css), **common))  # fmt: skip
        cm = Decimal(str(round(cm0 + scale * cm_change, 1)))
        rows.append(OutcomeValue(measure="circumference", value=cm, **common))
    return rows
