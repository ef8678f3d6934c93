"""The demo practice's aftercare sheet for its submental protocol: synthetic text, marked as
such, written through the real action so it is versioned and audited like a clinic's own."""

from mesochart.planning import aftercare
from mesochart.planning.models import AftercareSheet, Protocol

SYNTHETIC_TEXT = (
    "Demo text, synthetic: not clinical advice.\n"
    "Swelling under the chin after treatment is expected and settles on its own.\n"
    "Sleep with your head a little raised tonight and avoid pressing on the area.\n"
    "Call Harbour Street if it becomes hard to swallow, if your smile looks uneven, or if "
    "the swelling gets worse instead of better."
)


def sheets(practitioner) -> None:
    protocol = Protocol.objects.get(clinic=None, slug="submental-deoxycholic-acid")
    if not AftercareSheet.objects.filter(clinic=practitioner.clinic, protocol=protocol).exists():
        aftercare.save_sheet(practitioner, protocol, {"text": SYNTHETIC_TEXT, "version": 0})
