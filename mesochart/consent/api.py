"""Screening and consent over the JSON API, under /api/v1/patients/{id}/: the same access
functions and actions as the pages, the same ``field: rule`` errors.

Answers and findings are clinical: roles that may not read the clinical record get the
counts and the verdicts, not the content.
"""

from ninja import Query, Router, Status

from mesochart.accounts.models import Membership, User
from mesochart.accounts.roles import Role, allows
from mesochart.audit.log import record_read
from mesochart.consent import actions
from mesochart.consent.access import (
    consents_of,
    get_consent,
    get_patient,
    get_response,
    get_screening,
    require,
    responses_of,
    screenings_of,
)
from mesochart.consent.document import prepare
from mesochart.consent.models import Consent, QuestionnaireResponse, Screening
from mesochart.consent.plans import plan_target
from mesochart.consent.questionnaire import CURRENT, OPTIONAL
from mesochart.consent.readiness import session_readiness
from mesochart.consent.schemas import (
    AcknowledgementIn,
    AcknowledgementOut,
    ConsentDetailOut,
    ConsentOut,
    DocumentOut,
    QuestionnaireOut,
    ReadinessOut,
    ReadinessQuery,
    ResponseIn,
    ResponseOut,
    ScreeningIn,
    ScreeningOut,
    SignIn,
    TargetIn,
    WithdrawIn,
    WrittenBackOut,
)
from mesochart.consent.views.common import prefill
from mesochart.lib.requests import ClinicRequest

router = Router(tags=["screening and consent"])


def _name(user) -> str:
    return user.get_full_name() or user.username


def _clinical(request) -> bool:
    return allows(request.membership.role, "patient.clinical.view")


def _patient(request, patient_id: int, permission: str):
    patient = get_patient(request.membership, patient_id)
    require(request.membership, permission)
    return patient


@router.get("/{patient_id}/questionnaire", response=QuestionnaireOut)
def questionnaire(request: ClinicRequest, patient_id: int, area: str = "treatment"):
    """The current questionnaire for ``area``, with what the record already answers."""
    patient = _patient(request, patient_id, "screening.collect")
    questions = [
        {
            "key": q.key,
            "text": q.text_for(area),
            "answer_type": q.answer_type.value,
            "options": list(q.options),
            "asked_if": {"question": q.asked_if.question, "values": sorted(q.asked_if.values)}
            if q.asked_if
            else None,
            "required": q.key not in OPTIONAL,
        }
        for q in CURRENT.questions
    ]
    _read(request, patient, detail={"questionnaire": "prefill"})
    return {
        "version": CURRENT.version,
        "area": area,
        "questions": questions,
        "prefill": prefill(request.membership, patient),
    }


def _read(request, patient, obj=None, detail: dict | None = None) -> None:
    record_read(request.actor, patient=patient, obj=obj, detail=detail)


def _response_out(request, response: QuestionnaireResponse) -> dict:
    return {
        "id": response.pk,
        "questionnaire_version": response.questionnaire_version,
        "area": response.area,
        "mode": response.mode,
        "asked_on": response.asked_on,
        "submitted_at": response.submitted_at,
        "collected_by": _name(response.collected_by),
        "written_back_at": response.written_back_at,
        "answers": response.answers if _clinical(request) else None,
    }


@router.get("/{patient_id}/questionnaire-responses", response=list[ResponseOut])
def list_responses(request: ClinicRequest, patient_id: int):
    patient = _patient(request, patient_id, "screening.collect")
    rows = responses_of(request.membership, patient).select_related("collected_by")
    _read(request, patient, detail={"list": "questionnaire responses"})
    return [_response_out(request, r) for r in rows]


@router.post("/{patient_id}/questionnaire-responses", response={201: ResponseOut})
def submit_response(request: ClinicRequest, patient_id: int, payload: ResponseIn):
    patient = _patient(request, patient_id, "screening.collect")
    response = actions.submit_response(
        request.actor, patient, area=payload.area, answers=payload.answers
    )
    return Status(201, _response_out(request, response))


@router.get("/{patient_id}/questionnaire-responses/{response_id}", response=ResponseOut)
def read_response(request: ClinicRequest, patient_id: int, response_id: int):
    patient = _patient(request, patient_id, "screening.collect")
    response = get_response(request.membership, patient, response_id)
    _read(request, patient, response)
    return _response_out(request, response)


@router.post(
    "/{patient_id}/questionnaire-responses/{response_id}/write-back", response=WrittenBackOut
)
def write_back(request: ClinicRequest, patient_id: int, response_id: int):
    """Add the response's new allergies, medicines and statuses to the record (clinicians)."""
    patient = _patient(request, patient_id, "patient.clinical.edit")
    response = get_response(request.membership, patient, response_id)
    facts = actions.write_back(request.actor, response)
    return {"written_back": facts.lines()}


def _screening_out(request, screening: Screening) -> dict:
    status = screening.status(request.membership.clinic.today())
    acknowledged = {a.finding_key: a for a in screening.acknowledgements.all()}
    findings = None
    if _clinical(request):
        findings = []
        for f in screening.core_findings():
            ack = acknowledged.get(f.key)
            findings.append(
                {
                    "key": f.key,
                    "kind": f.kind.value,
                    "message": f.message,
                    "evidence": list(f.evidence),
                    "source": f.source,
                    "unanswered": list(f.unanswered),
                    "acknowledged": ack is not None,
                    "reason": ack.reason if ack else None,
                    "acknowledged_by": _name(ack.acknowledged_by) if ack else None,
                }
            )
    return {
        "id": screening.pk,
        "response": screening.response_id,
        "cocktail": screening.cocktail_version_id,
        "area": screening.area,
        "indication": screening.indication,
        "completed_on": screening.completed_on,
        "valid_until": status.valid_until,
        "state": status.state.value,
        "may_treat": screening.may_treat(),
        "absolute_count": len(screening.absolute),
        "relative_count": len(screening.relative),
        "unacknowledged_count": len(screening.unacknowledged()),
        "findings": findings,
    }


@router.get("/{patient_id}/screenings", response=list[ScreeningOut])
def list_screenings(request: ClinicRequest, patient_id: int):
    patient = _patient(request, patient_id, "screening.collect")
    rows = (
        screenings_of(request.membership, patient)
        .prefetch_related("acknowledgements__acknowledged_by")
        .newest_first()
    )
    _read(request, patient, detail={"list": "screenings"})
    return [_screening_out(request, s) for s in rows]


@router.post("/{patient_id}/screenings", response={201: ScreeningOut})
def run_screening(request: ClinicRequest, patient_id: int, payload: ScreeningIn):
    membership = request.membership
    patient = _patient(request, patient_id, "screening.collect")
    response = get_response(membership, patient, payload.response)
    target = actions.target_from(membership, payload.model_dump(exclude={"response"}))
    screening = actions.run_screening(request.actor, patient, response, target=target)
    return Status(201, _screening_out(request, screening))


@router.get("/{patient_id}/screenings/{screening_id}", response=ScreeningOut)
def read_screening(request: ClinicRequest, patient_id: int, screening_id: int):
    patient = _patient(request, patient_id, "screening.collect")
    screening = get_screening(request.membership, patient, screening_id)
    _read(request, patient, screening)
    return _screening_out(request, screening)


@router.post(
    "/{patient_id}/screenings/{screening_id}/acknowledgements", response={201: AcknowledgementOut}
)
def acknowledge(
    request: ClinicRequest, patient_id: int, screening_id: int, payload: AcknowledgementIn
):
    """A practitioner's written reason to treat despite one relative finding."""
    patient = _patient(request, patient_id, "screening.acknowledge")
    screening = get_screening(request.membership, patient, screening_id)
    ack = actions.acknowledge(request.actor, screening, payload.model_dump())
    return Status(
        201,
        {
            "key": ack.finding_key,
            "reason": ack.reason,
            "acknowledged_by": _name(ack.acknowledged_by),
            "acknowledged_at": ack.acknowledged_at,
        },
    )


def _consent_out(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "indication": consent.indication,
        "area": consent.area,
        "cocktail": consent.cocktail_version_id,
        "products": consent.product_slugs,
        "signer_name": consent.signer_name,
        "signed_at": consent.signed_at,
        "witness": _name(consent.witness),
        "user_agent": consent.user_agent,
        "document_sha256": consent.document_sha256,
        "withdrawn_at": consent.withdrawn_at,
        "withdrawal_reason": consent.withdrawal_reason,
        "valid": not consent.withdrawn,
    }


@router.get("/{patient_id}/consents", response=list[ConsentOut])
def list_consents(request: ClinicRequest, patient_id: int):
    patient = _patient(request, patient_id, "consent.collect")
    rows = consents_of(request.membership, patient).select_related("witness").newest_first()
    _read(request, patient, detail={"list": "consents"})
    return [_consent_out(c) for c in rows]


@router.get("/{patient_id}/consents/document", response=DocumentOut)
def consent_document(request: ClinicRequest, patient_id: int, target: Query[TargetIn]):
    """The document to show the patient before signing, and the hash to send back."""
    membership = request.membership
    patient = _patient(request, patient_id, "consent.collect")
    chosen = actions.target_from(membership, target.model_dump())
    shown = prepare(membership.clinic, patient, chosen, membership.clinic.today())
    _read(request, patient, detail={"consent": "document"})
    return {"text": shown.text, "sha256": shown.sha256}


@router.post("/{patient_id}/consents", response={201: ConsentDetailOut})
def sign_consent(request: ClinicRequest, patient_id: int, payload: SignIn):
    """The patient's signature on the document they were shown (witnessed by the caller)."""
    membership = request.membership
    patient = _patient(request, patient_id, "consent.collect")
    target = actions.target_from(
        membership, payload.model_dump(include={"cocktail", "area", "indication"})
    )
    consent = actions.sign_consent(
        request.actor,
        patient,
        target=target,
        data=payload.model_dump(
            include={"signer_name", "signature", "document_sha256", "photo_marketing"}
        ),
    )
    return Status(201, _consent_detail(consent))


def _consent_detail(consent: Consent) -> dict:
    verification = actions.verify(consent)
    return {
        **_consent_out(consent),
        "document": consent.document,
        "verified": verification.ok,
        "problems": verification.problems,
    }


@router.get("/{patient_id}/consents/{consent_id}", response=ConsentDetailOut)
def read_consent(request: ClinicRequest, patient_id: int, consent_id: int):
    patient = _patient(request, patient_id, "consent.collect")
    consent = get_consent(request.membership, patient, consent_id)
    _read(request, patient, consent)
    return _consent_detail(consent)


@router.post("/{patient_id}/consents/{consent_id}/withdraw", response=ConsentOut)
def withdraw_consent(request: ClinicRequest, patient_id: int, consent_id: int, payload: WithdrawIn):
    patient = _patient(request, patient_id, "consent.collect")
    consent = get_consent(request.membership, patient, consent_id)
    return _consent_out(actions.withdraw_consent(request.actor, consent, payload.model_dump()))


@router.get("/{patient_id}/readiness", response=ReadinessOut)
def readiness(request: ClinicRequest, patient_id: int, query: Query[ReadinessQuery]):
    """Everything that stands between the patient and a session: of plan ``plan``, or of the
    plan given as ``cocktail`` (version id), ``area`` and ``indication``."""
    membership = request.membership
    patient = _patient(request, patient_id, "screening.collect")
    if query.plan is not None:
        chosen = plan_target(membership, patient, query.plan)
    else:
        chosen = actions.target_from(membership, query.model_dump(exclude={"plan", "practitioner"}))
    who = None
    if query.practitioner is not None:
        staff = Membership.objects.active().filter(clinic=membership.clinic).values("user")
        who = User.objects.filter(pk=query.practitioner, pk__in=staff).first()
    elif membership.role == Role.PRACTITIONER:
        who = request.user
    result = session_readiness(patient, chosen, who)
    _read(request, patient, detail={"readiness": True})
    clinical = _clinical(request)
    return {
        "ready": result.ready,
        "items": [
            {
                "key": item.key,
                "ok": item.ok,
                "message": item.message,
                "details": list(item.details) if clinical else [],
            }
            for item in result
        ],
    }
