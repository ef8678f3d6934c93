"""Who may inject: a practitioner of this clinic with a licence valid on the day."""

from datetime import date

from mesochart.accounts.models import Credential, Membership, can_administer
from mesochart.accounts.roles import Role

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

EXPIRY = date(2030, 1, 1)  # the practice's practitioner's licence, see conftest


def test_a_licensed_practitioner_may_administer_at_their_clinic(practice):
    assert can_administer(practice.practitioner, practice.clinic, on=date(2026, 3, 2))


def test_a_licence_is_valid_on_its_expiry_date(practice):
    assert can_administer(practice.practitioner, practice.clinic, on=EXPIRY)


def test_a_licence_is_not_valid_the_day_after_it_expires(practice):
    assert not can_administer(practice.practitioner, practice.clinic, on=date(2030, 1, 2))


def test_a_nurse_with_a_licence_may_not_administer(practice):
    Credential.objects.create(
        user=practice.nurse,
        profession="Registered nurse",
        licence_number="N-1",
        issuing_body="Test Council",
        expires_on=EXPIRY,
        may_administer_prescription_medicines=True,
    )

    assert not can_administer(practice.nurse, practice.clinic, on=date(2026, 3, 2))


def test_a_practitioner_may_not_administer_at_a_clinic_they_do_not_work_at(practice):
    on = date(2026, 3, 2)

    assert not can_administer(practice.practitioner, practice.sister_clinic, on=on)
    assert not can_administer(practice.practitioner, practice.other_clinic, on=on)


def test_a_practitioner_whose_membership_was_withdrawn_may_not_administer(practice):
    Membership.objects.filter(user=practice.practitioner).update(active=False)

    assert not can_administer(practice.practitioner, practice.clinic, on=date(2026, 3, 2))


def test_prescription_products_need_the_prescription_scope(practice):
    Credential.objects.filter(user=practice.practitioner).update(
        may_administer_prescription_medicines=False
    )
    on = date(2026, 3, 2)

    assert can_administer(practice.practitioner, practice.clinic, on=on)
    assert not can_administer(practice.practitioner, practice.clinic, on=on, prescription=True)


def test_the_prescription_scope_allows_prescription_products(practice):
    on = date(2026, 3, 2)

    assert can_administer(practice.practitioner, practice.clinic, on=on, prescription=True)


def test_a_disabled_practitioner_may_not_administer(practice):
    practice.practitioner.is_active = False
    practice.practitioner.save(update_fields=["is_active"])

    assert not can_administer(practice.practitioner, practice.clinic, on=date(2026, 3, 2))


def test_a_practitioner_without_a_licence_may_not_administer(practice):
    unlicensed = practice.member("locum", practice.clinic, Role.PRACTITIONER)

    assert not can_administer(unlicensed, practice.clinic, on=date(2026, 3, 2))
    assert not can_administer(None, practice.clinic, on=date(2026, 3, 2))
