"""First-run set-up: an organisation, its first clinic and its owner, in one transaction."""

from zoneinfo import available_timezones

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from mesochart.accounts.models import Clinic, Membership, Organisation, User
from mesochart.accounts.roles import Role
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.lib.slugs import free_slug


def create_admin(
    username: str, password: str, organisation: str, clinic: str, time_zone: str = "Europe/London"
) -> User:
    errors: dict[str, list[str]] = {}
    if not username.strip():
        errors["username"] = ["is required"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = ["is already taken"]
    if not organisation.strip():
        errors["organisation"] = ["is required"]
    if not clinic.strip():
        errors["clinic"] = ["is required"]
    if time_zone not in available_timezones():
        errors["time_zone"] = [f"'{time_zone}' is not a known IANA time zone"]
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        org = Organisation.objects.create(name=organisation, slug=_free_slug(organisation))
        site = Clinic.objects.create(organisation=org, name=clinic, time_zone=time_zone)
        user = User.objects.create_user(username=username, password=password)
        membership = Membership.objects.create(user=user, clinic=site, role=Role.ADMIN)
        record(
            None,
            Action.PRIVILEGE_CHANGE,
            Category.STAFF,
            clinic=site,
            obj=membership,
            actor_label="mesochart createadmin",
            detail={"user": username, "to": Role.ADMIN},
        )
    return user


def _free_slug(name: str) -> str:
    return free_slug(Organisation.objects.all(), name, fallback="practice", length=40)
