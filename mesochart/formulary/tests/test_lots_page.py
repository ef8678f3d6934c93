"""The lots page warns of expired lots and of lots expiring within 30 days, and shows the
stock on hand; staff receive deliveries and record movements there."""

from datetime import date

import pytest
import time_machine

from mesochart.formulary.models import Lot
from mesochart.formulary.tests.conftest import HTMX, ApiCaller, move, receive

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def first_of_june():
    with time_machine.travel(date(2026, 6, 1), tick=False):
        yield


@pytest.fixture
def lots(practice):
    nurse = practice.actor(practice.nurse)
    received = {"received_on": date(2026, 1, 5)}
    expired = receive(nurse, "EXP-1", "4", expires_on=date(2026, 5, 31), **received)
    soon = receive(nurse, "SOON-2", "6", expires_on=date(2026, 7, 1), **received)
    later = receive(nurse, "LATE-3", "10", expires_on=date(2027, 1, 1), **received)
    move(nurse, later, "administered", "2.5")
    return {"expired": expired, "expiring": soon, "ok": later}


def test_the_lots_page_flags_expired_and_soon_expiring_lots_with_stock_on_hand(
    practice, client_for, lots
):
    html = client_for(practice.reception).get("/formulary/lots/").content.decode()
    assert "Expired 31 May 2026" in html
    assert "Expires 1 Jul 2026" in html
    assert "expires 1 Jan 2027" in html
    assert "7.5 mL" in html  # 10 received, 2.5 administered
    assert "Receive a lot" not in html  # reception reads only


def test_filtering_by_expiry_with_htmx_returns_just_the_rows(practice, client_for, lots):
    response = client_for(practice.nurse).get(
        "/formulary/lots/", {"status": "expiring"}, headers=HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "SOON-2" in html and "EXP-1" not in html and "LATE-3" not in html


def test_the_api_lists_lots_with_on_hand_and_expiry_status(practice, lots):
    body = ApiCaller(practice.reception).get("/formulary/lots").json()
    assert [(lot["lot_number"], lot["expiry_status"], lot["on_hand_ml"]) for lot in body] == [
        ("EXP-1", "expired", "4.000"),
        ("SOON-2", "expiring", "6.000"),
        ("LATE-3", "ok", "7.500"),
    ]
    expired = ApiCaller(practice.reception).get("/formulary/lots", {"status": "expired"}).json()
    assert [lot["lot_number"] for lot in expired] == ["EXP-1"]


def test_an_expired_lots_page_says_it_cannot_be_administered(practice, client_for, lots):
    client = client_for(practice.nurse)
    html = client.get(f"/formulary/lots/{lots['expired'].pk}/").content.decode()
    assert "cannot be administered" in html
    response = client.post(
        f"/formulary/lots/{lots['expired'].pk}/movements/",
        {"kind": "administered", "quantity_ml": "1"},
    )
    assert (
        "Lot: lot EXP-1 expired on 2026-05-31 and cannot be administered"
        in response.content.decode()
    )


def test_the_movement_form_shows_a_refusal_naming_the_lot(practice, client_for, lots):
    response = client_for(practice.nurse).post(
        f"/formulary/lots/{lots['ok'].pk}/movements/", {"kind": "wasted", "quantity_ml": "8"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Volume (mL): lot LATE-3 has 7.5 mL on hand; 8 mL cannot be taken" in html


def test_receiving_a_delivery_from_the_page(practice, client_for):
    response = client_for(practice.nurse).post(
        "/formulary/lots/receive/",
        {
            "product": "lidocaine-1pct",
            "lot_number": "new-9",
            "expires_on": "2027-03-01",
            "quantity_ml": "20",
        },
    )
    lot = Lot.objects.get(lot_number="NEW-9")
    assert response.status_code == 302
    assert response["Location"] == f"/formulary/lots/{lot.pk}/"
    assert lot.received_on == date(2026, 6, 1)


def test_a_refused_delivery_is_shown_on_the_lots_page(practice, client_for):
    response = client_for(practice.nurse).post(
        "/formulary/lots/receive/",
        {
            "product": "lidocaine-1pct",
            "lot_number": "X",
            "expires_on": "2026-01-01",
            "quantity_ml": "20",
        },
    )
    assert "Expires on: is before the day it was received (2026-06-01)" in response.content.decode()
    assert not Lot.objects.exists()
