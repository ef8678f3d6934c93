"""The demo's clinical records: treatment plans with charts and series, screenings, a signed
consent, allergy reviews and a first signed session, all written through the real actions
(validated and audited).

A plan is looked up by its title at the clinic, a template by its subject, so a second run
finds everything and writes nothing.
"""

import base64
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from mesochart.accounts.reauth import Reauthentication
from mesochart.consent import actions as consent_actions
from mesochart.consent.document import prepare
from mesochart.consent.models import ConsentTemplate
from mesochart.consent.plans import target_of
from mesochart.consent.questionnaire import CURRENT
from mesochart.demo.outcomes import baselines
from mesochart.formulary.models import Lot
from mesochart.patients.actions import update_patient
from mesochart.patients.models import Patient
from mesochart.planning import actions as plan_actions
from mesochart.planning import approval as plan_approval
from mesochart.planning import grids
from mesochart.planning.models import Plan, Protocol
from mesochart.treatments import actions as session_actions


@dataclass(frozen=True)
class Area:
    view: str
    region: str
    spacing_cm: float
    volume_ml: float
    depth_mm: float
    width_cm: float | None = None
    height_cm: float | None = None
    points: int | None = None  # spread this many points over the region (None: fill it)


@dataclass(frozen=True)
class DemoPlan:
    title: str
    protocol: str
    cocktail: str
    areas: tuple[Area, ...]
    starts_in_days: int
    approve: bool = False
    screen: bool = False
    consent: bool = False


SUBMENTAL = Area("neck-submental", "submental", 1.0, 0.2, 4, 11.0, 8.5)
MALAR = tuple(Area("face-front", f"malar-{side}", 1.0, 0.05, 1) for side in ("left", "right"))
PLANS = (
    DemoPlan(
        "Submental fat, deoxycholic acid",
        "submental-deoxycholic-acid",
        "Submental deoxycholic acid",
        (SUBMENTAL,),
        7,
        approve=True,
        screen=True,
        consent=True,
    ),
    DemoPlan(
        "Abdomen, injection lipolysis",
        "lipolysis-pcdc",
        "Abdomen PC/DC",
        (Area("body-front", "abdomen", 1.5, 0.2, 4, 24.0, 18.0, points=40),),
        3,
        approve=True,
        screen=True,
    ),
    DemoPlan(
        "Melasma, tranexamic acid fortnightly",
        "melasma-tranexamic-fortnightly",
        "Melasma tranexamic acid",
        MALAR,
        2,
        approve=True,
        screen=True,
    ),
    DemoPlan(
        "Flanks, injection lipolysis",
        "lipolysis-pcdc",
        "Abdomen PC/DC",
        tuple(
            Area("body-back", f"flank-{side}", 1.5, 0.2, 4, points=15) for side in ("left", "right")
        ),
        10,
    ),
    DemoPlan(
        "Melasma, tranexamic acid weekly",
        "melasma-tranexamic-weekly",
        "Melasma tranexamic acid",
        MALAR,
        14,
    ),
)

TEMPLATES = (
    {
        "scope": "indication",
        "subject": "body_contouring",
        "title": "Body contouring / fat reduction consent",
        "risks": "Swelling, bruising, tenderness and numbness for days to weeks; nodules; "
        "rarely infection, ulceration or skin necrosis. Under the chin: temporary nerve "
        "weakness of the lower lip and difficulty swallowing.",
        "alternatives": "No treatment; diet and exercise; liposuction or other surgery.",
        "expected_sessions": "Usually 2 to 6 sessions, at least one month apart.",
        "aftercare": "Cool packs; no massage, sauna or strenuous exercise for 48 hours.",
    },
    {
        "scope": "indication",
        "subject": "pigmentation",
        "title": "Melasma treatment consent",
        "risks": "Redness, small bruises and tenderness at the injection points; the "
        "pigmentation may return.",
        "alternatives": "No treatment; sun protection and topical creams; chemical peels.",
        "expected_sessions": "Usually 6 to 7 sessions, one or two weeks apart.",
        "aftercare": "Broad-spectrum sunscreen every day; no make-up for 12 hours.",
    },
    {
        "scope": "product",
        "subject": "deoxycholic-acid-10mg-ml",
        "title": "Deoxycholic acid",
        "risks": "Swelling under the chin can last several weeks.",
        "alternatives": "Surgery under the chin; no treatment.",
        "expected_sessions": "At most 6 sessions, at least one month apart (product label).",
        "aftercare": "Call the clinic if swallowing becomes difficult or your smile is uneven.",
    },
)


def templates(practitioner, wording=TEMPLATES) -> None:
    """The demo consent templates at the practitioner's clinic (``wording``: the English
    ones, or a translation such as `lyon.TEMPLATES`); a template already there is kept."""
    for data in wording:
        exists = ConsentTemplate.objects.filter(
            clinic=practitioner.clinic, scope=data["scope"], subject=data["subject"]
        ).exists()
        if not exists:
            consent_actions.save_template(practitioner, data)


def plans(practitioner, nurse, reception, cocktails: dict, today: date, specs=PLANS) -> None:
    """The demo plans at the practitioner's clinic, each for its own eligible patient
    (``specs``: the English clinic's, or a clinic's own such as `lyon.PLANS`)."""
    clinic = practitioner.clinic
    done = set(Plan.objects.filter(clinic=clinic).values_list("title", flat=True))
    candidates = iter(_candidates(clinic))
    for spec in specs:
        patient = next(candidates, None)
        if patient is None:  # a small demo (``--patients 5``) has room for fewer plans
            return
        if spec.title in done:
            continue
        _plan(spec, patient, practitioner, nurse, reception, cocktails[spec.cocktail], today)


def _candidates(clinic) -> list[Patient]:
    """Adults with a recent weight, a BMI under 28 and nothing on the record that would
    contraindicate the demo plans (no allergies, no anticoagulants), oldest record first;
    the very first record is left alone for the browser tests that chart it."""
    found = []
    for patient in (
        Patient.objects.current()
        .in_clinic(clinic)
        .filter(allergies__isnull=True, medications__isnull=True, weight_kg__isnull=False)
        .exclude(height_cm=None)
        .order_by("pk")[1:]
    ):
        if patient.weight_kg / (patient.height_cm / 100) ** 2 < 28:
            found.append(patient)
    return found


def _plan(spec, patient, practitioner, nurse, reception, version, today) -> None:
    protocol = Protocol.objects.get(clinic=None, slug=spec.protocol)
    plan = plan_actions.create_plan(
        practitioner,
        patient,
        {"title": spec.title, "protocol": protocol.pk, "cocktail_version": version.pk},
    )
    plan_actions.save_regions(practitioner, plan, [_region(area) for area in spec.areas])
    first = today + timedelta(days=spec.starts_in_days)
    plan_actions.propose_series(practitioner, plan, {"first_date": first})
    target = target_of(plan)
    if spec.screen:
        response = consent_actions.submit_response(
            nurse, patient, area=target.area, answers=_clear_answers(patient)
        )
        consent_actions.run_screening(nurse, patient, response, target=target)
        _no_known_allergies(nurse, patient, today)
    if spec.consent:
        # Signed before approval, so the check stored at approval shows it.
        shown = prepare(reception.clinic, patient, target, today)
        data = {
            "signer_name": f"{patient.given_name} {patient.family_name}",
            "signature": signature_data_url(),
            "document_sha256": shown.sha256,
        }
        consent_actions.sign_consent(reception, patient, target=target, data=data)
    if spec.approve:
        # Approval needs the baselines the protocol names: taken two weeks before.
        baselines(practitioner, plan, today - timedelta(days=14))
        plan_approval.approve_plan(practitioner, plan, version=plan.version)


def first_session(practitioner, lot_number: str) -> None:
    """The consented plan's first session, recorded and signed today with lot
    ``lot_number`` of the clinic's stock, then an addendum: the patient's timeline, the
    session record and the lot's recall have something to show. Nothing if the plan is
    missing (a small demo) or already has a session."""
    plan = Plan.objects.filter(clinic=practitioner.clinic, title=PLANS[0].title).first()
    if plan is None or plan.treatment_sessions.exists():
        return
    lot = Lot.objects.get(clinic=practitioner.clinic, lot_number=lot_number)
    session = session_actions.start_session(practitioner, plan)
    drawn = sum(len(r["points"]) * r["volume_ml"] for r in session.regions)
    data = {
        "products": [{"lot": lot.pk, "volume_drawn_ml": f"{drawn:.2f}", "volume_wasted_ml": "0"}],
        "anaesthesia": "Ice packs before injection",
        "notes": "Tolerated well; marked grid checked before injection.",
        "aftercare": "Cool packs; no massage for 48 hours; call if swallowing is difficult.",
    }
    session = session_actions.save_draft(practitioner, session, data)
    # The loader signs for the synthetic practitioner: nobody is at the keyboard to type
    # the password again, so the proof names the demo as how it was given.
    proof = Reauthentication(practitioner.user.pk, timezone.now(), "demo")
    signed = session_actions.sign_session(practitioner, session, reauthentication=proof)
    addendum = {"kind": "addendum", "text": "Seen before leaving: mild swelling, as expected."}
    session_actions.amend_session(practitioner, signed, addendum)


def _no_known_allergies(nurse, patient, today) -> None:
    """The questionnaire's "no allergies" recorded as the chart's dated answer too."""
    patient.refresh_from_db()  # the response's write-back has changed the record
    if not patient.no_known_allergies:
        # The patients form reads "today" on the server's clock (see consent write_back).
        reviewed = min(today, timezone.localdate())
        data = {"no_known_allergies": True, "allergies_reviewed_on": reviewed}
        update_patient(nurse, patient, data)


def _region(area: Area) -> dict:
    grid = grids.generate(
        area.view,
        area.region,
        area.spacing_cm,
        width_cm=area.width_cm,
        height_cm=area.height_cm,
        target_count=area.points,
    )
    return {
        **grids.as_json(grid),
        "view": area.view,
        "region": area.region,
        "width_cm": area.width_cm,
        "height_cm": area.height_cm,
        "spacing_cm": area.spacing_cm,
        "pattern": "square",
        "depth_mm": area.depth_mm,
        "volume_ml": area.volume_ml,
    }


def _clear_answers(patient: Patient) -> dict:
    """Every question answered with nothing to report, as the questionnaire form posts it."""
    return {"date_of_birth": patient.date_of_birth.isoformat(), **CURRENT.answered_no()}


def signature_data_url() -> str:
    """A tiny synthetic signature, as the signing pad sends it (a PNG data URL)."""
    image = Image.new("RGBA", (240, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(12, 60), (70, 18), (120, 58), (170, 20), (228, 50)], "#123", 3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def allergy_reviews(membership, today: date) -> None:
    """Every third patient without recorded allergies answered "no known allergies" on a
    recent day (the first record is left for the browser tests, which add allergies)."""
    clinic = membership.clinic
    patients = (
        Patient.objects.current()
        .in_clinic(clinic)
        .filter(allergies__isnull=True)
        .order_by("pk")[1:]
    )
    for index, patient in enumerate(patients):
        if index % 3 or patient.no_known_allergies:
            continue
        reviewed = today - timedelta(days=1 + (patient.pk * 7) % 90)
        data = {"no_known_allergies": True, "allergies_reviewed_on": reviewed}
        update_patient(membership, patient, data)
