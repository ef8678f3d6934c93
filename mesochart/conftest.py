"""Shared personas and fixtures: one clinic's staff in every role, and another organisation.

Data is synthetic. Tables are emptied between transactional tests through the audit
guard's maintenance window, the only way past the append-only triggers.
"""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.test.testcases import TransactionTestCase
from hypothesis import settings as hypothesis_settings

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Clinic, Credential, Membership, Organisation, User
from mesochart.accounts.roles import Role
from mesochart.audit import guard
from mesochart.audit.models import ChainHead
from mesochart.patients.models import Patient
from mesochart.testing import shared
from mesochart.testing.sessions import TODAY, Ready

# Property tests assert what holds, not how fast: hypothesis's per-example deadline (200 ms)
# failed a pint conversion that took 0.5 ms once the two test workers shared two cores with
# a browser. Speed is measured in bench/, never by a timed assertion.
hypothesis_settings.register_profile("mesochart", deadline=None)
hypothesis_settings.load_profile("mesochart")

_original_teardown = TransactionTestCase._fixture_teardown


def _teardown_with_audit_window(self):
    """Empty the tables, then put back the chain head row that migration 0002 created."""
    with guard.maintenance_window(connections["default"]):
        _original_teardown(self)
    ChainHead.objects.get_or_create(pk=1)


TransactionTestCase._fixture_teardown = _teardown_with_audit_window


class Practice:
    """A clinic with one user per role, a second clinic of the same organisation, and a
    clinic of another organisation with its own practitioner and patient."""

    def __init__(self):
        self.org = Organisation.objects.create(name="Test Practice", slug="test-practice")
        self.clinic = Clinic.objects.create(organisation=self.org, name="Main Street")
        self.sister_clinic = Clinic.objects.create(organisation=self.org, name="Sister Clinic")
        self.other_org = Organisation.objects.create(name="Other Practice", slug="other")
        self.other_clinic = Clinic.objects.create(organisation=self.other_org, name="Elsewhere")
        self.users = {}
        for role in Role:
            self.users[role] = self.member(f"{role}-user", self.clinic, role)
        self.outsider = self.member("outsider", self.other_clinic, Role.PRACTITIONER)
        self.sister_practitioner = self.member("sister", self.sister_clinic, Role.PRACTITIONER)
        Credential.objects.create(
            user=self.users[Role.PRACTITIONER],
            profession="Physician",
            licence_number="T-1",
            issuing_body="Test Council",
            expires_on=date(2030, 1, 1),
            may_administer_prescription_medicines=True,
        )
        self.patient = self.make_patient(self.clinic, "Ana", "Lopez", "MC-000001")
        self.other_patient = self.make_patient(self.other_clinic, "Otto", "Secret", "OT-000001")

    @staticmethod
    def member(username, clinic, role) -> User:
        user = User.objects.create_user(username=username, password="a-long-test-password-1")
        Membership.objects.create(user=user, clinic=clinic, role=role)
        return user

    @staticmethod
    def make_patient(clinic, given, family, record_number, **extra) -> Patient:
        patient = Patient(
            organisation=clinic.organisation,
            clinic=clinic,
            given_name=given,
            family_name=family,
            record_number=record_number,
            date_of_birth=date(1985, 4, 12),
            sex_at_birth="female",
            **extra,
        )
        patient.refresh_search_keys()
        patient.save()
        return patient

    @property
    def practitioner(self) -> User:
        return self.users[Role.PRACTITIONER]

    @property
    def admin(self) -> User:
        return self.users[Role.ADMIN]

    @property
    def nurse(self) -> User:
        return self.users[Role.NURSE]

    @property
    def reception(self) -> User:
        return self.users[Role.RECEPTION]

    def actor(self, user) -> Actor:
        """``user`` acting at their clinic (this practice's, when they work at several), as
        the actions are given them."""
        rows = Membership.objects.select_related("clinic", "user").filter(user=user)
        return Actor.at(rows.filter(clinic=self.clinic).first() or rows.get())


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    ``accounts/tests/test_sign_in.py`` checks that the real settings hash with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request of a French user leaves French active in this thread (Django activates the
    language per request and never resets it): code a later test calls outside a request
    would speak French. Each test starts in the default language."""
    yield
    from django.utils import translation

    translation.activate("en-gb")


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Each test keeps its own audit checkpoint file, written after every audited commit."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS = 0


@pytest.fixture(autouse=True)
def photo_root(settings, tmp_path) -> Path:
    """Each test's photos in its own folder (the demo takes two), so a test can see every
    file written and none is left in the installation's own ``var/``."""
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(scope="module")
def _module_practice(request, django_db_setup, django_db_blocker):
    """The practice of a module that says ``BUILT_ONCE = True``, built once for it
    (`mesochart.testing.shared`); None for every other module."""
    if not getattr(request.module, "BUILT_ONCE", False):
        yield None
        return
    yield from shared.built_once(django_db_blocker, Practice)


@pytest.fixture
def copy_memo() -> dict:
    """One test's memo for the copies of shared data it is handed."""
    return {}


@pytest.fixture
def practice(db, _module_practice, copy_memo) -> Practice:
    if _module_practice is None:
        return Practice()
    return shared.handed_out(_module_practice, copy_memo)


def signed_in(user) -> Client:
    """A browser session past sign-in and the second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["needs_2fa"] = False
    from django.utils import timezone

    now = timezone.now().isoformat()
    session["started_at"] = now
    session["last_seen"] = now
    session.save()
    return client


@pytest.fixture
def client_for():
    return signed_in


# The ready practice (`testing.sessions.Ready`): an approved, screened, consented plan with a
# lot in stock, at the frozen day the treatments tests are written for.
@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(scope="module")
def _module_ready(_module_practice, django_db_blocker):
    """The ready practice of a module that builds its data once (``BUILT_ONCE``)."""
    if _module_practice is None:
        yield None
        return

    def build() -> Ready:
        with time_machine.travel(TODAY, tick=False):
            return Ready(_module_practice)

    yield from shared.built_once(django_db_blocker, build)


@pytest.fixture
def ready(practice, frozen, _module_ready, copy_memo) -> Ready:
    if _module_ready is None:
        return Ready(practice)
    return shared.handed_out(_module_ready, copy_memo)
