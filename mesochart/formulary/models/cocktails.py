"""A clinic's cocktails. Each edit makes a new version; a version never changes afterwards,
so a record that used version 2 still shows exactly what version 2 held."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from mesochart.accounts.models import Clinic
from mesochart.formulary.models.limits import Limit
from mesochart.formulary.models.products import Composition, Ingredient, Product


class Cocktail(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "slug"], name="cocktail_slug_per_clinic"),
            models.UniqueConstraint(fields=["clinic", "name"], name="cocktail_name_per_clinic"),
        ]

    def __str__(self) -> str:
        return self.name


class CocktailVersion(models.Model):
    cocktail = models.ForeignKey(Cocktail, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["cocktail", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cocktail", "number"], name="cocktail_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.cocktail} v{self.number}"

    @cached_property
    def parts(self) -> list["CocktailComponent"]:
        """The components in order, each product with its composition (and ingredients), its
        excipients and the limits that apply at the cocktail's clinic: four queries, once per
        instance (`formulary.engine.version_products` reads them as the dose engine's).

        Signing a session reads the cocktail for the consent gate, the screening fingerprint,
        the prescription scope, lot tracing and the dose engine; a version never changes,
        so one read serves them all. (The products' own rows can change between requests,
        which is why this lives on the instance and not in a process-wide cache.)
        """
        limits = Limit.objects.for_clinic(self.cocktail.clinic_id)
        return list(
            self.components.select_related("product")
            .prefetch_related(
                Prefetch(
                    "product__composition",
                    queryset=Composition.objects.select_related("ingredient"),
                ),
                Prefetch("product__excipients", queryset=Ingredient.objects.order_by("name")),
                Prefetch(
                    "product__limits", queryset=limits.order_by("clinic_id", "position", "pk")
                ),
            )
            .order_by("position", "pk")
        )


class CocktailComponent(models.Model):
    version = models.ForeignKey(
        CocktailVersion, on_delete=models.PROTECT, related_name="components"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    volume_ml = models.DecimalField(max_digits=8, decimal_places=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "product"], name="cocktail_product_once"),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="component_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.volume_ml} mL {self.product}"
