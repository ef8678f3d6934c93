"""Roles and what each may do: the single table every view and endpoint consults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Owner / admin")
    PRACTITIONER = "practitioner", _("Practitioner")
    NURSE = "nurse", _("Nurse")
    RECEPTION = "reception", _("Reception")


_ALL = frozenset(Role)
# Roles that handle clinical decisions or privileges: TOTP is mandatory for them.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.PRACTITIONER})
_CLINICAL = frozenset({Role.ADMIN, Role.PRACTITIONER, Role.NURSE})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Demographics: everybody at the front desk and in the treatment room.
    "patient.view": _ALL,
    "patient.create": _ALL,
    "patient.edit": _ALL,
    # Clinical history (allergies, medications, conditions, pregnancy): not reception.
    "patient.clinical.view": _CLINICAL,
    "patient.clinical.edit": _CLINICAL,
    # Voiding a record is a clinical decision with legal weight.
    "patient.void": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "staff.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN}),
    # The formulary: everybody reads it; changing products and limits is clinical.
    "formulary.view": _ALL,
    "formulary.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "stock.manage": _CLINICAL,
    # Anyone clinical may set a doubtful lot aside; recalling one (final) and releasing a
    # quarantine are a practitioner's or the owner's decision.
    "lot.quarantine": _CLINICAL,
    "lot.recall": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "cocktail.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # Screening and consent: anyone may collect answers and witness signatures; only the
    # treating practitioner may accept a relative contraindication (an owner/admin who is not
    # a practitioner may not); the clinic's own rules and consent wording are clinical.
    "screening.collect": _ALL,
    "screening.acknowledge": frozenset({Role.PRACTITIONER}),
    "screening.rules.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "consent.collect": _ALL,
    "consent.template.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # Treatment plans: clinical staff read them; nurses may draft (measure, lay out points)
    # since only a licensed practitioner approves; the clinic's protocols and opening days
    # are the practice's own decisions.
    "plan.view": _CLINICAL,
    "plan.edit": _CLINICAL,
    "plan.approve": frozenset({Role.PRACTITIONER}),
    "protocol.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "calendar.edit": frozenset({Role.ADMIN}),
    # What the patient takes home after a treatment is the practice's clinical word.
    "aftercare.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # Treatment sessions: the record of what went into a patient. Nurses may prepare a
    # draft (lots, points); only the performing practitioner signs. A recall reads every
    # patient who received a lot, across the organisation's clinics.
    "session.view": _CLINICAL,
    "session.record": frozenset({Role.PRACTITIONER, Role.NURSE}),
    "session.sign": frozenset({Role.PRACTITIONER}),
    "recall.run": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    "adverse.record": _CLINICAL,
    # Outcome measures: clinical staff rate and record them (nurses measure); reception does
    # not see them. Amending keeps the original (outcomes.actions.amend_value).
    "outcome.view": _CLINICAL,
    "outcome.record": _CLINICAL,
    # A clinic's own patient-reported items (FACE-Q is licensed, so none is shipped).
    "outcome.item.edit": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # Analytics across the clinic's patients (issue 17): the practice's clinicians and owner.
    "analytics.view": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # Clinical photos: clinical staff take and see them and record the patient's consent to
    # teaching or marketing use; only the practice's clinicians and owner publish them.
    "photo.view": _CLINICAL,
    "photo.take": _CLINICAL,
    "photo.consent": _CLINICAL,
    "photo.publish": frozenset({Role.ADMIN, Role.PRACTITIONER}),
    # The calendar: the front desk books, moves and cancels; accepting a warning of the
    # interval rules with a written reason is clinical; hours, rooms and types are the
    # practice's own decisions.
    "appointment.view": _ALL,
    "appointment.book": _ALL,
    "appointment.override": frozenset({Role.PRACTITIONER}),
    "schedule.edit": frozenset({Role.ADMIN}),
    # The whole record leaves the practice: its clinicians and owner only.
    "record.export": frozenset({Role.ADMIN, Role.PRACTITIONER}),
}


def allows(role: str | None, permission: str) -> bool:
    """Whether ``role`` carries ``permission``; an unknown permission is a programming error."""
    return role is not None and role in PERMISSIONS[permission]
