"""Writes for screening and consent: validate, write and audit in one transaction.

Each function takes the acting membership and raw data and raises ``ValidationError`` with a
``{field: [rule]}`` dict that the pages and the API show as ``field: rule``.
"""

from mesochart.consent.actions.responses import new_facts, submit_response, write_back
from mesochart.consent.actions.screening import (
    acknowledge,
    clinic_rules,
    run_screening,
    save_policy,
    target_from,
    target_of_plan,
)
from mesochart.consent.actions.signing import (
    record_photo_consent,
    sign_consent,
    verify,
    withdraw_consent,
)
from mesochart.consent.actions.templates import save_template

__all__ = [
    "acknowledge",
    "clinic_rules",
    "new_facts",
    "record_photo_consent",
    "run_screening",
    "save_policy",
    "save_template",
    "sign_consent",
    "submit_response",
    "target_from",
    "target_of_plan",
    "verify",
    "withdraw_consent",
    "write_back",
]
