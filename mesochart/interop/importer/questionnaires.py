"""Questionnaire (a version mesochart asks: an unknown version is refused) and
QuestionnaireResponse (the answers, read against the version they were given on)."""

from zoneinfo import ZoneInfo

from mesochart.accounts.models import User
from mesochart.consent.models import QuestionnaireResponse
from mesochart.consent.questionnaire import QUESTIONNAIRES
from mesochart.interop.fhir.codes import AREA_ASKED
from mesochart.interop.fhir.questionnaires import CANONICAL
from mesochart.interop.importer.context import Context, extension, moment
from mesochart.interop.importer.errors import refuse


def import_responses(context: Context) -> None:
    for entry in context.each("Questionnaire"):
        _version(entry.resource.get("version"), entry.at("version"))
    for entry in context.each("QuestionnaireResponse"):
        context.keep(entry, _response(context, entry))


def _version(version, path: str) -> str:
    if version not in QUESTIONNAIRES:
        refuse(path, f"mesochart does not know questionnaire version {version}")
    return version


def _response(context: Context, entry) -> QuestionnaireResponse:
    resource = entry.resource
    url, _, version = (resource.get("questionnaire") or "").partition("|")
    if url != CANONICAL:
        refuse(entry.at("questionnaire"), f"must be {CANONICAL}|VERSION")
    questionnaire = QUESTIONNAIRES[_version(version, entry.at("questionnaire"))]
    keys = {question.key for question in questionnaire.questions}
    answers = {}
    for index, item in enumerate(resource.get("item", [])):
        if item.get("linkId") not in keys:
            refuse(entry.at("item", index, "linkId"), f"is not a question of version {version}")
        [answer] = item.get("answer") or [{}]
        answers[item["linkId"]] = (answer.get("valueCoding") or {}).get("code") or answer.get(
            "valueDate", answer.get("valueString", "")
        )
    authored = moment(resource.get("authored"), entry.at("authored"))
    clinic = context.patient.clinic
    area = extension(resource, AREA_ASKED)
    source = resource.get("source") or {}
    by_patient = context.rows.get(source.get("reference") or "") is context.patient
    return QuestionnaireResponse.objects.create(
        patient=context.patient,
        clinic=clinic,
        questionnaire_version=version,
        area=area["valueString"] if area else "",
        answers=answers,
        mode="patient" if by_patient else "staff",
        collected_by=context.row(resource.get("author"), entry.at("author"), User),
        submitted_at=authored,
        asked_on=authored.astimezone(ZoneInfo(clinic.time_zone)).date(),
    )
