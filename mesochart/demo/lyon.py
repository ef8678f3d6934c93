"""The demo's French clinic, in Lyon: a practitioner and a receptionist, invented French
patients who read the tablet, the consent and their documents in French, and the clinic's
consent templates written in French (the same wording as the English demo templates in
`demo.clinical.TEMPLATES`, whose figures come from the same product labels).

Kept small on purpose, so `mesochart demo` stays fast: the stock of the English clinics
(`demo.formulary.LOTS`, lots `DEMO-LY-…`), one French cocktail and one approved plan, screened
and consented in French, so that a French practitioner can run its first session.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from mesochart.accounts.models import Clinic
from mesochart.accounts.roles import Role
from mesochart.demo.clinical import SUBMENTAL, DemoPlan
from mesochart.demo.formulary import DCA
from mesochart.demo.people import ascii_address
from mesochart.patients.models import Language, Patient

LYON = "Lyon Presqu'île"
PATIENTS = 12
STAFF = [
    ("dr.girard", "Camille", "Girard", Role.PRACTITIONER, LYON),
    ("accueil.lyon", "Julien", "Roux", Role.RECEPTION, LYON),
]
GIVEN = ["Amélie", "Baptiste", "Céline", "Damien", "Élodie", "François", "Hélène", "Jérôme"]
FAMILY = ["Bernard", "Dubois", "Fournier", "Lefèvre", "Mercier", "Perrin", "Rousseau", "Vidal"]

# The English demo's submental cocktail (demo.formulary.COCKTAILS), named in French.
COCKTAILS = (
    (
        "Acide désoxycholique sous-mentonnier",
        [
            (
                "Acide désoxycholique 10 mg/mL tel que fourni (notice : sans dilution).",
                {DCA: Decimal(10)},
            )
        ],
    ),
)
# The English demo's first plan (demo.clinical.PLANS), titled in French: approved, screened
# and consented, its first session a week away.
PLANS = (
    DemoPlan(
        "Graisse sous-mentonnière, acide désoxycholique",
        "submental-deoxycholic-acid",
        COCKTAILS[0][0],
        (SUBMENTAL,),
        7,
        approve=True,
        screen=True,
        consent=True,
    ),
)

# The English demo templates (demo.clinical.TEMPLATES) in French, sentence for sentence: no
# figure that the English wording does not give.
TEMPLATES = (
    {
        "scope": "indication",
        "subject": "body_contouring",
        "language": Language.FR,
        "title": "Consentement au remodelage de la silhouette / réduction des graisses localisées",
        "risks": "Gonflement, ecchymoses, sensibilité et engourdissement pendant quelques jours à "
        "quelques semaines ; nodules ; rarement infection, ulcération ou nécrose cutanée. Sous le "
        "menton : faiblesse passagère du nerf de la lèvre inférieure et difficulté à avaler.",
        "alternatives": "Aucun traitement ; alimentation et activité physique ; liposuccion ou "
        "autre chirurgie.",
        "expected_sessions": "Le plus souvent 2 à 6 séances, à au moins un mois d'intervalle.",
        "aftercare": "Poches de froid ; ni massage, ni sauna, ni effort physique intense pendant "
        "48 heures.",
    },
    {
        "scope": "indication",
        "subject": "pigmentation",
        "language": Language.FR,
        "title": "Consentement au traitement du mélasma",
        "risks": "Rougeurs, petites ecchymoses et sensibilité aux points d'injection ; la "
        "pigmentation peut réapparaître.",
        "alternatives": "Aucun traitement ; protection solaire et crèmes locales ; peelings "
        "chimiques.",
        "expected_sessions": "Le plus souvent 6 à 7 séances, à une ou deux semaines d'intervalle.",
        "aftercare": "Écran solaire à large spectre tous les jours ; pas de maquillage pendant "
        "12 heures.",
    },
    {
        "scope": "product",
        "subject": "deoxycholic-acid-10mg-ml",
        "language": Language.FR,
        "title": "Acide désoxycholique",
        "risks": "Le gonflement sous le menton peut durer plusieurs semaines.",
        "alternatives": "Chirurgie sous le menton ; aucun traitement.",
        "expected_sessions": "Au maximum 6 séances, à au moins un mois d'intervalle (notice du "
        "produit).",
        "aftercare": "Appelez le cabinet si vous avez du mal à avaler ou si votre sourire est "
        "asymétrique.",
    },
)


def clinic(org) -> Clinic:
    return Clinic.objects.get_or_create(
        organisation=org, name=LYON, defaults={"time_zone": "Europe/Paris", "language": "fr"}
    )[0]


def patients(org, lyon, today: date, make_patient, count=PATIENTS, progress=None) -> None:
    """Top Lyon up to ``count`` patients (at most `PATIENTS`), all reading French."""
    rng = random.Random("mesochart-demo/lyon")  # noqa: S311 - synthetic data
    drawn = [_draw(rng, today) for _ in range(min(count, PATIENTS))]
    for data in drawn[Patient.objects.filter(clinic=lyon).count() :]:
        make_patient(data, org, lyon)
        if progress is not None:
            progress(1)


def _draw(rng: random.Random, today: date) -> dict:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50)),
        "sex_at_birth": rng.choice(["female", "female", "male"]),
        "email": ascii_address(f"{given}.{family}{rng.randrange(10, 99)}@example.invalid"),
        "phone": f"+33 6 00 00 {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        "weight_kg": rng.randrange(480, 1050) / 10,
        "weight_measured_on": today - timedelta(days=rng.randrange(3, 120)),
        "height_cm": rng.randrange(150, 190),
        "fitzpatrick_type": rng.choice(["I", "II", "III", "IV"]),
        "allergy": None,
        "anticoagulant": False,
        "language": Language.FR,
    }
