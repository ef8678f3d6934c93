"""Recall: every patient and signed session that received a lot, with contact details.

When a lot is suspected (outbreaks of mycobacterial infection after mesotherapy have been
traced to contaminated multi-dose vials, reference.md, Singsing 2022), the practice must
reach every patient who received it within minutes, in every clinic of the organisation,
and nobody else's. A recall is health data leaving the record: it is audited (``export``)
with the lot, the number of rows and the format, whoever runs it — a page, the API or the
console.

Four queries whatever the number of rows: the lots of that number, their uses (`LotUse`,
written when each session was signed, read by lot in order of the moment, no session row
visited) with their patients, the corrections of their areas, and the practitioners. What
repeats over thousands of rows (a lot's clinic, product and expiry, a practitioner's name)
is read once, not per row; values are read as text, parsed once per distinct value and kept
as plain named tuples: see bench/bench_treatments.py for a lot used 5,000 times.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.formulary.models import Lot, LotHold
from mesochart.lib.csvcells import cell
from mesochart.treatments.access import require
from mesochart.treatments.models import Amendment, AmendmentKind, LotUse


class RecallRow(NamedTuple):
    patient_id: int
    record_number: str
    patient: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    clinic: str
    session_id: int
    session_date: date
    areas: str
    product: str
    lot_number: str
    expires_on: date
    volume_administered_ml: Decimal
    volume_wasted_ml: Decimal
    practitioner: str
    # What a lot correction after signing replaced ("" when the use is as signed).
    corrected_from: str = ""


FIELDS = RecallRow._fields
MILLILITRES = Decimal("0.001")


def recall_rows(organisation_id: int, lot_number: str) -> list[RecallRow]:
    """Signed sessions of the organisation's clinics that used a lot numbered ``lot_number``
    (of any product: the rows name it), oldest first, each dated on its clinic's calendar
    (`LotUse.day`), with the patient's contact details as they are now. A use's clinic is
    its lot's: a session draws only on its own clinic's stock (the pre-flight's lot check)."""
    lots = {
        pk: (clinic, product, number, expires_on)
        for pk, clinic, product, number, expires_on in Lot.objects.filter(
            lot_number__iexact=lot_number.strip(), clinic__organisation_id=organisation_id
        ).values_list("pk", "clinic__name", "product__name", "lot_number", "expires_on")
    }
    if not lots:
        return []
    # A use a lot correction superseded is not recalled under the wrong lot; its
    # replacement is, saying what it replaced (`treatments.corrections`).
    uses = LotUse.objects.filter(lot_id__in=lots, superseded_by__isnull=True)
    corrected = _corrected_areas(uses)
    rows = list(
        uses.order_by("administered_at", "session_id", "position").values_list(
            "patient_id",
            "patient__record_number",
            "patient__given_name",
            "patient__family_name",
            _text("patient__date_of_birth"),
            "patient__phone",
            "patient__email",
            "patient__address",
            "session_id",
            _text("day"),
            _text("areas"),
            "lot_id",
            _text("volume_administered_ml"),
            _text("volume_wasted_ml"),
            "practitioner_id",
            "corrected_from",
        )
    )
    practitioners = _practitioners({row[-2] for row in rows})
    # Few distinct values repeat over thousands of rows: parse each once.
    day_of = _Memo(date.fromisoformat)
    areas_of = _Memo(lambda text: ", ".join(json.loads(text)))
    ml_of = _Memo(lambda text: Decimal(text).quantize(MILLILITRES))
    return [
        RecallRow(
            patient_id,
            record_number,
            f"{family.upper()}, {given}",
            day_of[born],
            phone,
            email,
            address,
            lots[lot_id][0],
            session_id,
            day_of[day],
            corrected.get(session_id) or areas_of[areas],
            *lots[lot_id][1:],
            ml_of[administered],
            ml_of[wasted],
            practitioners[practitioner_id],
            corrected_from,
        )
        for (
            patient_id,
            record_number,
            given,
            family,
            born,
            phone,
            email,
            address,
            session_id,
            day,
            areas,
            lot_id,
            administered,
            wasted,
            practitioner_id,
            corrected_from,
        ) in rows
    ]


def _practitioners(ids: set[int]) -> dict[int, str]:
    """User id → the name a recall prints (the full name, else the username)."""
    return {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "first_name", "last_name", "username")
    }


def _corrected_areas(uses) -> dict[int, str]:
    """Session id → its areas as the latest correction reads (`actions.effective`): a
    session whose areas were corrected after signing is recalled with the corrected ones.
    One query, of the corrections of these sessions only."""
    rows = (
        Amendment.objects.filter(
            session_id__in=uses.values("session_id"), kind=AmendmentKind.CORRECTION
        )
        .order_by("at", "pk")
        .values_list("session_id", "changes")
    )
    return {
        session_id: ", ".join(changes["areas"]["to"])
        for session_id, changes in rows
        if "areas" in changes
    }


def _text(field: str) -> Cast:
    """``field`` as the database's text, read with one C call per value below.

    Django's per-value converters (dates, datetimes, decimals and JSON parsed in Python
    with settings looked up each time) cost more than the query itself on a lot used
    5,000 times; ISO text parses at C speed on SQLite and PostgreSQL alike.
    """
    return Cast(field, TextField())


class _Memo(dict):
    """``memo[key]`` is ``parse(key)``, computed once per key."""

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __missing__(self, key):
        value = self[key] = self.parse(key)
        return value


def products_of(rows: list[RecallRow]) -> list[tuple[str, date, list[str]]]:
    """What was recalled, as (product, expiry, clinics that used it): one line per product
    and expiry, since one lot number may be printed on two manufacturers' boxes."""
    used: dict[tuple[str, date], list[str]] = {}
    for row in rows:
        clinics = used.setdefault((row.product, row.expires_on), [])
        if row.clinic not in clinics:
            clinics.append(row.clinic)
    return [(product, expires_on, clinics) for (product, expires_on), clinics in used.items()]


def patient_count(rows: list[RecallRow]) -> int:
    """How many people to call: a patient who had the lot twice is one call."""
    return len({row.patient_id for row in rows})


def _audit(actor, clinic, lot_number: str, rows: list[RecallRow], fmt: str, **kw):
    with transaction.atomic():
        record(
            actor,
            Action.EXPORT,
            Category.TREATMENT,
            clinic=clinic,
            detail={
                "recall": lot_number,
                "rows": len(rows),
                "patients": patient_count(rows),
                "format": fmt,
            },
            **kw,
        )


def run_recall(actor: Actor, lot_number: str, fmt: str = "json") -> list[RecallRow]:
    """The recall of ``lot_number`` across the actor's organisation, audited."""
    require(actor, "recall.run")
    rows = recall_rows(actor.clinic.organisation_id, lot_number)
    _audit(actor, actor.clinic, lot_number, rows, fmt)
    return rows


def console_recall(organisation, lot_number: str, fmt: str) -> list[RecallRow]:
    """The recall as the ``mesochart recall`` command runs it, audited as the console."""
    rows = recall_rows(organisation.pk, lot_number)
    with transaction.atomic():
        record(
            None,
            Action.EXPORT,
            Category.TREATMENT,
            actor_label="console",
            detail={
                "recall": lot_number,
                "organisation": organisation.pk,
                "rows": len(rows),
                "patients": patient_count(rows),
                "format": fmt,
            },
        )
    return rows


def as_dicts(rows: list[RecallRow]) -> list[dict]:
    return [
        {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in row._asdict().items()}
        for row in rows
    ]


def as_csv(rows: list[RecallRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for row in as_dicts(rows):
        writer.writerow([cell(row[field]) for field in FIELDS])
    return buffer.getvalue()


def held_lots(membership) -> list:
    """The organisation's lots quarantined or recalled now, newest first: where a recall
    starts from. Names lots, not patients, so reading it is not audited."""
    return list(
        LotHold.objects.open()
        .filter(lot__clinic__organisation_id=membership.clinic.organisation_id)
        .select_related("lot__product", "lot__clinic", "placed_by")
        .order_by("-placed_at", "-pk")
    )
