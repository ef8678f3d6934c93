"""Everything that stands between a patient and a session, as a checklist.

`session_readiness(patient, plan, practitioner, on)` is the one gate: the session capability
calls it before a session starts, the API and the patient page show it. ``plan`` is a
planning Plan (its cocktail version, regions and indication, `plans.target_of`) or a
`facts.Target`. Each item is (key, ok, message); ``details`` carry the clinical evidence,
which only roles that may read the clinical record are shown.
"""

from dataclasses import dataclass
from datetime import date

from mesochart.accounts.models import can_administer
from mesochart.consent.facts import Target, needs_prescription
from mesochart.consent.models import Consent, Screening
from mesochart.consent.plans import area_words, region_words, target_of, uncovered
from mesochart.core.screening_validity import ScreeningState, screening_fingerprint
from mesochart.planning.models import indication_label

KEYS = ("screening", "absolute", "acknowledgements", "consent", "practitioner")


@dataclass(frozen=True)
class Item:
    key: str
    ok: bool
    message: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Readiness:
    items: tuple[Item, ...]
    screening: Screening | None
    consent: Consent | None

    @property
    def ready(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def missing(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.ok)

    def __iter__(self):
        return iter(self.items)


def session_readiness(patient, plan, practitioner, on: date | None = None) -> Readiness:
    target = target_of(plan)
    on = on or patient.clinic.today()
    screening, screening_item = _screening(patient, target, on)
    consent = _covering_consent(patient, target)
    items = [
        screening_item,
        *_findings(screening),
        _consent(patient, target, consent),
        _practitioner(patient, target, practitioner, on),
    ]
    return Readiness(tuple(items), screening, consent)


def _screening(patient, target: Target, on: date) -> tuple[Screening | None, Item]:
    """The newest screening of this cocktail and indication that covers every region of the
    target: a plan of both posterior thighs is covered by a screening of both (or of more),
    never by one of a single thigh or of a free-text "thighs"."""
    slugs = target.cocktail().slugs
    screenings = list(
        Screening.objects.for_patient(patient)
        .filter(completed_on__lte=on)
        .prefetch_related("acknowledgements")
        .newest_first()
    )
    if not screenings:
        return None, Item("screening", False, "Not screened: ask the questionnaire and screen")
    same = [
        s
        for s in screenings
        if s.indication == target.indication
        and s.fingerprint == screening_fingerprint(slugs, s.area)
    ]
    matching = next((s for s in same if not uncovered(target.area, s.area)), None)
    if matching is None:
        latest = (same or screenings)[0]
        missing = "; ".join(region_words(r) for r in uncovered(target.area, latest.area))
        if same and missing:
            message = (
                f"The last screening ({latest.completed_on.isoformat()}) does not cover "
                f"{missing}: screen again for this plan"
            )
        else:
            message = (
                f"The last screening ({latest.completed_on.isoformat()}) was for another "
                "cocktail, area or indication: screen again for this plan"
                + (f" ({missing} not screened)" if missing else "")
            )
        return None, Item("screening", False, message)
    status = matching.status(on)
    if status.state == ScreeningState.EXPIRED:
        return None, Item(
            "screening",
            False,
            f"The screening of {matching.completed_on.isoformat()} expired on "
            f"{status.expired_on.isoformat()}: screen again",
        )
    message = (
        f"Screened on {matching.completed_on.isoformat()} for {area_words(target.area)}, "
        f"valid until {status.valid_until.isoformat()}"
    )
    return matching, Item("screening", True, message)


def _findings(screening: Screening | None) -> list[Item]:
    if screening is None:
        return [
            Item("absolute", False, "Contraindications unknown until screened"),
            Item("acknowledgements", False, "Relative findings unknown until screened"),
        ]
    absolute = screening.absolute
    if absolute:
        absolute_item = Item(
            "absolute",
            False,
            f"{_count(len(absolute), 'absolute contraindication')}: do not treat",
            tuple(f.message for f in absolute),
        )
    else:
        absolute_item = Item("absolute", True, "No absolute contraindication")
    open_ = screening.unacknowledged()
    relative = screening.relative
    if open_:
        acknowledgement_item = Item(
            "acknowledgements",
            False,
            f"{_count(len(open_), 'relative finding')} to acknowledge with a written reason "
            "(practitioner)",
            tuple(f.message for f in open_),
        )
    elif relative:
        acknowledgement_item = Item(
            "acknowledgements", True, f"{_count(len(relative), 'relative finding')} acknowledged"
        )
    else:
        acknowledgement_item = Item("acknowledgements", True, "No relative findings")
    return [absolute_item, acknowledgement_item]


def _covering_consent(patient, target: Target) -> Consent | None:
    slugs = target.product_slugs
    for consent in Consent.objects.for_patient(patient).in_force().newest_first():
        if consent.covers(target.indication, slugs):
            return consent
    return None


def _consent(patient, target: Target, consent: Consent | None) -> Item:
    if consent is not None:
        return Item(
            "consent",
            True,
            f"Consent signed {consent.signed_at:%Y-%m-%d} by {consent.signer_name} covers "
            f"{indication_label(target.indication)} and every product of the cocktail",
        )
    withdrawn = (
        Consent.objects.for_patient(patient)
        .filter(indication=target.indication, withdrawn_at__isnull=False)
        .exists()
    )
    if withdrawn:
        return Item(
            "consent",
            False,
            f"Consent to {indication_label(target.indication)} was withdrawn: no valid consent",
        )
    return Item(
        "consent",
        False,
        f"No signed consent covers {indication_label(target.indication)} with every product "
        "of this cocktail",
    )


def _practitioner(patient, target: Target, practitioner, on: date) -> Item:
    if practitioner is None:
        return Item("practitioner", False, "Choose the practitioner who will treat")
    prescription = needs_prescription(target.cocktail_version)
    name = practitioner.get_full_name() or practitioner.username
    if can_administer(practitioner, patient.clinic, on=on, prescription=prescription):
        return Item("practitioner", True, f"{name} may administer this cocktail")
    reason = "needs an active practitioner role here, a licence valid today" + (
        " and the prescription-medicine scope" if prescription else ""
    )
    return Item("practitioner", False, f"{name} may not administer this cocktail: {reason}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
