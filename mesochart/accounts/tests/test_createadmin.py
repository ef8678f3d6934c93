"""A new practice is set up from the console: its organisation, first clinic and owner."""

import pytest
from click.testing import CliRunner

from mesochart.accounts.models import Clinic, Membership, Organisation, User
from mesochart.accounts.roles import Role
from mesochart.audit.models import Action, AuditEvent
from mesochart.cli import main

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

OWNER = [
    "createadmin",
    "--username",
    "dr-ruiz",
    "--organisation",
    "Riverside Aesthetics",
    "--clinic",
    "Riverside",
    "--time-zone",
    "Europe/Madrid",
]
STRONG = ["--password", "riverside-owner-2026"]


def _counts():
    return (
        Organisation.objects.count(),
        Clinic.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_createadmin_sets_up_the_practice_and_its_admin(db):
    result = CliRunner().invoke(main, [*OWNER, *STRONG])

    assert result.exit_code == 0, result.output
    assert "Admin dr-ruiz created for Riverside, Riverside Aesthetics." in result.output
    membership = Membership.objects.select_related("clinic__organisation", "user").get()
    assert membership.user.username == "dr-ruiz"
    assert membership.user.check_password("riverside-owner-2026")
    assert membership.role == Role.ADMIN
    assert membership.clinic.name == "Riverside"
    assert membership.clinic.time_zone == "Europe/Madrid"
    assert membership.clinic.organisation.name == "Riverside Aesthetics"
    assert membership.clinic.organisation.slug == "riverside-aesthetics"
    event = AuditEvent.objects.get()
    assert event.action == Action.PRIVILEGE_CHANGE
    assert event.actor_label == "mesochart createadmin"
    assert event.detail == {"user": "dr-ruiz", "to": "admin"}


def test_a_second_practice_with_the_same_name_gets_its_own_slug(db):
    CliRunner().invoke(main, [*OWNER, *STRONG])

    result = CliRunner().invoke(
        main, [*OWNER, *STRONG, "--username", "dr-ortega", "--clinic", "Riverside North"]
    )

    assert result.exit_code == 0, result.output
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert slugs == {"riverside-aesthetics", "riverside-aesthetics-2"}


@pytest.mark.parametrize(
    "arguments, named",
    [
        ([*OWNER, "--password", "short"], "password: This password is too short."),
        ([*OWNER, "--password", "123456789012345"], "password: This password is entirely numeric"),
        ([*OWNER, *STRONG, "--time-zone", "Mars/Olympus"], "time_zone: 'Mars/Olympus' is not a"),
        ([*OWNER, *STRONG, "--organisation", "  "], "organisation: is required"),
    ],
    ids=["short password", "numeric password", "unknown time zone", "blank organisation"],
)
def test_createadmin_refuses_bad_input_naming_the_field_and_writes_nothing(db, arguments, named):
    before = _counts()

    result = CliRunner().invoke(main, arguments)

    assert result.exit_code == 2
    assert named in result.output
    assert _counts() == before


def test_createadmin_refuses_a_username_already_taken(practice):
    before = _counts()

    result = CliRunner().invoke(main, [*OWNER, *STRONG, "--username", "admin-user"])

    assert result.exit_code == 2
    assert "username: is already taken" in result.output
    assert _counts() == before
