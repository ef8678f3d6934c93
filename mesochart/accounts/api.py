"""The clinic's API tokens for its admin: ``GET /api/v1/tokens``, ``DELETE
/api/v1/tokens/{id}``. Issuing stays on the page, where the authenticator's code is typed."""

from datetime import datetime

from ninja import Router, Schema, Status

from mesochart.accounts import tokens
from mesochart.lib.requests import ClinicRequest

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    user: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    second_factor: bool


def _out(token) -> dict:
    return {
        "id": token.pk,
        "user": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.ends_at,
        "last_used_at": token.last_used_at,
        "second_factor": token.second_factor,
    }


@router.get("", response=list[TokenOut])
def list_tokens(request: ClinicRequest):
    """Every active token of your clinic (admins only)."""
    return [_out(t) for t in tokens.tokens_of_clinic(request.membership)]


@router.delete("/{int:token_id}", response={204: None})
def revoke_token(request: ClinicRequest, token_id: int):
    """Revoke a token of your clinic (admins only); it is refused from its next call."""
    tokens.revoke_clinic_token(request.actor, token_id)
    return Status(204, None)
