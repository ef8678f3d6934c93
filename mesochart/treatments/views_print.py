"""Printed documents of a session: the session record and the aftercare sheet (PDF).

Each view fetches through ``treatments.access`` and prints through an audited function.
"""

from django.http import HttpResponse

from mesochart.accounts.decorators import member_required
from mesochart.treatments import aftercare_pdf, record_pdf
from mesochart.treatments.access import get_session


def pdf_response(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def session_record(request, pk: int):
    session = get_session(request.membership, pk)
    document = record_pdf.print_record(request.actor, session)
    return pdf_response(document, f"session-{session.pk}-record.pdf")


@member_required
def aftercare(request, pk: int):
    session = get_session(request.membership, pk)
    document = aftercare_pdf.print_aftercare(request.actor, session)
    return pdf_response(document, f"session-{session.pk}-aftercare.pdf")
