"""What an import keeps so that a record signed elsewhere still verifies here.

A session's signature covers its canonical content (`treatments.content.canonical`), which
names the rows it was signed with by their database ids. Those ids change when the record
is imported into another installation, so the imported session keeps the canonical content
as it was signed, byte for byte, with its SHA-256: `interop.signed.verify` checks the
session against that (`docs/fhir.md`, "Signed records")."""

from django.db import models
from django.utils import timezone

from mesochart.treatments.models import TreatmentSession


class SignedOrigin(models.Model):
    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="signed_origin"
    )
    # The canonical JSON exactly as signed (sorted keys, no insignificant whitespace).
    canonical = models.TextField()
    content_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Signed elsewhere as {self.content_hash[:12]}…"
