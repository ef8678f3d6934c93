"""A signed session's lot or volume corrected over the API (`treatments.corrections`):
``POST /api/v1/sessions/{id}/corrections``, re-authenticated like signing."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from mesochart.accounts.reauth import reauthenticate
from mesochart.lib.requests import ClinicRequest
from mesochart.treatments import corrections
from mesochart.treatments.access import get_session

router = Router(tags=["treatments"])


class CorrectionIn(Schema):
    password: str = Field(description="Your password or authenticator code, as at signing")
    position: int = Field(description="The product row corrected, from 0")
    lot: int | None = Field(None, description="The lot really used (or give its barcode)")
    barcode: str | None = None
    volume_drawn_ml: str
    volume_wasted_ml: str = "0"
    reason: str = Field(description="What was wrong and how you know")


class CorrectionOut(Schema):
    amendment: int
    session: int
    kind: str
    reason: str
    changes: dict[str, dict[str, str]] = Field(description="{row: {from, to}} as text")
    by: int
    at: datetime


@router.post("/sessions/{int:session_id}/corrections", response={201: CorrectionOut})
def correct_product(request: ClinicRequest, session_id: int, payload: CorrectionIn):
    session = get_session(request.membership, session_id, "session.sign")
    proof = reauthenticate(request.actor, payload.password, purpose="signing")
    data = payload.dict(exclude={"password"})
    data["barcode"] = data["barcode"] or ""
    amendment = corrections.correct_product(request.actor, session, data, reauthentication=proof)
    return Status(
        201,
        CorrectionOut(
            amendment=amendment.pk,
            session=session.pk,
            kind=amendment.kind,
            reason=amendment.reason,
            changes=amendment.changes,
            by=amendment.by_id,
            at=amendment.at,
        ),
    )
