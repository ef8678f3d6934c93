"""Holds on a lot: quarantined (set aside while something is checked) or recalled (the
manufacturer or regulator withdrew it). A lot with an open hold is never administered.

Holds are rows, never flags on the lot, so that who placed one, when and why stays on the
record after it is released; a recall is never released. Placing and releasing go through
``formulary.actions.holds``, which audit each step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.formulary.models.stock import Lot


class HoldKind(models.TextChoices):
    QUARANTINE = "quarantine", _("Quarantined")
    RECALL = "recall", _("Recalled")


class LotHoldQuerySet(models.QuerySet):
    def open(self):
        return self.filter(released_at__isnull=True)


class LotHold(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="holds")
    kind = models.CharField(max_length=10, choices=HoldKind.choices)
    reason = models.TextField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    release_reason = models.TextField(blank=True)

    objects = LotHoldQuerySet.as_manager()

    class Meta:
        ordering = ["placed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=HoldKind.RECALL) | Q(released_at__isnull=True),
                name="lot_recall_is_never_released",
            ),
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(released_at__isnull=True),
                name="lot_one_open_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} lot {self.lot_id}"

    def blocking(self) -> str:
        """Why the lot may not be used, in the clinic's words."""
        name = self.placed_by.get_full_name() or self.placed_by.username
        return (
            f"lot {self.lot.lot_number} is {self.get_kind_display().lower()} "
            f"(since {self.placed_at:%Y-%m-%d} by {name}: {self.reason}): do not use it"
        )
