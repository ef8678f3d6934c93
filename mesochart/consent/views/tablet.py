"""The questionnaire, asked by staff or answered by the patient, and the tablet's patient mode.

Patient mode (see `consent.tablet`) shows one task for one patient, in a layout with no
navigation and nothing from the record but the patient's own answers: the questionnaire, or
a consent to read and sign. Submitting it returns the tablet to staff mode.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.actions import sign_out
from mesochart.accounts.decorators import member_required
from mesochart.accounts.reauth import reauthenticate
from mesochart.audit.log import record_read
from mesochart.consent import actions, tablet
from mesochart.consent.access import get_patient, require
from mesochart.consent.actions.common import valid
from mesochart.consent.document import prepare
from mesochart.consent.forms import AreaForm, SignForm
from mesochart.consent.models import CollectionMode
from mesochart.consent.questionnaire import current_for
from mesochart.consent.views.common import (
    bind_errors,
    flash_errors,
    posted_answers,
    prefill,
    question_rows,
)
from mesochart.lib.errors import page_lines


@member_required
@tablet.staff_mode
def questionnaire(request, pk: int):
    """Staff mode: reception or a clinician asks the questions and types the answers."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "screening.collect")
    area = (request.POST.get("area") or request.GET.get("area") or "").strip()
    values, errors = prefill(membership, patient), {}
    if request.method == "POST":
        values = posted_answers(request.POST)
        try:
            response = actions.submit_response(
                request.actor,
                patient,
                area=area,
                answers=values,
                mode=CollectionMode.STAFF,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The answers were saved."))
            return redirect(f"{reverse('consent:screen', args=[pk])}?response={response.pk}")
    context = {
        "patient": patient,
        "area": area,
        "rows": question_rows(area, values, errors, current_for(patient.language)),
        "errors": page_lines(ValidationError(errors)) if errors else [],
        "version": current_for(patient.language).version,
    }
    record_read(request.actor, patient=patient, detail={"page": "questionnaire"})
    return render(request, "consent/questionnaire.html", context)


@member_required
@tablet.staff_mode
@require_POST
def tablet_start(request, pk: int):
    """Hand the tablet to the patient for the questionnaire about ``area``."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "screening.collect")
    try:
        area = valid(AreaForm(request.POST))["area"]
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("consent:questionnaire", pk=pk)
    tablet.lock(request, patient, tablet.QUESTIONNAIRE, area=area)
    return redirect("consent:tablet")


@member_required
def tablet_page(request):
    """Patient mode: the questionnaire, or the consent to sign."""
    lock = tablet.current(request)
    if lock is None:
        tablet.unlock(request)
        return redirect("patients:list")
    patient = get_patient(request.membership, lock["patient"])
    with translation.override(patient.language):  # the patient's pages, in their language
        return _patient_page(request, patient, lock)


def _patient_page(request, patient, lock):
    if lock.get("done"):
        context = {"patient": patient, "task": lock["done"]}
        return render(request, "consent/tablet_done.html", context)
    if lock["purpose"] == tablet.SIGN:
        return _sign(request, patient, lock)
    if lock["purpose"] == "outcomes":  # the patient rates their own items (outcomes app)
        from mesochart.outcomes.views_tablet import rate

        return rate(request, patient, lock)
    return _answer(request, patient, lock)


def _answer(request, patient, lock):
    membership = request.membership
    area = lock["area"]
    values, errors = prefill(membership, patient), {}
    if request.method == "POST":
        values = posted_answers(request.POST)
        try:
            actions.submit_response(
                request.actor,
                patient,
                area=area,
                answers=values,
                mode=CollectionMode.PATIENT,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            tablet.finish(request, "questionnaire")
            return redirect("consent:tablet")
    context = {
        "patient": patient,
        "area": area,
        "rows": question_rows(area, values, errors, current_for(patient.language)),
        "error_count": len(errors),
    }
    return render(request, "consent/tablet_questionnaire.html", context)


def _sign(request, patient, lock):
    membership = request.membership
    try:
        target = actions.target_from(membership, lock["target"])
        shown = prepare(membership.clinic, patient, target, membership.clinic.today())
    except ValidationError as error:
        tablet.unlock(request)
        flash_errors(request, error)
        return redirect("consent:consent_new", pk=patient.pk)
    form = SignForm(request.POST or None, initial={"document_sha256": shown.sha256})
    if request.method == "POST":
        try:
            actions.sign_consent(
                request.actor,
                patient,
                target=target,
                data=request.POST.dict() | {"photo_marketing": "photo_marketing" in request.POST},
            )
        except ValidationError as error:
            bind_errors(form, error)
        else:
            tablet.finish(request, "consent")
            return redirect("consent:tablet")
    context = {"patient": patient, "form": form, "document": shown, "target": target}
    return render(request, "consent/tablet_sign.html", context)


@member_required
def tablet_done(request, pk: int, task: str):
    """The thank-you screen now lives inside patient mode (`tablet_page`): an old link to
    it goes there, and from there only the staff password leads on."""
    return redirect("consent:tablet")


@member_required
@require_POST
def tablet_exit(request):
    """Leave patient mode, before the task is done or after it: every time, the staff
    member's password or authenticator code (checked, counted towards the lockout, audited)."""
    lock = tablet.current(request)
    if lock is None:
        tablet.unlock(request)
        return redirect("patients:list")
    try:
        reauthenticate(
            request.actor, request.POST.get("password", ""), purpose="leave patient mode"
        )
    except ValidationError:
        lock["failures"] = lock.get("failures", 0) + 1
        if lock["failures"] >= tablet.MAX_EXIT_FAILURES:
            # Someone is guessing: end the staff session; staff sign in again.
            sign_out(request, reason="patient mode: too many wrong staff passwords")
            return redirect("accounts:login")
        request.session[tablet.SESSION_KEY] = lock
        messages.error(
            request, _("Staff password: is not the password or code of the member of staff")
        )
        return redirect("consent:tablet")
    tablet.unlock(request)
    return redirect(CONTINUE.get(lock.get("done"), "consent:patient"), pk=lock["patient"])


# Where staff go on from the thank-you screen.
CONTINUE = {
    "consent": "consent:consents",
    "questionnaire": "consent:screen",
    "outcomes": "patients:detail",
}
