"""``{% patient_timeline patient %}``: the timeline rendered inside the patient page.

Rendered with the page rather than loaded by a second request, so the chart arrives whole
(and a request that fetches the chart sees the timeline without waiting on htmx).
"""

from django import template

from mesochart.treatments.forms import corrected_label
from mesochart.treatments.views import timeline_context

register = template.Library()


@register.filter
def corrected_field(name: str) -> str:
    """``{{ name|corrected_field }}``: a corrected field in the session form's words."""
    return corrected_label(name)


@register.inclusion_tag("treatments/_timeline.html", takes_context=True)
def patient_timeline(context, patient):
    request = context["request"]
    return {**timeline_context(request, patient), "can": context.get("can", {})}
