"""The audit report: who did what, filtered by period, user and patient."""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.decorators import member_required
from mesochart.accounts.models import Membership
from mesochart.accounts.roles import allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, AuditEvent, Category
from mesochart.lib.widgets import DateInput

# Columns the report may be sorted by, and the model field behind each.
SORTABLE = {
    "at": "at",
    "user": "actor_label",
    "action": "action",
    "category": "category",
    "patient": "patient_id",
    "outcome": "outcome",
}


class ReportFilter(forms.Form):
    start = forms.DateField(required=False, widget=DateInput())
    end = forms.DateField(required=False, widget=DateInput())
    user = forms.CharField(required=False, max_length=150)
    patient = forms.IntegerField(required=False, min_value=1)
    sort = forms.CharField(required=False)

    def clean_sort(self) -> str:
        """A column outside SORTABLE (a typo, or a probe such as ``password``) is ignored."""
        value = self.cleaned_data["sort"]
        return value if value.removeprefix("-") in SORTABLE else ""

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("must be on or after the start date"))
        return data


def _clinic_events(clinic):
    """Events at this clinic, and sign-in events of the people who work here."""
    staff_ids = Membership.objects.filter(clinic=clinic).values("user_id")
    return AuditEvent.objects.filter(
        Q(clinic_id=clinic.pk) | Q(clinic_id__isnull=True, actor_id__in=staff_ids)
    )


@member_required
def report(request):
    membership = request.membership
    if not allows(membership.role, "audit.view"):
        raise PermissionDenied(_("Only an admin may read the audit report."))
    form = ReportFilter(request.GET or None)
    events = _clinic_events(membership.clinic)
    sort = "-at"
    if form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        if data["start"]:
            events = events.filter(at__gte=datetime.combine(data["start"], time.min, zone))
        if data["end"]:
            end = datetime.combine(data["end"] + timedelta(days=1), time.min, zone)
            events = events.filter(at__lt=end)
        if data["user"]:
            events = events.filter(actor_label__iexact=data["user"])
        if data["patient"]:
            events = events.filter(patient_id=data["patient"])
        sort = data["sort"] or sort
    elif form.is_bound:
        # A filter that cannot be applied (end before start) must not list everything.
        events = events.none()
    field = ("-" if sort.startswith("-") else "") + SORTABLE[sort.removeprefix("-")]
    # Recorded before the page is counted: a row added between the count and the fetch
    # would push the last matching event off the page.
    record(
        request.actor,
        Action.READ,
        Category.AUDIT,
        detail={"filter": request.GET.dict()},
    )
    page = Paginator(events.order_by(field, "-pk"), 50).get_page(request.GET.get("page"))
    template = "audit/_rows.html" if request.htmx else "audit/report.html"
    return render(
        request, template, {"form": form, "page": page, "sort": sort, "columns": list(SORTABLE)}
    )
