"""Limits on a product: the shipped ones (clinic null) and a clinic's own.

A row stores what was written (quantities as text with units, "0.2 mL", "4.5 mg/kg"); the
engine never reads a row directly. `core_limit` builds a ``core.limits.Limit`` from the
values, so the core's rules on which fields a kind takes, units and signs apply to every
row, and a malformed limit is refused as ``field: rule``.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mesochart.accounts.models import Clinic
from mesochart.core import limits as core
from mesochart.core.units import format_quantity, parse_quantity
from mesochart.formulary.models.products import Product
from mesochart.formulary.quantities import validate_quantity

KIND_CHOICES = [(k.value, k.value.replace("_", " ").capitalize()) for k in core.LimitKind]
SEVERITY_CHOICES = [(core.Severity.BLOCK.value, "Blocks"), (core.Severity.WARN.value, "Warns")]
ORIGIN_CHOICES = [(o.value, o.value.capitalize()) for o in core.Origin]
QUANTITY_FIELDS = ("maximum", "minimum", "per_kg")
NUMBER_FIELDS = ("count", "days", "months")

# How each kind reads to a clinician; {ingredient} and the bounds are filled in as written.
SUMMARIES = {
    core.LimitKind.VOLUME_PER_INJECTION: "at most {maximum} per injection",
    core.LimitKind.VOLUME_PER_SESSION: "at most {maximum} of this product per session",
    core.LimitKind.INJECTIONS_PER_SESSION: "at most {count} injections per session",
    core.LimitKind.DOSE_PER_SESSION: "{ingredient}: at most {maximum} per session",
    core.LimitKind.DOSE_PER_KG: "{ingredient}: at most {per_kg}, and never more than {maximum}",
    core.LimitKind.CONCENTRATION_RANGE: "{ingredient} in the mix: {range}",
    core.LimitKind.MIN_INTERVAL_DAYS: "at least {days} days between sessions",
    core.LimitKind.MIN_INTERVAL_MONTHS: "at least {months} calendar {month_word} between sessions",
    core.LimitKind.MAX_SESSIONS_PER_COURSE: "at most {count} sessions per course",
    core.LimitKind.ALLOWED_AREAS: "only in: {names}",
    core.LimitKind.ADMIXTURE_FORBIDDEN: "nothing else in the syringe (no dilution, no admixture)",
    core.LimitKind.FORBIDDEN_VEHICLES: "no {names}-based vehicle",
    core.LimitKind.MAX_DEPTH_MM: "at most {maximum} deep",
    core.LimitKind.SPACING: "injections at least {minimum} apart",
}


class LimitQuerySet(models.QuerySet):
    def shipped(self):
        return self.filter(clinic__isnull=True)

    def for_clinic(self, clinic):
        """The shipped limits and ``clinic``'s own: what applies there (before combining)."""
        return self.filter(Q(clinic__isnull=True) | Q(clinic=clinic))


class Limit(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="limits")
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    severity = models.CharField(max_length=5, choices=SEVERITY_CHOICES)
    origin = models.CharField(max_length=6, choices=ORIGIN_CHOICES)
    source = models.CharField(max_length=300)
    ingredient = models.SlugField(max_length=100, blank=True)
    maximum = models.CharField(max_length=40, blank=True, validators=[validate_quantity])
    minimum = models.CharField(max_length=40, blank=True, validators=[validate_quantity])
    per_kg = models.CharField(max_length=40, blank=True, validators=[validate_quantity])
    count = models.PositiveIntegerField(null=True, blank=True)
    days = models.PositiveIntegerField(null=True, blank=True)
    months = models.PositiveIntegerField(null=True, blank=True)
    names = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = LimitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="limit_has_source"),
            # One clinic limit per product, kind and ingredient: it replaces the shipped one.
            models.UniqueConstraint(
                fields=["product", "clinic", "kind", "ingredient"],
                condition=Q(clinic__isnull=False),
                name="clinic_limit_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.summary()}"

    @property
    def blocks(self) -> bool:
        return self.severity == core.Severity.BLOCK

    @property
    def key(self) -> tuple[str, str | None]:
        """As ``core.limits.Limit.key``: a clinic limit with this key replaces a shipped one."""
        return (self.kind, self.ingredient or None)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in LIMIT_FIELDS}

    def to_core(self) -> core.Limit:
        return core_limit(self.values())

    def summary(self) -> str:
        """The limit in words, with its quantities as written: "at most 0.2 mL per injection"."""
        return summarise(
            self.kind,
            **{name: getattr(self, name) for name in ("ingredient", *QUANTITY_FIELDS)},
            **{name: getattr(self, name) for name in (*NUMBER_FIELDS, "names")},
        )


def summarise(kind: str, ingredient, maximum, minimum, per_kg, count, days, months, names) -> str:
    """A limit in a clinician's words; quantities are given as text ("0.2 mL")."""
    if minimum and maximum:
        span = f"between {minimum} and {maximum}"
    else:
        span = f"at least {minimum}" if minimum else f"at most {maximum}"
    return SUMMARIES[core.LimitKind(kind)].format(
        ingredient=(ingredient or "").replace("-", " ").capitalize(),
        maximum=maximum,
        minimum=minimum,
        per_kg=per_kg,
        range=span,
        count=count,
        days=days,
        months=months,
        month_word="month" if months == 1 else "months",
        names=", ".join(sorted(names)),
    )


def summarise_core(limit: core.Limit) -> str:
    """`summarise` for a core limit (the cocktail builder shows the engine's effective set)."""

    def text(quantity):
        return format_quantity(quantity) if quantity is not None else ""

    return summarise(
        limit.kind,
        limit.ingredient,
        text(limit.maximum),
        text(limit.minimum),
        text(limit.per_kg),
        limit.count,
        limit.days,
        limit.months,
        limit.names,
    )


LIMIT_FIELDS = (
    "kind",
    "origin",
    "severity",
    "source",
    "ingredient",
    *QUANTITY_FIELDS,
    *NUMBER_FIELDS,
    "names",
    "note",
)


def core_limit(values: dict[str, Any]) -> core.Limit:
    """The core limit these field values describe, or ValidationError ``{field: [rule]}``.

    ``values`` holds the model's fields (quantities as text, "" or None when empty). Every
    rule is the core's: which fields a kind needs and takes, units, signs and min <= max.
    """
    kwargs: dict[str, Any] = {
        "kind": values["kind"],
        "origin": values["origin"],
        "severity": values.get("severity") or None,
        "source": values.get("source") or "",
        "ingredient": values.get("ingredient") or None,
        "names": frozenset(values.get("names") or ()),
        "note": values.get("note") or "",
    }
    for name in QUANTITY_FIELDS:
        text = (values.get(name) or "").strip()
        if text:
            try:
                kwargs[name] = parse_quantity(text)
            except ValueError as error:
                raise ValidationError({name: [str(error)]}) from None
    for name in NUMBER_FIELDS:
        if values.get(name) is not None:
            kwargs[name] = values[name]
    try:
        return core.Limit(**kwargs)
    except ValueError as error:
        field, rule = _field_and_rule(str(error), values)
        raise ValidationError({field: [rule]}) from None


_DOES_NOT_TAKE = re.compile(r"does not take '(\w+)'")
_NEEDS = re.compile(r" needs (\w+)( or (\w+))?$")
_NAMED = re.compile(r": (maximum|minimum|per_kg|count|days|months)\b")


def _field_and_rule(message: str, values: dict[str, Any]) -> tuple[str, str]:
    """Which field a ``core.limits.Limit`` refusal is about, and the rule in its words."""
    kind = values["kind"]
    if "needs its source" in message:
        return "source", "is required: cite where the limit comes from"
    if match := _DOES_NOT_TAKE.search(message):
        return match[1], f"is not used by a {kind} limit; leave it empty"
    if match := _NEEDS.search(message):
        either = f" (or {match[3]})" if match[3] else ""
        return match[1], f"is required for a {kind} limit{either}"
    rule = message.removeprefix(f"{kind}: ")
    if "is not in a unit this limit understands" in message:
        field = "minimum" if values.get("minimum") and not values.get("maximum") else "maximum"
        return field, f"must be in a unit a {kind} limit understands, not '{values.get(field)}'"
    if "minimum is above maximum" in message:
        return "minimum", "must not be above maximum"
    if "differ in kind" in message:
        return "minimum", "must be in the same kind of unit as maximum"
    if match := _NAMED.search(": " + rule):
        return match[1], rule.removeprefix(f"{match[1]} ")
    return "kind", rule
