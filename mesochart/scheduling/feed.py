"""A practitioner's private iCalendar feed (Google Calendar, Outlook and Apple Calendar
subscribe to the URL). Events say the appointment type and the clinic; the patient's name
only if the clinic turned that on (`ClinicOptions`), since phones sync and share calendars.
"""

import datetime as dt
import secrets

import icalendar
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.scheduling.access import practitioners_of, require
from mesochart.scheduling.models import Appointment, CalendarFeed, ClinicOptions

PAST, AHEAD = dt.timedelta(days=30), dt.timedelta(days=366)


def feed_of(actor: Actor, regenerate: bool = False) -> CalendarFeed:
    """The member's own feed at their clinic, made on first use; ``regenerate`` gives it a
    new secret (the old URL stops working). Only staff who hold appointments have one."""
    require(actor, "appointment.view")
    if not practitioners_of(actor.clinic).filter(pk=actor.user.pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only staff who hold appointments have a calendar feed."))
    with transaction.atomic():
        mine = CalendarFeed.objects.filter(clinic=actor.clinic, practitioner=actor.user)
        feed = mine.select_for_update().first()
        if feed is None or regenerate:
            if feed is not None:
                feed.delete()
            feed = CalendarFeed.objects.create(
                clinic=actor.clinic,
                practitioner=actor.user,
                token=secrets.token_urlsafe(32),
            )
            record(
                actor,
                Action.CREATE,
                Category.PLANNING,
                obj=feed,
                detail={"calendar_feed": "regenerated" if regenerate else "created"},
            )
    return feed


def ics(token: str) -> bytes | None:
    """The feed's calendar, or ``None`` for an unknown token."""
    feed = CalendarFeed.objects.select_related("clinic").filter(token=token).first()
    if feed is None:
        return None
    options = ClinicOptions.objects.filter(clinic=feed.clinic).first()
    names = options is not None and options.feed_shows_patient_names
    now = timezone.now()
    rows = list(
        Appointment.objects.in_clinic(feed.clinic)
        .holding_time()
        .filter(practitioner_id=feed.practitioner_id)
        .filter(starts_at__gte=now - PAST, starts_at__lte=now + AHEAD)
        .select_related("type", "room", "patient")
        .order_by("starts_at")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mesochart//practitioner calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"mesochart · {feed.clinic.name}")
    for a in rows:
        event = icalendar.Event()
        event.add("uid", f"appointment-{a.pk}@mesochart")
        event.add("dtstamp", now)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        summary = a.type.name
        if names:
            summary += f": {a.patient.given_name} {a.patient.family_name}"
        event.add("summary", summary)
        event.add("location", f"{feed.clinic.name}{f', {a.room.name}' if a.room else ''}")
        calendar.add_component(event)
    if names and rows:
        with transaction.atomic():
            record(
                feed.practitioner,
                Action.EXPORT,
                Category.PLANNING,
                clinic=feed.clinic,
                obj=feed,
                detail={"calendar_feed": "read", "patients": sorted({a.patient_id for a in rows})},
            )
    return calendar.to_ical()
