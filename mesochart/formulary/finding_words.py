"""A dose-engine finding worded in the active language, from its codes and numbers.

`core.rules` returns each finding with an English sentence and the data it was made from; a
page in another language words it here (`formulary` template filters), so the core stays free
of Django and the words are chosen where they are shown (issue 18). English keeps the core's
own sentence, which carries more detail."""

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesochart.core.limits import LimitKind

SEVERITY_WORDS = {"block": gettext_lazy("blocks"), "warn": gettext_lazy("warning")}

# %(subject)s: the product (or "this plan"); %(ingredient)s; %(actual)s and %(limit)s: the two
# numbers compared, with their units.
SENTENCES = {
    LimitKind.VOLUME_PER_INJECTION: gettext_lazy(
        "%(subject)s: %(actual)s per injection; at most %(limit)s allowed"
    ),
    LimitKind.VOLUME_PER_SESSION: gettext_lazy(
        "%(subject)s: %(actual)s in this session; at most %(limit)s per session allowed"
    ),
    LimitKind.INJECTIONS_PER_SESSION: gettext_lazy(
        "%(subject)s: %(actual)s injections; at most %(limit)s per session allowed"
    ),
    LimitKind.DOSE_PER_SESSION: gettext_lazy(
        "%(subject)s: %(actual)s of %(ingredient)s in this session; at most %(limit)s allowed"
    ),
    LimitKind.DOSE_PER_KG: gettext_lazy(
        "%(subject)s: %(actual)s of %(ingredient)s; at most %(limit)s at the patient's weight"
    ),
    LimitKind.CONCENTRATION_RANGE: gettext_lazy(
        "%(subject)s: %(ingredient)s is %(actual)s in the mix; the limit is %(limit)s"
    ),
    LimitKind.MIN_INTERVAL_DAYS: gettext_lazy(
        "%(subject)s: %(actual)s since the last session with this product; at least %(limit)s "
        "required between sessions"
    ),
    LimitKind.MIN_INTERVAL_MONTHS: gettext_lazy(
        "%(subject)s: %(actual)s since the last session with this product; at least %(limit)s "
        "required between sessions"
    ),
    LimitKind.MAX_SESSIONS_PER_COURSE: gettext_lazy(
        "%(subject)s: too many sessions in the course; at most %(limit)s allowed"
    ),
    LimitKind.ALLOWED_AREAS: gettext_lazy("%(subject)s: this area is not one the source allows"),
    LimitKind.ADMIXTURE_FORBIDDEN: gettext_lazy(
        "%(subject)s: the source forbids mixing it in the same syringe with these products"
    ),
    LimitKind.FORBIDDEN_VEHICLES: gettext_lazy("%(subject)s: the source forbids this vehicle"),
    LimitKind.MAX_DEPTH_MM: gettext_lazy("%(subject)s: %(actual)s deep; at most %(limit)s allowed"),
    LimitKind.SPACING: gettext_lazy(
        "%(subject)s: points %(actual)s apart; at least %(limit)s required"
    ),
}
MISSING = gettext_lazy("%(subject)s: cannot be checked against this limit: data is missing")


def _get(finding, name):
    return finding.get(name) if isinstance(finding, dict) else getattr(finding, name, None)


def _quantity(value) -> str | None:
    """A compared number with its unit, in the language's format (0,2 mL)."""
    if value is None:
        return None
    if isinstance(value, dict):
        number, unit = value.get("value"), value.get("unit", "")
    else:  # a pint Quantity
        from mesochart.core.units import format_unit

        number, unit = value.magnitude, format_unit(value.units)
    shown = formats.number_format(f"{float(number):.6g}") if number is not None else ""
    return f"{shown} {unit}".strip()


def finding_words(finding) -> str:
    message = _get(finding, "message") or ""
    if translation.get_language() in (None, "en-gb", "en"):
        return message
    rule = _get(finding, "rule")
    rule = getattr(rule, "value", rule)
    actual, limit = _quantity(_get(finding, "actual")), _quantity(_get(finding, "limit"))
    params = {
        "subject": _get(finding, "product") or _("this plan"),
        "ingredient": _get(finding, "ingredient") or "",
        "actual": actual or "",
        "limit": limit or "",
    }
    try:
        kind = LimitKind(rule)
    except ValueError:
        return message
    if actual is None and kind not in {
        LimitKind.ALLOWED_AREAS,
        LimitKind.ADMIXTURE_FORBIDDEN,
        LimitKind.FORBIDDEN_VEHICLES,
        LimitKind.MAX_SESSIONS_PER_COURSE,
    }:
        return str(MISSING) % params
    return str(SENTENCES[kind]) % params
