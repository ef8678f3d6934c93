"""Ingredients and products: the shipped reference (organisation null) and an organisation's own.

Shipped rows mirror mesochart/formulary/reference/formulary.json and are written only by
`reference_sync`; an organisation adds its own products (and ingredients) beside them. Slugs
are stable: plans, cocktails and history name products by slug.
"""

from django.db import models
from django.db.models import Q

from mesochart.accounts.models import Organisation
from mesochart.core.dose import Category, Vehicle
from mesochart.formulary.quantities import validate_strength

CATEGORY_CHOICES = [(c.value, c.value.replace("_", " ").capitalize()) for c in Category]
VEHICLE_CHOICES = [(v.value, v.value.capitalize()) for v in Vehicle]


class VisibleQuerySet(models.QuerySet):
    def shipped(self):
        return self.filter(organisation__isnull=True)

    def visible_to(self, organisation):
        """The shipped reference plus ``organisation``'s own rows."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


class Ingredient(models.Model):
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    synonyms = models.JSONField(default=list, blank=True)
    # Classes screening matches allergies against, e.g. "amide local anaesthetic", "soy".
    allergen_classes = models.JSONField(default=list, blank=True)
    is_excipient = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="ingredient_slug_unique_shipped",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                condition=Q(organisation__isnull=False),
                name="ingredient_slug_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    brand_names = models.JSONField(default=list, blank=True)
    manufacturer = models.CharField(max_length=200, blank=True)
    form = models.CharField(max_length=100, blank=True)
    container_volume_ml = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    vehicle = models.CharField(max_length=10, choices=VEHICLE_CHOICES, default=Vehicle.AQUEOUS)
    note = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A product no longer offered for new cocktails; lots and history still name it.
    active = models.BooleanField(default=True)
    excipients = models.ManyToManyField(
        Ingredient, through="ProductExcipient", related_name="+", blank=True
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="product_slug_unique_shipped",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"],
                condition=Q(organisation__isnull=False),
                name="product_slug_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shipped(self) -> bool:
        return self.organisation_id is None


class Composition(models.Model):
    """How much of an ingredient one mL of the product holds.

    ``strength`` is the quantity as written ("10 mg/mL", "1 % w/v", "1500 IU/mL"), read
    through ``core.units.parse_strength``; null when no source gives it, with a note saying so.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="composition")
    ingredient = models.ForeignKey(Ingredient, on_delete=models.PROTECT, related_name="+")
    # Null, not "": "no source states it" is a fact of its own, as in formulary.json.
    strength = models.CharField(  # noqa: DJ001
        max_length=40, null=True, blank=True, validators=[validate_strength]
    )
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "ingredient"], name="composition_ingredient_once"
            ),
            models.CheckConstraint(
                condition=Q(strength__isnull=False) | ~Q(note=""),
                name="composition_unknown_strength_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ingredient} {self.strength or '(strength not known)'}"


class ProductExcipient(models.Model):
    """An excipient of a product (for allergy screening), with where that is stated."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    ingredient = models.ForeignKey(Ingredient, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "ingredient"], name="excipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.ingredient} in {self.product}"
