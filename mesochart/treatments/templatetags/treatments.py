"""``{% patient_timeline patient %}``: the timeline rendered inside the patient page.

Rendered with the page rather than loaded by a second request, so the chart arrives whole
(and a request that fetches the chart sees the timeline without waiting on htmx).
"""

from django import template

from mesochart.treatments.views import timeline_context

register = template.Library()


@register.inclusion_tag("treatments/_timeline.html", takes_context=True)
def patient_timeline(context, patient):
    request = context["request"]
    return {**timeline_context(request, patient), "can": context.get("can", {})}
