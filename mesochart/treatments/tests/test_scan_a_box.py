"""GS1 codes as a scanner types them parse to GTIN, lot and expiry, with and without group
separators and in the human-readable form; garbage is refused with ``barcode: …``; the
matching in-stock lot of the clinic is picked."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mesochart.formulary.models import Lot
from mesochart.testing.plans import ApiCaller
from mesochart.testing.sessions import GTIN, receive
from mesochart.treatments import actions
from mesochart.treatments.barcodes import GROUP_SEPARATOR as GS
from mesochart.treatments.barcodes import match_lot, parse_gs1

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

EXPECTED = (GTIN, "DCA-001", date(2027, 1, 31))


@pytest.mark.parametrize(
    "code",
    [
        f"01{GTIN}17270131{GS}10DCA-001",  # lot last: no separator needed
        f"01{GTIN}10DCA-001{GS}17270131",  # lot first: FNC1 ends it
        f"]d201{GTIN}10DCA-001{GS}17270131",  # with the DataMatrix symbology identifier
        f"]C101{GTIN}1727013110DCA-001",  # GS1-128
        f"01{GTIN}1727013110DCA-001",
        f"01{GTIN}10DCA-001|17270131",  # a scanner that types | for FNC1
        f"(01){GTIN}(17)270131(10)DCA-001",
        f"  (01){GTIN}(10)DCA-001(17)270131\n",
    ],
)
def test_gs1_strings_parse_to_gtin_lot_and_expiry(code):
    scan = parse_gs1(code)
    assert (scan.gtin, scan.lot_number, scan.expires_on) == EXPECTED


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("", "scan or type the code on the box"),
        ("hello world", "is not a GS1 code with a GTIN, lot and expiry"),
        ("0107032069804989172701311012", "GTIN 07032069804989 is not valid (check digit)"),
        (f"01{GTIN}17270131", "has no lot number (10)"),
        ("(10)ABC(17)270131", "has no GTIN (01)"),
        ("(01)123", "is not a GS1 code"),
        ("x" * 300, "is too long to be a GS1 code"),
        ("]", "is not a GS1 code"),  # a symbology prefix alone: biip raised IndexError (a 500)
    ],
)
def test_garbage_is_refused_clearly(code, rule):
    with pytest.raises(ValidationError) as refused:
        parse_gs1(code)
    (message,) = refused.value.message_dict["barcode"]
    assert message.startswith(rule)


def _lots(practice):
    return Lot.objects.in_clinic(practice.clinic).with_on_hand().select_related("product")


def test_the_clinics_lot_is_matched_by_gtin_and_lot_number(practice, ready):
    assert match_lot(_lots(practice), parse_gs1(f"01{GTIN}10DCA-001")) == ready.lot


def test_a_lot_without_a_gtin_is_matched_by_lot_number_and_product(practice, ready):
    plain = receive(practice, lot_number="NOGTIN-1", gtin="")
    scan = parse_gs1(f"01{GTIN}10NOGTIN-1")
    with pytest.raises(ValidationError):
        match_lot(_lots(practice), scan)
    assert match_lot(_lots(practice), scan, product=plain.product) == plain


def test_an_unknown_or_empty_lot_is_refused_naming_it(practice, ready):
    with pytest.raises(ValidationError) as refused:
        match_lot(_lots(practice), parse_gs1(f"01{GTIN}10ZZZ-9"))
    assert refused.value.message_dict["barcode"] == [
        f"lot ZZZ-9 (GTIN {GTIN}) is not stock of this clinic"
    ]
    ready.lot.movements.create(kind="wasted", quantity_ml=-20, by=practice.practitioner)
    with pytest.raises(ValidationError) as refused:
        match_lot(_lots(practice), parse_gs1(f"01{GTIN}10DCA-001"))
    assert refused.value.message_dict["barcode"] == ["lot DCA-001 has nothing on hand"]


def test_another_clinics_lot_is_not_matched(practice, ready):
    receive(practice, lot_number="SIS-1", user=practice.sister_practitioner)
    with pytest.raises(ValidationError):
        match_lot(_lots(practice), parse_gs1(f"01{GTIN}10SIS-1"))


def test_a_draft_records_a_scanned_lot(ready):
    session = ready.start()
    code = f"(01){GTIN}(17)270131(10)DCA-001"
    actions.save_draft(
        ready.membership, session, {"products": [{"barcode": code, "volume_drawn_ml": "4"}]}
    )
    (row,) = session.products.all()
    assert row.lot == ready.lot


def test_a_garbage_scan_names_the_row(ready):
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(
            ready.membership,
            ready.start(),
            {"products": [{"barcode": "nonsense", "volume_drawn_ml": "4"}]},
        )
    assert list(refused.value.message_dict) == ["products[0].barcode"]


def test_the_scan_endpoint(practice, ready):
    api = ApiCaller(practice.nurse)
    body = api.client.get("/api/v1/lots/scan", {"code": f"01{GTIN}10DCA-001"}).json()
    assert (body["lot"], body["lot_number"], body["product"]) == (
        ready.lot.pk,
        "DCA-001",
        "deoxycholic-acid-10mg-ml",
    )
    refused = api.client.get("/api/v1/lots/scan", {"code": "junk"})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("barcode: ")
