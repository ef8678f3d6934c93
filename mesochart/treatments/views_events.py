"""Adverse event pages: record one for a patient, read it, export the regulator's report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from mesochart.accounts.decorators import member_required
from mesochart.lib.errors import error_lines
from mesochart.patients.access import get_patient
from mesochart.treatments import events
from mesochart.treatments.access import get_event, sessions_for
from mesochart.treatments.forms import AdverseEventForm


@member_required
def create(request, patient_pk: int):
    patient = get_patient(request.membership, patient_pk, "adverse.record")
    sessions = sessions_for(request.membership).filter(patient=patient, status="signed")
    errors = []
    form = AdverseEventForm(request.POST or None)
    if request.method == "POST":
        data = request.POST.dict()
        data["seriousness"] = request.POST.getlist("seriousness")
        try:
            event = events.record_event(request.membership, patient, data, request)
        except ValidationError as error:
            errors = error_lines(error)
        else:
            messages.success(request, "Adverse event recorded.")
            return redirect("treatments:event_detail", pk=event.pk)
    context = {"patient": patient, "form": form, "sessions": sessions, "errors": errors}
    return render(request, "treatments/event_form.html", context, status=422 if errors else 200)


@member_required
def detail(request, pk: int):
    event = get_event(request.membership, pk)
    context = {"event": event, "patient": event.patient, "fields": events.report_fields(event)}
    return render(request, "treatments/event_detail.html", context)


@member_required
def report_csv(request, pk: int):
    event = get_event(request.membership, pk)
    response = HttpResponse(events.report_csv(request.membership, event, request), "text/csv")
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{pk}.csv"'
    return response


@member_required
def report_pdf(request, pk: int):
    event = get_event(request.membership, pk)
    response = HttpResponse(
        events.report_pdf(request.membership, event, request), "application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="adverse-event-{pk}.pdf"'
    return response
