"""The patient's reminder link (no sign-in) and the reception's list of the unconfirmed.

The link page shows only the appointment's date, time and clinic; confirming or cancelling
is a POST of the same signed token. An altered or expired link is refused (``link: rule``).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from mesochart.accounts.decorators import member_required
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib import l10n
from mesochart.lib.errors import page_lines
from mesochart.scheduling import actions, reminders
from mesochart.scheduling import feed as calendar_feed
from mesochart.scheduling.access import require
from mesochart.scheduling.calendar import zone_of
from mesochart.scheduling.forms import LABELS
from mesochart.scheduling.models import State


@require_http_methods(["GET", "POST"])
def link_view(request, token: str):
    try:
        appointment = reminders.appointment_of(token)
    except reminders.LinkError as error:
        return render(request, "scheduling/link.html", {"errors": [str(error)]}, status=400)
    errors, done = [], None
    answer = request.POST.get("answer")
    if request.method == "POST" and answer in ("confirm", "cancel"):
        try:
            done = _answer(appointment, answer)
        except ValidationError as error:
            errors = page_lines(error, LABELS)
    local = appointment.starts_at.astimezone(zone_of(appointment.clinic))
    context = {
        "when": local,
        "clinic": appointment.clinic.name,
        "state": appointment.state,
        "errors": errors,
        "done": done,
    }
    # The patient's page: in their language, whatever the browser asks for.
    with (
        timezone.override(zone_of(appointment.clinic)),
        translation.override(appointment.patient.language),
    ):
        context["day"] = l10n.long_day(local)
        return render(request, "scheduling/link.html", context)


def _answer(appointment, answer: str) -> str:
    if answer == "cancel":
        actions.cancel_by_patient(appointment)
        return "cancelled"
    if appointment.state != State.BOOKED:
        raise ValidationError({"state": [_("is no longer waiting for a confirmation")]})
    with transaction.atomic():
        appointment.state, appointment.confirmed_at = State.CONFIRMED, timezone.now()
        appointment.save(update_fields=["state", "confirmed_at"])
        record(
            None,
            Action.UPDATE,
            Category.PLANNING,
            clinic=appointment.clinic,
            patient=appointment.patient,
            obj=appointment,
            actor_label="patient (signed link)",
            detail={"appointment": True, "state": "confirmed"},
        )
    return "confirmed"


@member_required
def unconfirmed_view(request):
    """Tomorrow's (or ``?date=``) appointments that nobody has confirmed yet."""
    membership = request.membership
    require(membership, "appointment.view")
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = membership.clinic.today() + dt.timedelta(days=1)
    rows = list(reminders.unconfirmed(membership.clinic, day))
    actions.record_read(request.actor, "unconfirmed", [a.patient_id for a in rows])
    with timezone.override(zone_of(membership.clinic)):
        return render(request, "scheduling/unconfirmed.html", {"day": day, "rows": rows})


@member_required
def feed_view(request):
    """The member's own calendar feed URL; POST gives it a new secret."""
    regenerate = request.method == "POST"
    feed = calendar_feed.feed_of(request.actor, regenerate=regenerate)
    url = request.build_absolute_uri(f"/schedule/feed/{feed.token}.ics")
    return render(request, "scheduling/feed.html", {"feed": feed, "url": url})


def feed_ics(request, token: str):
    data = calendar_feed.ics(token)
    if data is None:
        raise Http404("No such calendar.")
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")
