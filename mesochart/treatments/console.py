"""``mesochart recall LOT``: the recall for the console, as a table, JSON or a CSV file."""

import json

from rich.table import Table

from mesochart.accounts.models import Organisation
from mesochart.core.volumes import ml_number
from mesochart.treatments.recall import as_csv, as_dicts, console_recall


class RecallError(Exception):
    pass


def find_organisation(slug: str | None) -> Organisation:
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise RecallError(f"organisation: no organisation '{slug}'")
        return found
    organisations = list(Organisation.objects.order_by("pk")[:2])
    if len(organisations) != 1:
        raise RecallError("organisation: name one with --organisation SLUG")
    return organisations[0]


def run(lot_number: str, organisation_slug: str | None, as_json: bool, csv_path: str | None):
    """The rows, audited; writes ``csv_path`` if given. Returns (rows, text to print)."""
    if not lot_number.strip():
        raise RecallError("lot: must not be blank")
    organisation = find_organisation(organisation_slug)
    fmt = "csv" if csv_path else "json" if as_json else "table"
    rows = console_recall(organisation, lot_number, fmt)
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as handle:
            handle.write(as_csv(rows))
    if as_json:
        return rows, json.dumps({"lot_number": lot_number, "rows": as_dicts(rows)}, indent=2)
    return rows, None


def table(lot_number: str, rows) -> Table:
    out = Table(title=f"Recall of lot {lot_number}: {len(rows)} session(s)")
    for column in ("date", "patient", "record", "phone", "email", "clinic", "area", "mL", "by"):
        out.add_column(column)
    for row in rows:
        out.add_row(
            row.session_date.isoformat(),
            row.patient,
            row.record_number,
            row.phone,
            row.email,
            row.clinic,
            row.areas,
            ml_number(row.volume_administered_ml),
            row.practitioner,
        )
    return out
