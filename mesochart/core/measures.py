"""Outcome measures as data: what each measures, in which unit or levels, its range, which
direction is better, where it is measured, and its source.

Every definition comes from ../shared/domain/reference.md, section "Outcome measures" (cited
in ``source``); where that section gives no number (no upper bound for a circumference, no
published cut-off), none is shipped. Pain and satisfaction (0–10) are the ratings issue 15
asks for; reference.md cites no source for them and ``source`` says so.

Kinds:
- ``quantity``: a number in ``unit`` within [minimum, maximum] (a bound may be absent);
- ``ordinal``: one of ``levels`` (a coded label, never a bare number); ``rank`` orders them
  from 0 and is used only to compare, never shown as a score;
- ``composite``: ``items`` scored by `core.scores` into a total (and a band); never typed;
- ``computed``: derived from other values (BMI from weight and height); never typed.

``site_required``: the value names its site (the landmark, marked on the patient), and a
progress series is one measure at one site, so repeats are comparable.
FACE-Q is licensed (© MSKCC): none of its items is shipped here.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from mesochart.core.words import gettext_noop


class Kind(StrEnum):
    QUANTITY = "quantity"
    ORDINAL = "ordinal"
    COMPOSITE = "composite"
    COMPUTED = "computed"


class Better(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    NONE = "none"  # a description (skin type, class) with no better direction


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    rank: int


@dataclass(frozen=True)
class Item:
    """One item of a composite scale, an integer from ``minimum`` to ``maximum``."""

    code: str
    label: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Coding:
    """A way a study numbers an ordinal scale's levels (GAIS is coded 1–5 or −1…3)."""

    code: str
    label: str
    numbers: dict[str, int]


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    kind: Kind
    better: Better
    source: str
    landmark: str = ""
    unit: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    levels: tuple[Level, ...] = ()
    items: tuple[Item, ...] = ()
    codings: tuple[Coding, ...] = ()
    site_required: bool = False
    patient_reported: bool = False
    bands: tuple[tuple[int, int, str], ...] = field(default=())

    def level(self, code: str) -> Level | None:
        return next((level for level in self.levels if level.code == code), None)

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    def coding(self, code: str) -> Coding | None:
        return next((coding for coding in self.codings if coding.code == code), None)


REF = "reference.md, Outcome measures"
PARK = f"{REF}: circumference, weight, ultrasound fat thickness [PEER] Park 2008, PRS 121:179e"
HEXSEL = f"{REF}: Cellulite Severity Scale [PEER] Hexsel 2009, JEADV"
GUPTA = f"{REF}: hair [PEER] Gupta & Mysore 2016, JCAS"
PANDYA = f"{REF}: MASI, mMASI [PEER] Pandya 2011, JAAD 64:78; area score Kimbrough-Green 1994"
HOFFMANN = f"{REF}: phototrichogram [PEER] Hoffmann 2005 (TrichoScan)"
UNSOURCED = "a 0–10 rating; reference.md cites no source for it"
SITE = "the site named on the value, marked on the patient so repeats are comparable"


def _levels(*pairs: tuple[str, str]) -> tuple[Level, ...]:
    return tuple(Level(code, label, rank) for rank, (code, label) in enumerate(pairs))


def _roman(*codes: str) -> tuple[Level, ...]:
    return _levels(*((code, code) for code in codes))


GAIS_LEVELS = _levels(
    ("very_much_improved", gettext_noop("Very much improved")),
    ("much_improved", gettext_noop("Much improved")),
    ("improved", gettext_noop("Improved")),
    ("no_change", gettext_noop("No change")),
    ("worse", gettext_noop("Worse")),
)
GAIS_CODINGS = (
    Coding("1-5", "1 very much improved … 5 worse", {lv.code: lv.rank + 1 for lv in GAIS_LEVELS}),
    Coding("-1-3", "3 very much improved … −1 worse", {lv.code: 3 - lv.rank for lv in GAIS_LEVELS}),
)
GAIS_SOURCE = f"{REF}: GAIS 1 very much improved … 5 worse (some studies code −1…3)"

CSS_ITEMS = (
    Item("A", gettext_noop("Number of evident depressions"), 0, 3),
    Item("B", gettext_noop("Depth of depressions"), 0, 3),
    Item("C", gettext_noop("Morphological appearance of skin surface alterations"), 0, 3),
    Item("D", gettext_noop("Grade of laxity, flaccidity or sagging skin"), 0, 3),
    Item("E", gettext_noop("Classification scale by Nürnberger and Müller"), 0, 3),
)
CSS_BANDS = ((1, 5, "mild"), (6, 10, "moderate"), (11, 15, "severe"))

# MASI regions and their weights (Pandya 2011): forehead 0.3, each malar 0.3, chin 0.1.
MASI_REGIONS = (
    ("forehead", "Forehead", Decimal("0.3")),
    ("right_malar", "Right malar", Decimal("0.3")),
    ("left_malar", "Left malar", Decimal("0.3")),
    ("chin", "Chin", Decimal("0.1")),
)


# Each MASI item's words, written out whole so that each is translated whole.
MASI_ITEM_LABELS = {
    "forehead_area": gettext_noop("Forehead: area (A)"),
    "forehead_darkness": gettext_noop("Forehead: darkness (D)"),
    "forehead_homogeneity": gettext_noop("Forehead: homogeneity (H)"),
    "right_malar_area": gettext_noop("Right malar: area (A)"),
    "right_malar_darkness": gettext_noop("Right malar: darkness (D)"),
    "right_malar_homogeneity": gettext_noop("Right malar: homogeneity (H)"),
    "left_malar_area": gettext_noop("Left malar: area (A)"),
    "left_malar_darkness": gettext_noop("Left malar: darkness (D)"),
    "left_malar_homogeneity": gettext_noop("Left malar: homogeneity (H)"),
    "chin_area": gettext_noop("Chin: area (A)"),
    "chin_darkness": gettext_noop("Chin: darkness (D)"),
    "chin_homogeneity": gettext_noop("Chin: homogeneity (H)"),
}


def _masi_items(with_homogeneity: bool) -> tuple[Item, ...]:
    parts = (("area", 6), ("darkness", 4)) + ((("homogeneity", 4),) if with_homogeneity else ())
    return tuple(
        Item(f"{code}_{part}", MASI_ITEM_LABELS[f"{code}_{part}"], 0, top)
        for code, _label, _weight in MASI_REGIONS
        for part, top in parts
    )


def _zero_to_ten(code: str, name: str, better: Better) -> Measure:
    return Measure(
        code, name, Kind.QUANTITY, better, UNSOURCED, unit="points",
        minimum=Decimal(0), maximum=Decimal(10), patient_reported=True,
    )  # fmt: skip


MEASURES: tuple[Measure, ...] = (
    Measure(
        "circumference", gettext_noop("Circumference"), Kind.QUANTITY, Better.LOWER, PARK,
        landmark=SITE, unit="cm", minimum=Decimal(0), site_required=True,
    ),
    Measure(
        "weight", gettext_noop("Weight"), Kind.QUANTITY, Better.NONE, PARK, unit="kg",
        minimum=Decimal(0),
    ),
    Measure(
        "bmi", gettext_noop("Body mass index"), Kind.COMPUTED, Better.NONE,
        "definition: weight (kg) / height (m)²; computed from weight and the patient's height",
        unit="kg/m²",
    ),
    Measure(
        "fat_thickness", gettext_noop("Fat thickness (skinfold or ultrasound)"),
        Kind.QUANTITY, Better.LOWER, PARK, landmark=SITE, unit="mm", minimum=Decimal(0),
        site_required=True,
    ),
    Measure(
        "css", gettext_noop("Cellulite Severity Scale"), Kind.COMPOSITE, Better.LOWER, HEXSEL,
        landmark="the area rated (e.g. left thigh and buttock)", unit="points",
        minimum=Decimal(0), maximum=Decimal(15), items=CSS_ITEMS, bands=CSS_BANDS,
        site_required=True,
    ),
    Measure(
        "nurnberger_muller", gettext_noop("Nürnberger-Müller grade"), Kind.ORDINAL, Better.LOWER,
        f"{REF}: Nürnberger-Müller", site_required=True, landmark=SITE,
        levels=_levels(
            ("0", gettext_noop("0 none")),
            ("1", gettext_noop("1 only when pinched")),
            ("2", gettext_noop("2 standing, not lying")),
            ("3", gettext_noop("3 standing and lying")),
        ),
    ),
    Measure(
        "gais_investigator", gettext_noop("GAIS (investigator)"), Kind.ORDINAL, Better.LOWER,
        GAIS_SOURCE,
        levels=GAIS_LEVELS, codings=GAIS_CODINGS,
    ),
    Measure(
        "gais_subject", gettext_noop("GAIS (subject)"), Kind.ORDINAL, Better.LOWER, GAIS_SOURCE,
        levels=GAIS_LEVELS, codings=GAIS_CODINGS, patient_reported=True,
    ),
    Measure(
        "glogau", gettext_noop("Glogau photoageing type"),
        Kind.ORDINAL, Better.LOWER, f"{REF}: Glogau I–IV",
        levels=_roman("I", "II", "III", "IV"),
    ),
    Measure(
        "fitzpatrick_wrinkle_class", gettext_noop("Fitzpatrick wrinkle class"),
        Kind.ORDINAL, Better.LOWER,
        f"{REF}: Fitzpatrick wrinkle class I–III (score 1–9)", levels=_roman("I", "II", "III"),
    ),
    Measure(
        "fitzpatrick_wrinkle_score", gettext_noop("Fitzpatrick wrinkle score"),
        Kind.QUANTITY, Better.LOWER,
        f"{REF}: Fitzpatrick wrinkle class I–III (score 1–9)", unit="points",
        minimum=Decimal(1), maximum=Decimal(9),
    ),
    Measure(
        "lemperle", gettext_noop("Lemperle wrinkle assessment"), Kind.ORDINAL, Better.LOWER,
        f"{REF}: Lemperle 0–5 [PEER]", landmark=SITE, site_required=True,
        levels=_roman("0", "1", "2", "3", "4", "5"),
    ),
    Measure(
        "hamilton_norwood", gettext_noop("Hamilton-Norwood"), Kind.ORDINAL, Better.LOWER, GUPTA,
        levels=_levels(
            ("I", "I"), ("II", "II"), ("IIa", "II A"), ("III", "III"), ("IIIa", "III A"),
            ("III_vertex", "III vertex"), ("IV", "IV"), ("IVa", "IV A"), ("V", "V"),
            ("Va", "V A"), ("VI", "VI"), ("VII", "VII"),
        ),
    ),
    Measure(
        "ludwig", gettext_noop("Ludwig"),
        Kind.ORDINAL, Better.LOWER, GUPTA, levels=_roman("I", "II", "III")
    ),
    Measure(
        "sinclair", gettext_noop("Sinclair"), Kind.ORDINAL, Better.LOWER, GUPTA,
        levels=_roman("1", "2", "3", "4", "5"),
    ),
    Measure(
        "hair_density_total", gettext_noop("Hair density, total"),
        Kind.QUANTITY, Better.HIGHER, HOFFMANN,
        landmark=SITE, unit="hairs/cm²", minimum=Decimal(0), site_required=True,
    ),
    Measure(
        "hair_density_terminal", gettext_noop("Hair density, terminal"),
        Kind.QUANTITY, Better.HIGHER,
        HOFFMANN, landmark=SITE, unit="hairs/cm²", minimum=Decimal(0), site_required=True,
    ),
    Measure(
        "hair_density_vellus", gettext_noop("Hair density, vellus"),
        Kind.QUANTITY, Better.NONE, HOFFMANN,
        landmark=SITE, unit="hairs/cm²", minimum=Decimal(0), site_required=True,
    ),
    Measure(
        "anagen_percent", gettext_noop("Anagen hairs"), Kind.QUANTITY, Better.HIGHER, HOFFMANN,
        landmark=SITE, unit="%", minimum=Decimal(0), maximum=Decimal(100), site_required=True,
    ),
    Measure(
        "masi", gettext_noop("MASI"), Kind.COMPOSITE, Better.LOWER, PANDYA, unit="points",
        minimum=Decimal(0), maximum=Decimal(48), items=_masi_items(with_homogeneity=True),
    ),
    Measure(
        "mmasi", gettext_noop("mMASI"), Kind.COMPOSITE, Better.LOWER, PANDYA, unit="points",
        minimum=Decimal(0), maximum=Decimal(24), items=_masi_items(with_homogeneity=False),
    ),
    _zero_to_ten("pain", gettext_noop("Pain"), Better.LOWER),
    _zero_to_ten("satisfaction", gettext_noop("Satisfaction"), Better.HIGHER),
)  # fmt: skip

BY_CODE: dict[str, Measure] = {measure.code: measure for measure in MEASURES}


def get(code: str) -> Measure | None:
    return BY_CODE.get(code)
