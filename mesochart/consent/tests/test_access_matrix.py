"""Who may reach which screening and consent page and endpoint.

Every page and endpoint is tried by every role of the clinic on a patient of the clinic, on a
patient of another organisation, and on the clinic's own patient with another organisation's
row id. What each role may do comes from ``roles.PERMISSIONS``: a role without the permission
is refused (403); anything outside the clinic is not found (404); and no refusal shows the
other patient's name, record number or signer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from mesochart.accounts.roles import Role, allows
from mesochart.audit.models import AuditEvent
from mesochart.consent import actions
from mesochart.consent.document import prepare
from mesochart.consent.facts import Target
from mesochart.consent.models import Acknowledgement, Consent, Screening
from mesochart.formulary.actions import create_cocktail
from mesochart.testing.consent import (
    ApiCaller,
    actor_of,
    clear_answers,
    signature_data_url,
)

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db
OWN, OTHER_ORG, FOREIGN_ROW = "own clinic", "other organisation", "own patient, foreign row"


@dataclass
class Records:
    patient: object
    version: object
    response: object
    screening: object
    consent: object

    def secrets(self) -> list[str]:
        return [
            self.patient.given_name,
            self.patient.family_name,
            self.patient.record_number,
            self.consent.signer_name,
        ]


def _records(user, patient, tag: str) -> Records:
    acting = actor_of(user)
    version = create_cocktail(
        acting, {"name": f"Chin {tag}"}, [{"product": "pcdc-lipolysis", "volume_ml": 4}]
    )
    actions.save_template(
        acting,
        {
            "scope": "indication",
            "subject": "lipolysis",
            "title": "Lipolysis",
            "risks": "Swelling.",
            "alternatives": "None.",
            "expected_sessions": "Two.",
            "aftercare": "Rest.",
        },
    )
    response = actions.submit_response(
        acting, patient, area="submental", answers=clear_answers(keloid_tendency="yes")
    )
    target = Target(version, "submental", "lipolysis")
    screening = actions.run_screening(acting, patient, response, target=target)
    shown = prepare(acting.clinic, patient, target, acting.clinic.today())
    consent = actions.sign_consent(
        acting,
        patient,
        target=target,
        data={
            "signer_name": f"Signer {tag}",
            "signature": signature_data_url(),
            "document_sha256": shown.sha256,
        },
    )
    return Records(patient, version, response, screening, consent)


@pytest.fixture
def records(practice):
    other = practice.make_patient(practice.other_clinic, "Octavia", "Blackthorne", "OTH-646464")
    own = _records(practice.practitioner, practice.patient, "Own")
    foreign = _records(practice.outsider, other, "Foreign")
    mixed = Records(
        own.patient, foreign.version, foreign.response, foreign.screening, foreign.consent
    )
    return {OWN: own, OTHER_ORG: foreign, FOREIGN_ROW: mixed}


@dataclass(frozen=True)
class Endpoint:
    name: str
    permission: str
    call: Callable  # (client or ApiCaller, Records) -> response
    success: int
    api: bool = False


def _p(r: Records) -> str:
    return f"/consent/patients/{r.patient.pk}"


def _a(r: Records) -> str:
    return f"/patients/{r.patient.pk}"


def _target(r: Records) -> dict:
    return {"cocktail": r.version.pk, "area": "submental", "indication": "lipolysis"}


PAGES = [
    Endpoint("overview", "screening.collect", lambda c, r: c.get(f"{_p(r)}/"), 200),
    Endpoint(
        "questionnaire", "screening.collect", lambda c, r: c.get(f"{_p(r)}/questionnaire/"), 200
    ),
    Endpoint(
        "answer",
        "screening.collect",
        lambda c, r: c.post(f"{_p(r)}/questionnaire/", {"area": "submental", **clear_answers()}),
        302,
    ),
    Endpoint(
        "tablet start",
        "screening.collect",
        lambda c, r: c.post(f"{_p(r)}/tablet/", {"area": "submental"}),
        302,
    ),
    Endpoint(
        "write back",
        "patient.clinical.edit",
        lambda c, r: c.post(f"{_p(r)}/responses/{r.response.pk}/write-back/"),
        302,
    ),
    Endpoint(
        "screen page", "screening.collect", lambda c, r: c.get(f"{_p(r)}/screenings/new/"), 200
    ),
    Endpoint(
        "screen",
        "screening.collect",
        lambda c, r: c.post(f"{_p(r)}/screenings/new/", {"response": r.response.pk, **_target(r)}),
        302,
    ),
    Endpoint(
        "findings",
        "screening.collect",
        lambda c, r: c.get(f"{_p(r)}/screenings/{r.screening.pk}/"),
        200,
    ),
    Endpoint(
        "acknowledge",
        "screening.acknowledge",
        lambda c, r: c.post(
            f"{_p(r)}/screenings/{r.screening.pk}/acknowledge/",
            {"key": "keloid_tendency", "reason": "Reviewed"},
        ),
        302,
    ),
    Endpoint(
        "readiness", "screening.collect", lambda c, r: c.get(f"{_p(r)}/readiness/", _target(r)), 200
    ),
    Endpoint("consents", "consent.collect", lambda c, r: c.get(f"{_p(r)}/consents/"), 200),
    Endpoint(
        "prepare consent",
        "consent.collect",
        lambda c, r: c.get(f"{_p(r)}/consents/new/", _target(r)),
        200,
    ),
    Endpoint(
        "hand over to sign",
        "consent.collect",
        lambda c, r: c.post(f"{_p(r)}/consents/new/", _target(r)),
        302,
    ),
    Endpoint(
        "consent", "consent.collect", lambda c, r: c.get(f"{_p(r)}/consents/{r.consent.pk}/"), 200
    ),
    Endpoint(
        "signature image",
        "consent.collect",
        lambda c, r: c.get(f"{_p(r)}/consents/{r.consent.pk}/signature.png"),
        200,
    ),
    Endpoint(
        "pdf", "consent.collect", lambda c, r: c.get(f"{_p(r)}/consents/{r.consent.pk}/pdf/"), 200
    ),
    Endpoint(
        "withdraw",
        "consent.collect",
        lambda c, r: c.post(f"{_p(r)}/consents/{r.consent.pk}/withdraw/", {"reason": "Phoned"}),
        302,
    ),
    Endpoint(
        "photo consent",
        "consent.collect",
        lambda c, r: c.post(f"{_p(r)}/photo-consent/", {"granted": "yes"}),
        302,
    ),
]
API = [
    Endpoint(
        "api questionnaire",
        "screening.collect",
        lambda a, r: a.get(f"{_a(r)}/questionnaire"),
        200,
        True,
    ),
    Endpoint(
        "api responses",
        "screening.collect",
        lambda a, r: a.get(f"{_a(r)}/questionnaire-responses"),
        200,
        True,
    ),
    Endpoint(
        "api answer",
        "screening.collect",
        lambda a, r: a.post(
            f"{_a(r)}/questionnaire-responses", {"area": "submental", "answers": clear_answers()}
        ),
        201,
        True,
    ),
    Endpoint(
        "api response",
        "screening.collect",
        lambda a, r: a.get(f"{_a(r)}/questionnaire-responses/{r.response.pk}"),
        200,
        True,
    ),
    Endpoint(
        "api write back",
        "patient.clinical.edit",
        lambda a, r: a.post(f"{_a(r)}/questionnaire-responses/{r.response.pk}/write-back", {}),
        200,
        True,
    ),
    Endpoint(
        "api screenings", "screening.collect", lambda a, r: a.get(f"{_a(r)}/screenings"), 200, True
    ),
    Endpoint(
        "api screen",
        "screening.collect",
        lambda a, r: a.post(f"{_a(r)}/screenings", {"response": r.response.pk, **_target(r)}),
        201,
        True,
    ),
    Endpoint(
        "api findings",
        "screening.collect",
        lambda a, r: a.get(f"{_a(r)}/screenings/{r.screening.pk}"),
        200,
        True,
    ),
    Endpoint(
        "api acknowledge",
        "screening.acknowledge",
        lambda a, r: a.post(
            f"{_a(r)}/screenings/{r.screening.pk}/acknowledgements",
            {"key": "keloid_tendency", "reason": "Reviewed"},
        ),
        201,
        True,
    ),
    Endpoint("api consents", "consent.collect", lambda a, r: a.get(f"{_a(r)}/consents"), 200, True),
    Endpoint(
        "api document",
        "consent.collect",
        lambda a, r: a.get(f"{_a(r)}/consents/document", _target(r)),
        200,
        True,
    ),
    Endpoint(
        "api consent",
        "consent.collect",
        lambda a, r: a.get(f"{_a(r)}/consents/{r.consent.pk}"),
        200,
        True,
    ),
    Endpoint(
        "api withdraw",
        "consent.collect",
        lambda a, r: a.post(f"{_a(r)}/consents/{r.consent.pk}/withdraw", {"reason": "Phoned"}),
        200,
        True,
    ),
    Endpoint(
        "api readiness",
        "screening.collect",
        lambda a, r: a.get(f"{_a(r)}/readiness", _target(r)),
        200,
        True,
    ),
]
ROLES = [Role.ADMIN, Role.PRACTITIONER, Role.NURSE, Role.RECEPTION]
# Rows whose id the URL names: only these can be "foreign" while the patient is our own.
NAMES_A_ROW = {
    "write back",
    "findings",
    "acknowledge",
    "consent",
    "signature image",
    "pdf",
    "withdraw",
    "api response",
    "api write back",
    "api findings",
    "api acknowledge",
    "api consent",
    "api withdraw",
    "screen",
    "api screen",
}


def _state():
    return (
        Screening.objects.count(),
        Acknowledgement.objects.count(),
        Consent.objects.filter(withdrawn_at__isnull=False).count(),
    )


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("endpoint", PAGES + API, ids=lambda e: e.name)
def test_each_role_reaches_only_what_its_permissions_and_clinic_allow(
    practice, records, client_for, endpoint, role
):
    user = practice.users[role]
    caller = ApiCaller(user) if endpoint.api else client_for(user)
    # Our own patient last: a hand-over puts the session in patient mode.
    places = [OTHER_ORG] + ([FOREIGN_ROW] if endpoint.name in NAMES_A_ROW else []) + [OWN]
    for where in places:
        before, audited = _state(), AuditEvent.objects.filter(outcome="success").count()
        response = endpoint.call(caller, records[where])
        allowed = allows(role, endpoint.permission)
        if where == OWN:
            expected = endpoint.success if allowed else 403
            assert response.status_code == expected, (where, response.content[:300])
            if response.status_code == 302:
                assert "/accounts/sign-in" not in response["Location"]
            continue
        assert response.status_code in (403, 404), (where, response.status_code)
        if allowed and where == OTHER_ORG:
            assert response.status_code == 404
        body = response.content.decode(errors="replace")
        for secret in records[OTHER_ORG].secrets():
            assert secret not in body, (where, secret)
        assert _state() == before
        # Refusals are audited (outcome "denied") by patients.access; nothing else is.
        assert AuditEvent.objects.filter(outcome="success").count() == audited


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_clinic_wide_pages_follow_the_permission_table(practice, client_for, role):
    client = client_for(practice.users[role])
    cases = [
        ("/consent/templates/", "consent.collect"),
        ("/consent/templates/new/", "consent.template.edit"),
        ("/consent/policy/", "screening.rules.edit"),
    ]
    for url, permission in cases:
        expected = 200 if allows(role, permission) else 403
        assert client.get(url).status_code == expected, url


def test_the_api_needs_a_signed_in_caller(practice):
    response = ApiCaller(None).get(f"/patients/{practice.patient.pk}/consents")
    assert response.status_code == 401
    assert practice.patient.family_name not in response.content.decode()
