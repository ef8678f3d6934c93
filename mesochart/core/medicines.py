"""Medicines that change the screening, recognised from what a patient or clinician types.

Pure data and functions. The groups are the WHO ATC classification [REF] WHO Collaborating
Centre for Drug Statistics Methodology, ATC/DDD Index (https://atcddd.fhi.no/atc_ddd_index/),
as ../shared/domain/reference.md ("Medicines that change the screening") lists them:
B01 antithrombotic agents (B01AA vitamin K antagonists, B01AB heparin group, B01AC platelet
aggregation inhibitors, B01AE direct thrombin inhibitors, B01AF direct factor Xa
inhibitors), D10BA01 isotretinoin, and L04 immunosuppressants. The brand names are common
trade names of those substances (synthetic examples of what patients type; not a complete
list, and never a reason to skip the practitioner's own review).
"""

import re
from dataclasses import dataclass

ANTICOAGULANT, ANTIPLATELET = "anticoagulant", "antiplatelet"
RETINOID, IMMUNOSUPPRESSANT = "retinoid", "immunosuppressant"


@dataclass(frozen=True)
class Medicine:
    generic: str
    atc: str
    kind: str
    brands: tuple[str, ...] = ()


MEDICINES: tuple[Medicine, ...] = (
    Medicine("warfarin", "B01AA03", ANTICOAGULANT, ("Coumadin", "Marevan", "Jantoven")),
    Medicine("acenocoumarol", "B01AA07", ANTICOAGULANT, ("Sintrom",)),
    Medicine("phenprocoumon", "B01AA04", ANTICOAGULANT, ("Marcoumar",)),
    Medicine("heparin", "B01AB01", ANTICOAGULANT),
    Medicine("dalteparin", "B01AB04", ANTICOAGULANT, ("Fragmin",)),
    Medicine("enoxaparin", "B01AB05", ANTICOAGULANT, ("Clexane", "Lovenox", "Inhixa")),
    Medicine("tinzaparin", "B01AB10", ANTICOAGULANT, ("Innohep",)),
    Medicine("aspirin", "B01AC06", ANTIPLATELET, ("acetylsalicylic acid", "Aspro", "Disprin")),
    Medicine("clopidogrel", "B01AC04", ANTIPLATELET, ("Plavix",)),
    Medicine("prasugrel", "B01AC22", ANTIPLATELET, ("Efient", "Effient")),
    Medicine("ticagrelor", "B01AC24", ANTIPLATELET, ("Brilique", "Brilinta")),
    Medicine("dipyridamole", "B01AC07", ANTIPLATELET, ("Persantin",)),
    Medicine("dabigatran", "B01AE07", ANTICOAGULANT, ("Pradaxa",)),
    Medicine("rivaroxaban", "B01AF01", ANTICOAGULANT, ("Xarelto",)),
    Medicine("apixaban", "B01AF02", ANTICOAGULANT, ("Eliquis",)),
    Medicine("edoxaban", "B01AF03", ANTICOAGULANT, ("Lixiana", "Savaysa")),
    Medicine("isotretinoin", "D10BA01", RETINOID, ("Roaccutane", "Accutane", "Absorica")),
    Medicine("ciclosporin", "L04AD01", IMMUNOSUPPRESSANT, ("cyclosporine", "Neoral", "Sandimmun")),
    Medicine("tacrolimus", "L04AD02", IMMUNOSUPPRESSANT, ("Prograf", "Advagraf")),
    Medicine("azathioprine", "L04AX01", IMMUNOSUPPRESSANT, ("Imuran",)),
    Medicine("methotrexate", "L04AX03", IMMUNOSUPPRESSANT, ("Metoject", "Otrexup")),
    Medicine("mycophenolic acid", "L04AA06", IMMUNOSUPPRESSANT, ("mycophenolate", "CellCept")),
    Medicine("sirolimus", "L04AA10", IMMUNOSUPPRESSANT, ("Rapamune",)),
)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_NAMES: tuple[tuple[str, Medicine], ...] = tuple(
    sorted(
        ((_words(name), m) for m in MEDICINES for name in (m.generic, *m.brands)),
        key=lambda pair: -len(pair[0]),
    )
)


def recognise(text: str) -> Medicine | None:
    """The medicine a typed name is (generic or brand, any case, whole words): "Eliquis 5mg"
    -> apixaban; None when it is not one of these."""
    words = f" {_words(text or '')} "
    for name, medicine in _NAMES:
        if f" {name} " in words:
            return medicine
    return None


def same_medicine(first: str, second: str) -> bool:
    """Whether two typed names are the same recognised medicine ("Eliquis", "apixaban")."""
    a, b = recognise(first), recognise(second)
    return a is not None and a == b
