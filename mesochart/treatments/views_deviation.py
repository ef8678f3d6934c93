"""What the signing page adds for a deviation: the findings a justification would sign past,
and the box for it (offered only when nothing absolute is open, `core.deviation`)."""

from mesochart.treatments import deviations


def deviation_context(request, checklist) -> dict:
    offered = checklist is not None and deviations.offer(checklist)
    return {
        "deviation_offered": offered,
        "deviation_findings": [m for _k, m in deviations.open_items(checklist)] if offered else [],
        "deviation_text": request.POST.get("deviation", "") if request.method == "POST" else "",
        "deviation_min_chars": deviations.MIN_JUSTIFICATION_CHARS,
    }
