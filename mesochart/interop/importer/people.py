"""Organization (the organisation imported into), Location (its clinics, matched by name or
created), Practitioner (a user matched by licence or username, else created inactive with no
usable password), PractitionerRole (a membership at the clinic) and Patient."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils.text import slugify

from mesochart.accounts.models import Clinic, Credential, Membership, User
from mesochart.accounts.roles import Role
from mesochart.interop.fhir.codes import LICENCE, RECORD_NUMBER
from mesochart.interop.importer.context import Context, day
from mesochart.interop.importer.errors import refuse
from mesochart.lib.slugs import free_slug
from mesochart.patients.models import Patient

GENDER = {"female": "female", "male": "male", "other": "intersex", "unknown": "unknown"}
ROLES = {str(role.label): role.value for role in Role}


def import_people(context: Context) -> None:
    for entry in context.each("Organization"):
        context.keep(entry, context.organisation, created=False)
    for entry in context.each("Location"):
        _location(context, entry)
    for entry in context.each("Practitioner"):
        _practitioner(context, entry)
    for entry in context.each("PractitionerRole"):
        _role(context, entry)
    [entry] = context.each("Patient")
    _patient(context, entry)


def _location(context: Context, entry) -> None:
    name = entry.resource.get("name")
    if not name:
        refuse(entry.at("name"), "is required (a clinic is matched by its name)")
    clinic = Clinic.objects.filter(organisation=context.organisation, name=name).first()
    if clinic is not None:
        context.keep(entry, clinic, created=False)
        return
    address = (entry.resource.get("address") or {}).get("text", "")
    clinic = Clinic.objects.create(organisation=context.organisation, name=name, address=address)
    context.keep(entry, clinic)


def _practitioner(context: Context, entry) -> None:
    resource = entry.resource
    [name] = resource.get("name") or [{}]
    qualification = (resource.get("qualification") or [None])[0]
    licence = _licence(qualification)
    issuer = ((qualification or {}).get("issuer") or {}).get("display", "")
    credential = (
        Credential.objects.filter(licence_number=licence, issuing_body=issuer).first()
        if licence
        else None
    )
    if credential is not None:
        context.keep(entry, credential.user, created=False)
        return
    user = User.objects.filter(username=name.get("text", "")).first() or _placeholder(
        name.get("text") or ""
    )
    if user is not None:
        context.keep(entry, user, created=False)
        return
    user = User(
        username=_free_username(name.get("text") or "practitioner"),
        first_name=" ".join(name.get("given", [])),
        last_name=name.get("family", ""),
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    context.keep(entry, user)
    if licence:
        Credential.objects.create(
            user=user,
            profession=(qualification.get("code") or {}).get("text", ""),
            licence_number=licence,
            issuing_body=issuer,
            expires_on=day(
                (qualification.get("period") or {}).get("end"),
                entry.at("qualification", 0, "period", "end"),
            ),
        )
        context.counted("accounts.Credential")


def _placeholder(text: str):
    """The user an earlier import created for the same name: inactive, with no password, so
    that it stands for one person across imports and grants nothing until an admin acts."""
    return (
        User.objects.filter(username=slugify(text)[:140], is_active=False)
        .filter(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .first()
    )


def _licence(qualification) -> str | None:
    for identifier in (qualification or {}).get("identifier", []):
        if identifier.get("system") == LICENCE:
            return identifier.get("value")
    return None


def _free_username(text: str) -> str:
    return free_slug(
        User.objects.all(), text, fallback="practitioner", field="username", length=140
    )


def _role(context: Context, entry) -> None:
    resource = entry.resource
    user = context.row(resource.get("practitioner"), entry.at("practitioner"), User)
    [location] = resource.get("location") or [None]
    clinic = context.row(location, entry.at("location", 0), Clinic)
    label = ((resource.get("code") or [{}])[0]).get("text")
    if label not in ROLES:
        refuse(entry.at("code", 0, "text"), f"must be one of {', '.join(ROLES)}")
    membership, created = Membership.objects.get_or_create(
        user=user,
        clinic=clinic,
        defaults={
            "role": ROLES[label],
            "active": resource.get("active", True) and _belongs(user, context.organisation),
        },
    )
    context.keep(entry, membership, created=created)


def _belongs(user, organisation) -> bool:
    """Whether ``user`` already works for ``organisation``. A Bundle names people, it does not
    vouch for them: a user matched by licence or username who has no membership here yet gets
    an inactive one, which grants nothing until the organisation's admin confirms it."""
    return Membership.objects.filter(
        user=user, clinic__organisation=organisation, active=True
    ).exists()


def _patient(context: Context, entry) -> None:
    resource = entry.resource
    number = next(
        (
            i.get("value")
            for i in resource.get("identifier", [])
            if i.get("system") == RECORD_NUMBER
        ),
        None,
    )
    if not number:
        refuse(entry.at("identifier"), f"needs the record number ({RECORD_NUMBER})")
    if Patient.objects.filter(organisation=context.organisation, record_number=number).exists():
        refuse(
            entry.at("identifier", 0, "value"),
            f"{context.organisation.name} already holds a patient with record number {number}",
        )
    clinics = [context.rows[e.url] for e in context.source.of("Location")]
    if not clinics:
        refuse("Bundle.entry", "must hold the Location of the patient's clinic")
    [name] = resource.get("name") or [{}]
    telecom = {t.get("system"): t.get("value") for t in resource.get("telecom", [])}
    patient = Patient(
        organisation=context.organisation,
        clinic=clinics[0],
        record_number=number,
        given_name=" ".join(name.get("given", [])),
        family_name=name.get("family", ""),
        date_of_birth=day(resource.get("birthDate"), entry.at("birthDate")),
        sex_at_birth=GENDER.get(resource.get("gender"), "unknown"),
        email=telecom.get("email") or "",
        phone=telecom.get("phone") or "",
        address=((resource.get("address") or [{}])[0]).get("text", ""),
    )
    if resource.get("active") is False:
        patient.voided_at = context.now
        patient.void_reason = "inactive in the imported FHIR record"
    patient.refresh_search_keys()
    patient.save()
    context.patient = context.keep(entry, patient)
