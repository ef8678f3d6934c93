"""The demo clinics' stock, cocktails and calendars, written through the real actions.

Each step is skipped when what it would create exists, so a second run writes nothing
(and records nothing in the audit log). Dates are relative to the clinic's today.
"""

from datetime import date, timedelta
from decimal import Decimal

from mesochart.formulary.actions import create_cocktail, new_cocktail_version, post_movement
from mesochart.formulary.actions import receive_lot as receive
from mesochart.formulary.models import Cocktail, Lot
from mesochart.planning.actions import save_calendar
from mesochart.planning.models import ClinicCalendar

DCA = "deoxycholic-acid-10mg-ml"
LIDOCAINE = "lidocaine-1pct"
PCDC = "pcdc-lipolysis"
TXA = "tranexamic-acid-4mg-ml"
DUTASTERIDE = "dutasteride-0-05pct"
HA = "hyaluronic-acid-non-crosslinked"
CAFFEINE = "caffeine"
VITAMIN_C = "vitamin-c"

# product, lot prefix, mL received, received (days ago), expires (days from today), movements
# as (kind, mL, note). One lot expires within 30 days, one has expired.
LOTS: tuple[tuple[str, str, int, int, int, list[tuple[str, float, str]]], ...] = (
    (DCA, "DCA", 20, 40, 540, []),  # Harbour Street's first signed session draws from it
    (LIDOCAINE, "LID", 50, 60, 700, [("wasted", 2, "Ampoule opened, not used")]),
    (PCDC, "PCDC", 50, 30, 400, [("administered", 8, "Abdomen"), ("returned", 1, "Unopened")]),
    (PCDC, "PCDC-OLD", 10, 330, 18, []),
    (TXA, "TXA", 25, 20, 600, [("administered", 1.5, "Malar, both sides")]),
    (DUTASTERIDE, "DUT", 10, 15, 450, []),
    (HA, "HA", 10, 200, -12, [("adjusted", -0.5, "Count correction: vial found part-used")]),
    (CAFFEINE, "CAF", 20, 25, 365, []),
    (VITAMIN_C, "VITC", 10, 50, 250, []),
)

# name, versions as (note, {product: mL}). Only the label's product for deoxycholic acid:
# the label allows no dilution and no admixture.
COCKTAILS = (
    (
        "Submental deoxycholic acid",
        [("Deoxycholic acid 10 mg/mL as supplied (label: no dilution).", {DCA: Decimal(10)})],
    ),
    (
        "Abdomen PC/DC",
        [
            ("PC/DC as supplied.", {PCDC: Decimal(10)}),
            (
                "Added lidocaine 1% for comfort.",
                {PCDC: Decimal(10), LIDOCAINE: Decimal(1)},
            ),
        ],
    ),
    (
        "Melasma tranexamic acid",
        [("Tranexamic acid 4 mg/mL as supplied.", {TXA: Decimal(5)})],
    ),
)

CALENDARS = {
    # weekdays (0 = Monday), and holidays as (month, day), each on its next occurrence
    "Harbour Street": ((0, 1, 2, 3, 4, 5), ((12, 25), (12, 26), (1, 1))),
    "Riverside": ((0, 1, 2, 3, 4), ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1))),
}


def lot_number(clinic, prefix: str) -> str:
    """The demo lot's number: fixed, so a later run, even a year on, finds it."""
    code = {"Harbour": "HS", "Riverside": "RS"}.get(clinic.name.split()[0], "LY")
    return f"DEMO-{code}-{prefix}"


def stock(membership, today: date) -> None:
    for product, prefix, quantity, received, expires, movements in LOTS:
        number = lot_number(membership.clinic, prefix)
        if Lot.objects.filter(clinic=membership.clinic, lot_number=number).exists():
            continue
        lot = receive(
            membership,
            {
                "product": product,
                "lot_number": number,
                "received_on": today - timedelta(days=received),
                "expires_on": today + timedelta(days=expires),
                "quantity_ml": Decimal(quantity),
                "note": "Demo delivery (synthetic)",
            },
        )
        for kind, volume, note in movements:
            data = {"kind": kind, "quantity_ml": Decimal(str(volume)), "note": note}
            post_movement(membership, lot, data)


def cocktails(membership, wording=COCKTAILS) -> dict[str, object]:
    """The clinic's demo cocktails by name, each as its newest version (``wording``: the
    English ones, or a clinic's own such as `lyon.COCKTAILS`)."""
    newest = {}
    for name, versions in wording:
        cocktail = Cocktail.objects.filter(clinic=membership.clinic, name=name).first()
        if cocktail is None:
            (note, volumes), *later = versions
            version = create_cocktail(membership, {"name": name, "note": note}, _rows(volumes))
            for note, volumes in later:
                version = new_cocktail_version(
                    membership, version.cocktail, {"note": note}, _rows(volumes)
                )
            newest[name] = version
        else:
            newest[name] = cocktail.versions.order_by("-number").first()
    return newest


def _rows(volumes: dict[str, Decimal]) -> list[dict]:
    return [{"product": slug, "volume_ml": volume} for slug, volume in volumes.items()]


def calendar(membership, today: date) -> None:
    if ClinicCalendar.objects.filter(clinic=membership.clinic).exists():
        return
    weekdays, holidays = CALENDARS[membership.clinic.name]
    closed = "\n".join(_next(today, month, day).isoformat() for month, day in holidays)
    save_calendar(membership, {"opening_weekdays": list(weekdays), "closed_dates": closed})


def _next(today: date, month: int, day: int) -> date:
    """The next ``day`` of ``month`` after today (this year's or next year's)."""
    this_year = date(today.year, month, day)
    return this_year if this_year > today else date(today.year + 1, month, day)
