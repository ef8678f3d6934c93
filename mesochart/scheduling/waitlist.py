"""The waitlist: patients who want an earlier slot; a cancellation offers its slot to the
first one waiting for that appointment type (and that practitioner, if they named one).

The offer is written in the cancellation's transaction; the email goes out from the task
queue after the commit, so a rolled-back cancellation offers nothing.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib import l10n
from mesochart.scheduling.access import require
from mesochart.scheduling.models import WaitlistEntry, WaitStatus


def add(actor: Actor, patient, type_, practitioner=None) -> WaitlistEntry:
    """``patient`` and ``type_`` come through the access functions (this clinic's)."""
    require(actor, "appointment.book")
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            clinic=actor.clinic, patient=patient, type=type_, practitioner=practitioner
        )
        record(
            actor,
            Action.CREATE,
            Category.PLANNING,
            patient=patient,
            obj=entry,
            detail={"waitlist": type_.name},
        )
    return entry


def offer(appointment) -> WaitlistEntry | None:
    """Offer the cancelled ``appointment``'s slot to the first waiting; inside the caller's
    transaction."""
    waiting = (
        WaitlistEntry.objects.select_for_update()
        .filter(clinic=appointment.clinic, type=appointment.type, status=WaitStatus.WAITING)
        .exclude(patient=appointment.patient)
        .order_by("created_at", "pk")
    )
    entry = next(
        (e for e in waiting if e.practitioner_id in (None, appointment.practitioner_id)),
        None,
    )
    if entry is None or appointment.starts_at <= timezone.now():
        return None
    entry.status, entry.offered_at = WaitStatus.OFFERED, timezone.now()
    entry.offered_starts_at = appointment.starts_at
    entry.save(update_fields=["status", "offered_at", "offered_starts_at"])
    record(
        None,
        Action.UPDATE,
        Category.PLANNING,
        clinic=appointment.clinic,
        patient=entry.patient,
        obj=entry,
        actor_label="waitlist",
        detail={"offered": appointment.starts_at.isoformat(), "freed_by": appointment.pk},
    )
    from mesochart.scheduling.tasks import send_offer

    transaction.on_commit(lambda: send_offer.enqueue(entry.pk))
    return entry


def send(entry_id: int) -> str:
    from django.core.mail import send_mail

    from mesochart.scheduling.calendar import zone_of

    entry = WaitlistEntry.objects.select_related("clinic", "patient").get(pk=entry_id)
    offered = entry.offered_starts_at
    if not entry.patient.email or entry.status != WaitStatus.OFFERED or offered is None:
        return "not sent"
    local = offered.astimezone(zone_of(entry.clinic))
    with translation.override(entry.patient.language):  # the patient's language
        words = {
            "clinic": entry.clinic.name,
            "day": l10n.long_day(local),
            "time": f"{local:%H:%M}",
        }
        subject = _("An earlier appointment at %(clinic)s") % words
        body = (
            _("A slot is free at %(clinic)s on %(day)s at %(time)s. Call the clinic to take it.")
            % words
        )
    send_mail(subject, body + "\n", None, [entry.patient.email])
    return "sent"
