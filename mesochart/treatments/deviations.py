"""A session signed as a deviation: the true record when what was administered differs from
the plan. Which findings a deviation may cover is `core.deviation`'s rule (the dose engine's
and the placement's, never the readiness gate's or the lots'); this module applies it to a
pre-flight `Checklist` inside the signing transaction (`actions.sign_session`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mesochart.core.deviation import MIN_JUSTIFICATION_CHARS, judge, overridable
from mesochart.lib import pdf


def open_items(checklist) -> list[tuple[str, str]]:
    """(key, message) of the checklist's items that keep it from being signed as planned."""
    return [(i.key, i.message) for i in (*checklist.blocking, *checklist.unacknowledged)]


def judgement(checklist, justification: str | None):
    return judge(open_items(checklist), justification)


def offer(checklist) -> bool:
    """Whether the signing page offers a deviation: something differs, nothing absolute."""
    items = open_items(checklist)
    return bool(items) and all(overridable(key) for key, _message in items)


def apply(session, checklist, justification: str | None) -> None:
    """Refuse (``preflight``/``deviation``: rule) or set the session's deviation fields."""
    found = judgement(checklist, justification)
    if not found.allowed:
        raise ValidationError({"preflight": checklist.problems(), **found.errors})
    if found.is_deviation:
        session.deviation_findings = list(found.covered)
        session.deviation_justification = (justification or "").strip()


def audit_detail(session) -> dict:
    if not session.is_deviation:
        return {}
    return {"deviation": {"findings": len(session.deviation_findings)}}


def pdf_story(session, styles) -> list:
    """The printed record's section on a deviation (nothing for a session as planned)."""
    if not session.is_deviation:
        return []
    story = [pdf.text(_("Deviation from the plan"), styles["section"])]
    story += [pdf.text(line, styles["small"]) for line in session.deviation_findings]
    story.append(
        pdf.text(_("Justification: %(j)s") % {"j": session.deviation_justification}, styles["body"])
    )
    return story


def prompt(session) -> str:
    """The message shown after a deviation is signed."""
    return _(
        "Signed as a deviation and locked. If the patient had a reaction, record an adverse "
        "event for this session."
    )


__all__ = ["MIN_JUSTIFICATION_CHARS", "apply", "audit_detail", "judgement", "offer", "prompt"]
