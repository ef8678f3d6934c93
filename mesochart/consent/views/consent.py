"""Consent pages: history, preparing a consent and handing the tablet over to sign it, one
signed consent (document, signature, verification, PDF, withdrawal), marketing photos, and
the clinic's consent templates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.audit.log import record, record_read
from mesochart.audit.models import Action, Category
from mesochart.consent import actions, tablet
from mesochart.consent.access import consents_of, get_consent, get_patient, require
from mesochart.consent.document import prepare
from mesochart.consent.facts import Target
from mesochart.consent.forms import TargetForm, TemplateForm, WithdrawForm
from mesochart.consent.models import ConsentTemplate, PhotoConsent
from mesochart.consent.pdf import consent_pdf
from mesochart.consent.plans import area_of, plans_of, regions_of
from mesochart.consent.views.common import bind_errors, flash_errors
from mesochart.formulary.engine import visible_products


@member_required
@tablet.staff_mode
def consents(request, pk: int):
    """Every consent of the patient, newest first, withdrawn ones included."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "consent.collect")
    rows = (
        consents_of(membership, patient)
        .select_related("witness", "cocktail_version__cocktail")
        .newest_first()
    )
    context = {
        "patient": patient,
        "consents": rows,
        "photos_allowed": PhotoConsent.current(patient),
    }
    record_read(request.actor, patient=patient, detail={"page": "consents"})
    return render(request, "consent/consents.html", context)


@member_required
@tablet.staff_mode
def consent_new(request, pk: int):
    """Choose the plan, read the document it makes, and hand the tablet to the patient."""
    membership = request.membership
    patient = get_patient(membership, pk)
    require(membership, "consent.collect")
    data = request.POST if request.method == "POST" else (request.GET or None)
    plans = plans_of(membership, patient)
    plan = None
    if plans and "cocktail" not in (data or {}):
        # Started from the plan: its cocktail version, indication and regions, as they are.
        asked = (data or {}).get("plan", "")
        plan = next((p for p in plans if str(p.pk) == asked), plans[0])
        area = area_of(region.region for region in plan.regions.all())
        data = {"cocktail": plan.cocktail_version_id, "area": area, "indication": plan.indication}
        data["regions"] = sorted(regions_of(area))
    form = TargetForm(data, membership=membership)
    shown = None
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        target = Target(cleaned["cocktail"], cleaned["area"], cleaned["indication"])
        try:
            shown = prepare(membership.clinic, patient, target, membership.clinic.today())
        except ValidationError as error:
            bind_errors(form, error)
        else:
            if request.method == "POST":
                tablet.lock(
                    request,
                    patient,
                    tablet.SIGN,
                    target={
                        "cocktail": target.cocktail_version.pk,
                        "area": target.area,
                        "indication": target.indication,
                    },
                )
                return redirect("consent:tablet")
    context = {"patient": patient, "form": form, "shown": shown, "plan": plan, "plans": plans}
    record_read(request.actor, patient=patient, detail={"page": "consent_new"})
    return render(request, "consent/consent_new.html", context)


@member_required
@tablet.staff_mode
def consent_detail(request, pk: int, consent_pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    consent = get_consent(membership, patient, consent_pk)
    context = {
        "patient": patient,
        "consent": consent,
        "verification": actions.verify(consent),
        "templates": consent.template_versions.select_related("template"),
        "withdraw_form": WithdrawForm(),
    }
    record_read(request.actor, patient=patient, obj=consent)
    return render(request, "consent/consent.html", context)


@member_required
@tablet.staff_mode
def signature(request, pk: int, consent_pk: int):
    patient = get_patient(request.membership, pk)
    consent = get_consent(request.membership, patient, consent_pk)
    record_read(
        request.actor,
        patient=patient,
        obj=consent,
        detail={"part": "signature"},
    )
    response = HttpResponse(bytes(consent.signature_png), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
@tablet.staff_mode
def pdf(request, pk: int, consent_pk: int):
    """The signed consent as a PDF: downloaded, or opened inline to print (``?print=1``)."""
    membership = request.membership
    patient = get_patient(membership, pk)
    consent = get_consent(membership, patient, consent_pk)
    verification = actions.verify(consent)
    printing = request.GET.get("print") == "1"
    record(
        request.actor,
        Action.PRINT if printing else Action.EXPORT,
        Category.CLINICAL,
        patient=patient,
        obj=consent,
        detail={"format": "pdf"},
    )
    response = HttpResponse(consent_pdf(consent, verification), content_type="application/pdf")
    disposition = "inline" if printing else "attachment"
    name = f"consent-{patient.record_number}-{consent.pk}.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
@tablet.staff_mode
@require_POST
def withdraw(request, pk: int, consent_pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    consent = get_consent(membership, patient, consent_pk)
    try:
        actions.withdraw_consent(request.actor, consent, request.POST.dict())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The withdrawal was recorded; this consent no longer holds."))
    return redirect("consent:consent", pk=pk, consent_pk=consent_pk)


@member_required
@tablet.staff_mode
@require_POST
def photo_consent(request, pk: int):
    membership = request.membership
    patient = get_patient(membership, pk)
    try:
        decision = actions.record_photo_consent(request.actor, patient, request.POST.dict())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        said = "may" if decision.granted else "may not"
        messages.success(
            request, _("Recorded: photographs %(said)s be used for marketing.") % {"said": said}
        )
    return redirect("consent:consents", pk=pk)


@member_required
@tablet.staff_mode
def templates(request):
    membership = request.membership
    require(membership, "consent.collect")
    rows = ConsentTemplate.objects.filter(clinic=membership.clinic).prefetch_related("versions")
    names = _product_names(membership.clinic)
    context = {
        "templates": [(row, row.subject_label(names)) for row in rows],
        "may_edit": allows(membership.role, "consent.template.edit"),
    }
    return render(request, "consent/templates.html", context)


def _product_names(clinic) -> dict[str, str]:
    return dict(visible_products(clinic).values_list("slug", "name"))


@member_required
@tablet.staff_mode
def template_edit(request, template_pk: int | None = None):
    """A new template, or the next version of one (never a change to an existing version)."""
    membership = request.membership
    require(membership, "consent.template.edit")
    template, initial = None, {}
    if template_pk is not None:
        template = ConsentTemplate.objects.filter(clinic=membership.clinic, pk=template_pk).first()
        if template is None:
            raise Http404("No such consent template at this clinic.")
        latest = template.latest()
        initial = {"scope": template.scope, "subject": template.subject, "title": template.title}
        if latest is not None:
            initial |= {
                name: getattr(latest, name)
                for name in ("risks", "alternatives", "expected_sessions", "aftercare")
            }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        data = request.POST.dict()
        if template is not None:
            data |= {"scope": template.scope, "subject": template.subject}
        try:
            version = actions.save_template(request.actor, data)
        except ValidationError as error:
            bind_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved %(version)s. Consents already signed are unchanged.")
                % {"version": version},
            )
            return redirect("consent:templates")
    context = {
        "form": form,
        "template": template,
        "subject": template.subject_label(_product_names(membership.clinic)) if template else "",
    }
    return render(request, "consent/template_form.html", context)
