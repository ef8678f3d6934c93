"""Recall: every patient and signed session that received a lot, with contact details.

When a lot is suspected (outbreaks of mycobacterial infection after mesotherapy have been
traced to contaminated multi-dose vials, reference.md, Singsing 2022), the practice must
reach every patient who received it within minutes, in every clinic of the organisation,
and nobody else's. A recall is health data leaving the record: it is audited (``export``)
with the lot, the number of rows and the format, whoever runs it — a page, the API or the
console.

One query whatever the number of rows (``values()``, no model instances).
"""

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.treatments.access import require
from mesochart.treatments.models import SessionProduct, SessionStatus


@dataclass(frozen=True)
class RecallRow:
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


FIELDS = tuple(RecallRow.__dataclass_fields__)


def recall_rows(organisation_id: int, lot_number: str) -> list[RecallRow]:
    """Signed sessions of the organisation's clinics that used a lot numbered ``lot_number``
    (of any product: the rows name it), oldest first."""
    rows = (
        SessionProduct.objects.filter(
            lot__lot_number=lot_number.strip(),
            lot__clinic__organisation_id=organisation_id,
            session__status=SessionStatus.SIGNED,
        )
        .order_by("session__started_at", "session_id", "position")
        .values_list(
            "session__patient_id",
            "session__patient__record_number",
            "session__patient__given_name",
            "session__patient__family_name",
            "session__patient__date_of_birth",
            "session__patient__phone",
            "session__patient__email",
            "session__patient__address",
            "session__clinic__name",
            "session_id",
            "session__started_at",
            "session__areas",
            "product__name",
            "lot__lot_number",
            "lot__expires_on",
            "volume_drawn_ml",
            "volume_wasted_ml",
            "session__practitioner__first_name",
            "session__practitioner__last_name",
            "session__practitioner__username",
        )
    )
    out = []
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
        out.append(
            RecallRow(
                patient_id=patient_id,
                record_number=record_number,
                patient=f"{family.upper()}, {given}",
                date_of_birth=born,
                phone=phone,
                email=email,
                address=address,
                clinic=clinic,
                session_id=session_id,
                session_date=started_at.date(),
                areas=", ".join(areas or []),
                product=product,
                lot_number=lot,
                expires_on=expires_on,
                volume_administered_ml=Decimal(drawn) - Decimal(wasted),
                volume_wasted_ml=Decimal(wasted),
                practitioner=f"{first} {last}".strip() or username,
            )
        )
    return out


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
                "patients": len({row.patient_id for row in rows}),
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
                "patients": len({row.patient_id for row in rows}),
                "format": fmt,
            },
        )
    return rows


def as_dicts(rows: list[RecallRow]) -> list[dict]:
    return [
        {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in asdict(row).items()}
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
