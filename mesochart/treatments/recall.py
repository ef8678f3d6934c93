"""Recall: every patient and signed session that received a lot, with contact details.

When a lot is suspected (outbreaks of mycobacterial infection after mesotherapy have been
traced to contaminated multi-dose vials, reference.md, Singsing 2022), the practice must
reach every patient who received it within minutes, in every clinic of the organisation,
and nobody else's. A recall is health data leaving the record: it is audited (``export``)
with the lot, the number of rows and the format, whoever runs it — a page, the API or the
console.

Two queries whatever the number of rows (the uses, ``values_list()``, no model instances,
the lot found through its own index; and the corrections of their areas), rows read as
text and kept as plain named tuples: see bench/bench_treatments.py for a lot used 5,000
times.
"""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.treatments.access import require
from mesochart.treatments.models import (
    Amendment,
    AmendmentKind,
    SessionProduct,
    SessionStatus,
)


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


FIELDS = RecallRow._fields
MILLILITRES = Decimal("0.001")


def recall_rows(organisation_id: int, lot_number: str) -> list[RecallRow]:
    """Signed sessions of the organisation's clinics that used a lot numbered ``lot_number``
    (of any product: the rows name it), oldest first. A session's date is the day at its
    clinic (an evening session in Sydney is not dated the next morning in UTC)."""
    uses = SessionProduct.objects.filter(
        lot__lot_number=lot_number.strip(),
        lot__clinic__organisation_id=organisation_id,
        session__status=SessionStatus.SIGNED,
    )
    corrected = _corrected_areas(uses)
    rows = uses.order_by("session__started_at", "session_id", "position").values_list(
        "session__patient_id",
        "session__patient__record_number",
        "session__patient__given_name",
        "session__patient__family_name",
        _text("session__patient__date_of_birth"),
        "session__patient__phone",
        "session__patient__email",
        "session__patient__address",
        "session__clinic__name",
        "session__clinic__time_zone",
        "session_id",
        _text("session__started_at"),
        _text("session__areas"),
        "product__name",
        "lot__lot_number",
        _text("lot__expires_on"),
        _text("volume_drawn_ml"),
        _text("volume_wasted_ml"),
        "session__practitioner__first_name",
        "session__practitioner__last_name",
        "session__practitioner__username",
    )
    out = []
    # Few distinct values repeat over thousands of rows: parse each once.
    areas_of = _Memo(lambda text: ", ".join(json.loads(text)))
    ml_of = _Memo(lambda text: Decimal(text).quantize(MILLILITRES))
    for (
        patient_id,
        record_number,
        given,
        family,
        born,
        phone,
        email,
        address,
        clinic,
        zone,
        session_id,
        started_at,
        areas,
        product,
        lot,
        expires_on,
        drawn,
        wasted,
        first,
        last,
        username,
    ) in rows:
        wasted_ml = ml_of[wasted]
        out.append(
            RecallRow(
                patient_id=patient_id,
                record_number=record_number,
                patient=f"{family.upper()}, {given}",
                date_of_birth=date.fromisoformat(born),
                phone=phone,
                email=email,
                address=address,
                clinic=clinic,
                session_id=session_id,
                session_date=_local_day(started_at, zone),
                areas=corrected.get(session_id) or areas_of[areas],
                product=product,
                lot_number=lot,
                expires_on=date.fromisoformat(expires_on),
                volume_administered_ml=ml_of[drawn] - wasted_ml,
                volume_wasted_ml=wasted_ml,
                practitioner=f"{first} {last}".strip() or username,
            )
        )
    return out


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


def _local_day(text: str, zone: str) -> date:
    """The clinic's day of a timestamp given as text: SQLite's is naive UTC, PostgreSQL's
    carries its offset."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date()


def patient_count(rows: list[RecallRow]) -> int:
    """How many people to call: a patient who had the lot twice is one call."""
    return len({row.patient_id for row in rows})


def _audit(actor, clinic, lot_number: str, rows: list[RecallRow], fmt: str, request=None, **kw):
    with transaction.atomic():
        record(
            actor,
            Action.EXPORT,
            Category.TREATMENT,
            clinic=clinic,
            request=request,
            detail={
                "recall": lot_number,
                "rows": len(rows),
                "patients": patient_count(rows),
                "format": fmt,
            },
            **kw,
        )


def run_recall(membership, lot_number: str, fmt: str = "json", request=None) -> list[RecallRow]:
    """The recall of ``lot_number`` across the membership's organisation, audited."""
    require(membership, "recall.run")
    rows = recall_rows(membership.clinic.organisation_id, lot_number)
    _audit(membership.user, membership.clinic, lot_number, rows, fmt, request)
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
        writer.writerow([_safe(row[field]) for field in FIELDS])
    return buffer.getvalue()


def _safe(value):
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
