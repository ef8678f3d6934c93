"""The aftercare sheet printed for a patient after a session: their name, the session's date,
the clinic's contact, the clinic's advice for the plan's protocol (the version current when
printed, named on the sheet), and the practitioner's own aftercare note of the session.

Printing is a read of health data (the patient's name and their treatment): `print_aftercare`
audits it with the sheet's version, so what a patient was handed can be found again.
"""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record_read
from mesochart.audit.models import Category
from mesochart.lib import l10n, pdf
from mesochart.planning import aftercare
from mesochart.treatments.access import require


def print_aftercare(actor: Actor, session) -> bytes:
    """The sheet for ``session`` (fetched through ``access.get_session``); audited."""
    require(actor, "session.view")
    protocol = session.plan.protocol
    sheet = aftercare.current(actor.clinic, protocol) if protocol is not None else None
    document = aftercare_pdf(session, sheet)
    with transaction.atomic():
        record_read(
            actor,
            patient=session.patient,
            obj=session,
            category=Category.TREATMENT,
            detail={
                "document": "aftercare.pdf",
                "sheet": sheet.pk if sheet else None,
                "version": sheet.version if sheet else None,
            },
        )
    return document


def aftercare_pdf(session, sheet) -> bytes:
    """The PDF, unaudited, in the patient's language (its words, dates and numbers); ``sheet``
    None prints the generic starting text, marked as such. The clinic's own advice prints as
    the clinic wrote it."""
    with translation.override(session.patient.language):
        return _aftercare_pdf(session, sheet)


def _aftercare_pdf(session, sheet) -> bytes:
    styles = pdf.styles()
    clinic, patient = session.clinic, session.patient
    day = timezone.localtime(session.started_at, ZoneInfo(clinic.time_zone)).date()
    protocol = session.plan.protocol
    story = [
        pdf.text(_("Aftercare after your treatment"), styles["title"]),
        pdf.text(clinic.name, styles["clinic"]),
        *[pdf.text(line, styles["clinic"]) for line in clinic.address.splitlines() if line],
        Spacer(1, 6),
        pdf.table(
            [
                [pdf.text(_("For"), styles["label"]), pdf.text(_name(patient), styles["value"])],
                [
                    pdf.text(_("Treatment on"), styles["label"]),
                    pdf.text(l10n.day(day), styles["value"]),
                ],
                [
                    pdf.text(_("Treatment"), styles["label"]),
                    pdf.text(protocol.name if protocol else session.plan.title, styles["body"]),
                ],
            ],
            [0.25 * pdf.FRAME_WIDTH, 0.75 * pdf.FRAME_WIDTH],
            header=False,
        ),
        pdf.text(_("What to do now"), styles["section"]),
    ]
    text = sheet.text if sheet is not None else str(aftercare.DEFAULT_TEXT)
    story += [pdf.text(line, styles["bullet"], bulletText="•") for line in _lines(text)]
    if session.aftercare.strip():
        story.append(pdf.text(_("From your practitioner"), styles["section"]))
        story += [pdf.text(line, styles["body"]) for line in _lines(session.aftercare)]
    story += [
        pdf.text(_("Questions or worries"), styles["section"]),
        pdf.text(
            _("Call %(clinic)s. In an emergency, call your local emergency number.")
            % {"clinic": clinic.name},
            styles["body"],
        ),
    ]
    if sheet is not None:
        version = _("Aftercare sheet version %(v)s of %(at)s") % {
            "v": sheet.version,
            "at": l10n.day(sheet.updated_at.date()),
        }
    else:
        version = _("General advice: the clinic has not written its sheet for this treatment")
    story += [Spacer(1, 10), pdf.text(version, styles["label"])]
    return pdf.build(
        story,
        title=_("Aftercare — %(name)s") % {"name": _name(patient)},
        author=clinic.name,
        footer_line=f"{clinic.name} · {patient.record_number} · {version}",
    )


def _name(patient) -> str:
    return f"{patient.given_name} {patient.family_name}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
