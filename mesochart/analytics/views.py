"""The clinic's analytics page and its CSV export.

Practitioners and admins (``analytics.view``); reception and nurses are refused (audited).
Patients appear only as pseudonymous dots; a dot links to the progress chart when the user
may open it (``outcome.view``). Each analysis writes one audit ``read`` row.
"""

import csv

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from mesochart.accounts.decorators import member_required
from mesochart.accounts.roles import allows
from mesochart.analytics import access, analysis
from mesochart.analytics.forms import AnalysisForm, with_defaults
from mesochart.lib import csvcells
from mesochart.lib.errors import page_lines
from mesochart.planning.models import Protocol


def _run(request, form):
    membership = request.membership
    stored = access.series_for(membership)
    if not form.is_valid():
        return None
    d = form.cleaned_data
    result = analysis.run(
        stored, form.query(), form.time_point(), d["missing"],
        d.get("within") or "paired-t", d.get("test") or None,
        with_links=allows(membership.role, "outcome.view"),
    )  # fmt: skip
    return result


def _detail(form, result) -> dict:
    d = form.cleaned_data
    return {"measure": d["measure"], "grouping": d["grouping"], "patients": len(result.rows)}


def refusal_lines(form) -> list[str]:
    """The form's refusal in its own words (`lib.errors.page_lines`)."""
    return page_lines(ValidationError(form.errors.as_data()), form=form)


@member_required
def page(request):
    form = AnalysisForm(with_defaults(request.GET))
    result = _run(request, form)
    if result is not None:
        access.record_read(request.actor, "analytics", _detail(form, result))
    protocols = Protocol.objects.filter(clinic__in=[None, request.membership.clinic])
    context = {
        "form": form,
        "result": result,
        "errors": [] if result is not None else refusal_lines(form),
        "plot": _plot(result) if result else None,
        "protocols": protocols.order_by("name"),
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/page.html", context, status=200 if result else 422)


def _plot(result) -> dict:
    """The strip/box plot's data: per group its box (q1, median, q3, p10, p90) and dots."""
    dots: dict[str, list[dict]] = {group.name: [] for group in result.groups}
    for r in result.rows:  # one pass: a page may plot 10,000 patients
        dots[r.group].append({"y": r.change, "link": r.link, "carried": r.carried_forward})
    groups = []
    for group in result.groups:
        s = group.summary
        groups.append({"name": group.name, "box": [s.p10, s.q1, s.median, s.q3, s.p90],
                       "dots": dots[group.name]})  # fmt: skip
    # The axis names the unit only: the heading above names the measure, and a measure's
    # name with it overflows the axis in French.
    axis = gettext("Change (%(unit)s)") % {"unit": result.unit}
    return {"groups": groups, "axis": axis, "measure": result.measure_name}


@member_required
def export_csv(request):
    form = AnalysisForm(with_defaults(request.GET))
    result = _run(request, form)
    if result is None:
        return HttpResponse("\n".join(refusal_lines(form)), status=422,
                            content_type="text/plain")  # fmt: skip
    access.record_read(request.actor, "analytics CSV", _detail(form, result))
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="analysis-{result.measure}.csv"'
    csv.writer(response).writerows(csvcells.rows(analysis.csv_lines(result)))
    return response
