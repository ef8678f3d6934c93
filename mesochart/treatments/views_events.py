"""Adverse event pages: record one for a patient, read it, follow it up, export the
regulator's report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.lib.errors import page_lines
from mesochart.patients.access import get_patient
from mesochart.patients.actions import record_view
from mesochart.treatments import events
from mesochart.treatments.access import get_event
from mesochart.treatments.forms import (
    EVOLVING,
    AdverseEventFollowUpForm,
    AdverseEventForm,
    SuspectsAmendmentForm,
)


def _posted(post) -> dict:
    """The form's data as the actions read it: the lists as lists (``dict()`` would keep the
    last value of each)."""
    data = post.dict()
    for name in ("seriousness", "lots", "products"):
        data[name] = post.getlist(name)
    return data


@member_required
def create(request, patient_pk: int):
    """Record an event; refused, the form comes back with everything that was entered."""
    membership = request.membership
    patient = get_patient(membership, patient_pk, "adverse.record")
    errors = []
    # Opened from a session (the prompt after a deviation is signed): that session chosen.
    linked = request.GET.get("session", "")
    initial = {"session": int(linked)} if linked.isdecimal() else {}
    form = AdverseEventForm(
        request.POST or None, patient=patient, clinic=membership.clinic, initial=initial
    )
    if request.method == "POST":
        try:
            event = events.record_event(request.actor, patient, _posted(request.POST))
        except ValidationError as error:
            errors = page_lines(error, form=form)
        else:
            messages.success(request, _("Adverse event recorded."))
            return redirect("treatments:event_detail", pk=event.pk)
    context = {"patient": patient, "form": form, "errors": errors}
    record_view(request.actor, patient, clinical=True)
    return render(request, "treatments/event_form.html", context, status=422 if errors else 200)


def _detail_context(request, event, errors=(), posted=None, suspects_posted=None) -> dict:
    """The event page: the report as it reads now, the follow-ups and amendments that led
    there, and (for whoever may record events) their forms, filled with the current values
    or with what was just refused."""
    updates = [
        (update, events.change_lines(update)) for update in event.updates.select_related("by")
    ]
    context = {
        "event": event,
        "patient": event.patient,
        "fields": events.report_fields(event),
        "updates": updates,
        "first_reported": events.first_reported(event),
        "errors": list(errors),
        "can_follow_up": allows(request.membership.role, "adverse.record"),
    }
    if context["can_follow_up"]:
        initial = {name: getattr(event, name) for name in EVOLVING}
        initial["follow_up_dates"] = ", ".join(event.follow_up_dates)
        context["form"] = AdverseEventFollowUpForm(posted, initial=initial)
        context["suspects_form"] = SuspectsAmendmentForm(
            suspects_posted,
            initial={
                "session": event.session_id,
                "lots": [lot.pk for lot in event.lots.all()],
                "products": [product.pk for product in event.products.all()],
            },
            patient=event.patient,
            clinic=request.membership.clinic,
        )
    return context


@member_required
def detail(request, pk: int):
    event = get_event(request.membership, pk)
    record_view(request.actor, event.patient, clinical=True)
    return render(request, "treatments/event_detail.html", _detail_context(request, event))


@member_required
@require_POST
def follow_up(request, pk: int):
    """The follow-up form of the event page: on success back to the page, otherwise the page
    again with ``field: rule`` lines and what was typed (422)."""
    event = get_event(request.membership, pk, "adverse.record")
    try:
        events.follow_up(request.actor, event, _posted(request.POST))
    except ValidationError as error:
        # Nothing was written, ``event`` is as read above: the form keeps what was typed and
        # the page shows the current version (after a stale refusal, the other person's).
        refused = page_lines(error, form=AdverseEventFollowUpForm)
        context = _detail_context(request, event, refused, request.POST)
        return render(request, "treatments/event_detail.html", context, status=422)
    messages.success(request, _("Follow-up recorded; the first report is kept in the history."))
    return redirect("treatments:event_detail", pk=pk)


@member_required
@require_POST
def amend_suspects(request, pk: int):
    """Link or correct the event's session, lots and products (an amendment with a reason);
    refused, the page again with ``field: rule`` lines and what was chosen (422)."""
    event = get_event(request.membership, pk, "adverse.record")
    try:
        events.amend_suspects(request.actor, event, _posted(request.POST))
    except ValidationError as error:
        refused = page_lines(error, form=SuspectsAmendmentForm)
        context = _detail_context(request, event, refused, suspects_posted=request.POST)
        return render(request, "treatments/event_detail.html", context, status=422)
    messages.success(request, _("Suspects amended; what was first reported is kept below."))
    return redirect("treatments:event_detail", pk=pk)


@member_required
def report_csv(request, pk: int):
    event = get_event(request.membership, pk)
    response = HttpResponse(events.report_csv(request.actor, event), "text/csv")
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{pk}.csv"'
    return response


@member_required
def report_pdf(request, pk: int):
    event = get_event(request.membership, pk)
    response = HttpResponse(events.report_pdf(request.actor, event), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{pk}.pdf"'
    return response
