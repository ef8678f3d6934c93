"""``POST /api/v1/plans/check``: a PLAN.json checked against the formulary of your clinic."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from mesochart.core.plan_file import PlanError, result_to_dict
from mesochart.formulary.access import require
from mesochart.formulary.engine import check_plan
from mesochart.formulary.schemas import QuantityOut
from mesochart.lib.requests import ClinicRequest

router = Router(tags=["plans"])


class TotalOut(Schema):
    ingredient: str
    name: str
    amount: QuantityOut | None
    per_kg: QuantityOut | None


class PlanFindingOut(Schema):
    severity: str
    rule: str
    product: str | None
    ingredient: str | None
    message: str
    actual: QuantityOut | None
    limit: QuantityOut | None
    source: str
    origin: str


class PlanResultOut(Schema):
    blocked: bool
    totals: list[TotalOut]
    findings: list[PlanFindingOut]


_PLAN_BODY = {
    "requestBody": {
        "required": True,
        "description": "A PLAN.json (docs/plan-format.md).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post("/check", response=PlanResultOut, openapi_extra=_PLAN_BODY)
def check(request: ClinicRequest):
    """Totals per ingredient and findings against the limits that apply at your clinic.

    The body is read exactly as the CLI reads a file: the first problem is a 422 naming the
    field (``cocktail[0].product: unknown product 'foo'``). A plan that breaks a blocking limit
    is still a 200, with ``blocked`` true.
    """
    require(request.membership, "formulary.view")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            {"file": [_("is not valid JSON (%(error)s)") % {"error": error}]}
        ) from None
    try:
        result = check_plan(data, request.clinic)
    except PlanError as error:
        raise ValidationError({error.field: [error.rule]}) from None
    return result_to_dict(result)
